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
 * Fails when PostgreSQL is unreachable unless OPENKMS_SKIP_PG=1 (see {@link TestPostgres}).
 */
class PostgresStorageTest extends StorageContractTest {
    private static TestPostgres.Schema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.createSchema();
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Override
    protected Storage newStorage() {
        Storage opened = StorageFactory.open(schema.url());
        schema.truncate("keys", "key_versions", "aliases", "tags", "access_keys", "secrets", "secret_versions", "server_meta");
        return opened;
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
