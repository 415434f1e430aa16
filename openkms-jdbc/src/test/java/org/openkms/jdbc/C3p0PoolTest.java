package org.openkms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * c3p0, the pool Alibaba's own JDBC client documents, configured the way its users configure it: the driver class
 * by name, the secrets-manager URL, the secret's name as the user. A password changed behind the pool's back (the
 * secret's new version written after the pool opened its connections) is picked up by the next physical connection.
 */
@Tag("services")
class C3p0PoolTest {
    @BeforeAll
    static void start() throws Exception {
        JdbcTestEnv.start();
    }

    @Test
    void poolOpensConnectionsAsTheSecretsAccountAndFollowsANewPassword() throws Exception {
        String user = JdbcTestEnv.unique("jdbc_c3p0");
        JdbcTestEnv.mariaCreateUser(user, "c3p0-pw-1");
        String secret = JdbcTestEnv.unique("db/c3p0");
        JdbcTestEnv.createGeneric(secret, JdbcTestEnv.account(user, "c3p0-pw-1"));
        ComboPooledDataSource pool = new ComboPooledDataSource();
        try {
            pool.setDriverClass(SecretsManagerDriver.class.getName());
            pool.setJdbcUrl("secrets-manager:mariadb://" + JdbcTestEnv.MARIADB_URL);
            pool.setUser(secret);
            pool.setPassword("");
            pool.setInitialPoolSize(1);
            pool.setMinPoolSize(1);
            pool.setMaxPoolSize(2);
            pool.setAcquireRetryAttempts(1);
            assertThat(currentUser(pool)).startsWith(user + "@");

            // The password changes in the database and in the secret; the pool's next physical connection must
            // log in with the new one (the driver's cached value is refused once, then re-read).
            JdbcTestEnv.mariaAdmin("ALTER USER '" + user + "'@'%' IDENTIFIED BY 'c3p0-pw-2'");
            JdbcTestEnv.put(secret, "v2", JdbcTestEnv.account(user, "c3p0-pw-2"));
            pool.softResetAllUsers();
            assertThat(currentUser(pool)).startsWith(user + "@");
            assertThat(JdbcTestEnv.mariaCanLogIn(user, "c3p0-pw-1")).isFalse();
        } finally {
            pool.close();
            JdbcTestEnv.mariaDropUser(user);
        }
    }

    private static String currentUser(ComboPooledDataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
