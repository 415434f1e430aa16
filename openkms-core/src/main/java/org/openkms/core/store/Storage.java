package org.openkms.core.store;

import org.openkms.core.accesspoint.AccessPointRepository;
import org.openkms.core.iam.AccessKeyRepository;
import org.openkms.core.iam.IamRepository;
import org.openkms.core.key.AliasRepository;
import org.openkms.core.key.KeyRepository;
import org.openkms.core.secret.SecretRepository;
import org.openkms.core.tag.TagRepository;

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
     * The KMS instances this server is (with their sealed CA and TLS keys). A default that refuses, so that test
     * doubles wrapping a Storage for the domain services need not forward it.
     */
    default org.openkms.core.instance.InstanceRepository instances() {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no KMS instances");
    }

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

    /**
     * Starts pushing other nodes' committed writes to {@code listener} as they happen (PostgreSQL: LISTEN/NOTIFY
     * on one dedicated connection), or returns null when this backend cannot push (SQLite, whose file belongs to
     * one process). A push channel can lose writes while it reconnects, so callers keep polling
     * {@link #changeGeneration()} as the fallback. Close the returned feed before closing the storage.
     */
    default ChangeFeed changeFeed(ChangeListener listener) {
        return null;
    }

    /**
     * Runs {@code work} unless another process sharing this storage is running work under the same
     * {@code job} name at this moment, in which case it returns false at once without running it (the other
     * process does the job; the next scheduled run tries again). For scheduled jobs that must not run on several
     * nodes at once. A backend owned by one process (SQLite) just runs it. Exceptions thrown by {@code work}
     * propagate; the exclusion ends when it returns or throws, and also when this process dies.
     */
    default boolean runExclusive(String job, Runnable work) {
        work.run();
        return true;
    }

    @Override
    void close();
}
