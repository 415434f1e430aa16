package org.openkms.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code openkms admin export-root-key}: the data dir's root key, wrapped under a passphrase in the snapshot's file
 * format (kind "root-key"), to keep apart from the snapshots: a snapshot alone opens nothing without it.
 */
@Command(
        name = "export-root-key",
        mixinStandardHelpOptions = true,
        description = "Write the root key wrapped under a passphrase (keep it apart from the snapshots).")
final class ExportRootKeyCommand implements Callable<Integer> {
    @ParentCommand
    AdminMain admin;

    @Option(names = "--data-dir", required = true, description = "data dir holding root.key")
    Path dataDir;

    @Option(names = "--out", required = true, description = "file to write (must not exist)")
    Path out;

    @Option(
            names = "--passphrase-file",
            description = "file whose first line is the passphrase (default: env " + Passphrases.ENV + ")")
    Path passphraseFile;

    @Override
    public Integer call() {
        Path keyFile = dataDir.resolve("root.key");
        if (Files.exists(out)) {
            throw new AdminException("--out " + out + ": exists (choose another file; it is never overwritten)");
        }
        char[] passphrase = Passphrases.read(passphraseFile, admin.env, true);
        byte[] key;
        try {
            FileRootKeyProvider.open(keyFile); // checks that it is a root key (size, readable)
            key = Files.readAllBytes(keyFile);
        } catch (CryptoException e) {
            throw new AdminException("--data-dir " + dataDir + ": " + e.getMessage());
        } catch (IOException e) {
            throw new AdminException("--data-dir " + dataDir + ": cannot read " + keyFile + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        ObjectNode manifest = SealedFile.newManifest("root-key");
        manifest.put("createdAt", Instant.now().toString());
        try {
            SealedFile.writeNew(out, SealedFile.seal(manifest, key, passphrase), "--out");
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(passphrase, '\0');
        }
        admin.spec.commandLine().getOut().println("openkms admin: wrote the wrapped root key to " + out);
        admin.spec.commandLine().getOut().flush();
        return 0;
    }
}
