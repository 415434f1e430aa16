package org.openkms.core.store;

import java.util.Optional;

/**
 * Facts about the database itself rather than about keys or secrets. Today: the root-key check value
 * (RootKeyCheck in openkms-crypto) that lets a starting server tell whether its root key is the one this
 * database was sealed under, and whether the database already holds anything sealed.
 */
public interface MetaRepository {
    /** The recorded check value, or empty before one was recorded (a new database, or one from before V5). */
    Optional<byte[]> rootKeyCheck();

    /**
     * Records the check value unless one is already recorded; true if this call recorded it. Atomic: when
     * several nodes start at once on one database, exactly one of them records its value, and the others
     * read it back and compare.
     */
    boolean recordRootKeyCheck(byte[] check);

    /**
     * Whether any row holds data sealed under the root key or depending on it: keys and their versions,
     * AccessKeys, secrets and their versions. A database without any may get a new root key.
     */
    boolean holdsSealedData();
}
