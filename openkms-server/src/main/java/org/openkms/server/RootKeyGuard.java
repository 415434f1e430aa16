package org.openkms.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.key.RootKeyProbe;
import org.openkms.core.store.MetaRepository;
import org.openkms.core.store.Storage;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.crypto.rootkey.RootKeyCheck;
import org.openkms.crypto.rootkey.RootKeyProvider;
import org.openkms.server.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the root key for a database, and refuses to start rather than guess:
 * <ul>
 *   <li>no root key file, database holds nothing sealed: a new root key is made and its check value recorded;</li>
 *   <li>no root key file, database holds sealed data: refused — a new key could not open that data, and rows
 *       sealed under it next to the old ones would leave the database under two roots;</li>
 *   <li>root key file unreadable, of the wrong size, or not matching the database's check value: refused;</li>
 *   <li>database from before the check value (V5): the key must open a stored AccessKey secret or key version,
 *       then the check value is recorded.</li>
 * </ul>
 * Several nodes sharing one PostgreSQL database need the same root key file; the first to start makes it.
 */
final class RootKeyGuard {
    private static final Logger LOG = LoggerFactory.getLogger(RootKeyGuard.class);
    private static final String RESTORE =
            "restore root.key from a backup (a further node of a cluster: copy it from the first node's data dir)";

    private RootKeyGuard() {}

    static RootKeyProvider open(Path keyFile, Storage storage, Clock clock) {
        MetaRepository meta = storage.meta();
        Optional<byte[]> check = meta.rootKeyCheck();
        // notExists, not !exists: a file the server may not even look at is "cannot be read", not "missing".
        if (Files.notExists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            if (check.isPresent() || meta.holdsSealedData()) {
                throw new ConfigException(
                        null,
                        "root key " + keyFile
                                + " is missing, but the database already holds data sealed under a root key; " + RESTORE
                                + ". A new root key could not open that data, so none is made");
            }
            return createForEmptyDatabase(keyFile, meta);
        }
        RootKeyProvider rootKey;
        try {
            rootKey = FileRootKeyProvider.open(keyFile);
        } catch (CryptoException e) {
            throw new ConfigException(
                    null,
                    e.getMessage() + "; " + RESTORE
                            + ". It is not replaced: a new root key could not open the data sealed under it");
        }
        warnIfOthersCanRead(keyFile);
        if (check.isPresent()) {
            if (!RootKeyCheck.matches(rootKey, check.get())) {
                throw mismatch(keyFile);
            }
            return rootKey;
        }
        // A database without a check value: new, or made before V5. Check the key against what it holds.
        Optional<Boolean> opens = new CredentialStore(storage.accessKeys(), rootKey, clock)
                .opensStoredSecret()
                .or(() -> RootKeyProbe.opensStoredKeyMaterial(rootKey, storage.keys()));
        if (opens.isPresent() && !opens.get()) {
            throw mismatch(keyFile);
        }
        if (opens.isEmpty() && meta.holdsSealedData()) {
            LOG.warn(
                    "no AccessKey or key version to check root key {} against; recording it as this database's root key",
                    keyFile);
        }
        record(meta, rootKey, keyFile);
        if (opens.isPresent()) {
            LOG.info("root key {} opens the data in the database; recorded its check value", keyFile);
        }
        return rootKey;
    }

    private static RootKeyProvider createForEmptyDatabase(Path keyFile, MetaRepository meta) {
        RootKeyProvider rootKey;
        try {
            rootKey = FileRootKeyProvider.create(keyFile);
        } catch (CryptoException e) {
            throw new ConfigException(null, e.getMessage());
        }
        try {
            record(meta, rootKey, keyFile);
        } catch (RuntimeException e) {
            // Another node recorded its own root key first: ours seals nothing yet, so take it back.
            try {
                Files.deleteIfExists(keyFile);
            } catch (IOException ignored) {
                // the message below tells the operator what to put there
            }
            if (e instanceof ConfigException) {
                throw new ConfigException(
                        null,
                        "another node made this database's root key while this one was starting; copy root.key from its data dir to "
                                + keyFile + " and start again");
            }
            throw e;
        }
        LOG.info(
                "created root key {} for a new database; back it up apart from the database: without it nothing in the database can be decrypted",
                keyFile);
        return rootKey;
    }

    /** Records the check value, or, if another node recorded one meanwhile, compares against that. */
    private static void record(MetaRepository meta, RootKeyProvider rootKey, Path keyFile) {
        if (!meta.recordRootKeyCheck(RootKeyCheck.create(rootKey))
                && !RootKeyCheck.matches(rootKey, meta.rootKeyCheck().orElseThrow())) {
            throw mismatch(keyFile);
        }
    }

    private static ConfigException mismatch(Path keyFile) {
        return new ConfigException(
                null,
                "root key " + keyFile + " is not the root key this database was sealed under; " + RESTORE
                        + ", or point --data-dir/--storage-url at the database it belongs to");
    }

    /** Readable by group or others: anyone who can also read the database can then read every key. */
    private static void warnIfOthersCanRead(Path keyFile) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(keyFile);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn(
                        "root key {} can be read by other users (mode {}); make it private to the server's user: chmod 600 {}",
                        keyFile,
                        PosixFilePermissions.toString(mode),
                        keyFile);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX permissions here; nothing to compare
        }
    }
}
