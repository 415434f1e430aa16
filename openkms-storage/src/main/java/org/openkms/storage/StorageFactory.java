package org.openkms.storage;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.openkms.core.error.StorageException;
import org.openkms.core.store.Storage;
import org.openkms.core.store.memory.InMemoryStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a {@link Storage} from a JDBC URL, migrating the schema first:
 * <ul>
 *   <li>{@code jdbc:sqlite:<path>}: embedded SQLite file (created with its parent folders if absent);</li>
 *   <li>{@code jdbc:postgresql://host:port/db?user=...&password=...}: PostgreSQL through a HikariCP pool;
 *       add {@code currentSchema=...} to use a schema other than the user's default;</li>
 *   <li>{@code mem:}: the core's InMemoryStorage, for tests and development: everything is lost on exit.</li>
 * </ul>
 * The returned Storage is thread-safe; close it once at shutdown.
 */
public final class StorageFactory {
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";
    public static final String MEMORY_URL = "mem:";
    private static final Logger LOG = LoggerFactory.getLogger(StorageFactory.class);

    private StorageFactory() {}

    public static Storage open(String jdbcUrl) {
        return open(jdbcUrl, null);
    }

    /**
     * @param poolMetrics where PostgreSQL's connection pool (HikariCP) reports its metrics, e.g. the server's
     *                    Micrometer registry through HikariCP's {@code MicrometerMetricsTrackerFactory}; null for none.
     *                    SQLite and mem: have no pool and ignore it. A HikariCP type, so this module stays free of
     *                    any metrics library.
     */
    public static Storage open(String jdbcUrl, MetricsTrackerFactory poolMetrics) {
        if (MEMORY_URL.equals(jdbcUrl)) {
            LOG.warn("--storage-url mem: keeps keys, secrets and AccessKeys in memory only: they are all lost when the"
                    + " server stops. For tests and development, never for data you need.");
            return new InMemoryStorage();
        }
        Path sqlite = sqliteFile(jdbcUrl);
        return sqlite != null ? openSqlite(sqlite) : openPostgres(jdbcUrl, poolMetrics);
    }

    /**
     * Checks a URL's form without connecting: the SQLite file it names, null for PostgreSQL and mem:, or an
     * IllegalArgumentException saying what is wrong (the message never contains the password).
     */
    public static Path sqliteFile(String jdbcUrl) {
        if (jdbcUrl == null) {
            throw new IllegalArgumentException("JDBC URL is missing");
        }
        if (jdbcUrl.startsWith(SQLITE_PREFIX)) {
            return sqlitePath(jdbcUrl.substring(SQLITE_PREFIX.length()));
        }
        if (jdbcUrl.startsWith(POSTGRESQL_PREFIX) || MEMORY_URL.equals(jdbcUrl)) {
            return null;
        }
        throw new IllegalArgumentException("unsupported JDBC URL (expected jdbc:sqlite: or jdbc:postgresql:): "
                + PooledConnections.redact(jdbcUrl));
    }

    /** The URL with its password parameter masked, for messages and logs. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl == null ? null : PooledConnections.redact(jdbcUrl);
    }

    public static Storage openSqlite(Path dbFile) {
        Path file = dbFile.toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StorageException("cannot create the folder of " + file, e);
        }
        createPrivateFile(file);
        // Migrate before our connections exist, so Flyway's own connection is the only one writing.
        Migrations.migrate(SqliteConnections.dataSource(file), Dialect.SQLITE);
        return new JdbcStorage(SqliteConnections.open(file, SqliteConnections.DEFAULT_READERS), Dialect.SQLITE);
    }

    /**
     * Creates a missing database file as an empty file with mode 0600 before SQLite opens it: SQLite would
     * create it with 0644 (less the umask), and it gives its -wal and -shm files the database file's mode
     * (findCreateFileMode() in SQLite's src/os_unix.c), so all three stay private to the server's user. SQLite
     * takes a zero-byte file for an empty database and writes its header on the first transaction.
     */
    private static void createPrivateFile(Path file) {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // created meanwhile; SQLite opens it as it is
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: SQLite creates the file itself
        } catch (IOException e) {
            throw new StorageException("cannot create SQLite database " + file, e);
        }
    }

    static Storage openPostgres(String jdbcUrl) {
        return openPostgres(jdbcUrl, null);
    }

    static Storage openPostgres(String jdbcUrl, MetricsTrackerFactory poolMetrics) {
        PooledConnections pool = PooledConnections.open(jdbcUrl, PooledConnections.DEFAULT_POOL_SIZE, poolMetrics);
        try {
            // Flyway takes a PostgreSQL advisory lock, so several nodes starting at once migrate only once.
            Migrations.migrate(pool.dataSource(), Dialect.POSTGRESQL);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new JdbcStorage(pool, Dialect.POSTGRESQL, jdbcUrl);
    }

    /**
     * Only plain file paths: an in-memory database would be a different empty database on every one of
     * our connections, and URI forms or driver options could override the settings durability depends on.
     */
    private static Path sqlitePath(String path) {
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:") || path.contains("?")) {
            throw new IllegalArgumentException("jdbc:sqlite: needs a plain file path, got \"" + path + "\"");
        }
        return Path.of(path);
    }
}
