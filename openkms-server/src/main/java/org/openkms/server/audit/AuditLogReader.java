package org.openkms.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads the {@link JsonLinesAuditLog} back, newest record first: the current file, then the rotated ones
 * ({@code audit-<time>.log}, or {@code .log.gz} once compressed), newest first. Memory is bounded whatever the log
 * holds: the current and uncompressed files are read backwards in blocks; a compressed file is streamed forwards,
 * keeping only the newest matches it needs. Each lookup stops after {@code maxResults} matches, or once it has read
 * {@code maxBytes} (finishing the file it is in) and then hands back a cursor to continue from.
 *
 * <p>A cursor names a file and a byte offset in its uncompressed text, so it survives the file being compressed;
 * a rotation of the current file between two pages may repeat or skip the records written in between.
 */
public final class AuditLogReader {
    private static final int BLOCK = 64 * 1024;
    /** Records are at most a few KB (AuditRecord bounds them); a longer line is not one of ours and is skipped. */
    private static final int MAX_LINE = 64 * 1024;
    /** The writer stamps a record when the call ends and writes in queue order: times may be slightly out of order. */
    private static final long CLOCK_SLACK_MILLIS = 60_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Pattern rotated;
    private final long maxBytes;

    /**
     * @param file     the current log file ({@code <data-dir>/audit/audit.log})
     * @param maxBytes how much text one lookup reads at most (plus the rest of the file it is in)
     */
    public AuditLogReader(Path file, long maxBytes) {
        this.file = file.toAbsolutePath();
        String name = this.file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        this.rotated = Pattern.compile(
                Pattern.quote(stem) + "-\\d{8}T\\d{6}\\.\\d{3}Z" + Pattern.quote(extension) + "(\\.gz)?");
        this.maxBytes = maxBytes;
    }

    /** Where to continue: a file (by its uncompressed name) and the offset before which records remain. */
    public record Cursor(String file, long offset) {
        /** An opaque token: base64url of {@code file:offset}. */
        public String token() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((file + ":" + offset).getBytes(StandardCharsets.UTF_8));
        }

