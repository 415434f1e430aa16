package org.openkms.core.store;

/**
 * Everything the core persists, behind one interface per aggregate. Implementations: SQLite (embedded
 * default) and PostgreSQL; both pass the same contract suite. Storage only ever sees sealed key material.
 */
public interface Storage extends AutoCloseable {
    KeyRepository keys();

    AliasRepository aliases();

    TagRepository tags();

    AccessKeyRepository accessKeys();

    SecretRepository secrets();

    IamRepository iam();

    AccessPointRepository accessPoints();

    @Override
    void close();
}
