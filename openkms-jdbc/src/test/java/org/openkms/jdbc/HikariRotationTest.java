package org.openkms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A HikariCP pool on the driver keeps serving queries on several threads while OpenKMS really rotates the database
 * password (RotateSecret on an Rds secret: the server logs in to MariaDB and changes the password). Existing
 * connections stay logged in; every connection opened afterwards starts with the cached, now wrong password, is
 * refused (1045), re-reads the secret and logs in: no query fails. MariaDB, because PostgreSQL on this machine trusts
 * every loopback login and would accept the old password too; PostgreSQL gets the pool's happy path.
 */
@Tag("services")
class HikariRotationTest {
    private static final String MARIADB = "secrets-manager:mariadb://" + JdbcTestEnv.MARIADB_URL;

    @BeforeAll
    static void start() throws Exception {
        JdbcTestEnv.start();
    }

    private static HikariDataSource pool(String url, String secret, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url); // no driverClassName: Hikari asks DriverManager, which has the driver from its service file
        c.setUsername(secret);
        c.setPassword("");
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(size);
        c.setConnectionTimeout(15_000);
        c.setPoolName("jdbc-test-" + secret);
        return new HikariDataSource(c);
    }

    @Test
    @Timeout(120)
    void queriesNeverFailWhileTheServerRotatesThePassword() throws Exception {
        String user = JdbcTestEnv.unique("jdbc_rot");
        JdbcTestEnv.mariaCreateUser(user, "initial-pw");
        String secret = JdbcTestEnv.unique("rds/maria");
        JdbcTestEnv.createRotatedRds(secret, "mariadb://127.0.0.1:3306", user, "initial-pw");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong queries = new AtomicLong();
        AtomicLong freshConnections = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<String> oldPasswords = new ArrayList<>(List.of("initial-pw"));
        long deniedBefore = accessDeniedErrors();
        try (HikariDataSource ds = pool(MARIADB, secret, 4)) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                threads.add(new Thread(
                        () -> {
                            while (!stop.get()) {
                                try (Connection c = ds.getConnection();
                                        Statement s = c.createStatement();
                                        ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
                                    rs.next();
                                    assertThat(rs.getString(1)).startsWith(user + "@");
                                    queries.incrementAndGet();
                                } catch (Throwable t) {
                                    failures.add(t);
                                }
                            }
                        },
                        "pool-user-" + i));
            }
            // Beside the pool: a new physical connection every 20 ms, straight through DriverManager.
            threads.add(new Thread(
                    () -> {
                        while (!stop.get()) {
                            try (Connection c = DriverManager.getConnection(MARIADB, secret, "")) {
                                assertThat(c.isValid(5)).isTrue();
                                freshConnections.incrementAndGet();
                                Thread.sleep(20);
                            } catch (Throwable t) {
                                failures.add(t);
                            }
                        }
                    },
                    "fresh-connections"));
            threads.forEach(Thread::start);
            Thread.sleep(1000);
            for (int r = 1; r <= 3; r++) {
                JdbcTestEnv.rotate(secret, "r" + r);
                String now = JdbcTestEnv.currentPassword(secret);
                assertThat(now).isNotIn(oldPasswords);
                // Retire every pooled connection: the pool must open new ones, with the cache still holding the old
                // password.
                ds.getHikariPoolMXBean().softEvictConnections();
                Thread.sleep(2000);
                if (r < 3) {
                    oldPasswords.add(now);
                }
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
            assertThat(failures).as("failed queries or connections").isEmpty();
            assertThat(queries.get()).isGreaterThan(100);
            assertThat(freshConnections.get()).isGreaterThan(20);
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(5)).isTrue();
            }
            // The retry path really ran: MariaDB refused logins with the stale password (at least one per rotation;
            // other tests on this MariaDB can only add to the count).
            long denied = accessDeniedErrors() - deniedBefore;
            assertThat(denied).isGreaterThanOrEqualTo(3);
            System.out.printf(
                    "rotation under load: %d pooled queries, %d fresh connections, 3 rotations, %d refused logins"
                            + " retried by the driver, 0 failures%n",
                    queries.get(), freshConnections.get(), denied);
        } finally {
            String current = JdbcTestEnv.currentPassword(secret);
            assertThat(JdbcTestEnv.mariaCanLogIn(user, current))
                    .as("the current password works")
                    .isTrue();
            for (String old : oldPasswords) {
                assertThat(JdbcTestEnv.mariaCanLogIn(user, old))
                        .as("an old password stopped working")
                        .isFalse();
            }
            JdbcTestEnv.mariaDropUser(user);
        }
    }

    private static long accessDeniedErrors() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + JdbcTestEnv.MARIADB_URL, "root", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Access_denied_errors'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    @Test
    void aPostgresPoolLogsInAsTheSecretsAccount() throws Exception {
        String role = JdbcTestEnv.unique("jdbc_pgpool");
        JdbcTestEnv.pgAdmin("CREATE ROLE " + role + " LOGIN PASSWORD 'pool-pw'");
        String secret = JdbcTestEnv.unique("db/pgpool");
        JdbcTestEnv.createGeneric(secret, JdbcTestEnv.account(role, "pool-pw"));
        try (HikariDataSource ds = pool("secrets-manager:postgresql://" + JdbcTestEnv.PG_URL, secret, 2);
                Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(role);
        } finally {
            JdbcTestEnv.pgAdmin("DROP ROLE IF EXISTS " + role);
        }
    }
}
