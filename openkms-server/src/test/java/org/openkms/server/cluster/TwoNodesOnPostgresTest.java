package org.openkms.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ConfigException;
import org.openkms.server.config.ServerConfig;

/**
 * Two stateless nodes on one PostgreSQL database (and one root key): what one node writes, the other serves,
 * and a state change on one node (a disabled key, a deleted alias) reaches the other's caches within the
 * coherence interval.
 */
class TwoNodesOnPostgresTest {
    private static final String ADMIN_URL = System.getenv().getOrDefault("OPENKMS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    @TempDir
    Path dir;
    private String database;
    private OpenKmsServer a;
    private OpenKmsServer b;

    @BeforeEach
    void createDatabase() throws Exception {
        Assumptions.assumeFalse("1".equals(System.getenv("OPENKMS_SKIP_PG")), "OPENKMS_SKIP_PG=1");
        database = "openkms_nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (database != null) {
            try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private ServerConfig node(Path dataDir) {
        String url = ADMIN_URL.replaceFirst("/test\\?", "/" + database + "?");
        return ServerConfig.defaults().withDataDir(dataDir).withListen("127.0.0.1:0").withHttpsListen("")
                .withStorageUrl(url).withRootAccessKey("LTAInodes", "nodes-secret")
                .withCacheSyncInterval(Duration.ofMillis(200));
    }

    @Test
    void nodesSeeEachOthersWritesWithinTheSyncInterval() throws Exception {
        a = OpenKmsServer.start(node(dir.resolve("a")));
        // Every node needs the same root key: it seals the key material both read from the shared database.
        Files.createDirectories(dir.resolve("b"));
        Files.copy(dir.resolve("a").resolve("root.key"), dir.resolve("b").resolve("root.key"));
        b = OpenKmsServer.start(node(dir.resolve("b")));
        SignedClient onA = new SignedClient("http://127.0.0.1:" + a.httpPort(), "LTAInodes", "nodes-secret");
        SignedClient onB = new SignedClient("http://127.0.0.1:" + b.httpPort(), "LTAInodes", "nodes-secret");

        String keyId = onA.call("CreateKey", Map.of()).body().path("KeyMetadata").path("KeyId").asText();
        assertThat(onA.call("CreateAlias", Map.of("AliasName", "alias/shared", "KeyId", keyId)).status()).isEqualTo(200);
        String blob = onB.call("Encrypt", Map.of("KeyId", "alias/shared", "Plaintext", "aGk=")).body().path("CiphertextBlob").asText();
        assertThat(onA.call("Decrypt", Map.of("CiphertextBlob", blob)).body().path("Plaintext").asText()).isEqualTo("aGk=");

        assertThat(onA.call("DisableKey", Map.of("KeyId", keyId)).status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(onB.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk=")).code()).isEqualTo("Rejected.Disabled"));

        assertThat(onA.call("EnableKey", Map.of("KeyId", keyId)).status()).isEqualTo(200);
        assertThat(onA.call("DeleteAlias", Map.of("AliasName", "alias/shared")).status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(onB.call("Encrypt", Map.of("KeyId", "alias/shared", "Plaintext", "aGk=")).code()).isEqualTo("Forbidden.AliasNotFound"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(onB.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk=")).status()).isEqualTo(200));
    }

    @Test
    void aNodeWithoutTheFirstNodesRootKeyIsRefused() throws Exception {
        a = OpenKmsServer.start(node(dir.resolve("a")));
        Path b = dir.resolve("b");
        assertThatThrownBy(() -> OpenKmsServer.start(node(b))).isInstanceOf(ConfigException.class)
                .hasMessage("root key " + b.resolve("root.key") + " is missing, but the database already holds data sealed under a root key;"
                        + " restore root.key from a backup (a further node of a cluster: copy it from the first node's data dir)."
                        + " A new root key could not open that data, so none is made");
        assertThat(b.resolve("root.key")).doesNotExist();
        Files.write(b.resolve("root.key"), org.openkms.crypto.SecureRandoms.bytes(32));
        assertThatThrownBy(() -> OpenKmsServer.start(node(b))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not the root key this database was sealed under");
    }

    /** Two first nodes at once on an empty database: one makes the root key, the other is told to copy it. */
    @Test
    void nodesStartingTogetherOnAnEmptyDatabaseAgreeOnOneRootKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<OpenKmsServer>> starts = List.of(pool.submit(() -> OpenKmsServer.start(node(dir.resolve("a")))),
                    pool.submit(() -> OpenKmsServer.start(node(dir.resolve("b")))));
            List<OpenKmsServer> started = new ArrayList<>();
            List<Throwable> refused = new ArrayList<>();
            for (Future<OpenKmsServer> f : starts) {
                try {
                    started.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    refused.add(e.getCause());
                }
            }
            if (!started.isEmpty()) {
                a = started.get(0);
            }
            if (started.size() > 1) {
                b = started.get(1);
            }
            assertThat(started).hasSize(1);
            assertThat(refused).singleElement().isInstanceOf(ConfigException.class);
            // Only the winner's data dir holds a root key; the loser took back the one it made, if any.
            assertThat(Files.exists(dir.resolve("a").resolve("root.key")) ^ Files.exists(dir.resolve("b").resolve("root.key"))).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
