package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise: everything acknowledged before a kill -9 is there after a restart. The server runs
 * as a child JVM (the real {@code openkms server} entry point) so that it can be killed without a shutdown hook.
 */
class CrashRecoveryTest {
    private static final String AK = "LTAIcrash";
    private static final String SECRET = "crash-secret";
    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveKillDashNine() throws Exception {
        int port = freePort();
        SignedClient client = new SignedClient("http://127.0.0.1:" + port, AK, SECRET);
        Process first = startServer(port);
        String keyId;
        String blob;
        String versionBefore;
        try {
            keyId = client.call("CreateKey", Map.of("Description", "survivor", "Tags", "[{\"TagKey\":\"team\",\"TagValue\":\"db\"}]"))
                    .body().path("KeyMetadata").path("KeyId").asText();
            assertThat(client.call("CreateAlias", Map.of("AliasName", "alias/survivor", "KeyId", keyId)).status()).isEqualTo(200);
            blob = client.call("Encrypt", Map.of("KeyId", "alias/survivor", "Plaintext", "ZHVyYWJsZQ==", "EncryptionContext", "{\"x\":\"y\"}"))
                    .body().path("CiphertextBlob").asText();
            versionBefore = client.call("DescribeKey", Map.of("KeyId", keyId)).body().path("KeyMetadata").path("PrimaryKeyVersion").asText();
            assertThat(client.call("CreateKeyVersion", Map.of("KeyId", keyId)).status()).isEqualTo(200);
            assertThat(client.call("CreateSecret", Map.of("SecretName", "survivor/secret", "VersionId", "v1", "SecretData", "one",
                    "EncryptionKeyId", keyId)).status()).isEqualTo(200);
            assertThat(client.call("PutSecretValue", Map.of("SecretName", "survivor/secret", "VersionId", "v2", "SecretData", "two"))
                    .status()).isEqualTo(200);
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            first.waitFor();
        }
        Process second = startServer(port);
        try {
            SignedClient.Reply d = client.call("Decrypt", Map.of("CiphertextBlob", blob, "EncryptionContext", "{\"x\":\"y\"}"));
            assertThat(d.status()).as(d.raw()).isEqualTo(200);
            assertThat(d.body().path("Plaintext").asText()).isEqualTo("ZHVyYWJsZQ==");
            assertThat(d.body().path("KeyVersionId").asText()).isEqualTo(versionBefore);
            SignedClient.Reply k = client.call("DescribeKey", Map.of("KeyId", "alias/survivor"));
            assertThat(k.body().path("KeyMetadata").path("Description").asText()).isEqualTo("survivor");
            assertThat(k.body().path("KeyMetadata").path("PrimaryKeyVersion").asText()).isNotEqualTo(versionBefore);
            assertThat(client.call("ListKeyVersions", Map.of("KeyId", keyId)).body().path("TotalCount").asInt()).isEqualTo(2);
            assertThat(client.call("ListResourceTags", Map.of("KeyId", keyId)).body().path("Tags").path("Tag").get(0).path("TagValue").asText()).isEqualTo("db");
            SignedClient.Reply secret = client.call("GetSecretValue", Map.of("SecretName", "survivor/secret"));
            assertThat(secret.body().path("SecretData").asText()).as(secret.raw()).isEqualTo("two");
            assertThat(client.call("GetSecretValue", Map.of("SecretName", "survivor/secret", "VersionStage", "ACSPrevious"))
                    .body().path("SecretData").asText()).isEqualTo("one");
        } finally {
            second.destroy();
            second.waitFor();
        }
    }

    private Process startServer(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.openkms.server.Main",
                "--data-dir", dir.toString(), "--listen", "127.0.0.1:" + port, "--https-listen", "");
        pb.environment().put("OPENKMS_ROOT_ACCESS_KEY_ID", AK);
        pb.environment().put("OPENKMS_ROOT_ACCESS_KEY_SECRET", SECRET);
        pb.environment().put("OPENKMS_MIN_KEY_VERSION_INTERVAL", "0s");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("server-" + System.nanoTime() + ".log").toFile());
        Process p = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited: " + logs());
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return p;
    }

    private String logs() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                sb.append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
