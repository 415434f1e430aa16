package org.openkms.crypto.rootkey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;

/**
 * The default root key: 32 random bytes in a file (mode 0600) created on first start. Anyone who can read
 * the file and the database can read every key, so deployments that need more use an HSM provider.
 */
public final class FileRootKeyProvider implements RootKeyProvider {
    private final AesGcmSealer sealer;

    private FileRootKeyProvider(byte[] rootKey) {
        this.sealer = new AesGcmSealer(rootKey);
    }

    /** Loads the key file, creating it (0600) when it does not exist yet. */
    public static FileRootKeyProvider openOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length != 32) {
                throw new IllegalStateException("root key file " + file + " must hold exactly 32 bytes, found " + key.length);
            }
            return new FileRootKeyProvider(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open root key file " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // non-POSIX file system
        } catch (FileAlreadyExistsException e) {
            return; // another process won the race; use its key
        }
        Files.write(file, SecureRandoms.bytes(32), StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    }

    @Override
    public String id() {
        return "file";
    }

    @Override
    public byte[] seal(byte[] material, byte[] associatedData) {
        return sealer.seal(material, associatedData);
    }

    @Override
    public byte[] unseal(byte[] sealed, byte[] associatedData) throws CryptoException {
        return sealer.unseal(sealed, associatedData);
    }
}
