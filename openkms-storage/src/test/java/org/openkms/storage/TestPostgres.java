package org.openkms.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * The PostgreSQL server that tests use: {@code OPENKMS_TEST_PG_URL} or the local default (trust auth, user
 * postgres, database test). A test class gets its own throw-away schema ({@link #createSchema()}) or, when a
 * whole server runs on it, its own throw-away database ({@link #createDatabase(String)}).
 *
 * <p>{@code OPENKMS_SKIP_PG=1} skips every test that needs PostgreSQL, before any connection is tried, with that
 * reason (the README's promise; developer machines without PostgreSQL). Without it an unreachable server FAILS
 * the test, because CI starts PostgreSQL before the tests and a silent skip would hide a broken backend.
 * Exported in the test-jar for other modules' PostgreSQL tests (crash recovery, conformance on PostgreSQL).
 */
public final class TestPostgres {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    public static final String URL_ENV = "OPENKMS_TEST_PG_URL";
    public static final String SKIP_ENV = "OPENKMS_SKIP_PG";
    /** jdbc:postgresql://host[:port][,host2...]/database?params: the database part is group 2. */
    private static final Pattern URL_DATABASE = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(.*)$");

    private TestPostgres() {}

    public static String baseUrl() {
        String url = System.getenv(URL_ENV);
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    /** True when {@code OPENKMS_SKIP_PG=1}: every PostgreSQL test is to be skipped. */
    public static boolean skipped() {
        return "1".equals(System.getenv(SKIP_ENV));
    }

    /** Aborts the calling test (reported as skipped, with the reason) when {@code OPENKMS_SKIP_PG=1}. */
    public static void assumeEnabled() {
        Assumptions.assumeFalse(skipped(), SKIP_ENV + "=1: tests that need PostgreSQL are skipped");
    }

    /** Creates a fresh schema, or skips/fails (see class comment). */
    public static Schema createSchema() {
        assumeEnabled();
        String name = "openkms_test_" + suffix();
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw unreachable(e);
        }
        return new Schema(name);
    }

    /**
     * Creates a fresh database {@code <prefix>_<random>} on the test server (for a whole server: its migrations,
     * its triggers, nothing shared with other tests), or skips/fails (see class comment).
     */
    public static Database createDatabase(String prefix) {
        assumeEnabled();
        String name = prefix.toLowerCase(Locale.ROOT) + "_" + suffix();
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw unreachable(e);
        }
        return new Database(name);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    private static AssertionError unreachable(SQLException e) {
        return new AssertionFailedError(
                "PostgreSQL at " + PooledConnections.redact(baseUrl()) + " is unreachable (" + e.getMessage()
                        + "). Start it (scripts/ensure-services.sh), point " + URL_ENV + " at a server, or set "
                        + SKIP_ENV + "=1 to skip.",
                e);
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(baseUrl());
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
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

        /** The base tables of this schema (views and sequences are not data to clean), sorted. */
        public List<String> tables() {
            String sql =
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'"
                            + " ORDER BY table_name";
            try (Connection c = connect();
                    PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    List<String> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                    return out;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("listing the tables of " + name + " failed", e);
            }
        }

        /** Empties the given tables of this schema (all in one statement, so foreign keys do not object). */
        public void truncate(String... tables) {
            truncate(List.of(tables));
        }

        public void truncate(List<String> tables) {
            if (tables.isEmpty()) {
                return;
            }
            StringBuilder sql = new StringBuilder("TRUNCATE ");
            for (int i = 0; i < tables.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(name).append('.').append(tables.get(i));
            }
            TestPostgres.execute(baseUrl(), sql.toString());
        }

        /** Runs one statement on the test server (table names qualified by the caller). */
        public void execute(String sql) {
            TestPostgres.execute(baseUrl(), sql);
        }

        @Override
        public void close() {
            execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    /** A database of the test server; {@link #close()} drops it, even while a killed server's sessions linger. */
    public static final class Database implements AutoCloseable {
        private final String name;

        private Database(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** The base URL (same host, user and parameters) naming this database instead. */
        public String url() {
            Matcher m = URL_DATABASE.matcher(baseUrl());
            if (!m.matches()) {
                throw new IllegalStateException(URL_ENV + " is not a jdbc:postgresql://host/database URL: "
                        + PooledConnections.redact(baseUrl()));
            }
            return m.group(1) + name + m.group(3);
        }

        /**
         * {@code DROP DATABASE ... WITH (FORCE)} (PostgreSQL 13+, https://www.postgresql.org/docs/current/sql-dropdatabase.html)
         * ends the sessions still connected to it, e.g. those of a killed server that PostgreSQL has not yet seen go.
         */
        @Override
        public void close() {
            TestPostgres.execute(baseUrl(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
