package org.openkms.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.openkms.server.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on a lock file, held for the server's life, so that two servers never share a data dir
 * (or an SQLite database): each would cache keys, aliases and credentials the other changes, and append to
 * the same audit log. The operating system drops the lock when the process dies, even by kill -9, so a stale
 * lock file never blocks a restart (FileChannel.lock: "on behalf of the entire Java virtual machine", released
 * when the channel closes or the JVM exits).
 */
public final class DataDirLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirLock.class);
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the data dir (mode 0700, so only the server's user can list or enter it) if it does not exist,
     * and locks {@code <data-dir>/.lock}.
     */
    static DataDirLock createAndLock(Path dataDir) {
        if (Files.isDirectory(dataDir)) {
            warnIfOthersCanEnter(dataDir);
        } else {
            try {
                if (dataDir.getParent() != null) {
                    Files.createDirectories(dataDir.getParent());
                }
                Files.createDirectory(dataDir, ownerOnly("rwx------"));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dataDir)) {
                    throw new ConfigException(
                            "--data-dir " + dataDir, "exists but is not a directory (choose another --data-dir)");
                }
            } catch (IOException e) {
                throw new ConfigException(
                        "--data-dir " + dataDir,
                        "cannot create it (" + reason(e) + "; create it or choose another --data-dir)");
            }
        }
        return lock(dataDir.resolve(".lock"), "data dir " + dataDir, "give this server its own --data-dir");
    }

    /** A data dir made by an older version (or by hand) may be open to other users; say so, leave it as it is. */
    private static void warnIfOthersCanEnter(Path dataDir) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dataDir);
            if (mode.contains(PosixFilePermission.GROUP_EXECUTE) || mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                LOG.warn(
                        "data dir {} can be entered by other users (mode {}); make it private to the server's user: chmod 700 {}",
                        dataDir,
                        PosixFilePermissions.toString(mode),
                        dataDir);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX permissions here
        }
    }

    /**
     * Locks {@code lockFile}; a server holding it already is reported with its pid (written into the file by
     * the holder) as "another OpenKMS server is using {@code what}".
     */
    public static DataDirLock lock(Path lockFile, String what, String alternative) {
        FileChannel ch;
        try {
            ch = FileChannel.open(
                    lockFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    ownerOnly("rw-------"));
        } catch (IOException e) {
            throw new ConfigException(null, "cannot open lock file " + lockFile + " (" + reason(e) + ")");
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another server in this JVM (tests start several)
        } catch (IOException e) {
            close(ch);
            throw new ConfigException(null, "cannot lock " + lockFile + " (" + reason(e) + ")");
        }
        if (lock == null) {
            String holder = holder(ch);
            close(ch);
            throw new ConfigException(
                    null,
                    "another OpenKMS server" + holder + " is using " + what + " (stop it first, or " + alternative
                            + ")");
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            // The pid is only a hint for the message above; the lock itself is held.
        }
        return new DataDirLock(ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT) + (f.getFile() != null ? ": " + f.getFile() : "");
        }
        return String.valueOf(e.getMessage());
    }

    /** The mode as a creation attribute where the file system has POSIX permissions; none elsewhere. */
    static FileAttribute<?>[] ownerOnly(String mode) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }

    /** Releases the lock. The file stays: deleting it could let a starting server lock a file nobody else sees. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(channel);
    }
}
