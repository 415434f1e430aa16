package org.openkms.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the audit log back newest first, across the current file, a rotated plain file and a rotated gzip file,
 * page by page with cursors, with filters, a time range and a cap on the bytes one lookup reads.
 */
class AuditLogReaderTest {
    @TempDir
    Path dir;

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    /** 300 records, one per second: 0-99 in a .gz, 100-199 in a rotated .log, 200-299 in audit.log. */
    private Path writeLog() throws IOException {
        Path current = dir.resolve("audit.log");
        write(dir.resolve("audit-20260101T000140.000Z.log.gz"), 0, 100, true);
        write(dir.resolve("audit-20260101T000320.000Z.log"), 100, 200, false);
        write(current, 200, 300, false);
        return current;
    }

    private static String line(int i) {
        return "{\"time\":\"" + Instant.ofEpochMilli(T0 + i * 1000L) + "\",\"requestId\":\"r" + i
                + "\",\"accessKeyId\":\"" + (i % 3 == 0 ? "LTAIthree" : "LTAIother") + "\",\"principal\":\"root\","
                + "\"action\":\"" + (i % 2 == 0 ? "Encrypt" : "DescribeKey")
                + "\",\"resource\":\"acs:kms:cn-hangzhou:1:key/k"
                + (i % 10) + "\",\"sourceIp\":\"127.0.0.1\",\"httpStatus\":200,\"result\":\""
                + (i % 7 == 0 ? "Forbidden.NoPermission" : "OK") + "\",\"latencyMicros\":10}\n";
    }

    private static void write(Path file, int from, int to, boolean gzip) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(line(i));
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
    }

    private static List<String> ids(List<JsonNode> records) {
        return records.stream().map(r -> r.path("requestId").asText()).toList();
    }

    @Test
    void pagesThroughEveryFileNewestFirstWithoutRepeatsOrGaps() throws IOException {
        AuditLogReader reader = new AuditLogReader(writeLog(), 1L << 30);
        List<String> seen = new ArrayList<>();
        AuditLogReader.Cursor cursor = null;
        int pages = 0;
        do {
            AuditLogReader.Page page =
                    reader.lookup(0, Long.MAX_VALUE, r -> true, 7, cursor == null ? null : roundTrip(cursor));
            assertThat(page.records()).hasSizeLessThanOrEqualTo(7);
            seen.addAll(ids(page.records()));
            cursor = page.next();
            pages++;
        } while (cursor != null && pages < 100);
        List<String> expected = new ArrayList<>();
        for (int i = 299; i >= 0; i--) {
            expected.add("r" + i);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    private static AuditLogReader.Cursor roundTrip(AuditLogReader.Cursor c) {
        return AuditLogReader.Cursor.parse(c.token());
    }

    @Test
    void filtersAndTimeRangeApplyAcrossFiles() throws IOException {
        AuditLogReader reader = new AuditLogReader(writeLog(), 1L << 30);
        // Records 50..250 whose action is Encrypt and which failed.
        long start = T0 + 50_000;
        long end = T0 + 250_000;
        List<String> seen = new ArrayList<>();
        AuditLogReader.Cursor cursor = null;
        do {
            AuditLogReader.Page page = reader.lookup(
                    start,
                    end,
                    r -> "Encrypt".equals(r.path("action").asText())
                            && !"OK".equals(r.path("result").asText()),
                    5,
                    cursor);
            seen.addAll(ids(page.records()));
            cursor = page.next();
        } while (cursor != null);
        List<String> expected = new ArrayList<>();
        for (int i = 250; i >= 50; i--) {
            if (i % 2 == 0 && i % 7 == 0) {
                expected.add("r" + i);
            }
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void aLookupStopsAtItsByteBudgetAndContinuesFromTheCursor() throws IOException {
        Path current = dir.resolve("audit.log");
        write(current, 0, 2000, false); // ~ 500 KB
        AuditLogReader reader = new AuditLogReader(current, 64 * 1024);
        AuditLogReader.Page page = reader.lookup(
                0, Long.MAX_VALUE, r -> "r5".equals(r.path("requestId").asText()), 20, null);
        assertThat(page.records()).isEmpty();
        assertThat(page.next()).isNotNull();
        int calls = 1;
        while (page.records().isEmpty() && page.next() != null && calls < 100) {
            page = reader.lookup(
                    0, Long.MAX_VALUE, r -> "r5".equals(r.path("requestId").asText()), 20, page.next());
            calls++;
        }
        assertThat(ids(page.records())).containsExactly("r5");
        assertThat(calls).isGreaterThan(3);
    }

    @Test
    void literalsSkipRecordsWithoutThemAndNeverLoseAMatch() throws IOException {
        AuditLogReader reader = new AuditLogReader(writeLog(), 1L << 30);
        List<String> seen = new ArrayList<>();
        AuditLogReader.Cursor cursor = null;
        do {
            AuditLogReader.Page page = reader.lookup(
                    0,
                    Long.MAX_VALUE,
                    r -> r.path("resource").asText().endsWith("/k3"),
                    List.of("k3", "LTAIthree"),
                    4,
                    cursor);
            seen.addAll(ids(page.records()));
            cursor = page.next();
        } while (cursor != null);
        List<String> expected = new ArrayList<>();
        for (int i = 299; i >= 0; i--) {
            if (i % 10 == 3 && i % 3 == 0) {
                expected.add("r" + i);
            }
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(AuditLogReader.literal("key-abc/alias:x@y")).isTrue();
        assertThat(AuditLogReader.literal("a\"b")).isFalse();
        assertThat(AuditLogReader.literal("é")).isFalse();
        assertThat(AuditLogReader.leadingTime(line(5).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(T0 + 5000);
        assertThat(AuditLogReader.leadingTime("{\"x\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void anEmptyOrMissingLogHasNoRecords() {
        AuditLogReader reader = new AuditLogReader(dir.resolve("missing").resolve("audit.log"), 1 << 20);
        assertThat(reader.lookup(0, Long.MAX_VALUE, r -> true, 10, null).records())
                .isEmpty();
    }

    @Test
    void tornLinesAreSkipped() throws IOException {
        Path current = dir.resolve("audit.log");
        Files.writeString(current, line(1) + "{\"time\":\"2026-01-01T00:00:0" + "\n" + line(2) + "{\"partial");
        AuditLogReader reader = new AuditLogReader(current, 1 << 20);
        assertThat(ids(reader.lookup(0, Long.MAX_VALUE, r -> true, 10, null).records()))
                .containsExactly("r2", "r1");
    }

    @Test
    void aForeignTokenIsRefused() throws IOException {
        AuditLogReader reader = new AuditLogReader(writeLog(), 1 << 20);
        assertThatThrownBy(() -> AuditLogReader.Cursor.parse("!!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reader.lookup(
                        0, Long.MAX_VALUE, r -> true, 1, new AuditLogReader.Cursor("../../etc/passwd", 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
