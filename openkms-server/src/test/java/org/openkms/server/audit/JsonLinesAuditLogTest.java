package org.openkms.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.audit.AuditRecord;
import org.openkms.server.MutableClock;
import org.openkms.server.config.AuditConfig;

/** The audit writer on its own: rotation, compression, caps, modes, escaping, failures and overflow. */
class JsonLinesAuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The smallest allowed file, so that a few hundred records rotate many times. */
    private static final AuditConfig SMALL =
            AuditConfig.defaults().withMaxFileSize(AuditConfig.MIN_FILE_SIZE).withMaxFiles(3);

    @TempDir
    Path tmp;

    private static AuditRecord record(String requestId) {
        return new AuditRecord(
                System.currentTimeMillis(),
                requestId,
                "LTAIaudit",
                "root:root",
                "Encrypt",
                "acs:kms:cn-hangzhou:1234567890123456:key/key-" + "x".repeat(150),
                "127.0.0.1",
                200,
                "OK",
                42);
    }

    @Test
    void rotatesAtTheSizeLimitCompressesAndKeepsMaxFiles() throws Exception {
        Path file = tmp.resolve("audit").resolve("audit.log");
        JsonLinesAuditLog log = new JsonLinesAuditLog(file, SMALL);
        for (int i = 0; i < 200; i++) {
            log.record(record(String.format("r-%03d", i)));
        }
        log.close(); // flushes, and waits for compression and pruning

        List<Path> rotated = rotated(file.getParent());
        assertThat(rotated)
                .hasSize(3)
                .allSatisfy(p ->
                        assertThat(p.getFileName().toString()).matches("audit-\\d{8}T\\d{6}\\.\\d{3}Z\\.log\\.gz"));
        try (Stream<Path> all = Files.list(file.getParent())) {
            assertThat(all.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Stream.concat(
                                    rotated.stream().map(p -> p.getFileName().toString()), Stream.of("audit.log"))
                            .toList());
        }
        // Every kept file is within the limit, and together (oldest first) they hold the newest records in order.
        List<String> ids = new ArrayList<>();
        for (Path p : rotated) {
            byte[] plain = gunzip(p);
            assertThat((long) plain.length).isLessThanOrEqualTo(AuditConfig.MIN_FILE_SIZE);
            ids.addAll(requestIds(new String(plain, StandardCharsets.UTF_8)));
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(AuditConfig.MIN_FILE_SIZE);
        ids.addAll(requestIds(Files.readString(file)));
        assertThat(ids).hasSizeLessThan(200).endsWith("r-199");
        int first = Integer.parseInt(ids.get(0).substring(2));
        for (int i = 0; i < ids.size(); i++) {
            assertThat(ids.get(i)).isEqualTo(String.format("r-%03d", first + i));
        }
    }

    @Test
    void maxTotalSizeCapsTheRotatedFiles() throws Exception {
        Path file = tmp.resolve("audit.log");
        long cap = 2000;
        JsonLinesAuditLog log =
                new JsonLinesAuditLog(file, SMALL.withMaxFiles(1000).withMaxTotalSize(cap));
        for (int i = 0; i < 300; i++) {
            log.record(record("r-" + i));
        }
        log.close();
        List<Path> rotated = rotated(tmp);
        assertThat(rotated).isNotEmpty();
        long total = 0;
        for (Path p : rotated) {
            total += Files.size(p);
        }
        assertThat(total).isLessThanOrEqualTo(cap);
        int kept = requestIds(Files.readString(file)).size();
        for (Path p : rotated) {
            kept += requestIds(new String(gunzip(p), StandardCharsets.UTF_8)).size();
        }
        assertThat(kept).as("the oldest files were deleted").isLessThan(300);
    }

    @Test
    void rotatesAtTheTimeBoundaryInUtc() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:15:00Z"));
        Path file = tmp.resolve("audit.log");
        JsonLinesAuditLog log =
                new JsonLinesAuditLog(file, AuditConfig.defaults().withRotateInterval(Duration.ofHours(1)), clock);
        log.record(record("before"));
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(file).contains("before"));
        clock.set(Instant.parse("2025-03-01T11:00:00.250Z"));
        Path gz = tmp.resolve("audit-20250301T110000.250Z.log.gz");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(gz));
        log.record(record("after"));
        log.close();
        assertThat(new String(gunzip(gz), StandardCharsets.UTF_8))
                .contains("before")
                .doesNotContain("after");
        assertThat(Files.readString(file)).contains("after").doesNotContain("before");
    }

    @Test
    void aFileFromAnEarlierPeriodIsRotatedOnStart() throws Exception {
        Path file = tmp.resolve("audit.log");
        Files.writeString(file, "{\"requestId\":\"yesterday\"}\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        JsonLinesAuditLog log =
                new JsonLinesAuditLog(file, AuditConfig.defaults().withRotateInterval(Duration.ofDays(1)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> rotated(tmp).size() == 1
                        && rotated(tmp).get(0).toString().endsWith(".gz"));
        log.close();
        assertThat(new String(gunzip(rotated(tmp).get(0)), StandardCharsets.UTF_8))
                .contains("yesterday");
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void finishesARotationThatACrashInterrupted() throws Exception {
        Files.writeString(tmp.resolve("audit-20240101T000000.000Z.log"), "{\"requestId\":\"old\"}\n");
        Files.writeString(tmp.resolve("audit-20240101T000000.000Z.log.gz.tmp"), "half an archive");
        JsonLinesAuditLog log = new JsonLinesAuditLog(tmp.resolve("audit.log"), SMALL);
        log.close();
        try (Stream<Path> all = Files.list(tmp)) {
            assertThat(all.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("audit.log", "audit-20240101T000000.000Z.log.gz");
        }
        assertThat(new String(gunzip(tmp.resolve("audit-20240101T000000.000Z.log.gz")), StandardCharsets.UTF_8))
                .contains("old");
    }

    @Test
    void directoryIs0700AndEveryFile0600FromCreation() throws Exception {
        Assumptions.assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = tmp.resolve("audit").resolve("audit.log");
        JsonLinesAuditLog log = new JsonLinesAuditLog(file, SMALL);
        for (int i = 0; i < 50; i++) {
            log.record(record("r-" + i));
        }
        log.close();
        assertThat(mode(file.getParent())).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(rotated(file.getParent()))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(mode(p)).isEqualTo("rw-------"));
    }

    @Test
    void wideModesLeftByEarlierVersionsAreTightened() throws Exception {
        Assumptions.assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path dir = Files.createDirectory(
                tmp.resolve("audit"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path file = Files.createFile(dir.resolve("audit.log"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        new JsonLinesAuditLog(file, SMALL).close();
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void controlCharactersAndLineSeparatorsCannotForgeLines() throws Exception {
        Path file = tmp.resolve("audit.log");
        String forged = "LTAI\n{\"requestId\":\"forged\"}\r\n\u2028\u2029\u0085\u007f\u0000\u001b[31m";
        JsonLinesAuditLog log = new JsonLinesAuditLog(file, SMALL);
        log.record(new AuditRecord(
                1, "real", forged, "", forged, forged, "::1", 403, "InvalidAccessKeyId.NotFound", 1, forged, ""));
        log.close();
        byte[] raw = Files.readAllBytes(file);
        String text = new String(raw, StandardCharsets.UTF_8);
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(text)
                .endsWith("\n")
                .doesNotContain("\r")
                .doesNotContain("\u2028")
                .doesNotContain("\u2029")
                .doesNotContain("\u0085")
                .doesNotContain("\u007f")
                .doesNotContain("\u001b")
                .contains("\\u2028")
                .contains("\\u0085");
        JsonNode line = JSON.readTree(text);
        assertThat(line.path("requestId").asText()).isEqualTo("real");
        assertThat(line.path("accessKeyId").asText()).isEqualTo(forged);
        assertThat(line.path("action").asText()).isEqualTo(forged);
    }

    @Test
    void aRecordOfHugeFieldsIsAtMost2KiBOnDisk() throws Exception {
        Path file = tmp.resolve("audit.log");
        JsonLinesAuditLog log = new JsonLinesAuditLog(file, AuditConfig.defaults());
        for (String unit : new String[] {"A", "\n", "\u0000", "\"", "中", "\uD83D\uDE00", "\u2028"}) {
            String huge = unit.repeat(60 * 1024 / unit.length());
            log.record(new AuditRecord(
                    System.currentTimeMillis(),
                    huge,
                    huge,
                    huge,
                    huge,
                    huge,
                    huge,
                    403,
                    huge,
                    Long.MAX_VALUE,
                    huge,
                    huge));
        }
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(7).allSatisfy(l -> {
            assertThat(l.getBytes(StandardCharsets.UTF_8).length + 1).isLessThanOrEqualTo(2048);
            assertThat(JSON.readTree(l).path("accessKeyId").asText()).endsWith(AuditRecord.TRUNCATED);
        });
    }

    /** /dev/full fails every write with ENOSPC, for root too: a full disk without filling one. */
    @Test
    void aFullDiskMakesAFailClosedLogUnavailableUntilWritesSucceedAgain() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full));
        Path file = tmp.resolve("audit.log");
        Files.createSymbolicLink(file, full);
        JsonLinesAuditLog log = new JsonLinesAuditLog(file, SMALL.withFailClosed(true));
        assertThat(log.available()).isTrue();
        log.record(record("during-outage"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !log.available());
        assertThat(log.healthy()).isFalse();
        Files.delete(file); // the disk "has room again": the writer reopens a real file and writes what it held
        await().atMost(Duration.ofSeconds(5)).until(log::available);
        log.record(record("after-outage"));
        log.close();
        assertThat(Files.readString(file)).contains("during-outage").contains("after-outage");
        assertThat(log.dropped()).isZero();
    }

    @Test
    void aFullQueueDropsAndCountsRecordsInsteadOfBlockingOrGrowing() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full));
        Path open = tmp.resolve("open");
        Path closed = tmp.resolve("closed");
        Files.createDirectories(open);
        Files.createDirectories(closed);
        Files.createSymbolicLink(open.resolve("audit.log"), full);
        Files.createSymbolicLink(closed.resolve("audit.log"), full);
        JsonLinesAuditLog failOpen = new JsonLinesAuditLog(open.resolve("audit.log"), SMALL);
        JsonLinesAuditLog failClosed = new JsonLinesAuditLog(closed.resolve("audit.log"), SMALL.withFailClosed(true));
        int n = JsonLinesAuditLog.QUEUE_CAPACITY + 20_000;
        AuditRecord r = record("flood");
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            failOpen.record(r);
            failClosed.record(r);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(failOpen.dropped()).isGreaterThan(0);
        assertThat(failClosed.dropped()).isGreaterThan(0);
        assertThat(failOpen.available()).isTrue();
        assertThat(failClosed.available()).isFalse();
        failOpen.close();
        failClosed.close();
    }

    private static List<Path> rotated(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("audit-.*\\.log(\\.gz)?"))
                    .sorted()
                    .toList();
        }
    }

    private static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    private static List<String> requestIds(String jsonLines) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : jsonLines.split("\n")) {
            if (!line.isEmpty()) {
                ids.add(JSON.readTree(line).path("requestId").asText());
            }
        }
        return ids;
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
