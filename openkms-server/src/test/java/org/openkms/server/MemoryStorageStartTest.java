package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.config.ServerConfig;

/** {@code --storage-url mem:} serves from the core's InMemoryStorage: no database file, and nothing survives a restart. */
class MemoryStorageStartTest {
    @TempDir
    Path dir;

    @Test
    void servesFromMemoryAndForgetsEverythingOnRestart() throws Exception {
        ServerConfig config = ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withStorageUrl("mem:")
                .withRootAccessKey("LTAImemory", "memory-secret");
        String keyId;
        try (OpenKmsServer server = OpenKmsServer.start(config)) {
            SignedClient client =
                    new SignedClient("http://127.0.0.1:" + server.httpPort(), "LTAImemory", "memory-secret");
            keyId = client.call("CreateKey", Map.of())
                    .body()
                    .path("KeyMetadata")
                    .path("KeyId")
                    .asText();
            assertThat(client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk="))
                            .status())
                    .isEqualTo(200);
        }
        assertThat(dir.resolve("openkms.db")).doesNotExist();

        try (OpenKmsServer server = OpenKmsServer.start(config)) {
            SignedClient client =
                    new SignedClient("http://127.0.0.1:" + server.httpPort(), "LTAImemory", "memory-secret");
            assertThat(client.call("DescribeKey", Map.of("KeyId", keyId)).code())
                    .isEqualTo("Forbidden.KeyNotFound");
        }
    }
}
