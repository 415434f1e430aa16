package org.openkms.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.audit.AuditRecord;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.AuditConfig;
import org.openkms.server.config.ServerConfig;

/**
 * The audit log seen from outside, over real HTTP to an in-process server: what an unauthenticated caller can
 * make it write, and what calls do when it cannot be written (fail closed and fail open).
 */
class AuditHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HUGE = "A".repeat(60 * 1024);

    @TempDir
    Path dir;

    OpenKmsServer server;
    SignedClient client;
    String base;

    private void start(AuditConfig audit) throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIaudit", "audit-secret")
                .withAudit(audit));
        base = "http://127.0.0.1:" + server.httpPort();
        client = new SignedClient(base, "LTAIaudit", "audit-secret");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path auditDir() {
        return dir.resolve("audit");
    }

    private Path log() {
        return auditDir().resolve("audit.log");
    }

    /** An unsigned RPC call with its parameters in a form body (up to 1 MiB), as an attacker would send it. */
    private SignedClient.Reply form(Map<String, String> params) throws Exception {
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static Map<String, String> rpc(String action, String accessKeyId) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Action", action);
        p.put("Version", "2016-01-20");
        p.put("AccessKeyId", accessKeyId);
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", java.util.UUID.randomUUID().toString());
        p.put("Timestamp", java.time.Instant.now().toString());
        p.put("Signature", "bm90IGEgc2lnbmF0dXJl");
        return p;
    }

    /** The audit line of one request, once the writer has written it. */
    private JsonNode auditLine(String requestId) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (String line : lines()) {
                if (line.contains("\"requestId\":\"" + requestId + "\"")) {
                    found[0] = line;
                    return true;
                }
            }
            return false;
        });
        assertThat(found[0].getBytes(StandardCharsets.UTF_8).length + 1)
                .as("bytes of one record")
                .isLessThanOrEqualTo(2048);
        try {
            return JSON.readTree(found[0]);
        } catch (IOException e) {
            throw new AssertionError(found[0], e);
        }
    }

    private List<String> lines() throws IOException {
        return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    }

    @Test
    void aHugeClaimedAccessKeyIdOrActionMakesABoundedRecord() throws Exception {
        start(AuditConfig.defaults());

        SignedClient.Reply bigKey = form(rpc("DescribeRegions", HUGE));
        assertThat(bigKey.status()).isBetween(400, 499);
        JsonNode r = auditLine(bigKey.body().path("RequestId").asText());
        assertThat(r.path("accessKeyId").asText()).startsWith("AAAA").endsWith(AuditRecord.TRUNCATED);
        assertThat(r.path("accessKeyId").asText().length()).isLessThanOrEqualTo(AuditRecord.MAX_ID);
        assertThat(r.path("action").asText()).isEqualTo("DescribeRegions");

        SignedClient.Reply bigAction = form(rpc(HUGE, "LTAIaudit"));
        assertThat(bigAction.status()).isBetween(400, 499);
        r = auditLine(bigAction.body().path("RequestId").asText());
        assertThat(r.path("action").asText()).startsWith("AAAA").endsWith(AuditRecord.TRUNCATED);
        assertThat(r.path("accessKeyId").asText()).isEqualTo("LTAIaudit");

        // ACS3: the claimed AccessKeyId is the Credential of the Authorization header (64 KiB of headers allowed).
        SignedClient.Reply acs3 = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Authorization", "ACS3-HMAC-SHA256 Credential=" + HUGE + ",SignedHeaders=host,Signature=00")
                .header("x-acs-action", "DescribeRegions")
                .header("x-acs-version", "2016-01-20")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(acs3.status()).isBetween(400, 499);
        r = auditLine(acs3.body().path("RequestId").asText());
        assertThat(r.path("accessKeyId").asText()).startsWith("AAAA").endsWith(AuditRecord.TRUNCATED);
    }

    @Test
    void aClaimedAccessKeyIdCannotForgeAuditLines() throws Exception {
        start(AuditConfig.defaults());
        String forged = "LTAIx\n{\"requestId\":\"forged\",\"principal\":\"root:root\"}\r\n\u2028\u0085";
        SignedClient.Reply reply = form(rpc("DescribeRegions", forged));
        JsonNode r = auditLine(reply.body().path("RequestId").asText());
        assertThat(r.path("accessKeyId").asText()).isEqualTo(forged);
        assertThat(lines())
                .noneMatch(l -> l.startsWith("{\"requestId\":\"forged\""))
                .allSatisfy(l -> JSON.readTree(l));
    }

    @Test
    void aFloodOfHugeUnauthenticatedRequestsGrowsTheLogByAtMost2KiBEach() throws Exception {
        start(AuditConfig.defaults());
        int n = 200;
        String last = null;
        for (int i = 0; i < n; i++) {
            last = form(rpc("DescribeRegions", HUGE)).body().path("RequestId").asText();
        }
        auditLine(last);
        assertThat(Files.size(log())).isLessThanOrEqualTo(2048L * (n + 5));
    }

    @Test
    void failClosedRefusesCallsWhileTheLogCannotBeWrittenAndRecovers() throws Exception {
        start(AuditConfig.defaults().withFailClosed(true));
        assertThat(client.call("CreateKey", Map.of()).status()).isEqualTo(200);
        int keys = keyCount();

        blockAuditDirectory();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.call("DescribeRegions", Map.of()).status() == 503);
        SignedClient.Reply refused = client.call("CreateKey", Map.of());
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo("ServiceUnavailableTemporary");
        assertThat(refused.body().path("Message").asText())
                .isEqualTo("The audit log cannot be written; the request was refused.");
        assertThat(refused.body().path("HttpStatus").asInt()).isEqualTo(503);
        assertThat(refused.body().path("RequestId").asText()).isNotEmpty();
        assertThat(refused.body().path("HostId").asText()).isEqualTo("kms.cn-hangzhou.aliyuncs.com");
        String refusedId = refused.body().path("RequestId").asText();
        // A load balancer's health check sees it too.
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                                .GET()
                                .build())
                        .status())
                .isEqualTo(503);
        // Authentication still comes first: a bad signature is told so, not that the log is down.
        assertThat(new SignedClient(base, "LTAIaudit", "wrong")
                        .call("DescribeRegions", Map.of())
                        .code())
                .isEqualTo("SignatureDoesNotMatch");

        unblockAuditDirectory();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.call("DescribeRegions", Map.of()).status() == 200);
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                                .GET()
                                .build())
                        .status())
                .isEqualTo(200);
        assertThat(keyCount()).as("the refused CreateKey was not executed").isEqualTo(keys);
        // The refusals were held in the queue and written once the log could be written again.
        assertThat(auditLine(refusedId).path("result").asText()).isEqualTo("ServiceUnavailableTemporary");
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auditDir())))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log())))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void failOpenKeepsServingWhileTheLogCannotBeWritten() throws Exception {
        start(AuditConfig.defaults());
        assertThat(client.call("DescribeRegions", Map.of()).status()).isEqualTo(200);
        blockAuditDirectory();
        Thread.sleep(3 * JsonLinesAuditLog.RETRY_MILLIS); // the writer has noticed
        for (int i = 0; i < 5; i++) {
            assertThat(client.call("CreateKey", Map.of()).status()).isEqualTo(200);
        }
        unblockAuditDirectory();
        String id = client.call("DescribeRegions", Map.of())
                .body()
                .path("RequestId")
                .asText();
        assertThat(auditLine(id).path("result").asText()).isEqualTo("OK");
        assertThat(lines().stream().filter(l -> l.contains("\"action\":\"CreateKey\"")))
                .hasSize(5);
    }

    /**
     * Replaces the audit directory with a plain file: the writer's reopen then fails with an I/O error, for
     * root too (a chmod would not stop root). Retried because the writer may recreate the directory between
     * the delete and the create.
     */
    private void blockAuditDirectory() throws IOException {
        for (int attempt = 0; ; attempt++) {
            deleteTree(auditDir());
            try {
                Files.createFile(auditDir());
                return;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 20) {
                    throw e;
                }
            }
        }
    }

    private void unblockAuditDirectory() throws IOException {
        Files.delete(auditDir());
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    private int keyCount() throws Exception {
        return client.call("ListKeys", Map.of("PageSize", "100"))
                .body()
                .path("TotalCount")
                .asInt();
    }
}
