package org.openkms.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openkms.core.error.StorageException;
import org.openkms.core.store.ChangeFeed;
import org.openkms.core.store.ChangeListener;
import org.openkms.core.store.Storage;

/**
 * The contract on PostgreSQL: one schema per test class (migrated on first open), emptied before each test.
 * Skipped when OPENKMS_SKIP_PG=1, fails when PostgreSQL is unreachable otherwise (see {@link TestPostgres}).
 *
 * <p>"Emptied" means every table of the schema, listed from the catalogue after the migrations ran, so that a
 * table a later migration adds is cleaned without anyone remembering to list it here. Rows the migrations
 * themselves insert (change_generation's counter row) are part of an empty store: they are copied aside once,
 * right after the first migration, and put back after each truncation.
 */
@Tag("services")
class PostgresStorageTest extends StorageContractTest {
    private static final String FLYWAY_HISTORY = "flyway_schema_history";
    private static TestPostgres.Schema schema;
    private static TestPostgres.Schema seeds;
    /** The data tables (everything but Flyway's history) and those of them the migrations put rows in. */
    private static List<String> tables;

    private static List<String> seeded;

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.createSchema();
        seeds = TestPostgres.createSchema();
    }

    @AfterAll
    static void dropSchema() {
        for (TestPostgres.Schema s : new TestPostgres.Schema[] {schema, seeds}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Override
    protected Storage newStorage() {
        Storage opened = StorageFactory.open(schema.url());
        if (tables == null) {
            rememberSeeds();
        }
        // One round trip: TRUNCATE of all tables in one statement (foreign keys do not object), then the seeds.
        StringBuilder sql = new StringBuilder("TRUNCATE ");
        for (int i = 0; i < tables.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(schema.name()).append('.').append(tables.get(i));
        }
        for (String t : seeded) {
            sql.append("; INSERT INTO ")
                    .append(schema.name())
                    .append('.')
                    .append(t)
                    .append(" SELECT * FROM ")
                    .append(seeds.name())
                    .append('.')
                    .append(t);
        }
        schema.execute(sql.toString());
        return opened;
    }

    /** Runs once, on the freshly migrated schema: which tables there are, and what the migrations put in them. */
    private static void rememberSeeds() {
        List<String> all = new ArrayList<>(schema.tables());
        all.remove(FLYWAY_HISTORY);
        List<String> withRows = new ArrayList<>();
        for (String t : all) {
            seeds.execute("CREATE TABLE " + seeds.name() + "." + t + " AS TABLE " + schema.name() + "." + t);
            if (count(seeds.name() + "." + t) > 0) {
                withRows.add(t);
            }
        }
        assertThat(all)
                .as("the data tables the migrations created")
                .contains("keys", "secrets", "iam_users", "aap_objects", "server_meta");
        tables = all;
        seeded = withRows;
    }

    private static long count(String table) {
        try {
            return Long.parseLong(query("SELECT count(*) FROM " + table).get(0));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * After the cleaning, every table holds exactly what a fresh migration leaves: the seeds, nothing else. Every
     * table is written to first (one made-up row each, found from the catalogue like the cleaning's list), so the
     * test fails if a table escapes the cleaning, not only if a previous test happened to leave nothing behind.
     */
    @Test
    void everyTableIsCleanedBeforeEachTest() throws SQLException {
        assertThat(seeded)
                .as("tables the migrations seed (found by looking, not listed)")
                .contains("change_generation");
        List<String> pending = new ArrayList<>(tables);
        // currentSchema: the change_generation triggers name their table unqualified.
        try (Connection c = DriverManager.getConnection(schema.url())) {
            // A child row (key_versions, aliases, secret_versions) fails until its parent is in: retry it later.
            for (int pass = 0; pass < tables.size() && !pending.isEmpty(); pass++) {
                for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
                    String t = it.next();
                    try (Statement s = c.createStatement()) {
                        s.execute(madeUpRow(c, t)); // autocommit: a refused row leaves nothing behind
                        it.remove();
                    } catch (SQLException parentNotYetThere) {
                        // next pass
                    }
                }
            }
        }
        assertThat(pending).as("tables no row could be written to").isEmpty();
        for (String t : tables) {
            assertThat(isClean(t)).as(t + " after a row was written to it").isFalse();
        }

        newStorage().close(); // the cleaning that runs before each test

        for (String t : tables) {
            assertThat(isClean(t)).as(t + " after the cleaning").isTrue();
        }
    }

    /**
     * An INSERT of one row into {@code table}, every column given a value of its type ("dirty", 7, true, …) but
     * those the database fills itself (identity and generated columns).
     */
    private static String madeUpRow(Connection c, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? AND is_identity = 'NO' AND is_generated = 'NEVER'"
                + " ORDER BY ordinal_position")) {
            s.setString(1, schema.name());
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                    String type = rs.getString(2);
                    values.add(
                            switch (type) {
                                case "text", "character varying" -> "'dirty'";
                                case "bigint", "integer", "smallint" -> "7";
                                case "boolean" -> "true";
                                case "bytea" -> "'\\x01'::bytea";
                                case "timestamp with time zone", "timestamp without time zone" -> "now()";
                                default ->
                                    throw new AssertionError(table + "." + rs.getString(1)
                                            + " has a type this test cannot fill: " + type);
                            });
                }
            }
        }
        return "INSERT INTO " + schema.name() + "." + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", values) + ")";
    }

    /** Empty, or for a seeded table exactly its seed rows. */
    private static boolean isClean(String table) {
        String mine = schema.name() + "." + table;
        if (!seeded.contains(table)) {
            return count(mine) == 0;
        }
        String seed = seeds.name() + "." + table;
        return count(mine) == count(seed)
                && count("(SELECT * FROM " + mine + " EXCEPT SELECT * FROM " + seed + ") AS different") == 0;
    }

    @Override
    protected Storage reopenStorage() {
        return StorageFactory.open(schema.url());
    }

    @Test
    void flywayMigratedTheSchemaWithThePostgresqlScripts() throws SQLException {
        assertThat(query("SELECT version FROM " + schema.name()
                        + ".flyway_schema_history WHERE success ORDER BY installed_rank"))
                .startsWith("1", "2");
    }

    /** Sorting must not depend on the database locale, so ordered text columns use the "C" collation. */
    @Test
    void orderedTextColumnsUseByteOrderCollation() throws SQLException {
        List<String> collations =
                query("SELECT table_name || '.' || column_name || '=' || coalesce(collation_name, '?')"
                        + " FROM information_schema.columns WHERE table_schema = '" + schema.name()
                        + "' AND column_name IN"
                        + " ('key_id', 'alias_name', 'key_version_id', 'resource_type', 'resource_id', 'tag_key', 'access_key_id')"
                        + " ORDER BY 1");
        assertThat(collations).hasSize(9).allSatisfy(c -> assertThat(c).endsWith("=C"));
    }

    // ---------------------------------------------------------------- several nodes on one database

    /** While one node runs a job, another node (another Storage on the same schema) skips it; other jobs run. */
    @Test
    void onlyOneNodeAtATimeRunsAJob() throws Exception {
        try (Storage otherNode = StorageFactory.open(schema.url())) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> first =
                    CompletableFuture.supplyAsync(() -> storage.runExclusive("key-maintenance", () -> {
                        entered.countDown();
                        await(release);
                    }));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicInteger runs = new AtomicInteger();
            assertThat(otherNode.runExclusive("key-maintenance", runs::incrementAndGet))
                    .isFalse();
            // Another session of the same node is excluded too: it is the database that holds the lock.
            assertThat(storage.runExclusive("key-maintenance", runs::incrementAndGet))
                    .isFalse();
            assertThat(otherNode.runExclusive("secret-maintenance", runs::incrementAndGet))
                    .isTrue();
            assertThat(runs).hasValue(1);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(otherNode.runExclusive("key-maintenance", runs::incrementAndGet))
                    .isTrue();
            assertThat(runs).hasValue(2);
        }
    }

    /** A node that dies (its database session ends) mid-job gives the job up; the next node takes it at once. */
    @Test
    void aDeadNodesJobIsTakenOver() throws Exception {
        try (Storage otherNode = StorageFactory.open(schema.url())) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> dying =
                    CompletableFuture.supplyAsync(() -> storage.runExclusive("secret-maintenance", () -> {
                        entered.countDown();
                        await(release);
                    }));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(otherNode.runExclusive("secret-maintenance", () -> {})).isFalse();
            long key = PostgresJobLock.key(schema.name(), "secret-maintenance");
            // The bigint key shows in pg_locks as classid (high 32 bits), objid (low 32 bits), objsubid 1
            // (https://www.postgresql.org/docs/current/view-pg-locks.html).
            assertThat(query("SELECT pg_terminate_backend(pid)::text FROM pg_locks WHERE locktype = 'advisory'"
                            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                            + " AND objsubid = 1 AND classid::bigint = " + (key >>> 32) + " AND objid::bigint = "
                            + (key & 0xFFFFFFFFL)))
                    .containsExactly("true");
            waitUntil(() -> otherNode.runExclusive("secret-maintenance", () -> {}));
            release.countDown();
            // The dead session cannot commit: its job learns that it lost the lock.
            assertThatThrownBy(() -> dying.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class);
        }
        assertThat(PostgresJobLock.key("schema_a", "key-maintenance"))
                .isNotEqualTo(PostgresJobLock.key("schema_b", "key-maintenance"));
    }

    /**
     * Writes by another node are pushed once committed (not before), with the generation they reached; writes to
     * another OpenKMS schema of the same database are not ours.
     */
    @Test
    void theChangeFeedReportsOtherNodesCommittedWrites() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (Storage otherNode = StorageFactory.open(schema.url());
                ChangeFeed feed = storage.changeFeed(listener)) {
            waitUntil(() -> feed.listening() && listener.resyncs.get() == 1);

            otherNode.tags().put("key", "key-1", Map.of("team", "a"));
            assertThat(listener.reportedUpTo(otherNode.changeGeneration())).isEqualTo(otherNode.changeGeneration());

            try (Connection c = TestPostgres.connect();
                    Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + schema.name());
                c.setAutoCommit(false);
                s.execute(
                        "INSERT INTO tags (resource_type, resource_id, tag_key, tag_value) VALUES ('key', 'key-2', 'team', 'b')");
                assertThat(listener.generations.poll(500, TimeUnit.MILLISECONDS))
                        .as("announced before commit")
                        .isNull();
                c.commit();
            }
            assertThat(listener.reportedUpTo(otherNode.changeGeneration())).isEqualTo(otherNode.changeGeneration());

            try (TestPostgres.Schema elsewhere = TestPostgres.createSchema();
                    Storage otherSchema = StorageFactory.open(elsewhere.url())) {
                otherSchema.tags().put("key", "key-3", Map.of("team", "c"));
                assertThat(otherSchema.changeGeneration()).isPositive();
                assertThat(listener.generations.poll(500, TimeUnit.MILLISECONDS))
                        .as("another schema's write")
                        .isNull();
            }
            assertThat(listener.resyncs).hasValue(1);
        }
    }

    /** The feed's connection dies: it reconnects on its own, says so (resync), and reports writes again. */
    @Test
    void theChangeFeedReconnectsAndResyncsAfterLosingItsConnection() throws Exception {
        // A unique application_name (URL parameters override the feed's own default) finds exactly our session.
        String application = "openkms_feed_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
        RecordingListener listener = new RecordingListener();
        try (Storage node = StorageFactory.open(schema.url() + "&ApplicationName=" + application);
                ChangeFeed feed = node.changeFeed(listener)) {
            waitUntil(() -> feed.listening() && listener.resyncs.get() == 1);
            assertThat(query("SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE application_name = '"
                            + application + "' AND query = 'LISTEN " + PostgresChangeFeed.CHANNEL + "'"))
                    .containsExactly("true");
            waitUntil(() -> feed.listening() && listener.resyncs.get() == 2);
            storage.tags().put("key", "key-1", Map.of("team", "a"));
            assertThat(listener.reportedUpTo(storage.changeGeneration())).isEqualTo(storage.changeGeneration());
        }
    }

    @Test
    void notificationPayloadsAreReadStrictly() {
        assertThat(PostgresChangeFeed.generationFor("s1", "42:s1:keys")).isEqualTo(42);
        assertThat(PostgresChangeFeed.generationFor("s1", "42:s2:keys")).isEqualTo(-1);
        assertThat(PostgresChangeFeed.generationFor("s1", "x:s1:keys")).isEqualTo(-1);
        assertThat(PostgresChangeFeed.generationFor("s1", "42")).isEqualTo(-1);
        assertThat(PostgresChangeFeed.generationFor(null, "7:any:keys")).isEqualTo(7);
    }

    private static final class RecordingListener implements ChangeListener {
        final BlockingQueue<Long> generations = new LinkedBlockingQueue<>();
        final AtomicInteger resyncs = new AtomicInteger();

        @Override
        public void changed(long generation) {
            generations.add(generation);
        }

        @Override
        public void resync() {
            resyncs.incrementAndGet();
        }

        /**
         * The last generation reported once {@code expected} is reached, or the last before 5 s pass: one write of
         * several statements may come in more than one batch.
         */
        long reportedUpTo(long expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            long last = -1;
            while (last < expected) {
                Long next = generations.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                last = next;
            }
            return last;
        }
    }

    /** Polls every 20 ms for up to 10 s. */
    private static void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection c = TestPostgres.connect();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
