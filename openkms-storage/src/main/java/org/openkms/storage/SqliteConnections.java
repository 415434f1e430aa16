package org.openkms.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.openkms.core.error.StorageException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite connections: ONE writer connection behind a lock plus a fixed pool of query-only readers.
 *
 * <p>SQLite allows one writer at a time per file. Funnelling every write transaction of this process
 * through one connection and a fair lock means our own writers queue in Java instead of racing for the
 * file lock, so SQLITE_BUSY between them cannot happen. In WAL mode readers never wait for the writer, and
 * the read path never touches the writer lock. Readers run with query_only so a bug cannot write through
 * them.
 */
final class SqliteConnections implements ConnectionProvider {
    static final int DEFAULT_READERS = 4;
    static final int BUSY_TIMEOUT_MILLIS = 5000;
    /** How long a reader may wait for a free pooled connection before the call fails. */
    private static final long READER_WAIT_SECONDS = 30;

    private final String url;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final BlockingQueue<Connection> readers;
    private final int readerCount;
    private volatile boolean closed;

    private SqliteConnections(String url, Connection writer, List<Connection> readerList) {
        this.url = url;
        this.writer = writer;
        this.readerCount = readerList.size();
        this.readers = new ArrayBlockingQueue<>(readerCount, false, readerList);
    }

    /** Opens the writer and {@code readerCount} readers on a database file that has been migrated. */
    static SqliteConnections open(Path file, int readerCount) {
        String url = url(file);
        List<Connection> opened = new ArrayList<>();
        try {
            Connection writer = config().createConnection(url);
            opened.add(writer);
            verifyPragmas(writer);
            List<Connection> readerList = new ArrayList<>();
            for (int i = 0; i < readerCount; i++) {
                Connection reader = config().createConnection(url);
                opened.add(reader);
                try (Statement s = reader.createStatement()) {
                    s.execute("PRAGMA query_only = ON");
                }
                readerList.add(reader);
            }
            return new SqliteConnections(url, writer, readerList);
        } catch (SQLException e) {
            opened.forEach(SqliteConnections::closeQuietly);
            throw new StorageException("cannot open SQLite database " + file, e);
        }
    }

    static String url(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    /**
     * The settings every connection gets, applied by the driver when it opens the connection:
     * WAL (readers and the writer do not block each other), synchronous=FULL (a commit is on disk before we
     * acknowledge it, even across power loss), busy_timeout (waits instead of failing if another process
     * or a checkpoint holds the lock) and foreign_keys (enforces and cascades key references).
     */
    static SQLiteConfig config() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        return config;
    }

    /** A DataSource with the same settings, for Flyway (which opens its own connections). */
    static DataSource dataSource(Path file) {
        SQLiteDataSource dataSource = new SQLiteDataSource(config());
        dataSource.setUrl(url(file));
        return dataSource;
    }

    /** Fails fast if the driver silently ignored a setting we rely on for durability or cascades. */
    private static void verifyPragmas(Connection connection) throws SQLException {
        expect(connection, "journal_mode", "wal");
        expect(connection, "synchronous", "2");
        expect(connection, "foreign_keys", "1");
    }

    private static void expect(Connection connection, String pragma, String expected) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            String actual = rs.next() ? rs.getString(1) : null;
            if (!expected.equalsIgnoreCase(actual)) {
                throw new SQLException("PRAGMA " + pragma + " is " + actual + ", expected " + expected);
            }
        }
    }

    @Override
    public <T> T read(String operation, SqlWork<T> work) {
        Connection reader = borrowReader(operation);
        try {
            return work.run(reader);
        } catch (SQLException e) {
            throw new StorageException(operation + " failed", e);
        } finally {
            readers.add(reader);
        }
    }

    private Connection borrowReader(String operation) {
        checkOpen();
        try {
            Connection reader = readers.poll(READER_WAIT_SECONDS, TimeUnit.SECONDS);
            if (reader == null) {
                throw new StorageException(
                        operation + ": no SQLite reader free after " + READER_WAIT_SECONDS + " s", null);
            }
            if (closed) {
                readers.add(reader);
                checkOpen();
            }
            return reader;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(operation + " interrupted", e);
        }
    }

    @Override
    public <T> T write(String operation, SqlWork<T> work) {
        if (writeLock.isHeldByCurrentThread()) {
            // A nested write would join the outer transaction and commit it early.
            throw new IllegalStateException("nested write transaction in " + operation);
        }
        writeLock.lock();
        try {
            checkOpen();
            return inTransaction(operation, work);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The writer stays in JDBC autocommit mode and we issue BEGIN IMMEDIATE ourselves: it takes SQLite's
     * write lock up front (so busy_timeout, not a mid-transaction upgrade failure, handles a foreign writer
     * such as the sqlite3 CLI) and keeps transaction boundaries explicit instead of relying on the driver's
     * emulation of JDBC autocommit=false.
     */
    private <T> T inTransaction(String operation, SqlWork<T> work) {
        try (Statement control = writer.createStatement()) {
            control.execute("BEGIN IMMEDIATE");
            boolean committed = false;
            try {
                T result = work.run(writer);
                control.execute("COMMIT");
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    rollback(control);
                }
            }
        } catch (SQLException e) {
            throw new StorageException(operation + " failed", e);
        }
    }

    private static void rollback(Statement control) {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // SQLite rolls back by itself on some errors (e.g. SQLITE_FULL), and then ROLLBACK reports "no
            // transaction is active". Either way the original failure is what the caller needs to see.
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("storage is closed: " + url, null);
        }
    }

    /** Waits for the running write and for borrowed readers (up to the reader wait), then closes all. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = 0; i < readerCount; i++) {
                Connection reader = readers.poll(READER_WAIT_SECONDS, TimeUnit.SECONDS);
                if (reader != null) {
                    closeQuietly(reader);
                }
            }
            // Closed last: the last connection to go checkpoints the WAL into the main file.
            closeQuietly(writer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing useful to do while closing.
        }
    }

    // Visible for tests.
    Connection writerForTest() {
        return writer;
    }

    ReentrantLock writeLockForTest() {
        return writeLock;
    }
}
