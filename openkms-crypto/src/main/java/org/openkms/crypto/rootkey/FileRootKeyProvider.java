package org.openkms.crypto.rootkey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;

/**
 * The default root key: 32 random bytes in a file (mode 0600). Anyone who can read the file and the database
 * can read every key, so deployments that need more use an HSM provider.
 *
 * <p>The server never creates the file on its own judgement: {@link #create} is called only after the
 * database was found to hold nothing sealed (see RootKeyGuard in openkms-server), and {@link #open} refuses a
 * missing or damaged file instead of replacing it, because a new root key cannot open what the old one sealed.
 */
public final class FileRootKeyProvider implements RootKeyProvider {
    static final int KEY_LENGTH = 32;
    private final AesGcmSealer sealer;

    private FileRootKeyProvider(byte[] rootKey) {
        this.sealer = new AesGcmSealer(rootKey);
    }

    /**
     * Loads an existing key file. Fails with a message naming the file when it is missing, unreadable or not
     * exactly 32 bytes long.
     */
    public static FileRootKeyProvider open(Path file) throws CryptoException {
        byte[] key;
        try {
            key = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CryptoException("root key file " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new CryptoException("root key file " + file + " cannot be read (permission denied)");
        } catch (IOException e) {
            throw new CryptoException("root key file " + file + " cannot be read (" + e.getMessage() + ")");
        }
        try {
            if (key.length != KEY_LENGTH) {
                throw new CryptoException(
                        "root key file " + file + " must hold exactly " + KEY_LENGTH + " bytes, found " + key.length);
            }
            return new FileRootKeyProvider(key);
        } finally {
            Arrays.fill(key, (byte) 0); // SymmetricKey keeps its own copy
        }
    }

    /**
     * Writes a new random key file, never replacing one: the bytes go to a private temporary file that is
     * flushed to disk and then hard-linked under the final name (link(2) fails if the name exists), so a crash
     * cannot leave a short root.key behind and a concurrent creator cannot be overwritten.
     */
    public static FileRootKeyProvider create(Path file) throws CryptoException {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        byte[] key = SecureRandoms.bytes(KEY_LENGTH);
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(tmp); // left over from a crash before the link; it was never in use
            try (FileChannel ch = FileChannel.open(
                    tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly())) {
                ch.write(ByteBuffer.wrap(key));
                ch.force(true);
            }
            try {
                Files.createLink(target, tmp);
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, target); // no hard links on this file system; move refuses an existing target too
            }
            syncDirectory(target.getParent());
            return new FileRootKeyProvider(key);
        } catch (FileAlreadyExistsException e) {
            throw new CryptoException("root key file " + target + " already exists; it was not replaced");
        } catch (IOException e) {
            throw new CryptoException("cannot create root key file " + target + " (" + e + ")");
        } finally {
            Arrays.fill(key, (byte) 0);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // only a temporary name; the next create() removes it
            }
        }
    }

    /**
     * Loads the key file, creating it (0600) when it does not exist yet. For tests and tools that have no
     * database to check the key against; the server uses {@link #open} and {@link #create}.
     */
    public static FileRootKeyProvider openOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                try {
                    return create(file);
                } catch (CryptoException e) {
                    if (!Files.exists(file)) {
                        throw e;
                    }
                    // another process won the race; use its key
                }
            }
            return open(file);
        } catch (CryptoException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** 0600 where the file system has POSIX permissions; no attribute elsewhere. */
    private static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : new FileAttribute<?>[0];
    }

    /** Makes the new directory entry durable (fsync of the directory); best effort where that is not possible. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can open a directory (Windows); the file itself is already on disk.
        }
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
