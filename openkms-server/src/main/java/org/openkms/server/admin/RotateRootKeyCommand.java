package org.openkms.server.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.crypto.rootkey.RootKeyCheck;
import org.openkms.crypto.rootkey.RootKeyProvider;
import org.openkms.server.DataDirLock;
import org.openkms.storage.StorageFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code openkms admin rotate-root-key}: re-seals everything the database holds under the root key (key material
 * and material fingerprints, AccessKey secrets, the KMS instances' private keys, the root key check value) under a
 * new root key, in ONE database transaction. Secret values are sealed under customer master keys, whose material is
 * re-sealed here, so they need nothing. The steps, each safe to interrupt:
 * <ol>
 *   <li>the new key is written as {@code root.key.new}, the old one copied to {@code root.key.old};</li>
 *   <li>one transaction re-seals every row and records the new check value, then commits;</li>
 *   <li>{@code root.key.new} is renamed over {@code root.key}; {@code root.key.old} is deleted.</li>
 * </ol>
 * A run that finds {@code root.key.new} finishes an interrupted rotation if the database's check value is already
 * the new key's (step 3), and otherwise discards it (step 2 never committed). SQLite only: nodes sharing a
 * PostgreSQL database hold the root key in memory and would go on sealing under the old one.
 */
@Command(
        name = "rotate-root-key",
        mixinStandardHelpOptions = true,
        description = "Re-seal all key material under a new root key (SQLite, server stopped).")
final class RotateRootKeyCommand implements Callable<Integer> {
    @ParentCommand
    AdminMain admin;

    @Option(names = "--data-dir", required = true, description = "the server's data dir (root.key, openkms.db)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        Path db = dataDir.resolve("openkms.db").toAbsolutePath().normalize();
        Path keyFile = dataDir.resolve("root.key");
        Path newFile = dataDir.resolve("root.key.new");
        Path oldFile = dataDir.resolve("root.key.old");
        if (!Files.isRegularFile(db) || !Files.exists(keyFile)) {
            throw new AdminException("--data-dir " + dataDir + ": no openkms.db and root.key there (give the server's"
                    + " data dir; rotate-root-key works on SQLite only)");
        }
        List<AutoCloseable> locks = new ArrayList<>();
        try {
            locks.add(DataDirLock.lock(
                    dataDir.resolve(".lock"), "data dir " + dataDir, "run this while that server is stopped"));
            locks.add(DataDirLock.lock(
                    db.resolveSibling(db.getFileName() + ".openkms-lock"),
                    "SQLite database " + db,
                    "run this while that server is stopped"));
            try (var migrated = StorageFactory.openSqlite(db)) {
                // the schema this code knows, as the server would have it
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                c.setAutoCommit(false);
                byte[] check = meta(c);
                if (Files.exists(newFile)) {
                    RootKeyProvider pending = open(newFile);
                    if (check != null && RootKeyCheck.matches(pending, check)) {
                        finish(newFile, keyFile, oldFile);
                        say("finished an interrupted rotation: " + keyFile + " is the new root key");
                        return 0;
                    }
                    Files.delete(newFile); // never committed: the database is still under root.key
                }
                RootKeyProvider old = open(keyFile);
                if (check == null || !RootKeyCheck.matches(old, check)) {
                    throw new AdminException(keyFile + " is not the root key recorded in " + db
                            + " (start the server once on it first)");
                }
                RootKeyProvider fresh;
                try {
                    fresh = FileRootKeyProvider.create(newFile);
                } catch (CryptoException e) {
                    throw new AdminException(newFile + ": " + e.getMessage());
                }
                Files.deleteIfExists(oldFile);
                Files.copy(keyFile, oldFile, StandardCopyOption.COPY_ATTRIBUTES);
                int[] counts;
                try {
                    counts = reseal(c, old, fresh);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    Files.deleteIfExists(newFile);
                    Files.deleteIfExists(oldFile);
                    if (e instanceof AdminException a) {
                        throw a;
                    }
                    throw new AdminException(
                            "rotation failed, nothing changed (" + BackupCommand.oneLine((Exception) e) + ")", e);
                }
                finish(newFile, keyFile, oldFile);
                say("re-sealed " + counts[0] + " key versions, " + counts[1] + " AccessKeys and " + counts[2]
                        + " instance keys under a new root key " + keyFile
                        + "; export it now (export-root-key): older snapshots need the old exported root key");
                return 0;
            }
        } finally {
            for (AutoCloseable l : locks) {
                try {
                    l.close();
                } catch (Exception ignored) {
                    // released at exit anyway
                }
            }
        }
    }

    private void say(String line) {
        admin.spec.commandLine().getOut().println("openkms admin: " + line);
        admin.spec.commandLine().getOut().flush();
    }

    private static RootKeyProvider open(Path file) {
        try {
            return FileRootKeyProvider.open(file);
        } catch (CryptoException e) {
            throw new AdminException(e.getMessage());
        }
    }

    /** The committed database is under the new key: put it in place, then drop the old one. */
    private static void finish(Path newFile, Path keyFile, Path oldFile) throws IOException {
        Files.move(newFile, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(oldFile);
    }

    private static byte[] meta(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT value FROM server_meta WHERE name = 'root_key_check'");
                ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    /*
     * The associated data below must be the core's (KeyMaterials.sealingContext and fingerprintContext,
     * CredentialStore.sealingContext, Instances.context); RotateRootKeyTest starts a server on the result and uses
     * every kind, so a change there fails that test.
     */
    private static byte[] keyMaterial(String keyId, String versionId) {
        return ("openkms/key-material/" + keyId + "/" + versionId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] fingerprint(String keyId, String versionId) {
        return ("openkms/key-material-fingerprint/" + keyId + "/" + versionId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] accessKey(String id) {
        return ("openkms/access-key/" + id).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] instance(String id, String role) {
        return ("openkms:instance:" + id + ":" + role).getBytes(StandardCharsets.UTF_8);
    }

    /** Rows are read in full before any update: no statement writes a table another one is still reading. */
    private static List<Object[]> rows(Connection c, String sql, int columns) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql);
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
        }
        return out;
    }

    private static int[] reseal(Connection c, RootKeyProvider old, RootKeyProvider fresh) throws SQLException {
        List<Object[]> versions = rows(
                c,
                "SELECT key_id, key_version_id, sealed_material FROM key_versions WHERE sealed_material IS NOT NULL",
                3);
        try (PreparedStatement u =
                c.prepareStatement("UPDATE key_versions SET sealed_material = ? WHERE key_version_id = ?")) {
            for (Object[] r : versions) {
                String keyId = (String) r[0];
                String versionId = (String) r[1];
                u.setBytes(
                        1,
                        reseal(
                                old,
                                fresh,
                                (byte[]) r[2],
                                "key version " + versionId,
                                keyMaterial(keyId, versionId),
                                fingerprint(keyId, versionId)));
                u.setString(2, versionId);
                u.executeUpdate();
            }
        }
        List<Object[]> accessKeys = rows(c, "SELECT access_key_id, sealed_secret FROM access_keys", 2);
        try (PreparedStatement u =
                c.prepareStatement("UPDATE access_keys SET sealed_secret = ? WHERE access_key_id = ?")) {
            for (Object[] r : accessKeys) {
                String id = (String) r[0];
                u.setBytes(1, reseal(old, fresh, (byte[]) r[1], "AccessKey " + id, accessKey(id)));
                u.setString(2, id);
                u.executeUpdate();
            }
        }
        List<Object[]> instances = rows(c, "SELECT instance_id, sealed_ca_key, sealed_key FROM kms_instances", 3);
        try (PreparedStatement u = c.prepareStatement(
                "UPDATE kms_instances SET sealed_ca_key = ?, sealed_key = ? WHERE instance_id = ?")) {
            for (Object[] r : instances) {
                String id = (String) r[0];
                u.setBytes(1, reseal(old, fresh, (byte[]) r[1], "instance " + id, instance(id, "ca")));
                u.setBytes(2, reseal(old, fresh, (byte[]) r[2], "instance " + id, instance(id, "tls")));
                u.setString(3, id);
                u.executeUpdate();
            }
        }
        try (PreparedStatement u =
                c.prepareStatement("UPDATE server_meta SET value = ? WHERE name = 'root_key_check'")) {
            u.setBytes(1, RootKeyCheck.create(fresh));
            if (u.executeUpdate() != 1) {
                throw new AdminException("the database has no root key check value (start the server once on it)");
            }
        }
        return new int[] {versions.size(), accessKeys.size(), instances.size() * 2};
    }

    /** Opens {@code sealed} under the first context that fits and seals it under the same one with the new key. */
    private static byte[] reseal(
            RootKeyProvider old, RootKeyProvider fresh, byte[] sealed, String what, byte[]... contexts) {
        for (byte[] context : contexts) {
            byte[] plain;
            try {
                plain = old.unseal(sealed, context);
            } catch (CryptoException e) {
                continue;
            }
            try {
                return fresh.seal(plain, context);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        throw new AdminException(what + " does not open under the current root key; nothing changed (is the database"
                + " damaged? restore it from a backup)");
    }
}
