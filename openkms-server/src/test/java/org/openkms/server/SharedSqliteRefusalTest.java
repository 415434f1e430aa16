package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.config.ConfigException;
import org.openkms.server.config.ServerConfig;

/** Two servers never write one SQLite file, however the second one names it. */
class SharedSqliteRefusalTest {
    @TempDir
    Path a;

    @TempDir
    Path b;

    @Test
    void aSecondServerPointedAtAnotherServersDatabaseIsRefused() throws Exception {
        try (OpenKmsServer first = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(a)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIshared", "shared-secret"))) {
            assertThat(first.httpPort()).isPositive();
            assertThatThrownBy(() -> OpenKmsServer.start(ServerConfig.defaults()
                            .withDataDir(b)
                            .withListen("127.0.0.1:0")
                            .withHttpsListen("")
                            .withStorageUrl("jdbc:sqlite:" + a.resolve("openkms.db"))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("SQLite database");
        }
    }
}
