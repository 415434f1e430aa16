package org.openkms.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
            sql.append("; INSERT INTO ").append(schema.name()).append('.').append(t)
                    .append(" SELECT * FROM ").append(seeds.name()).append('.').append(t);
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
        assertThat(all).as("the data tables the migrations created").contains("keys", "secrets", "iam_users", "aap_objects", "server_meta");
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

    /** After the cleaning, every table holds exactly what a fresh migration leaves: the seeds, nothing else. */
    @Test
    void everyTableIsCleanedBeforeEachTest() throws SQLException {
        for (String t : tables) {
            long expected = seeded.contains(t) ? count(seeds.name() + "." + t) : 0;
            assertThat(count(schema.name() + "." + t)).as(t).isEqualTo(expected);
        }
        assertThat(seeded).as("tables the migrations seed (found by looking, not listed)").contains("change_generation");
    }

    @Override
    protected Storage reopenStorage() {
        return StorageFactory.open(schema.url());
    }

    @Test
    void flywayMigratedTheSchemaWithThePostgresqlScripts() throws SQLException {
        assertThat(query("SELECT version FROM " + schema.name() + ".flyway_schema_history WHERE success ORDER BY installed_rank")).startsWith("1", "2");
    }

    /** Sorting must not depend on the database locale, so ordered text columns use the "C" collation. */
    @Test
    void orderedTextColumnsUseByteOrderCollation() throws SQLException {
        List<String> collations = query("SELECT table_name || '.' || column_name || '=' || coalesce(collation_name, '?')"
                + " FROM information_schema.columns WHERE table_schema = '" + schema.name() + "' AND column_name IN"
                + " ('key_id', 'alias_name', 'key_version_id', 'resource_type', 'resource_id', 'tag_key', 'access_key_id')"
                + " ORDER BY 1");
        assertThat(collations).hasSize(9).allSatisfy(c -> assertThat(c).endsWith("=C"));
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection c = TestPostgres.connect(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
