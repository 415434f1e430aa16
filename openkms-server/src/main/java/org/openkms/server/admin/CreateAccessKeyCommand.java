package org.openkms.server.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.IamService;
import org.openkms.core.iam.Principal;
import org.openkms.core.store.Storage;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.crypto.rootkey.RootKeyCheck;
import org.openkms.server.DataDirLock;
import org.openkms.storage.StorageFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code openkms admin create-access-key}: a new AccessKey for the root account or a RAM user, made offline (e.g.
 * when every administrator key is lost). On SQLite it takes the data dir's and the database's locks, so it is
 * refused while a server runs on them (the server caches credentials). On PostgreSQL the data dir lock covers this
 * node only; running nodes see the new key through their change polling.
 */
@Command(
        name = "create-access-key",
        mixinStandardHelpOptions = true,
        description = "Create an AccessKey for the root account or a RAM user (server stopped).")
final class CreateAccessKeyCommand implements Callable<Integer> {
    @ParentCommand
    AdminMain admin;

    @Option(names = "--data-dir", required = true, description = "the server's data dir (root.key, lock)")
    Path dataDir;

    @Option(names = "--storage-url", description = "JDBC URL of the database (default: SQLite in the data dir)")
    String storageUrl;

    @Option(names = "--user", description = "RAM user to create it for (default: the root account)")
    String user;

    @Override
    public Integer call() {
        Sources source = new Sources(dataDir, storageUrl);
        Path sqlite = source.sqliteFile();
        Path keyFile = dataDir.resolve("root.key");
        if (!Files.isDirectory(dataDir) || !Files.exists(keyFile)) {
            throw new AdminException("--data-dir " + dataDir + ": no root.key there (give the server's data dir)");
        }
        if (sqlite != null && !Files.isRegularFile(sqlite)) {
            throw new AdminException(source.describe() + ": no database at " + sqlite);
        }
        List<AutoCloseable> locks = new ArrayList<>();
        try {
            locks.add(DataDirLock.lock(
                    dataDir.resolve(".lock"), "data dir " + dataDir, "run this while that server is stopped"));
            if (sqlite != null) {
                locks.add(DataDirLock.lock(
                        sqlite.resolveSibling(sqlite.getFileName() + ".openkms-lock"),
                        "SQLite database " + sqlite,
                        "run this while that server is stopped"));
            }
            FileRootKeyProvider rootKey;
            try {
                rootKey = FileRootKeyProvider.open(keyFile);
            } catch (CryptoException e) {
                throw new AdminException("--data-dir " + dataDir + ": " + e.getMessage());
            }
            try (Storage storage = StorageFactory.open(sqlite != null ? "jdbc:sqlite:" + sqlite : storageUrl)) {
                Optional<byte[]> check = storage.meta().rootKeyCheck();
                if (check.isEmpty() || !RootKeyCheck.matches(rootKey, check.get())) {
                    throw new AdminException(keyFile + " is not the root key recorded in " + source.describe()
                            + " (start the server once on it, or point --data-dir at the matching root.key)");
                }
                String owner = Principal.ROOT;
                if (user != null) {
                    if (storage.iam().listUsers().stream()
                            .noneMatch(u -> u.userName().equals(user))) {
                        throw new AdminException("--user " + user + ": no such RAM user (create it with CreateUser)");
                    }
                    owner = user;
                }
                CredentialStore credentials = new CredentialStore(storage.accessKeys(), rootKey, Clock.systemUTC());
                if (user != null && credentials.listFor(owner).size() >= IamService.MAX_ACCESS_KEYS_PER_USER) {
                    throw new AdminException("--user " + user + ": already has " + IamService.MAX_ACCESS_KEYS_PER_USER
                            + " AccessKeys (delete one first)");
                }
                String[] pair = credentials.generate(owner);
                // stdout only, never a log: the secret is shown once.
                var out = admin.spec.commandLine().getOut();
                out.println("AccessKeyId: " + pair[0]);
                out.println("AccessKeySecret: " + pair[1]);
                out.flush();
            }
            return 0;
        } finally {
            for (AutoCloseable l : locks) {
                try {
                    l.close();
                } catch (Exception ignored) {
                    // released when the process exits anyway
                }
            }
        }
    }
}
