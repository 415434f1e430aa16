package org.openkms.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.openkms.storage.StorageFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code openkms admin backup}: one consistent snapshot of the database, also while the server runs and writes.
 * SQLite: {@code VACUUM INTO} a private temporary copy (one read transaction, so a consistent snapshot of the
 * committed state; https://www.sqlite.org/lang_vacuum.html#vacuuminto), then a dump of the copy. PostgreSQL: a
 * dump inside one REPEATABLE READ read-only transaction (one snapshot for every table;
 * https://www.postgresql.org/docs/current/transaction-iso.html#XACT-REPEATABLE-READ). The key material in it is
 * sealed under the root key, which is not in the snapshot (export it with export-root-key).
 */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = "Write an encrypted snapshot of the database (also while the server runs).")
final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    AdminMain admin;

    @Option(names = "--data-dir", description = "data dir whose SQLite database to back up")
    Path dataDir;

    @Option(
            names = "--storage-url",
            description = "JDBC URL of the database instead (jdbc:postgresql:... or jdbc:sqlite:...)")
    String storageUrl;

    @Option(names = "--out", required = true, description = "snapshot file to write (must not exist)")
    Path out;

    @Option(
            names = "--passphrase-file",
            description = "file whose first line is the passphrase (default: env " + Passphrases.ENV + ")")
    Path passphraseFile;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Sources source = new Sources(dataDir, storageUrl);
        Path sqlite = source.sqliteFile();
        if (Files.exists(out)) {
            throw new AdminException("--out " + out + ": exists (choose another file; it is never overwritten)");
        }
        char[] passphrase = Passphrases.read(passphraseFile, admin.env, true);
        Progress progress = Progress.onStderr("backup ", quiet);
        TableDump.Dump dump;
        String schema;
        try {
            if (sqlite != null) {
                Object[] result = dumpSqlite(sqlite, out.toAbsolutePath().getParent(), progress);
                dump = (TableDump.Dump) result[0];
                schema = (String) result[1];
            } else {
                try (Connection c = DriverManager.getConnection(storageUrl)) {
                    c.setAutoCommit(false);
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    c.setReadOnly(true);
                    schema = TableDump.schemaVersion(c);
                    dump = TableDump.dump(c, progress);
                    c.commit();
                }
            }
        } catch (SQLException | IOException e) {
            throw new AdminException(source.describe() + ": backup failed (" + oneLine(e) + ")", e);
        }
        ObjectNode manifest = SealedFile.newManifest("snapshot");
        manifest.put("createdAt", Instant.now().toString());
        manifest.put("sourceStorage", sqlite != null ? "sqlite" : "postgresql");
        manifest.put("schemaVersion", schema);
        ObjectNode counts = manifest.putObject("rowCounts");
        long rows = 0;
        for (Map.Entry<String, Long> e : dump.rowCounts().entrySet()) {
            counts.put(e.getKey(), e.getValue());
            rows += e.getValue();
        }
        SealedFile.writeNew(out, SealedFile.seal(manifest, dump.payload(), passphrase), "--out");
        java.util.Arrays.fill(passphrase, '\0');
        admin.spec
                .commandLine()
                .getOut()
                .println("openkms admin: wrote " + out + " (" + rows + " rows in "
                        + dump.rowCounts().size() + " tables, "
                        + manifest.get("sourceStorage").asText() + " schema version " + schema + ")");
        admin.spec.commandLine().getOut().flush();
        return 0;
    }

    /** VACUUM INTO a temporary directory of mode 0700 beside the output, dump the copy, delete it. */
    private static Object[] dumpSqlite(Path db, Path outDir, Progress progress) throws SQLException, IOException {
        if (!Files.isRegularFile(db)) {
            throw new AdminException(db + ": no SQLite database there (is --data-dir the server's data dir?)");
        }
        Path tmpDir = Files.createTempDirectory(
                outDir,
                ".openkms-backup-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path copy = tmpDir.resolve("copy.db");
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(10_000);
            config.resetOpenMode(SQLiteOpenMode.CREATE); // never create the source if it vanished meanwhile
            try (Connection c = config.createConnection("jdbc:sqlite:" + db);
                    Statement s = c.createStatement()) {
                s.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
            }
            SQLiteConfig readOnly = new SQLiteConfig();
            readOnly.setReadOnly(true);
            try (Connection c = readOnly.createConnection("jdbc:sqlite:" + copy)) {
                String schema = TableDump.schemaVersion(c);
                return new Object[] {TableDump.dump(c, progress), schema};
            }
        } finally {
            try (Stream<Path> files = Files.walk(tmpDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String oneLine(Exception e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : StorageFactory.redact(m))
                .replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
