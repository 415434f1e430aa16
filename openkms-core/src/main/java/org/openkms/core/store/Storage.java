package org.openkms.core.store;

/**
 * Everything the core persists, behind one interface per aggregate. Implementations: SQLite (embedded
 * default) and PostgreSQL in openkms-storage, and {@link org.openkms.core.store.memory.InMemoryStorage} for tests
 * and development; all pass the same contract suite. Storage only ever sees sealed key material.
 */
public interface Storage extends AutoCloseable {
    KeyRepository keys();

    AliasRepository aliases();

    TagRepository tags();

    AccessKeyRepository accessKeys();

    SecretRepository secrets();

    IamRepository iam();

    AccessPointRepository accessPoints();

    /**
     * The root-key check value and the "holds sealed data" test the server runs once at start. A default
     * that refuses, so test doubles that wrap a Storage for the domain services need not forward it.
     */
    default MetaRepository meta() {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no database metadata");
    }

    /**
     * A counter that grows with every committed write when several server nodes can share this backend
     * (PostgreSQL); constant for a backend owned by one process (SQLite). Nodes poll it to know when to drop
     * their caches.
     */
    default long changeGeneration() {
        return 0;
    }

    @Override
    void close();
}
