package org.openkms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the driver adds to opening a connection: the median of N connects through {@code secrets-manager:} (secret
 * cached, the steady state) next to the same connects through the plain driver with the password given, on the real
 * PostgreSQL and MariaDB on loopback, plus the first connect (which reads the secret from OpenKMS over HTTPS).
 * Prints the numbers; asserts only that the cached path adds no network round trip's worth of time.
 */
@Tag("services")
class ConnectOverheadBenchmarkTest {
    private static final int N = 200;

    @BeforeAll
    static void start() throws Exception {
        JdbcTestEnv.start();
    }

    interface Connect {
        Connection open() throws Exception;
    }

    /** Medians of N connects each, plain and wrapped taking turns so that machine noise hits both alike. */
    private static double[] medianMillis(Connect plain, Connect wrapped) throws Exception {
        for (int i = 0; i < 20; i++) {
            plain.open().close(); // warm up class loading, JIT and the database's connection path
            wrapped.open().close();
        }
        long[][] nanos = new long[2][N];
        Connect[] both = {plain, wrapped};
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < 2; k++) {
                Connect c = both[(i + k) % 2];
                long t0 = System.nanoTime();
                Connection conn = c.open();
                nanos[(i + k) % 2][i] = System.nanoTime() - t0;
                conn.close();
            }
        }
        Arrays.sort(nanos[0]);
        Arrays.sort(nanos[1]);
        return new double[] {nanos[0][N / 2] / 1e6, nanos[1][N / 2] / 1e6};
    }

    private static void compare(String db, String plainUrl, String user, String password, String driverUrl)
            throws Exception {
        String secret = JdbcTestEnv.unique("bench/" + db);
        JdbcTestEnv.createGeneric(secret, JdbcTestEnv.account(user, password));
        long t0 = System.nanoTime();
        DriverManager.getConnection(driverUrl, secret, "").close();
        double first = (System.nanoTime() - t0) / 1e6;
        double[] m = medianMillis(
                () -> DriverManager.getConnection(plainUrl, user, password),
                () -> DriverManager.getConnection(driverUrl, secret, ""));
        double plain = m[0];
        double wrapped = m[1];
        System.out.printf(
                "connect overhead %s: plain driver median %.3f ms, secrets-manager driver median %.3f ms"
                        + " (%+.3f ms), first connect with GetSecretValue %.1f ms, N=%d%n",
                db, plain, wrapped, wrapped - plain, first, N);
        // Generous: the machine is shared; a GetSecretValue per connect would show as far more on every run.
        assertThat(wrapped - plain).isLessThan(plain * 0.5 + 5.0);
    }

    @Test
    void postgresql() throws Exception {
        String role = JdbcTestEnv.unique("jdbc_bench");
        JdbcTestEnv.pgAdmin("CREATE ROLE " + role + " LOGIN PASSWORD 'bench-pw'");
        try {
            compare(
                    "postgresql",
                    "jdbc:postgresql://" + JdbcTestEnv.PG_URL,
                    role,
                    "bench-pw",
                    "secrets-manager:postgresql://" + JdbcTestEnv.PG_URL);
        } finally {
            JdbcTestEnv.pgAdmin("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void mariadb() throws Exception {
        String user = JdbcTestEnv.unique("jdbc_bench");
        JdbcTestEnv.mariaCreateUser(user, "bench-pw");
        try {
            compare(
                    "mariadb",
                    "jdbc:mariadb://" + JdbcTestEnv.MARIADB_URL,
                    user,
                    "bench-pw",
                    "secrets-manager:mariadb://" + JdbcTestEnv.MARIADB_URL);
        } finally {
            JdbcTestEnv.mariaDropUser(user);
        }
    }
}