        /** @throws IllegalArgumentException when {@code token} is not one {@link #token()} made */
        public static Cursor parse(String token) {
            String s;
            try {
                s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a token", e);
            }
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a token");
            }
            try {
                long offset = Long.parseLong(s.substring(colon + 1));
                if (offset < 0) {
                    throw new IllegalArgumentException("not a token");
                }
                return new Cursor(s.substring(0, colon), offset);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a token", e);
            }
        }
    }

    /** Matching records, newest first, and where to continue (null when the log has no more). */
    public record Page(List<JsonNode> records, Cursor next) {}

    /**
     * @param startMillis records at or after this time (epoch ms)
     * @param endMillis   records at or before this time
     * @param filter      what else a record must satisfy
     * @param max         how many records at most
     * @param after       where the previous page stopped, or null for the newest record
     * @throws IllegalArgumentException when {@code after} names no file of this log
     */
    public Page lookup(long startMillis, long endMillis, Predicate<JsonNode> filter, int max, Cursor after) {
        return lookup(startMillis, endMillis, filter, List.of(), max, after);
    }

    /**
     * As {@link #lookup(long, long, Predicate, int, Cursor)}, skipping without parsing every record whose text lacks
     * one of {@code literals} (each must be text that JSON writes unescaped, as {@link #literal} checks).
     */
    public Page lookup(
            long startMillis,
            long endMillis,
            Predicate<JsonNode> filter,
            List<String> literals,
            int max,
            Cursor after) {
        List<String> names = files();
        int first = 0;
        long offset = Long.MAX_VALUE;
        if (after != null) {
            first = names.indexOf(after.file());
            if (first < 0) {
                throw new IllegalArgumentException("no such file");
            }
            offset = after.offset();
        }
        Scan scan = new Scan(startMillis, endMillis, filter, literals, max);
        try {
            for (int i = first; i < names.size(); i++) {
                Cursor stop = scanFile(names.get(i), i == first ? offset : Long.MAX_VALUE, scan);
                if (stop != null) {
                    return new Page(scan.found, stop);
                }
                if (scan.olderThanStart || i + 1 == names.size()) {
                    break;
                }
                if (scan.found.size() >= max || scan.bytes >= maxBytes) {
                    return new Page(scan.found, new Cursor(names.get(i + 1), Long.MAX_VALUE));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Page(scan.found, null);
    }

    /** Whether {@code value} appears as is in a JSON line that holds it (no character the encoder would escape). */
    public static boolean literal(String value) {
        return SAFE.matcher(value).matches();
    }

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:@/*+=-]{1,256}");

    private static final byte[] TIME_PREFIX = "{\"time\":\"".getBytes(StandardCharsets.US_ASCII);

    /** The time of a line that starts {@code {"time":"<ISO-8601>"}, or Long.MIN_VALUE when it does not. */
    static long leadingTime(byte[] text) {
        int n = TIME_PREFIX.length;
        if (text.length < n + 20) {
            return Long.MIN_VALUE;
        }
        for (int i = 0; i < n; i++) {
            if (text[i] != TIME_PREFIX[i]) {
                return Long.MIN_VALUE;
            }
        }
        int end = n;
        while (end < text.length && end < n + 40 && text[end] != '"') {
            end++;
        }
        try {
            return Instant.parse(new String(text, n, end - n, StandardCharsets.US_ASCII))
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    private static int indexOf(byte[] text, byte[] literal) {
        outer:
        for (int i = 0, last = text.length - literal.length; i <= last; i++) {
            for (int j = 0; j < literal.length; j++) {
                if (text[i + j] != literal[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The log's files by uncompressed name, newest first (rotated names sort by their time). */
    private List<String> files() {
        List<String> rotatedNames = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent())) {
            for (Path p : dir) {
                String n = p.getFileName().toString();
                if (rotated.matcher(n).matches()) {
                    String base = n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n;
                    if (!rotatedNames.contains(base)) {
                        rotatedNames.add(base);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rotatedNames.sort(Comparator.reverseOrder());
        List<String> all = new ArrayList<>();
        all.add(currentName());
        all.addAll(rotatedNames);
        return all;
    }

    private String currentName() {
        return file.getFileName().toString();
    }

    /** Scans one file back from {@code end}; returns where to continue when the scan stopped inside it. */
    private Cursor scanFile(String name, long end, Scan scan) throws IOException {
        Path plain = file.resolveSibling(name);
        if (Files.exists(plain)) {
            return scanBackwards(name, plain, end, scan);
        }
        Path gz = file.resolveSibling(name + ".gz");
        if (Files.exists(gz)) {
            return scanCompressed(name, gz, end, scan);
        }
        return null; // deleted by the caps meanwhile
    }

    private Cursor scanBackwards(String name, Path path, long end, Scan scan) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long pos = Math.min(end, ch.size());
            // The bytes of the (partial) line that ends at pos, collected backwards block by block.
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            byte[] carry = new byte[0];
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            long lineEnd = pos;
            while (pos > 0) {
                if (scan.bytes >= maxBytes) {
                    return new Cursor(name, lineEnd);
                }
                int n = (int) Math.min(BLOCK, pos);
                buf.clear().limit(n);
                long at = pos - n;
                while (buf.hasRemaining()) {
                    if (ch.read(buf, at + buf.position()) < 0) {
                        break;
                    }
                }
                scan.bytes += n;
                byte[] block = buf.array();
                int stop = n;
                for (int i = n - 1; i >= 0; i--) {
                    if (block[i] == '\n') {
                        // A line runs from i+1 to stop in this block, followed by carry.
                        tail.reset();
                        tail.write(block, i + 1, stop - i - 1);
                        tail.write(carry, 0, carry.length);
                        carry = new byte[0];
                        scan.line(tail.toByteArray());
                        // What remains ends just before this newline.
                        lineEnd = at + i;
                        stop = i;
                        if (scan.done()) {
                            return scan.olderThanStart ? null : new Cursor(name, lineEnd);
                        }
                    }
                }
                if (stop > 0) {
                    if (carry.length + stop > MAX_LINE) {
                        carry = new byte[0]; // not a record of ours; drop it
                    } else {
                        byte[] joined = new byte[stop + carry.length];
                        System.arraycopy(block, 0, joined, 0, stop);
                        System.arraycopy(carry, 0, joined, stop, carry.length);
                        carry = joined;
                    }
                }
                pos = at;
            }
            if (carry.length > 0) {
                scan.line(carry); // the file's first line
            }
            return null;
        }
    }

    /** Forwards through the decompressed text up to {@code end}, keeping the newest matches this page needs. */
    private Cursor scanCompressed(String name, Path path, long end, Scan scan) throws IOException {
        int need = scan.max - scan.found.size();
        ArrayDeque<JsonNode> kept = new ArrayDeque<>();
        ArrayDeque<Long> keptStarts = new ArrayDeque<>();
        boolean dropped = false;
        boolean sawOlder = false;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path), BLOCK)) {
            byte[] buf = new byte[BLOCK];
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long offset = 0;
            long lineStart = 0;
            int n;
            outer:
            while ((n = in.read(buf)) > 0) {
                scan.bytes += n;
                for (int i = 0; i < n; i++, offset++) {
                    if (offset >= end) {
                        break outer;
                    }
                    if (buf[i] != '\n') {
                        if (line.size() <= MAX_LINE) {
                            line.write(buf[i]);
                        }
                        continue;
                    }
                    JsonNode r = scan.match(line.toByteArray());
                    sawOlder |= scan.lastOlderThanStart;
                    if (r != null) {
                        kept.addLast(r);
                        keptStarts.addLast(lineStart);
                        if (kept.size() > need) {
                            kept.removeFirst();
                            keptStarts.removeFirst();
                            dropped = true;
                        }
                    }
                    line.reset();
                    lineStart = offset + 1;
                }
            }
            // A cursor made in the uncompressed file points at a line's newline: that line is read too.
            JsonNode last = scan.match(line.toByteArray());
            sawOlder |= scan.lastOlderThanStart;
            if (last != null) {
                kept.addLast(last);
                keptStarts.addLast(lineStart);
                if (kept.size() > need) {
                    kept.removeFirst();
                    keptStarts.removeFirst();
                    dropped = true;
                }
            }
        }
        Long oldestStart = keptStarts.peekFirst();
        while (!kept.isEmpty()) {
            scan.found.add(kept.removeLast());
        }
        if (sawOlder) {
            scan.olderThanStart = true;
        }
        // Older matches remain in this file: continue before the oldest record kept.
        return dropped ? new Cursor(name, oldestStart) : null;
    }

    /** The state of one lookup. */
    private static final class Scan {
        final long start;
        final long end;
        final Predicate<JsonNode> filter;
        final int max;
        final List<JsonNode> found = new ArrayList<>();
        final List<byte[]> literals;
        long bytes;
        /** A record older than the start (less the slack) was seen: older files cannot match. */
        boolean olderThanStart;

        boolean lastOlderThanStart;

        Scan(long start, long end, Predicate<JsonNode> filter, List<String> literals, int max) {
            this.literals = literals.stream()
                    .map(l -> l.getBytes(StandardCharsets.UTF_8))
                    .toList();
            this.start = start;
            this.end = end;
            this.filter = filter;
            this.max = max;
        }

        boolean done() {
            return found.size() >= max || olderThanStart;
        }

        void line(byte[] text) {
            JsonNode r = match(text);
            if (r != null) {
                found.add(r);
            }
            if (lastOlderThanStart) {
                olderThanStart = true;
            }
        }

        /** The record if it is in the time range and passes the filter; notes a record far older than the start. */
        JsonNode match(byte[] text) {
            lastOlderThanStart = false;
            if (text.length == 0 || !containsAll(text)) {
                return null;
            }
            // The time is the first field (JsonLinesAuditLog writes it first): read it without parsing the record,
            // so records outside the range cost no JSON parsing.
            long t = leadingTime(text);
            if (t != Long.MIN_VALUE) {
                if (t < start - CLOCK_SLACK_MILLIS) {
                    lastOlderThanStart = true;
                }
                if (t < start || t > end) {
                    return null;
                }
            }
            JsonNode r;
            try {
                r = JSON.readTree(text);
                t = Instant.parse(r.path("time").asText()).toEpochMilli();
            } catch (IOException | DateTimeParseException e) {
                return null; // a torn line (crash mid-write) or not ours
            }
            return t >= start && t <= end && filter.test(r) ? r : null;
        }

        /** A record can only match if its text holds every required literal (a cheap test before parsing). */
        private boolean containsAll(byte[] text) {
            for (byte[] literal : literals) {
                if (indexOf(text, literal) < 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
