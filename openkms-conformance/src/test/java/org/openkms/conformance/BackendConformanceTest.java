package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The run is on the backend it claims ({@link ConformanceBackend}): a key created through the SDK is a row of
 * the PostgreSQL database on the PostgreSQL run, and the SQLite file in the data dir holds the data otherwise.
 */
@ExtendWith(SharedServer.class)
@Tag("services")
class BackendConformanceTest {
    private final ConformanceServer server;

    BackendConformanceTest(ConformanceServer server) {
        this.server = server;
    }

    @Test
    void theSharedServerStoresOnThisRunsBackend() throws Exception {
        String keyId = server.v2().newKey();
        String url = ConformanceBackend.storageUrl(server.dataDir());
        if (ConformanceBackend.postgres()) {
            assertThat(url).startsWith("jdbc:postgresql:");
            try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement s = c.prepareStatement("SELECT count(*) FROM keys WHERE key_id = ?")) {
                s.setString(1, keyId);
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1))
                            .as("rows for %s in the PostgreSQL database", keyId)
                            .isEqualTo(1);
                }
            }
            assertThat(server.dataDir().resolve("openkms.db")).doesNotExist();
        } else {
            assertThat(url).isNull();
            assertThat(server.dataDir().resolve("openkms.db")).exists();
            assertThat(Files.size(server.dataDir().resolve("openkms.db"))).isPositive();
        }
    }
}
