package org.openkms.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server that tests use: {@code OPENKMS_TEST_PG_URL} or the local default (trust auth, user
 * postgres, database test). Each test class gets its own throw-away schema.
 *
 * <p>An unreachable server FAILS the test class, because CI starts PostgreSQL before the tests and a
 * silent skip would hide a broken backend. Set {@code OPENKMS_SKIP_PG=1} to skip instead (developer
 * machines without PostgreSQL). Exported in the test-jar for other modules' PostgreSQL tests.
 */
public final class TestPostgres {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    public static final String URL_ENV = "OPENKMS_TEST_PG_URL";
    public static final String SKIP_ENV = "OPENKMS_SKIP_PG";

    private TestPostgres() {
    }

    public static String baseUrl() {
        String url = System.getenv(URL_ENV);
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    /** Creates a fresh schema, or fails/skips (see class comment) when the server cannot be reached. */
    public static Schema createSchema() {
        String name = "openkms_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            if ("1".equals(System.getenv(SKIP_ENV))) {
                Assumptions.abort("PostgreSQL unreachable and " + SKIP_ENV + "=1: " + e.getMessage());
            }
            Assertions.fail("PostgreSQL at " + PooledConnections.redact(baseUrl()) + " is unreachable (" + e.getMessage()
                    + "). Start it, point " + URL_ENV + " at a server, or set " + SKIP_ENV + "=1 to skip.", e);
        }
        return new Schema(name);
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(baseUrl());
    }

    /** A schema of the test server; {@link #close()} drops it with everything in it. */
    public static final class Schema implements AutoCloseable {
        private final String name;

        private Schema(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** The base URL with {@code currentSchema} set, so unqualified table names resolve to this schema. */
        public String url() {
            String base = baseUrl();
            return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }

        /** Empties the given tables of this schema (all in one statement, so foreign keys do not object). */
        public void truncate(String... tables) {
            StringBuilder sql = new StringBuilder("TRUNCATE ");
            for (int i = 0; i < tables.length; i++) {
                sql.append(i == 0 ? "" : ", ").append(name).append('.').append(tables[i]);
            }
            execute(sql.toString());
        }

        @Override
        public void close() {
            execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }

        private static void execute(String sql) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed", e);
            }
        }
    }
}
