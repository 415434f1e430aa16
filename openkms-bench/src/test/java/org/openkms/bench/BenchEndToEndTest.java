package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * The bench against a real server: the OpenAPI load and the KMS Instance API load (TLS with the instance CA, a
 * ClientKey made through the API, protobuf) both succeed, every answer checked, and the access point objects the
 * instance scenario made are removed afterwards.
 */
class BenchEndToEndTest {
    private static final String ID = "LTAIbenchE2E0000000000";
    private static final String SECRET = "benchEndToEndSecret000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static OpenKmsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withInstanceListen("127.0.0.1:0")
                .withRootAccessKey(ID, SECRET));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The local agent in front of the server: a cached read per request, every answer checked. */
    @Test
    void agentLoadSucceeds() throws Exception {
        java.util.Map<String, String> env = java.util.Map.of(
                "KMS_TOKEN", "bench-agent-token",
                "ALIBABA_CLOUD_ACCESS_KEY_ID", ID,
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
        java.util.Map<String, String> options = java.util.Map.of(
                "http_port", "0",
                "endpoint", "http://127.0.0.1:" + server.httpPort(),
                "region", "cn-hangzhou");
        try (var agent = org.openkms.agent.AgentServer.start(org.openkms.agent.AgentConfig.from(options, env), env)) {
            BenchRun run = BenchRun.of(
                    "--endpoint",
                    "http://127.0.0.1:" + server.httpPort(),
                    "--agent-endpoint",
                    "http://127.0.0.1:" + agent.port(),
                    "--agent-token",
                    "bench-agent-token",
                    "--access-key-id",
                    ID,
                    "--access-key-secret",
                    SECRET,
                    "--action",
                    "AgentGetSecretValue",
                    "-c",
                    "4",
                    "-n",
                    "500",
                    "--warmup",
                    "0",
                    "--no-floor",
                    "--no-progress",
                    "--json");
            assertThat(run.status()).isZero();
            JsonNode n = JSON.readTree(run.out().trim());
            assertThat(n.get("action").asText()).isEqualTo("AgentGetSecretValue");
            assertThat(n.get("ok").asLong()).isEqualTo(500);
            assertThat(n.get("errors").asLong()).isZero();
        }
    }

    @Test
    void asymmetricSignIsComparedWithTheJdksOwnRate() throws Exception {
        BenchRun run = BenchRun.of(
                "--endpoint",
                "http://127.0.0.1:" + server.httpPort(),
                "--access-key-id",
                ID,
                "--access-key-secret",
                SECRET,
                "--action",
                "AsymmetricSign-EC_P256,AsymmetricSign-EC_SM2",
                "-c",
                "2",
                "-n",
                "200",
                "--warmup",
                "0",
                "--no-floor",
                "--no-progress");
        String report = run.out() + run.err();
        assertThat(run.status()).as(report).isZero();
        assertThat(report)
                .containsPattern("AsymmetricSign \\(EC_P256, ECDSA_SHA_256\\): [0-9,]+ req/s = [0-9.]+ x the JDK's own"
                        + " SHA256withECDSA rate in the bench JVM \\([0-9,]+/s on 2 threads, JDK ");
        // SM2 signs on BouncyCastle in the server: no JDK line for it.
        assertThat(report).doesNotContain("AsymmetricSign (EC_SM2, SM2DSA): ");
    }

    @Test
    void openApiAndInstanceLoadsSucceedAndCleanUp() throws Exception {
        BenchRun run = BenchRun.of(
                "--endpoint",
                "http://127.0.0.1:" + server.httpPort(),
                "--instance-endpoint",
                "https://127.0.0.1:" + server.instancePort(),
                "--access-key-id",
                ID,
                "--access-key-secret",
                SECRET,
                "--action",
                "Encrypt,InstanceEncrypt,InstanceDecrypt",
                "-c",
                "4",
                "-n",
                "300",
                "--warmup",
                "0",
                "--no-floor",
                "--no-progress",
                "--json");
        String report = run.err();
        assertThat(run.status()).as(report).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines)
                .extracting(n -> n.get("action").asText())
                .containsExactly("Encrypt", "InstanceEncrypt", "InstanceDecrypt");
        for (JsonNode n : lines) {
            assertThat(n.get("errors").asLong()).as(n.toString()).isZero();
            assertThat(n.get("ok").asLong()).as(n.toString()).isEqualTo(300);
        }
        assertThat(lines.get(1).get("endpoint").asText()).isEqualTo("https://127.0.0.1:" + server.instancePort());
        assertThat(report).doesNotContain("could not clean up");

        // Nothing of the bench's access point is left.
        Endpoint e = Endpoint.parse("http://127.0.0.1:" + server.httpPort(), false);
        try (ApiClient api = new ApiClient(
                new SignedRequestEncoder(
                        new org.openkms.wire.RequestSigner(ID, SECRET), SignatureScheme.ACS3, e.hostHeader()),
                new HttpConnection(e, 10_000))) {
            assertThat(api.call("ListApplicationAccessPoints", java.util.Map.of())
                            .toString())
                    .doesNotContain("bench-aap-");
            assertThat(api.call("ListPolicies", java.util.Map.of()).toString()).doesNotContain("bench-policy-");
            assertThat(api.call("ListNetworkRules", java.util.Map.of()).toString())
                    .doesNotContain("bench-net-");
        }
    }
}
