package org.openkms.server.config;

import java.time.Duration;

/**
 * How the audit log ({@code <data-dir>/audit/audit.log}) is rotated, capped and what happens when it cannot be
 * written. Errors name the YAML option; {@link ConfigLoader} adds the environment variable's name when the value
 * came from there.
 *
 * @param maxFileSize    the current file is rotated before it would grow past this many bytes
 * @param maxFiles       rotated files kept (compressed); the oldest beyond this are deleted
 * @param maxTotalSize   bytes all rotated files may take together; the oldest are deleted past it (0: no cap)
 * @param rotateInterval also rotate at every multiple of this since the epoch, in UTC (1d: at midnight UTC);
 *                       zero: by size only
 * @param failClosed     refuse calls (503 ServiceUnavailableTemporary) while the log cannot be written
 */
public record AuditConfig(
        long maxFileSize, int maxFiles, long maxTotalSize, Duration rotateInterval, boolean failClosed) {
    /** Twice the largest record (AuditRecord bounds one to about 2 KB), so that a file always holds a few. */
    public static final long MIN_FILE_SIZE = 4096;

    public static final int MAX_FILES_LIMIT = 100_000;
    public static final Duration MIN_ROTATE_INTERVAL = Duration.ofMinutes(1);

    public AuditConfig {
        if (maxFileSize < MIN_FILE_SIZE) {
            throw new IllegalArgumentException(
                    "audit.maxFileSize must be at least 4KiB (" + MIN_FILE_SIZE + " bytes), got " + maxFileSize);
        }
        if (maxFiles < 1 || maxFiles > MAX_FILES_LIMIT) {
            throw new IllegalArgumentException(
                    "audit.maxFiles must be between 1 and " + MAX_FILES_LIMIT + ", got " + maxFiles);
        }
        if (maxTotalSize < 0) {
            throw new IllegalArgumentException("audit.maxTotalSize must be 0 (no cap) or a size, got " + maxTotalSize);
        }
        if (rotateInterval == null) {
            rotateInterval = Duration.ZERO;
        }
        if (rotateInterval.isNegative()
                || (!rotateInterval.isZero() && rotateInterval.compareTo(MIN_ROTATE_INTERVAL) < 0)) {
            throw new IllegalArgumentException(
                    "audit.rotateInterval must be 0s (off) or at least 1m, got " + rotateInterval);
        }
    }

    /** 100 MiB files, 10 kept, no total cap, no time rotation, fail open. */
    public static AuditConfig defaults() {
        return new AuditConfig(100L << 20, 10, 0, Duration.ZERO, false);
    }

    public AuditConfig withMaxFileSize(long v) {
        return new AuditConfig(v, maxFiles, maxTotalSize, rotateInterval, failClosed);
    }

    public AuditConfig withMaxFiles(int v) {
        return new AuditConfig(maxFileSize, v, maxTotalSize, rotateInterval, failClosed);
    }

    public AuditConfig withMaxTotalSize(long v) {
        return new AuditConfig(maxFileSize, maxFiles, v, rotateInterval, failClosed);
    }

    public AuditConfig withRotateInterval(Duration v) {
        return new AuditConfig(maxFileSize, maxFiles, maxTotalSize, v, failClosed);
    }

    public AuditConfig withFailClosed(boolean v) {
        return new AuditConfig(maxFileSize, maxFiles, maxTotalSize, rotateInterval, v);
    }
}
