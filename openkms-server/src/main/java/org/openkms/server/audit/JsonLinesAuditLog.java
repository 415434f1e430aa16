package org.openkms.server.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.openkms.core.audit.AuditRecord;
import org.openkms.core.audit.AuditSink;
import org.openkms.server.config.AuditConfig;
import org.openkms.wire.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit records as JSON lines to {@code <data-dir>/audit/audit.log}. Request threads only enqueue;
 * one background thread ("audit-writer") encodes and writes each batch with one write, so audit I/O never sits
 * on the request path.
 *
 * <ul>
 * <li>Bounded: the queue holds {@value #QUEUE_CAPACITY} records and each record is at most about 2 KB
 *     ({@link AuditRecord} cuts its fields), so a stalled disk costs bounded memory. A record that finds the
 *     queue full is counted as dropped and the count is logged (at most every 10 s), rather than blocking.</li>
 * <li>Rotation: before the file would pass {@link AuditConfig#maxFileSize()}, and at every multiple of
 *     {@link AuditConfig#rotateInterval()} (UTC), it is renamed {@code audit-<yyyyMMdd'T'HHmmss.SSS'Z'>.log};
 *     a second thread ("audit-compress") gzips it to {@code .log.gz} and deletes the oldest rotated files past
 *     {@link AuditConfig#maxFiles()} and {@link AuditConfig#maxTotalSize()}. A rotation interrupted by a crash
 *     is finished on the next start.</li>
 * <li>Failures: a failed write or open marks the log unhealthy, keeps the unwritten batch in memory and retries
 *     every {@value #RETRY_MILLIS} ms; the queue is not drained meanwhile, so memory stays bounded. The file is
 *     also reopened when it was moved, deleted or replaced underneath (records written to an unlinked file
 *     would be lost to everyone). With {@link AuditConfig#failClosed()}, {@link #available()} is false while
 *     the log is unhealthy or the queue is 90% full, and the gateway refuses calls until it recovers.</li>
 * <li>Modes: on POSIX file systems the directory is created 0700 and every file 0600, by the call that creates
 *     it (no window with wider modes); an existing directory or file with group/other bits is tightened.</li>
 * <li>Line forging: the JSON encoder escapes every C0 and C1 control character, DEL and U+2028/U+2029
 *     (RFC 8259 §7 requires only C0; the rest keeps line-oriented tools from seeing extra lines).</li>
 * </ul>
 */
public final class JsonLinesAuditLog implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditLog.class);
    /** Worst case about 64k × 4 KB of Java strings; normally ~200 B each. At 30k calls/s, ~2 s of a stalled disk. */
    static final int QUEUE_CAPACITY = 65_536;

    private static final int BATCH = 4096;
    static final long RETRY_MILLIS = 200;
    /** How long the writer waits for more records after writing a small batch. */
    static final long LINGER_NANOS = 1_000_000;
    /** A batch smaller than this is small. */
    private static final int LINGER_BELOW = 256;

    private static final long DROP_WARNING_MILLIS = 10_000;
    /** Queued by close() so that a writer waiting for records notices at once; never written. */
    private static final AuditRecord WAKE_UP = new AuditRecord(0, "", "", "", "", "", "", 0, "", 0);

    private static final DateTimeFormatter ROTATED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final Set<OpenOption> APPEND =
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final Path file;
    private final Path dir;
    private final String stem;
    private final String extension;
    private final Pattern rotatedName;
    private final AuditConfig config;
    private final Clock clock;
    private final boolean posix;
    private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final int highWater = QUEUE_CAPACITY / 10 * 9;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final JsonFactory json = new JsonFactory();
    private final Thread writer;
    private final ExecutorService compressor;
    /** Rotated files whose compression is still to come: not counted or deleted by the caps before it. */
    private final Set<Path> awaitingCompression = ConcurrentHashMap.newKeySet();

    private volatile boolean healthy = true;
    /** Set by close(): the writer writes what is queued and stops, or stops at the next failure. */
    private volatile boolean stopping;

    // Owned by the writer thread (and the constructor, before it starts).
    private FileChannel channel;
    private Object fileKey;
    private long size;
    private long nextBoundary = Long.MAX_VALUE;
    private long lastRotation;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final Bytes encoded = new Bytes(4096);
    private final Bytes out = new Bytes(1 << 16);

    /** With the default rotation and caps (100 MiB files, 10 kept) and failing open. */
    public JsonLinesAuditLog(Path file) throws IOException {
        this(file, AuditConfig.defaults());
    }

    public JsonLinesAuditLog(Path file, AuditConfig config) throws IOException {
        this(file, config, Clock.systemUTC());
    }

    /** Fails if the log cannot be opened now: a server must not start without its audit log. */
    JsonLinesAuditLog(Path file, AuditConfig config, Clock clock) throws IOException {
        this.file = file.toAbsolutePath();
        this.dir = this.file.getParent();
        String name = this.file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.stem = dot > 0 ? name.substring(0, dot) : name;
        this.extension = dot > 0 ? name.substring(dot) : "";
        this.rotatedName = Pattern.compile(
                Pattern.quote(stem) + "-\\d{8}T\\d{6}\\.\\d{3}Z" + Pattern.quote(extension) + "(\\.gz)?");
        this.config = config;
        this.clock = clock;
        this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        json.setCharacterEscapes(new LineSafeEscapes());
        open();
        long interval = config.rotateInterval().toMillis();
        if (interval > 0) {
            // A file last written before the current period began is rotated at once, so that a restart does not
            // mix yesterday's records into today's file.
            long since = clock.millis();
            if (size > 0) {
                try {
                    since = Files.getLastModifiedTime(this.file).toMillis();
                } catch (IOException e) {
                    closeChannel();
                    throw e;
                }
            }
            nextBoundary = Math.floorDiv(since, interval) * interval + interval;
        }
        this.compressor = Executors.newSingleThreadExecutor(r -> daemon(r, "audit-compress"));
        compressor.execute(this::finishEarlierRotations);
        this.writer = daemon(this::run, "audit-writer");
        writer.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void record(AuditRecord record) {
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    /** Always true when failing open; when failing closed, whether a call's record can be promised a write. */
    @Override
    public boolean available() {
        return !config.failClosed() || (healthy && queue.size() < highWater);
    }

    /** False while the last write or open failed (until a retry succeeds). */
    public boolean healthy() {
        return healthy;
    }

    /** Records lost because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Records waiting for the writer now (for the metrics gauge; a constant-time read of the queue). */
    public int queueDepth() {
        return queue.size();
    }

    /** How many records the queue holds before it drops ({@link #dropped}). */
    public int queueCapacity() {
        return QUEUE_CAPACITY;
    }

    private void run() {
        List<AuditRecord> batch = new ArrayList<>(BATCH);
        long reportedDrops = 0;
        long lastDropWarning = 0;
        while (true) {
            try {
                ensureOpen();
                writePending();
                rotateIfDue();
                markHealthy();
                if (stopping && queue.isEmpty()) {
                    return;
                }
                AuditRecord first = queue.poll(RETRY_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    for (AuditRecord r : batch) {
                        if (r != WAKE_UP) {
                            pending.add(encode(r));
                        }
                    }
                    int written = batch.size();
                    batch.clear();
                    writePending();
                    if (written < LINGER_BELOW && !stopping) {
                        // Group commit: under a steady load records arrive one by one, and writing each as it comes
                        // cost a wake-up, a write and a stat per call (10 % of the server's CPU under Encrypt load).
                        // Waiting a millisecond lets them gather into one write; nothing waits for the write.
                        LockSupport.parkNanos(LINGER_NANOS);
                    }
                }
            } catch (InterruptedException e) {
                LOG.error("audit writer interrupted with {} records unwritten", pending.size() + queue.size());
                return;
            } catch (IOException | RuntimeException e) {
                markFailed(e);
                closeChannel();
                if (stopping) {
                    LOG.error("audit log closed with {} records unwritten", pending.size() + queue.size());
                    return;
                }
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
            long drops = dropped.get();
            long now = System.currentTimeMillis();
            if (drops != reportedDrops && now - lastDropWarning >= DROP_WARNING_MILLIS) {
                LOG.warn("audit queue full: {} records dropped so far", drops);
                reportedDrops = drops;
                lastDropWarning = now;
            }
        }
    }

    private void markHealthy() {
        if (!healthy) {
            healthy = true;
            LOG.warn("audit log {} can be written again", file);
        }
    }

    private void markFailed(Exception e) {
        if (healthy) {
            healthy = false;
            LOG.error(
                    "audit log {} cannot be written ({}); {}; retrying every {} ms",
                    file,
                    e.toString(),
                    config.failClosed()
                            ? "calls are refused until it can"
                            : "records wait in a bounded queue and are dropped when it is full",
                    RETRY_MILLIS,
                    e);
        }
    }

    private byte[] encode(AuditRecord r) throws IOException {
        encoded.reset();
        try (JsonGenerator g = json.createGenerator(encoded)) {
            g.writeStartObject();
            g.writeStringField("time", Timestamps.format(r.timeMillis()));
            g.writeStringField("requestId", r.requestId());
            g.writeStringField("accessKeyId", r.accessKeyId());
            g.writeStringField("principal", r.principal());
            g.writeStringField("action", r.action());
            g.writeStringField("resource", r.resource());
            g.writeStringField("sourceIp", r.sourceIp());
            g.writeNumberField("httpStatus", r.httpStatus());
            g.writeStringField("result", r.resultCode());
            g.writeNumberField("latencyMicros", r.latencyMicros());
            if (!r.decision().isEmpty()) {
                g.writeStringField("decision", r.decision());
            }
            if (!r.detail().isEmpty()) {
                g.writeStringField("detail", r.detail());
            }
            g.writeEndObject();
        }
        encoded.write('\n');
        return encoded.toByteArray();
    }

    /** Reopens the file if it is closed (after a failure) or is no longer the file at {@link #file}. */
    private void ensureOpen() throws IOException {
        if (channel != null && !stillOurs()) {
            LOG.warn("audit log {} was moved, removed or replaced; reopening it", file);
            closeChannel();
        }
        if (channel == null) {
            open();
        }
    }

    private boolean stillOurs() {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key == null || key.equals(fileKey);
        } catch (IOException e) {
            return false;
        }
    }

    private void open() throws IOException {
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, DIR_MODE);
            } else {
                Files.createDirectories(dir);
            }
        }
        tighten(dir, "rwx------");
        FileChannel ch = create(file, APPEND);
        try {
            tighten(file, "rw-------");
            long length = ch.size();
            fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            if (length > 0 && !endsWithNewline(length)) {
                // A line cut short by an earlier failure: end it, so that the next record starts a line of its own.
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                length++;
            }
            channel = ch;
            size = length;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private boolean endsWithNewline(long length) throws IOException {
        try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return r.read(last, length - 1) == 1 && last.get(0) == '\n';
        }
    }

    /** Creates (if absent) with mode 0600 where the file system has POSIX modes. */
    private FileChannel create(Path p, Set<OpenOption> options) throws IOException {
        return posix ? FileChannel.open(p, options, FILE_MODE) : FileChannel.open(p, options);
    }

    /** Files and directories made by older versions (or by hand) with group/other access lose it. */
    private void tighten(Path p, String mode) throws IOException {
        if (!posix || !Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> wanted = PosixFilePermissions.fromString(mode);
        if (!wanted.containsAll(perms)) {
            LOG.warn("{} was {}; setting it to {}", p, PosixFilePermissions.toString(perms), mode);
            Files.setPosixFilePermissions(p, wanted);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing audit log failed", e);
            }
            channel = null;
        }
    }

    /**
     * Writes the encoded lines, rotating whenever the next line would take the file past maxFileSize. A line
     * leaves {@link #pending} only once written, so a failure loses nothing (a line written just before a
     * failure may be written twice).
     */
    private void writePending() throws IOException {
        while (!pending.isEmpty()) {
            if (size > 0 && size + pending.peekFirst().length > config.maxFileSize()) {
                rotate();
            }
            out.reset();
            long room = config.maxFileSize() - size;
            int lines = 0;
            for (byte[] line : pending) {
                if (lines > 0 && out.size() + line.length > room) {
                    break;
                }
                out.write(line, 0, line.length);
                lines++;
            }
            ByteBuffer b = out.buffer();
            while (b.hasRemaining()) {
                channel.write(b);
            }
            size += out.size();
            for (int i = 0; i < lines; i++) {
                pending.removeFirst();
            }
        }
    }

    private void rotateIfDue() throws IOException {
        long now = clock.millis();
        if (now >= nextBoundary) {
            if (size > 0) {
                rotate();
            }
            long interval = config.rotateInterval().toMillis();
            nextBoundary = Math.floorDiv(now, interval) * interval + interval;
        }
    }

    /** Renames the current file to its rotated name, opens a new one, and has the rotated one compressed. */
    private void rotate() throws IOException {
        closeChannel();
        long at = Math.max(clock.millis(), lastRotation + 1);
        Path target = rotatedPath(at);
        while (Files.exists(target, LinkOption.NOFOLLOW_LINKS) || Files.exists(gz(target), LinkOption.NOFOLLOW_LINKS)) {
            target = rotatedPath(++at);
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        lastRotation = at;
        LOG.info("audit log rotated to {}", target.getFileName());
        open();
        Path rotated = target;
        awaitingCompression.add(rotated);
        try {
            compressor.execute(() -> compressAndPrune(rotated));
        } catch (RejectedExecutionException e) {
            awaitingCompression.remove(rotated);
            LOG.debug("closing: {} stays uncompressed until the next start", rotated);
        }
    }

    private Path rotatedPath(long millis) {
        return dir.resolve(stem + "-" + ROTATED_TIME.format(Instant.ofEpochMilli(millis)) + extension);
    }

    private static Path gz(Path p) {
        return p.resolveSibling(p.getFileName() + ".gz");
    }

    private void compressAndPrune(Path rotated) {
        try {
            compress(rotated);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not compress rotated audit log {}; it stays uncompressed", rotated, e);
        } finally {
            awaitingCompression.remove(rotated);
        }
        prune();
    }

    /** gzip to a temporary file (0600), synced before it replaces the original, so a crash loses neither. */
    private void compress(Path src) throws IOException {
        if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
            return; // pruned before its turn came
        }
        Path target = gz(src);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = create(tmp, CREATE_NEW)) {
            GZIPOutputStream zip = new GZIPOutputStream(Channels.newOutputStream(ch), 1 << 16) {
                {
                    // JSON lines shrink 8 to 10 times at any level; the default level took 4 times the CPU of level 1
                    // for a few per cent smaller files (compression was 6 % of the server's CPU under Encrypt load).
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            try (InputStream in = Files.newInputStream(src)) {
                in.transferTo(zip);
            }
            zip.finish();
            zip.flush();
            ch.force(true);
            zip.close();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(src);
    }

    /** Deletes the oldest rotated files (names sort by time) past maxFiles and maxTotalSize. */
    private void prune() {
        try {
            List<Path> rotated = rotatedFiles();
            long total = 0;
            List<Long> sizes = new ArrayList<>();
            for (Path p : rotated) {
                long s = sizeOf(p);
                sizes.add(s);
                total += s;
            }
            int excess = rotated.size() - config.maxFiles();
            for (int i = 0; i < rotated.size(); i++) {
                boolean overTotal = config.maxTotalSize() > 0 && total > config.maxTotalSize();
                if (excess <= 0 && !overTotal) {
                    break;
                }
                Files.deleteIfExists(rotated.get(i));
                LOG.info("deleted old audit log {}", rotated.get(i).getFileName());
                total -= sizes.get(i);
                excess--;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete old audit logs in {}", dir, e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Rotated files, compressed or not (but not those about to be), oldest first. */
    private List<Path> rotatedFiles() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (rotatedName.matcher(p.getFileName().toString()).matches() && !awaitingCompression.contains(p)) {
                    found.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return found;
        }
        found.sort(
                (a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return found;
    }

    /** On start: drop half-written archives, compress files rotated just before a crash, apply the caps. */
    private void finishEarlierRotations() {
        try {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, stem + "-*" + extension + ".gz.tmp")) {
                for (Path p : ds) {
                    Files.deleteIfExists(p);
                }
            }
            for (Path p : rotatedFiles()) {
                if (!p.getFileName().toString().endsWith(".gz")) {
                    compress(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not finish earlier audit log rotations in {}", dir, e);
        }
        prune();
    }

    /**
     * Writes what is queued and stops (giving up at once if the log cannot be written), then waits for the
     * compression of rotated files. Records arriving after close are not written.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        queue.offer(WAKE_UP);
        try {
            if (!join(5000)) {
                writer.interrupt();
                join(1000);
            }
            compressor.shutdown();
            if (!compressor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("audit log compression still running at close; it is finished on the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!writer.isAlive()) {
            closeChannel();
        }
    }

    private boolean join(long millis) throws InterruptedException {
        writer.join(millis);
        return !writer.isAlive();
    }

    /** A ByteArrayOutputStream whose content can be written without a copy. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes(int size) {
            super(size);
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    /**
     * JSON's own escapes (C0 controls, quote, backslash) plus DEL, the C1 controls (U+0080–U+009F: NEL, U+0085,
     * ends a line for some readers) and U+2028/U+2029 (line and paragraph separators), so that no field can make
     * a line-oriented reader see a line the writer did not write. Jackson calls {@link #getEscapeSequence} for
     * every non-ASCII character when custom escapes are set (CharacterEscapes javadoc).
     */
    private static final class LineSafeEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        LineSafeEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if ((ch >= 0x80 && ch <= 0x9f) || ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format("\\u%04X", ch));
            }
            return null;
        }
    }
}
