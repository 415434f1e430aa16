package org.openkms.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.openkms.agent.AgentTestSupport.TOKEN;
import static org.openkms.agent.AgentTestSupport.agent;
import static org.openkms.agent.AgentTestSupport.createSecret;
import static org.openkms.agent.AgentTestSupport.env;
import static org.openkms.agent.AgentTestSupport.get;
import static org.openkms.agent.AgentTestSupport.options;
import static org.openkms.agent.AgentTestSupport.putValue;
import static org.openkms.agent.AgentTestSupport.secret;

import com.aliyun.kms20160120.Client;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;

/** A real agent in front of a real OpenKMS server: every HTTP rule of docs/agent.md. */
class AgentHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static OpenKmsServer server;
    private static Client kms;
    private static AgentServer agent;

    @BeforeAll
    static void start() throws Exception {
        server = AgentTestSupport.startServer(dataDir.resolve("server"));
        kms = AgentTestSupport.kms(server);
        agent = agent(options(server), env());
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pingNeedsNoToken() throws Exception {
        HttpResponse<String> r = get(agent, "/ping");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("healthy");
    }

    @Test
    void missingOrWrongTokenIs403AndBothHeadersWork() throws Exception {
        String name = createSecret(kms, "s3cret");
        assertThat(get(agent, "/secretsmanager/get?secretId=" + name).statusCode())
                .isEqualTo(403);
        assertThat(get(agent, "/secretsmanager/get?secretId=" + name, "X-KMS-Token", "wrong")
                        .statusCode())
                .isEqualTo(403);
        assertThat(get(agent, "/v1/" + name, "X-KMS-Token", TOKEN + "x").statusCode())
                .isEqualTo(403);
        assertThat(get(agent, "/v1/" + name, "X-KMS-Token", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(agent, "/v1/" + name, "X-Vault-Token", TOKEN).statusCode())
                .isEqualTo(200);
    }

    @Test
    void forwardedRequestIs400EvenWithTheToken() throws Exception {
        String name = createSecret(kms, "s3cret");
        HttpResponse<String> r = get(agent, "/v1/" + name, "X-KMS-Token", TOKEN, "X-Forwarded-For", "203.0.113.9");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("s3cret");
    }

    @Test
    void nonGetIs405() throws Exception {
        String name = createSecret(kms, "s3cret");
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> r = AgentTestSupport.HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/v1/" + name))
                            .header("X-KMS-Token", TOKEN)
                            .method(method, HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
        }
    }

    /** Reads of a cached secret keep their connection: one socket serves request after request. */
    @Test
    void getsKeepTheConnectionAlive() throws Exception {
        String name = createSecret(kms, "kept-alive");
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", agent.port())) {
            s.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 3; i++) {
                s.getOutputStream()
                        .write(("GET /v1/" + name + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-KMS-Token: " + TOKEN
                                        + "\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(in.readLine()).as("request " + i).isEqualTo("HTTP/1.1 200 OK");
                int length = -1;
                for (String h = in.readLine(); !h.isEmpty(); h = in.readLine()) {
                    assertThat(h.toLowerCase(java.util.Locale.ROOT)).doesNotStartWith("connection: close");
                    if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(
                                h.substring("content-length:".length()).trim());
                    }
                }
                assertThat(length).isPositive();
                char[] body = new char[length];
                for (int read = 0; read < length; ) {
                    read += in.read(body, read, length - read);
                }
                assertThat(new String(body)).contains("kept-alive");
            }
        }
    }

    @Test
    void unknownPathOrSecretIs404AndBadParametersAre400() throws Exception {
        assertThat(secret(agent, "/v2/whatever").statusCode()).isEqualTo(404);
        assertThat(secret(agent, "/").statusCode()).isEqualTo(404);
        HttpResponse<String> missing = secret(agent, "/secretsmanager/get?secretId=no-such-secret");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("Code").asText()).isEqualTo("Forbidden.ResourceNotFound");
        assertThat(secret(agent, "/v1/no-such-secret").statusCode()).isEqualTo(404);
        assertThat(secret(agent, "/secretsmanager/get").statusCode()).isEqualTo(400);
        assertThat(secret(agent, "/secretsmanager/get?secretId=a&bogus=1").statusCode())
                .isEqualTo(400);
        assertThat(secret(agent, "/secretsmanager/get?secretId=a&refreshNow=maybe")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void kmsFormatIsTheGetSecretValueBody() throws Exception {
        String name = createSecret(kms, "{\"user\":\"app\",\"password\":\"pw\"}");
        HttpResponse<String> r = secret(agent, "/secretsmanager/get?secretId=" + name);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode b = JSON.readTree(r.body());
        assertThat(b.get("SecretName").asText()).isEqualTo(name);
        assertThat(b.get("SecretData").asText()).isEqualTo("{\"user\":\"app\",\"password\":\"pw\"}");
        assertThat(b.get("SecretDataType").asText()).isEqualTo("text");
        assertThat(b.get("VersionId").asText()).isEqualTo("v1");
        assertThat(b.get("VersionStages").get("VersionStage").toString()).contains("ACSCurrent");
        assertThat(b.get("CreateTime").asText()).endsWith("Z");
        assertThat(b.get("RequestId").asText()).isNotEmpty();
    }

    @Test
    void versionIdAndVersionStageSelectTheVersion() throws Exception {
        String name = createSecret(kms, "one");
        putValue(kms, name, "v2", "two");
        assertThat(JSON.readTree(secret(agent, "/v1/" + name).body())
                        .get("SecretData")
                        .asText())
                .isEqualTo("two");
        JsonNode v1 = JSON.readTree(secret(agent, "/secretsmanager/get?secretId=" + name + "&versionId=v1")
                .body());
        assertThat(v1.get("SecretData").asText()).isEqualTo("one");
        JsonNode previous = JSON.readTree(
                secret(agent, "/v1/" + name + "?versionStage=ACSPrevious").body());
        assertThat(previous.get("SecretData").asText()).isEqualTo("one");
        assertThat(previous.get("VersionId").asText()).isEqualTo("v1");
    }

    @Test
    void awsAndVaultFormats() throws Exception {
        String name = createSecret(kms, "{\"user\":\"app\",\"password\":\"pw\"}");
        Map<String, String> o = options(server);
        o.put("response_type", "aws");
        try (AgentServer aws = agent(o, env())) {
            JsonNode b = JSON.readTree(
                    secret(aws, "/secretsmanager/get?secretId=" + name).body());
            assertThat(b.get("Name").asText()).isEqualTo(name);
            assertThat(b.get("ARN").asText()).startsWith("acs:kms:").endsWith(name);
            assertThat(b.get("SecretString").asText()).isEqualTo("{\"user\":\"app\",\"password\":\"pw\"}");
            assertThat(b.get("VersionStages").get(0).asText()).isEqualTo("ACSCurrent");
            assertThat(b.get("CreatedDate").asText()).matches("\\d+\\.\\d{3}");
            assertThat(JSON.readTree(secret(aws, "/v1/nope").body())
                            .get("__type")
                            .asText())
                    .isEqualTo("Forbidden.ResourceNotFound");
        }
        o.put("response_type", "2");
        try (AgentServer vault = agent(o, env())) {
            JsonNode b = JSON.readTree(
                    get(vault, "/v1/" + name, "X-Vault-Token", TOKEN).body());
            assertThat(b.get("data").get("data").get("password").asText()).isEqualTo("pw");
            assertThat(b.get("data").get("metadata").get("version").asText()).isEqualTo("v1");
            assertThat(b.get("lease_duration").asLong()).isEqualTo(300);
            assertThat(JSON.readTree(secret(vault, "/v1/nope").body())
                            .get("errors")
                            .get(0)
                            .asText())
                    .startsWith("Forbidden.ResourceNotFound");
        }
    }

    @Test
    void overTheConnectionLimitIs429() throws Exception {
        Map<String, String> o = options(server);
        o.put("max_conn", "2");
        try (AgentServer small = agent(o, env())) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    held.add(new Socket("127.0.0.1", small.port()));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> small.openConnections() == 2);
                // A third connection, raw so the client's pool cannot reuse one of the two.
                try (Socket third = new Socket("127.0.0.1", small.port())) {
                    OutputStream out = third.getOutputStream();
                    out.write(("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String status = new String(third.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                    assertThat(status).isEqualTo("HTTP/1.1 429");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> small.openConnections() == 0);
            assertThat(get(small, "/ping").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void tokenFromFileUrl(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "file-token-42\n");
        Map<String, String> env = env();
        env.remove("KMS_TOKEN");
        env.put("KMS_CONTAINER_AUTHORIZATION_TOKEN", "file://" + file);
        String name = createSecret(kms, "x");
        try (AgentServer a = agent(options(server), env)) {
            assertThat(get(a, "/v1/" + name, "X-KMS-Token", "file-token-42").statusCode())
                    .isEqualTo(200);
            assertThat(get(a, "/v1/" + name, "X-KMS-Token", TOKEN).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void withoutATokenVariableARandomTokenIsWrittenWithMode0640(@TempDir Path dir) throws Exception {
        Map<String, String> env = env();
        env.remove("KMS_TOKEN");
        Map<String, String> o = options(server);
        Path tokenFile = dir.resolve("run/kmstoken");
        o.put("token_file", tokenFile.toString());
        String name = createSecret(kms, "x");
        try (AgentServer a = agent(o, env)) {
            assertThat(a.tokenOrigin()).contains(tokenFile.toString());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                    .isEqualTo("rw-r-----");
            String token = Files.readString(tokenFile).trim();
            assertThat(token).hasSize(64);
            assertThat(get(a, "/v1/" + name, "X-KMS-Token", token).statusCode()).isEqualTo(200);
            assertThat(get(a, "/v1/" + name).statusCode()).isEqualTo(403);
        }
        try (var files = Files.list(tokenFile.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("kmstoken");
        }
    }

    @Test
    void credentialsFromTheCredentialsFile(@TempDir Path dir) throws Exception {
        Path ini = dir.resolve("credentials");
        Files.writeString(
                ini,
                "[default]\ntype = access_key\naccess_key_id = " + AgentTestSupport.AK_ID + "\naccess_key_secret = "
                        + AgentTestSupport.AK_SECRET + "\n\n[bad]\naccess_key_id = LTAI5tNobody\n"
                        + "access_key_secret = nope\n");
        Map<String, String> env = Map.of("KMS_TOKEN", TOKEN, "ALIBABA_CLOUD_CREDENTIALS_FILE", ini.toString());
        String name = createSecret(kms, "from-file");
        try (AgentServer a = agent(options(server), env)) {
            assertThat(secret(a, "/v1/" + name).body()).contains("from-file");
        }
        Map<String, String> badEnv = Map.of(
                "KMS_TOKEN", TOKEN, "ALIBABA_CLOUD_CREDENTIALS_FILE", ini.toString(), "ALIBABA_CLOUD_PROFILE", "bad");
        try (AgentServer a = agent(options(server), badEnv)) {
            HttpResponse<String> r = secret(a, "/v1/" + name);
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(JSON.readTree(r.body()).get("Code").asText()).startsWith("InvalidAccessKeyId");
            assertThat(r.body()).doesNotContain("from-file");
        }
    }

    @Test
    void configErrorEndsTheProcessWithOneLineAndStatus2() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        AgentMain.class.getName(),
                        "--endpoint",
                        "http://127.0.0.1:1",
                        "--max-conn",
                        "0")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(out.strip()).isEqualTo("openkms agent: max_conn must be between 1 and 1000, got 0");
    }

    @Test
    void portInUseIsAConfigError() throws Exception {
        Map<String, String> o = options(server);
        o.put("http_port", String.valueOf(agent.port()));
        assertThatThrownBy(() -> agent(o, env()))
                .isInstanceOf(AgentConfigException.class)
                .hasMessageContaining("http_port " + agent.port());
    }

    @Test
    void configErrorsNameTheOption(@TempDir Path dir) throws Exception {
        Map<String, String> env = env();
        assertThatThrownBy(() -> AgentConfig.fromArgs(new String[] {"--prot", "1"}, env))
                .isInstanceOf(AgentConfigException.class)
                .hasMessageContaining("--prot");
        assertThatThrownBy(() -> AgentConfig.fromArgs(new String[] {"--port", "x", "--endpoint", "http://h:1"}, env))
                .hasMessageContaining("http_port");
        assertThatThrownBy(() -> AgentConfig.fromArgs(new String[] {"--endpoint", "ftp://h"}, env))
                .hasMessageContaining("endpoint");
        assertThatThrownBy(
                        () -> AgentConfig.fromArgs(new String[] {"--endpoint", "http://h:1", "--max-conn", "0"}, env))
                .hasMessageContaining("max_conn");
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "endpoint = http://127.0.0.1:1\nttl_secs = 3\n");
        assertThatThrownBy(() -> AgentConfig.fromArgs(new String[] {"--config", file.toString()}, env))
                .hasMessageContaining("ttl_secs");
        Files.writeString(file, "endpoint = http://127.0.0.1:1\nttl_seconds = 30\nresponse_type = aws\n");
        AgentConfig c = AgentConfig.fromArgs(new String[] {"--config", file.toString(), "--port", "2999"}, env);
        assertThat(c.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.httpPort()).isEqualTo(2999);
        assertThat(c.responseType()).isEqualTo(ResponseFormat.AWS);
        AgentConfig d = AgentConfig.fromArgs(new String[] {"--endpoint", "http://127.0.0.1:1"}, env);
        assertThat(d.httpPort()).isEqualTo(2025);
        assertThat(d.maxConn()).isEqualTo(800);
        assertThat(d.ttl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(d.cacheSize()).isEqualTo(1000);
        assertThat(d.ignoreTransientErrors()).isTrue();
        assertThat(d.ssrfHeaders()).containsExactly("X-KMS-Token", "X-Vault-Token");
    }
}
