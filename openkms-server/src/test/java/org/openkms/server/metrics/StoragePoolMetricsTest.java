package org.openkms.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;
import org.openkms.storage.TestPostgres;

/** On PostgreSQL, /metrics also carries HikariCP's pool metrics and the storage timers of the pooled backend. */
@Tag("services")
class StoragePoolMetricsTest {
    @TempDir
    Path dir;

    @Test
    void thePostgresPoolReportsItsConnections() throws Exception {
        try (TestPostgres.Database db = TestPostgres.createDatabase("openkms_pool_metrics")) {
            OpenKmsServer server = OpenKmsServer.start(ServerConfig.defaults()
                    .withDataDir(dir)
                    .withListen("127.0.0.1:0")
                    .withHttpsListen("")
                    .withStorageUrl(db.url())
                    .withRootAccessKey("LTAIpool", "pool-secret"));
            try {
                String base = "http://127.0.0.1:" + server.httpPort();
                SignedClient client = new SignedClient(base, "LTAIpool", "pool-secret");
                assertThat(client.call("CreateKey", Map.of()).status()).isEqualTo(200);
                String text = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                var samples = MetricsHttpTest.parse(text);
                assertThat(samples)
                        .anyMatch(s -> s.name().equals("hikaricp_connections_max")
                                && "openkms-storage".equals(s.labels().get("pool"))
                                && s.value() > 0);
                assertThat(samples).anyMatch(s -> s.name().equals("hikaricp_connections_acquire_seconds_count"));
                assertThat(samples)
                        .anyMatch(s -> s.name().equals("openkms_storage_operation_seconds_count")
                                && "keys".equals(s.labels().get("repository"))
                                && "write".equals(s.labels().get("operation"))
                                && s.value() >= 1);
            } finally {
                server.close();
            }
        }
    }
}
