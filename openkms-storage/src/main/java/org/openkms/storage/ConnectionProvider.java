package org.openkms.storage;

/**
 * Hands out connections for reads and for write transactions. The split exists because SQLite wants all
 * writes on one connection (so our own writers never meet SQLITE_BUSY) while reads use a separate pool;
 * a general pool (PostgreSQL) implements both the same way.
 *
 * <p>{@code operation} names the repository call (e.g. "keys.update") for the StorageException message;
 * any SQLException thrown by the work is wrapped into {@link org.openkms.core.error.StorageException}.
 */
interface ConnectionProvider extends AutoCloseable {
    /** Runs read-only work in autocommit mode; never waits for a writer. */
    <T> T read(String operation, SqlWork<T> work);

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    <T> T write(String operation, SqlWork<T> work);

    @Override
    void close();
}
