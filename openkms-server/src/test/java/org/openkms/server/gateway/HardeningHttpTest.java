package org.openkms.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;
import org.openkms.server.http.RawHttp;
import org.openkms.wire.Acs3Signature;
import org.openkms.wire.AcsHeaders;
import org.openkms.wire.Nonces;
import org.openkms.wire.PercentEncoding;
import org.openkms.wire.Timestamps;

/**
 * Regression tests for the holes found by probing the server from outside (issue 9): every one reproduces the
 * attack as it was reported, over a real socket, and checks that it fails and that nothing changed.
 */
class HardeningHttpTest {
    private static final String AK = "LTAIhardening";
    private static final String SECRET = "hardening-secret";

    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SignedClient client;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey(AK, SECRET));
        base = "http://127.0.0.1:" + server.httpPort();
        client = new SignedClient(base, AK, SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newKey() throws Exception {
        return client.call("CreateKey", Map.of())
                .body()
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
    }

    private static String keyState(String keyId) throws Exception {
        return client.call("DescribeKey", Map.of("KeyId", keyId))
                .body()
                .path("KeyMetadata")
                .path("KeyState")
                .asText();
    }

    // ------------------------------------------------------------------ 1. the signed action cannot be swapped

    @Test
    void anUnsignedActionHeaderCannotTurnAnRpcDescribeKeyIntoDisableKey() throws Exception {
        String keyId = newKey();
        String q = client.signer().signRpc("POST", "DescribeKey", Map.of("KeyId", keyId));
        SignedClient.Reply r = client.send(HttpRequest.newBuilder(URI.create(base + "/?" + q))
                .header("x-acs-action", "DisableKey")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("IncompleteSignature");
        assertThat(keyState(keyId)).isEqualTo("Enabled");
    }

    @Test
    void anUnsignedVersionHeaderCannotMoveAnRpcCallToAnotherProduct() throws Exception {
        String q = client.signer().signRpc("POST", "DescribeRegions", Map.of());
        SignedClient.Reply r = client.send(HttpRequest.newBuilder(URI.create(base + "/?" + q))
                .header("x-acs-version", "2015-05-01")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("IncompleteSignature");
    }

    @Test
    void theV1SdksMatchingActionHeaderIsStillAccepted() throws Exception {
        String q = client.signer().signRpc("POST", "DescribeRegions", Map.of());
        SignedClient.Reply r = client.send(HttpRequest.newBuilder(URI.create(base + "/?" + q))
                .header("x-acs-action", "DescribeRegions")
                .header("x-acs-version", "2016-01-20")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void anAcs3RequestThatLeavesTheActionOutOfSignedHeadersCannotBeRedirected() throws Exception {
        String keyId = newKey();
        Map<String, String> query = Map.of("Action", "DescribeKey", "Version", "2016-01-20", "KeyId", keyId);
        // Signed as a client that carries the action in the (signed) query string only: accepted.
        assertThat(sendAcs3(query, Map.of()).status()).isEqualTo(200);
        // The same kind of request with an x-acs-action header added on the way: refused, key untouched.
        SignedClient.Reply swapped = sendAcs3(query, Map.of("x-acs-action", "DisableKey"));
        assertThat(swapped.status()).isEqualTo(400);
        assertThat(swapped.code()).isEqualTo("IncompleteSignature");
        assertThat(keyState(keyId)).isEqualTo("Enabled");
    }

    @Test
    void anAcs3FormBodyNeedsASignedContentType() throws Exception {
        String keyId = newKey();
        byte[] body = ("KeyId=" + keyId).getBytes(StandardCharsets.UTF_8);
        var signed = client.signer()
                .signAcs3(
                        "POST",
                        "127.0.0.1:" + server.httpPort(),
                        "DescribeKey",
                        Map.of(),
                        System.currentTimeMillis(),
                        Nonces.newNonce(),
                        body,
                        null);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + signed.pathAndQuery()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host")) {
                b.header(k, v);
            }
        });
        SignedClient.Reply r = client.send(b.build());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("IncompleteSignature");
    }

    /** ACS3 signed by hand: the given query (Action and Version in it) and only the mandatory x-acs-* headers. */
    private static SignedClient.Reply sendAcs3(Map<String, String> query, Map<String, String> unsignedExtra)
            throws Exception {
        String host = "127.0.0.1:" + server.httpPort();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(AcsHeaders.HOST, host);
        headers.put(AcsHeaders.CONTENT_SHA256, Acs3Signature.sha256Hex(new byte[0]));
        headers.put(AcsHeaders.DATE, Timestamps.format(System.currentTimeMillis()));
        headers.put(AcsHeaders.SIGNATURE_NONCE, Nonces.newNonce());
        List<String> signed = new ArrayList<>(headers.keySet());
        Collections.sort(signed);
        String cr = Acs3Signature.canonicalRequest(
                "POST", "/", query, signed, headers, headers.get(AcsHeaders.CONTENT_SHA256));
        String sig = Acs3Signature.sign(Acs3Signature.stringToSign(cr), SECRET);
        StringBuilder qs = new StringBuilder();
        query.forEach((k, v) -> {
            if (qs.length() > 0) {
                qs.append('&');
            }
            PercentEncoding.encode(k, qs);
            qs.append('=');
            PercentEncoding.encode(v, qs);
        });
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/?" + qs))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header(
                        "Authorization",
                        Acs3Signature.ALGORITHM + " Credential=" + AK + ",SignedHeaders=" + String.join(";", signed)
                                + ",Signature=" + sig);
        headers.forEach((k, v) -> {
            if (!k.equals(AcsHeaders.HOST)) {
                b.header(k, v);
            }
        });
        unsignedExtra.forEach(b::header);
        return client.send(b.build());
    }

    // ------------------------------------------------------------------ 1b. conflicting parameter sources

    @Test
    void aParameterRepeatedInTheQueryIsRefused() throws Exception {
        String keyId = newKey();
        String q = client.signer().signRpc("POST", "DescribeKey", Map.of("KeyId", keyId));
        // The same name again, plainly and disguised by its encoding (%4B = 'K'): whichever value a layer kept,
        // the signature and the action could disagree on it.
        for (String extra : List.of("&KeyId=" + keyId, "&KeyId=alias/other", "&%4BeyId=alias/other")) {
            SignedClient.Reply r = post(q + extra);
            assertDuplicate(r, "KeyId");
        }
        // A repeated Action may not turn a signed DescribeKey into DisableKey either way round.
        assertDuplicate(post(q + "&Action=DisableKey"), "Action");
        assertDuplicate(post("Action=DisableKey&" + q), "Action");
        assertThat(keyState(keyId)).isEqualTo("Enabled");
        // The request itself, once, is fine.
        assertThat(post(q).status()).isEqualTo(200);
    }

    @Test
    void aParameterRepeatedInTheFormBodyIsRefused() throws Exception {
        String keyId = newKey();
        String q = client.signer().signRpc("POST", "DescribeRegions", Map.of());
        SignedClient.Reply r = postForm(q, "KeyId=" + keyId + "&KeyId=" + keyId);
        assertDuplicate(r, "KeyId");
    }

    @Test
    void aParameterInBothTheQueryAndTheFormBodyIsRefused() throws Exception {
        String keyId = newKey();
        // Signed over the query only; the form body repeats two of its names with other values.
        String q = client.signer().signRpc("POST", "DescribeKey", Map.of("KeyId", keyId));
        assertDuplicate(postForm(q, "Action=DisableKey"), "Action");
        assertDuplicate(postForm(q, "KeyId=" + keyId), "KeyId");
        assertThat(keyState(keyId)).isEqualTo("Enabled");
        // Signed over query and form together (as the V1 SDK signs body parameters), each name once: accepted.
        Map<String, String> params = new LinkedHashMap<>();
        params.put("KeyId", keyId);
        String all = client.signer().signRpc("POST", "DescribeKey", params);
        String keyPart = "KeyId=" + PercentEncoding.encode(keyId);
        String queryOnly = java.util.Arrays.stream(all.split("&"))
                .filter(p -> !p.equals(keyPart))
                .collect(java.util.stream.Collectors.joining("&"));
        SignedClient.Reply split = postForm(queryOnly, keyPart);
        assertThat(split.status()).as(split.raw()).isEqualTo(200);
        assertThat(split.body().path("KeyMetadata").path("KeyId").asText()).isEqualTo(keyId);
    }

    private static void assertDuplicate(SignedClient.Reply r, String name) {
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.code()).isEqualTo("InvalidParameter");
        assertThat(r.body().path("Message").asText())
                .isEqualTo("The specified parameter \"" + name + "\" is not valid. "
                        + "It is given more than once (in the query string, in the form body, or in both).");
        assertThat(r.body().path("RequestId").asText()).hasSize(36);
        assertThat(r.body().path("HttpStatus").asInt()).isEqualTo(400);
    }

    private static SignedClient.Reply postForm(String query, String form) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + "/?" + query))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    @Test
    void anUnsignedEmptyMapEntryCannotBeBoundIntoACiphertext() throws Exception {
        String keyId = newKey();
        // The V2 SDK's RPC mode leaves empty values out of the signature, so "EncryptionContext.evil=" added to a
        // captured Encrypt still verifies; it must not bind {"evil":""} into the ciphertext (the owner could
        // then never decrypt it without knowing).
        Map<String, String> params = new LinkedHashMap<>();
        params.put("KeyId", keyId);
        params.put("Plaintext", "aGVsbG8=");
        String q = client.signer()
                .signRpc("POST", "Encrypt", params, System.currentTimeMillis(), Nonces.newNonce(), false);
        SignedClient.Reply r = post(q + "&EncryptionContext.evil=");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        String blob = r.body().path("CiphertextBlob").asText();
        SignedClient.Reply plain = client.call("Decrypt", Map.of("CiphertextBlob", blob));
        assertThat(plain.status()).as(plain.raw()).isEqualTo(200);
        assertThat(plain.body().path("Plaintext").asText()).isEqualTo("aGVsbG8=");
    }

    @Test
    void theV2SdksUnsignedEmptyDescriptionStillClearsIt() throws Exception {
        String keyId = newKey();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("KeyId", keyId);
        params.put("Description", "");
        String q = client.signer()
                .signRpc("POST", "UpdateKeyDescription", params, System.currentTimeMillis(), Nonces.newNonce(), false);
        assertThat(post(q).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ nonces

    @Test
    void aNonceReusedWithAnEarlierTimestampIsRefused() throws Exception {
        long now = System.currentTimeMillis();
        String nonce = Nonces.newNonce();
        String first = client.signer().signRpc("POST", "DescribeRegions", Map.of(), now, nonce, true);
        String again = client.signer().signRpc("POST", "DescribeRegions", Map.of(), now - 5 * 60_000, nonce, true);
        assertThat(post(first).status()).isEqualTo(200);
        SignedClient.Reply r = post(again);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("SignatureNonceUsed");
    }

    @Test
    void aForgedRequestDoesNotUseUpTheNonceOfTheRealOne() throws Exception {
        // The nonce cache is filled only after the signature has been verified: a forger who sees (or guesses) a
        // nonce before the real request arrives must not get the real request refused as a replay.
        long now = System.currentTimeMillis();
        String nonce = Nonces.newNonce();
        SignedClient forger = new SignedClient(base, AK, "not-the-secret");
        String forged = forger.signer().signRpc("POST", "DescribeRegions", Map.of(), now, nonce, true);
        for (int i = 0; i < 3; i++) {
            SignedClient.Reply r = post(forged);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("SignatureDoesNotMatch");
        }
        String real = client.signer().signRpc("POST", "DescribeRegions", Map.of(), now, nonce, true);
        SignedClient.Reply ok = post(real);
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        // ... and that use does count: the same nonce again is a replay.
        assertThat(post(real).code()).isEqualTo("SignatureNonceUsed");
    }

    private static SignedClient.Reply post(String query) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + "/?" + query))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    // ------------------------------------------------------------------ 2. stalled clients

    @Test
    void threeHundredStalledRequestBodiesDoNotStopOtherCalls() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket("127.0.0.1", server.httpPort());
                s.getOutputStream()
                        .write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                        + "Content-Length: 1000\r\n\r\nKeyId=")
                                .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stalled.add(s);
            }
            long t0 = System.nanoTime();
            String keyId = newKey();
            SignedClient.Reply enc = client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGVsbG8="));
            assertThat(enc.status()).isEqualTo(200);
            SignedClient.Reply health = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).GET().build());
            assertThat(health.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void aBodyTrickledBelowTheMinimumDataRateIsCutOffWhileABodySentAtOnceIsServed() throws Exception {
        // 10 bytes a second against the documented 1,024 B/s (HttpLimits.minRequestDataRate): the server answers 408,
        // as an Alibaba error, long before the 30-second request deadline would close the connection.
        RawHttp.Trickled trickled;
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            trickled = RawHttp.trickle(
                    s,
                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                            + "Content-Length: 3000\r\n\r\n");
        }
        String answer = trickled.answer();
        assertThat(trickled.elapsed()).isLessThan(Duration.ofSeconds(5));
        assertAlibabaError(answer, 408);
        assertThat(answer).contains("\"Code\":\"RequestTimeout\"");

        // The same size of body, sent at once by a client: served. (The whole signed request in the form body, as
        // a V1 SDK client with body parameters sends it.)
        String keyId = newKey();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("KeyId", keyId);
        params.put("Description", "d".repeat(3000));
        String form = client.signer().signRpc("POST", "UpdateKeyDescription", params);
        assertThat(form.length()).isGreaterThan(3000);
        SignedClient.Reply r = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(client.call("DescribeKey", Map.of("KeyId", keyId))
                        .body()
                        .path("KeyMetadata")
                        .path("Description")
                        .asText())
                .hasSize(3000);
    }

    // ------------------------------------------------------------------ 4. reserved aliases

    @Test
    void theSecretsManagerServiceAliasCannotBeRepointedOrDeleted() throws Exception {
        assertThat(client.call(
                                "CreateSecret",
                                Map.of("SecretName", "reserved-alias-probe", "SecretData", "x", "VersionId", "v1"))
                        .status())
                .isEqualTo(200);
        String mine = newKey();
        for (SignedClient.Reply r : List.of(
                client.call("UpdateAlias", Map.of("AliasName", "alias/acs/secrets-manager", "KeyId", mine)),
                client.call("DeleteAlias", Map.of("AliasName", "alias/acs/secrets-manager")),
                client.call("CreateAlias", Map.of("AliasName", "alias/acs/other", "KeyId", mine)))) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("InvalidParameter");
        }
        JsonNode aliases = client.call("ListAliases", Map.of("PageSize", "100"))
                .body()
                .path("Aliases")
                .path("Alias");
        boolean present = false;
        for (JsonNode a : aliases) {
            if (a.path("AliasName").asText().equals("alias/acs/secrets-manager")) {
                present = true;
                assertThat(a.path("KeyId").asText()).isNotEqualTo(mine);
            }
        }
        assertThat(present).isTrue();
        // Nor can the key behind it be disabled, deleted or locked away by a key policy.
        for (SignedClient.Reply r : List.of(
                client.call("DisableKey", Map.of("KeyId", "alias/acs/secrets-manager")),
                client.call(
                        "ScheduleKeyDeletion",
                        Map.of("KeyId", "alias/acs/secrets-manager", "PendingWindowInDays", "7")),
                client.call(
                        "SetKeyPolicy",
                        Map.of(
                                "KeyId",
                                "alias/acs/secrets-manager",
                                "PolicyName",
                                "default",
                                "Policy",
                                "{\"Version\":\"1\",\"Statement\":[]}")))) {
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("Rejected.UnsupportedOperation");
        }
        assertThat(client.call("GetSecretValue", Map.of("SecretName", "reserved-alias-probe"))
                        .status())
                .isEqualTo(200);
    }

    // ------------------------------------------------------------------ 6. smaller ones

    @Test
    void xmlAnswersStayWellFormedWithControlCharactersInASecret() throws Exception {
        String value = "line1\u0001\u001f\r\nend\uFFFF";
        assertThat(client.call(
                                "CreateSecret",
                                Map.of("SecretName", "xml-control", "SecretData", value, "VersionId", "v1"))
                        .status())
                .isEqualTo(200);
        SignedClient.Reply json = client.call("GetSecretValue", Map.of("SecretName", "xml-control"));
        assertThat(json.body().path("SecretData").asText()).isEqualTo(value); // JSON carries it unchanged
        SignedClient.Reply xml = client.call("GetSecretValue", Map.of("SecretName", "xml-control", "Format", "XML"));
        assertThat(xml.status()).isEqualTo(200);
        var doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.raw().getBytes(StandardCharsets.UTF_8)));
        String parsed = doc.getElementsByTagName("SecretData").item(0).getTextContent();
        assertThat(parsed).isEqualTo("line1\uFFFD\uFFFD\r\nend\uFFFD");
    }

    @Test
    void duplicateEncryptionContextKeysAreRefused() throws Exception {
        String keyId = newKey();
        SignedClient.Reply r = client.call(
                "Encrypt",
                Map.of(
                        "KeyId",
                        keyId,
                        "Plaintext",
                        "aGVsbG8=",
                        "EncryptionContext",
                        "{\"tenant\":\"a\",\"tenant\":\"b\"}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("InvalidParameter");
        for (String bad : List.of("{\"a\":\"1\"}{\"a\":\"2\"}", "{\"a\":\"1\"} junk", "{\"k\":\"\\ud800\"}")) {
            SignedClient.Reply refused =
                    client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGVsbG8=", "EncryptionContext", bad));
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("InvalidParameter");
        }
    }

    // ------------------------------------------------------------------ 7. documented sizes, Alibaba errors everywhere

    @Test
    void aDocumentedMaximumSecretOfChineseTextFitsInTheUrl() throws Exception {
        String chinese = "密".repeat(10_240); // 30,720 bytes of UTF-8, 92,160 characters once percent-encoded
        assertThat(chinese.getBytes(StandardCharsets.UTF_8)).hasSize(30_720);
        SignedClient.Reply created = client.call(
                "CreateSecret", Map.of("SecretName", "big-chinese", "SecretData", chinese, "VersionId", "v1"));
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        assertThat(client.call("GetSecretValue", Map.of("SecretName", "big-chinese"))
                        .body()
                        .path("SecretData")
                        .asText())
                .isEqualTo(chinese);
    }

    @Test
    void anEncryptionContextOf8192CharactersIsAccepted() throws Exception {
        String keyId = newKey();
        String value = "上".repeat(8192 - 10);
        String context = "{\"k\":\"" + value + "\"}";
        assertThat(context.length()).isLessThanOrEqualTo(8192);
        SignedClient.Reply r =
                client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGVsbG8=", "EncryptionContext", context));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void httpLayerErrorsAreAlibabaJson() throws Exception {
        assertAlibabaError(raw("GET /?" + "a".repeat(300 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
        assertAlibabaError(raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(300 * 1024) + "\r\n\r\n"), 431);
        assertAlibabaError(raw("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nContent-Length: 13\r\n\r\n"), 400);
        assertAlibabaError(raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"), 413);
        assertAlibabaError(raw("GET / HTTP/7.0\r\nHost: x\r\n\r\n"), 505);
    }

    private static void assertAlibabaError(String response, int status) throws IOException {
        String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertThat(head).startsWith("HTTP/1.1 " + status);
        assertThat(head.toLowerCase()).contains("content-type: application/json");
        if (head.toLowerCase().contains("transfer-encoding: chunked")) {
            body = body.substring(body.indexOf("\r\n") + 2);
            body = body.substring(0, body.lastIndexOf('}') + 1);
        }
        JsonNode json = new ObjectMapper().readTree(body);
        assertThat(json.path("Code").asText()).isNotEmpty();
        assertThat(json.path("Message").asText()).isNotEmpty();
        assertThat(json.path("RequestId").asText()).hasSize(36);
        assertThat(json.path("HttpStatus").asInt()).isEqualTo(status);
    }

    /** Sends raw bytes and reads the whole answer (the server closes after an error). */
    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(10_000);
            return RawHttp.exchange(s, request);
        }
    }
}
