package org.openkms.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.openkms.core.store.Storage;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.crypto.rootkey.RootKeyCheck;
import org.openkms.storage.StorageFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code openkms admin restore}: loads a snapshot into an EMPTY target (a new data dir, or an empty PostgreSQL
 * database), after checking the whole file first: the passphrase, the payload's authentication tag and SHA-256,
 * and the row counts against the manifest. A refused snapshot leaves nothing behind; so does a failed load (the
 * data dir made for it is removed, the PostgreSQL transaction rolled back).
 */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = "Restore a snapshot into a new data dir or an empty PostgreSQL database.")
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    AdminMain admin;

    @Option(names = "--in", required = true, description = "snapshot file (from openkms admin backup)")
    Path in;

    @Option(names = "--data-dir", description = "new (or empty) data dir to restore into")
    Path dataDir;

    @Option(names = "--storage-url", description = "empty PostgreSQL database to restore into (jdbc:postgresql:...)")
    String storageUrl;

    @Option(names = "--root-key-file", description = "root key wrapped by export-root-key, put into the data dir")
    Path rootKeyFile;

    @Option(
            names = "--passphrase-file",
            description = "file whose first line is the passphrase (default: env " + Passphrases.ENV + ")")
    Path passphraseFile;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Sources target = new Sources(dataDir, storageUrl);
        Path sqlite = target.sqliteFile();
        if (sqlite != null && storageUrl != null) {
            throw new AdminException("--storage-url: restore into SQLite with --data-dir NEWDIR (the database is"
                    + " DIR/openkms.db), --storage-url is for an empty PostgreSQL database");
        }
        if (rootKeyFile != null && dataDir == null) {
            throw new AdminException("--root-key-file needs --data-dir (the server's data dir, where root.key goes)");
        }
        if (dataDir != null) {
            requireEmptyDir(dataDir);
        }
        char[] passphrase = Passphrases.read(passphraseFile, admin.env, false);
        SealedFile.Opened snapshot = SealedFile.open(in, "--in", "snapshot", passphrase);
        checkCounts(snapshot);
        byte[] rootKey = null;
        if (rootKeyFile != null) {
            rootKey = SealedFile.open(rootKeyFile, "--root-key-file", "root-key", passphrase)
                    .payload();
        }
        Arrays.fill(passphrase, '\0');
        if (sqlite == null) {
            requireEmptyDatabase();
        }
        // Everything is checked: from here on the target is written, and taken back on failure.
        boolean madeDir = dataDir != null && !Files.exists(dataDir);
        Progress progress = Progress.onStderr("restore", quiet);
        try {
            if (dataDir != null) {
                Files.createDirectories(dataDir.toAbsolutePath().getParent());
                if (madeDir) {
                    Files.createDirectory(
                            dataDir,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            }
            if (rootKey != null) {
                writeRootKey(dataDir.resolve("root.key"), rootKey);
                checkRootKey(dataDir.resolve("root.key"), snapshot.payload());
            }
            String url = sqlite != null ? "jdbc:sqlite:" + sqlite : storageUrl;
            try (Storage migrated = StorageFactory.open(url)) {
                // opened once so the target's own migrations make the schema, as the server would
            }
            try (Connection c = DriverManager.getConnection(url)) {
                c.setAutoCommit(false);
                checkSchema(c, snapshot.manifest(), sqlite != null);
                progress.start(total(snapshot.manifest()));
                try {
                    TableDump.load(c, sqlite == null, snapshot.payload(), progress);
                    c.commit();
                } catch (SQLException | IOException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        } catch (SQLException | IOException | RuntimeException e) {
            if (dataDir != null) {
                removeContents(dataDir, madeDir);
            }
            if (e instanceof AdminException a) {
                throw a;
            }
            throw new AdminException(
                    target.describe() + ": restore failed, nothing kept ("
                            + BackupCommand.oneLine(
                                    e instanceof IOException && e.getCause() instanceof SQLException s ? s : e)
                            + ")",
                    e);
        }
        JsonNode m = snapshot.manifest();
        admin.spec
                .commandLine()
                .getOut()
                .println("openkms admin: restored " + total(m) + " rows ("
                        + m.path("sourceStorage").asText()
                        + " snapshot of " + m.path("createdAt").asText() + ") into " + target.describe()
                        + (rootKey != null
                                ? " with its root key"
                                : "; put its root.key into the data dir before starting"));
        admin.spec.commandLine().getOut().flush();
        return 0;
    }

    private static void requireEmptyDir(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new AdminException("--data-dir " + dir + ": exists and is not a directory (give a new directory)");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new AdminException(
                        "--data-dir " + dir + ": is not empty (restore only into a new or empty directory)");
            }
        } catch (IOException e) {
            throw new AdminException(
                    "--data-dir " + dir + ": cannot list it (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void requireEmptyDatabase() {
        try (Connection c = DriverManager.getConnection(storageUrl)) {
            List<String> tables = TableDump.nonEmptyTables(c);
            if (!tables.isEmpty()) {
                throw new AdminException("--storage-url " + StorageFactory.redact(storageUrl)
                        + ": is not empty (rows in " + String.join(", ", tables)
                        + "); restore only into an empty database");
            }
        } catch (SQLException e) {
            throw new AdminException("--storage-url " + StorageFactory.redact(storageUrl) + ": cannot connect ("
                    + BackupCommand.oneLine(e) + ")");
        }
    }

    /** The payload's own row counts must be the manifest's: a second check beyond the checksum. */
    private void checkCounts(SealedFile.Opened snapshot) {
        Map<String, Long> counts;
        try {
            counts = TableDump.rowCounts(snapshot.payload());
        } catch (IOException e) {
            throw new AdminException("--in " + in + ": corrupted (the payload does not parse: " + e.getMessage() + ")");
        }
        JsonNode manifest = snapshot.manifest().path("rowCounts");
        boolean same = manifest.size() == counts.size();
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.fields(); it.hasNext() && same; ) {
            Map.Entry<String, JsonNode> e = it.next();
            same = counts.containsKey(e.getKey())
                    && counts.get(e.getKey()) == e.getValue().asLong(-1);
        }
        if (!same) {
            throw new AdminException("--in " + in + ": corrupted (the row counts do not match the manifest)");
        }
    }

    private static long total(JsonNode manifest) {
        long total = 0;
        for (JsonNode n : manifest.path("rowCounts")) {
            total += n.asLong();
        }
        return total;
    }

    /** A snapshot of the same kind of database from a newer schema than this OpenKMS makes cannot be loaded. */
    private static void checkSchema(Connection c, JsonNode manifest, boolean sqlite) throws SQLException {
        String kind = sqlite ? "sqlite" : "postgresql";
        if (!kind.equals(manifest.path("sourceStorage").asText())) {
            return; // across kinds the versions differ in number; the table and column check in load decides
        }
        String target = TableDump.schemaVersion(c);
        String source = manifest.path("schemaVersion").asText("0");
        if (version(source) > version(target)) {
            throw new AdminException("the snapshot has schema version " + source + ", newer than this OpenKMS's "
                    + target + " (restore it with the OpenKMS version that made it, or a newer one)");
        }
    }

    private static long version(String v) {
        try {
            return Long.parseLong(v.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void writeRootKey(Path file, byte[] key) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, key);
    }

    /** The wrapped root key must be the one the snapshot's data is sealed under (its check value, if recorded). */
    private void checkRootKey(Path file, byte[] payload) throws IOException {
        FileRootKeyProvider key;
        try {
            key = FileRootKeyProvider.open(file);
        } catch (CryptoException e) {
            throw new AdminException("--root-key-file " + rootKeyFile + ": not a root key (" + e.getMessage() + ")");
        }
        for (Map<String, Object> row : TableDump.rows(payload, "server_meta")) {
            if ("root_key_check".equals(row.get("name"))
                    && row.get("value") instanceof byte[] check
                    && !RootKeyCheck.matches(key, check)) {
                throw new AdminException("--root-key-file " + rootKeyFile
                        + ": not the root key this snapshot's data is sealed under (export it from the same data dir)");
            }
        }
    }

    private static void removeContents(Path dir, boolean andDir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .filter(p -> andDir || !p.equals(dir))
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort; the message says the restore failed
        }
    }
}
