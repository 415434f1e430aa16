package org.openkms.core.store.memory;

import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import org.openkms.core.accesspoint.AccessPointRepository;
import org.openkms.core.error.StorageException;
import org.openkms.core.iam.AccessKeyRepository;
import org.openkms.core.iam.IamRepository;
import org.openkms.core.key.AliasRepository;
import org.openkms.core.key.KeyRepository;
import org.openkms.core.secret.SecretRepository;
import org.openkms.core.store.MetaRepository;
import org.openkms.core.store.Storage;
import org.openkms.core.tag.TagRepository;

/**
 * A {@link Storage} that keeps everything on this JVM's heap, for the core's own tests and a throw-away dev
 * server: the data is gone when the process ends. It has the semantics of the JDBC backends in openkms-storage
 * (revision-checked updates, unique names, foreign keys and their cascades, list order, all-or-nothing writes)
 * and passes their contract suite (StorageContractTest in openkms-storage's test-jar).
 *
 * <p>One read-write lock guards all tables: reads share it, each write holds it exclusively for the whole
 * operation, which makes every write a serialisable transaction. That is plenty for tests and development,
 * and the server keeps its hot data in its own caches anyway.
 *
 * <p>Like a database file, the data outlives a handle: {@link #close()} makes this handle refuse further calls
 * (a StorageException, as a closed connection pool does), and {@link #reopen()} gives a new handle on the same
 * data, which is how tests simulate a restart. Several handles may be open at once, like several server nodes
 * on one database; {@link #changeGeneration()} lets their caches notice each other's writes.
 */
public final class InMemoryStorage implements Storage {
    private final Tables tables;
    private volatile boolean closed;
    private final KeyRepository keys = new InMemoryKeyRepository(this);
    private final AliasRepository aliases = new InMemoryAliasRepository(this);
    private final TagRepository tags = new InMemoryTagRepository(this);
    private final AccessKeyRepository accessKeys = new InMemoryAccessKeyRepository(this);
    private final SecretRepository secrets = new InMemorySecretRepository(this);
    private final IamRepository iam = new InMemoryIamRepository(this);
    private final AccessPointRepository accessPoints = new InMemoryAccessPointRepository(this);
    private final MetaRepository meta = new InMemoryMetaRepository(this);
    private final org.openkms.core.instance.InstanceRepository instances = new InMemoryInstanceRepository(this);

    /** A new, empty storage. */
    public InMemoryStorage() {
        this(new Tables());
    }

    private InMemoryStorage(Tables tables) {
        this.tables = tables;
    }

    /** Another handle on this storage's data, open even if this one was closed (a restart, or a second node). */
    public InMemoryStorage reopen() {
        return new InMemoryStorage(tables);
    }

    @Override
    public KeyRepository keys() {
        return keys;
    }

    @Override
    public AliasRepository aliases() {
        return aliases;
    }

    @Override
    public TagRepository tags() {
        return tags;
    }

    @Override
    public AccessKeyRepository accessKeys() {
        return accessKeys;
    }

    @Override
    public SecretRepository secrets() {
        return secrets;
    }

    @Override
    public IamRepository iam() {
        return iam;
    }

    @Override
    public AccessPointRepository accessPoints() {
        return accessPoints;
    }

    @Override
    public org.openkms.core.instance.InstanceRepository instances() {
        return instances;
    }

    @Override
    public MetaRepository meta() {
        return meta;
    }

    /**
     * Grows with every write that changed a cached table (not the root-key check, which no node caches), as
     * PostgreSQL's triggers make it grow (V4__change_generation.sql), so that several handles on one storage
     * behave like several nodes on one database. A single server on it polls nothing by default (the cache
     * sync interval is 0 for anything but PostgreSQL), so its own writes cost it nothing.
     */
    @Override
    public long changeGeneration() {
        checkOpen();
        return tables.generation();
    }

    /** Closes this handle only; the data stays reachable through {@link #reopen()} handles. */
    @Override
    public void close() {
        closed = true;
    }

    // ---------------------------------------------------------------- for the repositories

    /** Runs a query under the shared lock. */
    <T> T read(Function<Tables, T> work) {
        return locked(tables.lock.readLock(), work);
    }

    /**
     * Runs a change under the exclusive lock. The work checks everything that can fail before it changes
     * anything, so a failure (StorageException, IllegalArgumentException) leaves the tables as they were:
     * the rollback the JDBC backends get from their transactions.
     */
    <T> T write(Function<Tables, T> work) {
        return locked(tables.lock.writeLock(), work);
    }

    private <T> T locked(Lock lock, Function<Tables, T> work) {
        checkOpen();
        lock.lock();
        try {
            return work.apply(tables);
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("storage is closed: in-memory", null);
        }
    }
}
