package org.openkms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The driver through plain {@link DriverManager} against a real OpenKMS server and the real PostgreSQL and MariaDB
 * on loopback. PostgreSQL on this machine trusts every loopback login (pg_hba.conf), so it cannot refuse a password:
 * the refused-login paths run on MariaDB, PostgreSQL covers the happy paths.
 */
@Tag("services")
class SecretsManagerDriverTest {
    @BeforeAll
    static void start() throws Exception {
        JdbcTestEnv.start();
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void registeredThroughServiceLoaderAndOnlyForItsOwnUrls() throws SQLException {
        assertThat(DriverManager.getDriver("secrets-manager:postgresql://127.0.0.1:5432/postgres"))
                .isInstanceOf(SecretsManagerDriver.class);
        SecretsManagerDriver d = new SecretsManagerDriver();
        assertThat(d.acceptsURL("secrets-manager:mariadb://h:3306/db")).isTrue();
        assertThat(d.acceptsURL("secrets-manager:mysql:url-secret")).isTrue();
        assertThat(d.acceptsURL("jdbc:postgresql://h/db")).isFalse();
        assertThat(d.acceptsURL("secrets-manager:oracle://h/db")).isFalse();
        assertThat(d.acceptsURL("bare-secret-name"))
                .as("only the type-specific drivers take bare names")
                .isFalse();
        assertThat(new MariaDBSecretManagerSimpleDriver().acceptsURL("bare-secret-name"))
                .isTrue();
        assertThat(new MariaDBSecretManagerSimpleDriver().acceptsURL("secrets-manager:postgresql://h/db"))
                .isFalse();
    }

    @Test
    void postgresLogsInAsTheSecretsAccount() throws Exception {
        String role = JdbcTestEnv.unique("jdbc_pg");
        JdbcTestEnv.pgAdmin("CREATE ROLE " + role + " LOGIN PASSWORD 'pg-pw-1'");
        try {
            String secret = JdbcTestEnv.unique("db/pg");
            JdbcTestEnv.createGeneric(secret, JdbcTestEnv.account(role, "pg-pw-1"));
            try (Connection c = DriverManager.getConnection(
                    "secrets-manager:postgresql://" + JdbcTestEnv.PG_URL, secret, "ignored")) {
                assertThat(query(c, "SELECT current_user")).isEqualTo(role);
            }
        } finally {
            JdbcTestEnv.pgAdmin("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void urlSecretsGiveHostPortAndDatabase() throws Exception {
        String role = JdbcTestEnv.unique("jdbc_pgurl");
        JdbcTestEnv.pgAdmin("CREATE ROLE " + role + " LOGIN PASSWORD 'pg-pw-2'");
        String user = JdbcTestEnv.unique("jdbc_myurl");
        JdbcTestEnv.mariaCreateUser(user, "maria-pw-2");
        try {
            String pgUrl = JdbcTestEnv.unique("url-pg");
            JdbcTestEnv.createGeneric(pgUrl, "{\"Endpoint\":\"127.0.0.1\",\"Port\":\"5432\",\"DBName\":\"postgres\"}");
            String pgAccount = JdbcTestEnv.unique("acct-pg");
            JdbcTestEnv.createGeneric(pgAccount, JdbcTestEnv.account(role, "pg-pw-2"));
            try (Connection c = DriverManager.getConnection("secrets-manager:postgresql:" + pgUrl, pgAccount, "")) {
                assertThat(query(c, "SELECT current_database() || '/' || current_user"))
                        .isEqualTo("postgres/" + role);
            }
            // Alibaba's form: the type-specific driver class, the bare secret name as the URL.
            Class.forName("org.openkms.jdbc.MariaDBSecretManagerSimpleDriver");
            String myUrl = JdbcTestEnv.unique("url-maria");
            JdbcTestEnv.createGeneric(
                    myUrl, "{\"Endpoint\":\"127.0.0.1\",\"Port\":3306,\"DBName\":\"information_schema\"}");
            String myAccount = JdbcTestEnv.unique("acct-maria");
            JdbcTestEnv.createGeneric(myAccount, JdbcTestEnv.account(user, "maria-pw-2"));
            try (Connection c = DriverManager.getConnection(myUrl, myAccount, "")) {
                assertThat(query(c, "SELECT DATABASE()")).isEqualTo("information_schema");
                assertThat(query(c, "SELECT CURRENT_USER()")).startsWith(user + "@");
            }
        } finally {
            JdbcTestEnv.pgAdmin("DROP ROLE IF EXISTS " + role);
            JdbcTestEnv.mariaDropUser(user);
        }
    }

    @Test
    void aRefusedLoginRereadsTheSecretAndTriesAgain() throws Exception {
        String user = JdbcTestEnv.unique("jdbc_stale");
        JdbcTestEnv.mariaCreateUser(user, "old-pw-1");
        try {
            String secret = JdbcTestEnv.unique("db/maria");
            JdbcTestEnv.createGeneric(secret, JdbcTestEnv.account(user, "old-pw-1"));
            String url = "secrets-manager:mariadb://" + JdbcTestEnv.MARIADB_URL;
            try (Connection c = DriverManager.getConnection(url, secret, "")) {
                assertThat(c.isValid(5)).isTrue(); // the driver now caches old-pw-1 (for 6 hours)
            }
            // The password changes behind the cache's back; KMS has the new value.
            JdbcTestEnv.mariaAdmin("ALTER USER '" + user + "'@'%' IDENTIFIED BY 'new-pw-2'");
            JdbcTestEnv.put(secret, "v2", JdbcTestEnv.account(user, "new-pw-2"));
            assertThat(JdbcTestEnv.mariaCanLogIn(user, "old-pw-1")).isFalse();
            try (Connection c = DriverManager.getConnection(url, secret, "")) {
                assertThat(query(c, "SELECT CURRENT_USER()")).startsWith(user + "@");
            }
            // The mysql: scheme reaches MariaDB through MariaDB Connector/J when MySQL's driver is absent.
            try (Connection c =
                    DriverManager.getConnection("secrets-manager:mysql://" + JdbcTestEnv.MARIADB_URL, secret, "")) {
                assertThat(c.isValid(5)).isTrue();
            }
        } finally {
            JdbcTestEnv.mariaDropUser(user);
        }
    }

    @Test
    void aPasswordTheDatabaseNeverAcceptsFailsAfterFourTriesWithTheDatabasesError() throws Exception {
        String user = JdbcTestEnv.unique("jdbc_wrong");
        JdbcTestEnv.mariaCreateUser(user, "right-pw");
        try {
            String secret = JdbcTestEnv.unique("db/wrong");
            JdbcTestEnv.createGeneric(secret, JdbcTestEnv.account(user, "wrong-pw-never-logged"));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> DriverManager.getConnection(
                            "secrets-manager:mariadb://" + JdbcTestEnv.MARIADB_URL, secret, ""))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1045);
                        assertThat(e.getMessage())
                                .contains("4 times")
                                .contains(secret)
                                .doesNotContain("wrong-pw-never-logged");
                    });
            // Three waits between the four tries (nothing new came from KMS): 0.2 + 0.5 + 1 s.
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1700);
        } finally {
            JdbcTestEnv.mariaDropUser(user);
        }
    }

    @Test
    void anUnknownSecretOrAMissingUserIsAnAuthorizationError() {
        assertThatThrownBy(() -> DriverManager.getConnection(
                        "secrets-manager:mariadb://" + JdbcTestEnv.MARIADB_URL, "no-such-secret", ""))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getMessage()).contains("no-such-secret").contains("Forbidden.ResourceNotFound");
                });
        assertThatThrownBy(() -> DriverManager.getConnection("secrets-manager:mariadb://" + JdbcTestEnv.MARIADB_URL))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getMessage()).contains("JDBC user must be the name"));
    }
}
