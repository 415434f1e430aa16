package org.openkms.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.error.StorageException;
import org.openkms.core.store.Storage;

/** The SQLite connection discipline: settings on every connection, query-only readers, one writer. */
class SqliteConnectionsTest {
    @TempDir
    Path dir;

    private SqliteConnections connections;
    private Storage storage;

    @BeforeEach
    void open() {
        Path file = dir.resolve("kms.db");
        Migrations.migrate(SqliteConnections.dataSource(file), Dialect.SQLITE);
        connections = SqliteConnections.open(file, SqliteConnections.DEFAULT_READERS);
        storage = new JdbcStorage(connections, Dialect.SQLITE);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void writerHasDurabilitySettings() throws SQLException {
        Connection writer = connections.writerForTest();
        assertThat(pragma(writer, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(writer, "synchronous")).isEqualTo("2"); // FULL
        assertThat(pragma(writer, "busy_timeout")).isEqualTo("5000");
        assertThat(pragma(writer, "foreign_keys")).isEqualTo("1");
        assertThat(pragma(writer, "query_only")).isEqualTo("0");
    }

    @Test
    void everyReaderHasTheSettingsAndIsQueryOnly() {
        Set<Connection> seen = new HashSet<>();
        // The pool hands readers out in turn, so this many reads visit each of them once.
        for (int i = 0; i < SqliteConnections.DEFAULT_READERS; i++) {
            connections.read("test", c -> {
                seen.add(c);
                assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
                assertThat(pragma(c, "synchronous")).isEqualTo("2");
                assertThat(pragma(c, "busy_timeout")).isEqualTo("5000");
                assertThat(pragma(c, "foreign_keys")).isEqualTo("1");
                assertThat(pragma(c, "query_only")).isEqualTo("1");
                return null;
            });
        }
        assertThat(seen).hasSize(SqliteConnections.DEFAULT_READERS).doesNotContain(connections.writerForTest());
    }

    @Test
    void readersCannotWrite() {
        assertThatThrownBy(() ->
                        connections.read("test", c -> Sql.update(c, "INSERT INTO tags VALUES ('key', 'k', 't', 'v')")))
                .isInstanceOf(StorageException.class);
        assertThat(storage.tags().listAll("key")).isEmpty();
    }

    @Test
    void readsDoNotWaitForARunningWrite() throws Exception {
        storage.tags().put("key", "k", Map.of("committed", "yes"));
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> writer = CompletableFuture.supplyAsync(() -> connections.write("test", c -> {
            Sql.update(c, "INSERT INTO tags VALUES ('key', 'k', 'uncommitted', 'x')");
            writing.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        try {
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(connections.writeLockForTest().isLocked()).isTrue();

            // Another thread reads while the writer holds the lock and an open write transaction.
            CompletableFuture<Map<String, String>> read =
                    CompletableFuture.supplyAsync(() -> storage.tags().list("key", "k"));
            assertThat(read.get(5, TimeUnit.SECONDS)).containsExactly(Map.entry("committed", "yes"));
        } finally {
            release.countDown();
        }
        writer.get(10, TimeUnit.SECONDS);
        assertThat(storage.tags().list("key", "k")).containsOnlyKeys("committed", "uncommitted");
    }

    @Test
    void failedWriteRollsBackAndTheWriterStaysUsable() {
        assertThatThrownBy(() -> connections.write("test", c -> {
                    Sql.update(c, "INSERT INTO tags VALUES ('key', 'k', 'a', '1')");
                    throw new SQLException("boom");
                }))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("test failed")
                .hasRootCauseMessage("boom");
        assertThatThrownBy(() -> connections.write("test", c -> {
                    Sql.update(c, "INSERT INTO tags VALUES ('key', 'k', 'b', '2')");
                    throw new IllegalStateException("bug");
                }))
                .isInstanceOf(IllegalStateException.class);

        storage.tags().put("key", "k", Map.of("c", "3"));

        assertThat(storage.tags().list("key", "k")).containsExactly(Map.entry("c", "3"));
    }

    @Test
    void nestedWritesAreRejected() {
        assertThatThrownBy(() -> connections.write("outer", c -> connections.write("inner", c2 -> null)))
                .isInstanceOf(IllegalStateException.class);
        storage.tags().put("key", "k", Map.of("still", "works"));
        assertThat(storage.tags().list("key", "k")).hasSize(1);
    }

    @Test
    void closedStorageRejectsCalls() {
        storage.close();
        assertThatThrownBy(() -> storage.keys().list())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> storage.tags().put("key", "k", Map.of("a", "b")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("closed");
        storage.close(); // idempotent
    }

    @Test
    void schemaIsMigratedOnce() {
        Path file = dir.resolve("kms.db");
        Migrations.migrate(SqliteConnections.dataSource(file), Dialect.SQLITE); // second run: nothing to do
        List<String> versions = connections.read(
                "test",
                c -> Sql.query(
                        c,
                        "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank",
                        row -> row.getString(1)));
        assertThat(versions).startsWith("1", "2");
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
