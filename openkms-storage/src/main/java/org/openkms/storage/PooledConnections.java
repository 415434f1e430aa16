package org.openkms.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.openkms.core.error.StorageException;

/**
 * A HikariCP pool for a server database (PostgreSQL). Unlike SQLite the server handles concurrent writers
 * itself, so reads and writes share one pool; write transactions run with autocommit off at the database's
 * default isolation (READ COMMITTED), which is enough because every conditional write is a single
 * {@code UPDATE ... WHERE revision = ?} that the database evaluates under the row lock.
 */
final class PooledConnections implements ConnectionProvider {
    static final int DEFAULT_POOL_SIZE = 8;

    private final HikariDataSource pool;

    private PooledConnections(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Opens the pool; user and password may be URL parameters ({@code ?user=...&password=...}). */
    static PooledConnections open(String jdbcUrl, int poolSize) {
        return open(jdbcUrl, poolSize, null);
    }

    /** @param metrics where the pool reports its connections and waits (HikariCP's own hook), or null */
    static PooledConnections open(String jdbcUrl, int poolSize, MetricsTrackerFactory metrics) {
        HikariConfig config = new HikariConfig();
        if (metrics != null) {
            config.setMetricsTrackerFactory(metrics); // set before the pool starts: Hikari refuses it afterwards
        }
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("openkms-storage");
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(true);
        try {
            return new PooledConnections(new HikariDataSource(config));
        } catch (RuntimeException e) {
            // Hikari fails fast when the first connection cannot be made; report it as a storage failure.
            throw new StorageException("cannot open database " + redact(jdbcUrl), e);
        }
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public <T> T read(String operation, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException(operation + " failed", e);
        }
    }

    @Override
    public <T> T write(String operation, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
            // No need to restore autocommit: Hikari resets changed connection state when it takes the
            // connection back.
        } catch (SQLException e) {
            throw new StorageException(operation + " failed", e);
        }
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The URL without its password parameter, for error messages and logs. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&\\s]*", "$1***");
    }
}
