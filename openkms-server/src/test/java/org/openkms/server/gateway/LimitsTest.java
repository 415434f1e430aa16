package org.openkms.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;

/**
 * One test per limit of docs/limits.md: the largest documented value is accepted and one more is refused with
 * Alibaba's code, over HTTP. Connection limits and deadlines are in ConnectionLimitsTest.
 */
class LimitsTest {
    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SignedClient client;
    static String keyId;
    static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIlimits", "limits-secret")
                // CreateKeyVersion at once, so that the versions-per-key limit can be reached in one test.
                .withMinKeyVersionInterval(Duration.ZERO));
        client = new SignedClient("http://127.0.0.1:" + server.httpPort(), "LTAIlimits", "limits-secret");
        keyId = client.call("CreateKey", Map.of())
                .body()
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A limit: the action, its parameters for a size n, the largest n allowed and the error code past it. */
    record Limit(String name, String action, IntFunction<Map<String, String>> params, int max, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                        new Limit(
                                "Encrypt Plaintext 6144 bytes",
                                "Encrypt",
                                n -> Map.of(
                                        "KeyId",
                                        keyId,
                                        "Plaintext",
                                        Base64.getEncoder().encodeToString(new byte[n])),
                                6144,
                                "InvalidParameter"),
                        new Limit(
                                "EncryptionContext 8192 characters",
                                "Encrypt",
                                n -> Map.of(
                                        "KeyId",
                                        keyId,
                                        "Plaintext",
                                        "aGk=",
                                        "EncryptionContext",
                                        "{\"k\":\"" + "v".repeat(n - 8) + "\"}"),
                                8192,
                                "InvalidParameter"),
                        new Limit(
                                "SecretData 30720 bytes",
                                "CreateSecret",
                                n -> Map.of(
                                        "SecretName",
                                        "s" + SEQ.incrementAndGet(),
                                        "VersionId",
                                        "v1",
                                        "SecretData",
                                        "x".repeat(n)),
                                30_720,
                                "InvalidParameter"),
                        new Limit(
                                "SecretName 192 characters",
                                "CreateSecret",
                                n -> Map.of("SecretName", unique(n), "VersionId", "v1", "SecretData", "x"),
                                192,
                                "InvalidParameter"),
                        new Limit(
                                "VersionId 64 characters",
                                "CreateSecret",
                                n -> Map.of(
                                        "SecretName",
                                        "v" + SEQ.incrementAndGet(),
                                        "VersionId",
                                        "v".repeat(n),
                                        "SecretData",
                                        "x"),
                                64,
                                "InvalidParameter"),
                        new Limit(
                                "Key Description 8192 characters",
                                "CreateKey",
                                n -> Map.of("Description", "d".repeat(n)),
                                8192,
                                "InvalidParameter"),
                        new Limit(
                                "Tags per resource 20",
                                "CreateKey",
                                n -> Map.of("Tags", tags(n, 3)),
                                20,
                                "InvalidParameter"),
                        new Limit(
                                "TagKey 128 characters",
                                "CreateKey",
                                n -> Map.of("Tags", "[{\"TagKey\":\"" + "k".repeat(n) + "\",\"TagValue\":\"v\"}]"),
                                128,
                                "InvalidParameter"),
                        new Limit(
                                "AliasName alias/ + 255 characters",
                                "CreateAlias",
                                n -> Map.of("KeyId", keyId, "AliasName", "alias/" + unique(n)),
                                255,
                                "InvalidParameter"),
                        new Limit(
                                "ListKeys PageSize 100",
                                "ListKeys",
                                n -> Map.of("PageSize", String.valueOf(n)),
                                100,
                                "InvalidParameter"),
                        new Limit(
                                "RAM policy document 6144 characters",
                                "CreatePolicy",
                                LimitsTest::ramPolicy,
                                6144,
                                "MalformedPolicyDocument"),
                        new Limit(
                                "Key policy 32768 bytes",
                                "SetKeyPolicy",
                                n -> Map.of(
                                        "KeyId",
                                        keyId,
                                        "PolicyName",
                                        "default",
                                        "Policy",
                                        padded(
                                                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"RAM\":[\"acs:ram::1234567890123456:root\"]},"
                                                        + "\"Action\":[\"kms:*\"],\"Resource\":[\"*\"],\"Sid\":\"",
                                                n,
                                                "\"}]}")),
                                32_768,
                                "InvalidParameter"),
                        new Limit(
                                "BatchGetSecretValue 20 secrets",
                                "BatchGetSecretValue",
                                LimitsTest::secretsList,
                                20,
                                "InvalidParameter"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void theLargestDocumentedValueIsAcceptedAndOneMoreIsRefused(Limit limit) throws Exception {
        SignedClient.Reply ok = call(limit.action(), limit.params().apply(limit.max()));
        assertThat(ok.status())
                .as(limit + " at " + limit.max() + ": " + ok.raw())
                .isEqualTo(200);
        SignedClient.Reply over = call(limit.action(), limit.params().apply(limit.max() + 1));
        assertThat(over.status())
                .as(limit + " at " + (limit.max() + 1) + ": " + over.raw())
                .isEqualTo(400);
        assertThat(over.code()).as(over.raw()).startsWith(limit.code());
    }

    @Test
    void aKeyHasAtMost50Versions() throws Exception {
        String key = client.call("CreateKey", Map.of())
                .body()
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
        for (int n = 2; n <= 50; n++) { // CreateKey made version 1
            SignedClient.Reply r = client.call("CreateKeyVersion", Map.of("KeyId", key));
            assertThat(r.status()).as("version " + n + ": " + r.raw()).isEqualTo(200);
        }
        SignedClient.Reply over = client.call("CreateKeyVersion", Map.of("KeyId", key));
        assertThat(over.status()).as(over.raw()).isEqualTo(400);
        assertThat(over.code()).isEqualTo("Rejected.LimitExceeded");
        assertThat(client.call("ListKeyVersions", Map.of("KeyId", key, "PageSize", "100"))
                        .body()
                        .path("TotalCount")
                        .asInt())
                .isEqualTo(50);
    }

    @Test
    void theRequestBodyIsLimitedTo1MiB() throws Exception {
        // The declared length alone is refused, before a byte of the body is read. A raw socket sends the headers
        // only: a client still uploading when the server answers and closes may see a reset instead of the 413, and
        // JDK 17's HttpClient never returns from Expect: 100-continue answered with a final status (JDK-8286171).
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                                    + ((1 << 20) + 1) + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413 ").contains("\"Code\":\"InvalidParameter\"");
        }
    }

    /** Reads one response (headers, then Content-Length bytes) without waiting for the server to close. */
    private static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int headerEnd = -1;
        int contentLength = 0;
        for (int b; (b = in.read()) >= 0; ) {
            out.write(b);
            String sofar = out.toString(StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && sofar.endsWith("\r\n\r\n")) {
                headerEnd = sofar.length();
                Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(sofar);
                contentLength = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            if (headerEnd >= 0 && out.size() >= headerEnd + contentLength) {
                break;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static SignedClient.Reply call(String action, Map<String, String> params) throws Exception {
        if (action.equals("CreatePolicy")) {
            Map<String, String> all = new HashMap<>(params);
            all.put("Version", "2015-05-01"); // RAM is served on the same endpoint under its own API version
            return client.call(action, all);
        }
        return client.call(action, params);
    }

    private static String unique(int length) {
        String prefix = "u" + SEQ.incrementAndGet() + "-";
        return prefix + "x".repeat(Math.max(0, length - prefix.length()));
    }

    private static String tags(int count, int salt) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"TagKey\":\"k")
                    .append(i)
                    .append("\",\"TagValue\":\"v")
                    .append(salt)
                    .append("\"}");
        }
        return sb.append(']').toString();
    }

    private static String padded(String head, int length, String tail) {
        return head + "k".repeat(length - head.length() - tail.length()) + tail;
    }

    private static Map<String, String> secretsList(int count) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"SecretName\":\"missing-")
                    .append(i)
                    .append("\"}");
        }
        return Map.of("SecretsList", sb.append(']').toString());
    }

    private static Map<String, String> ramPolicy(int length) {
        String head =
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Encrypt\",\"Resource\":\"acs:kms:*:*:key/";
        String tail = "\"}]}";
        String doc = head + "k".repeat(length - head.length() - tail.length()) + tail;
        return Map.of("PolicyName", "p" + SEQ.incrementAndGet(), "PolicyDocument", doc);
    }
}
