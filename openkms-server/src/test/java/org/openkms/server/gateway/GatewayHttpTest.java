package org.openkms.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;
import org.openkms.wire.SignedAcs3Request;

/** The HTTP edge: framing, formats, encodings and bad input, over a real socket to an in-process server. */
class GatewayHttpTest {
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
                .withRootAccessKey("LTAIgateway", "gateway-secret"));
        base = "http://127.0.0.1:" + server.httpPort();
        client = new SignedClient(base, "LTAIgateway", "gateway-secret");
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

    @Test
    void healthNeedsNoSignature() throws Exception {
        SignedClient.Reply r = client.send(
                HttpRequest.newBuilder(URI.create(base + "/healthz")).GET().build());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw()).contains("ok");
    }

    @Test
    void answersJsonWithExactContentTypeAndARequestId() throws Exception {
        SignedClient.Reply r = client.call("DescribeRegions", Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json;charset=utf-8");
        assertThat(r.body().path("RequestId").asText()).hasSize(36);
        assertThat(r.body()
                        .path("Regions")
                        .path("Region")
                        .get(0)
                        .path("RegionId")
                        .asText())
                .isEqualTo("cn-hangzhou");
    }

    @Test
    void answersXmlWhenAskedWithAlibabasListShape() throws Exception {
        String keyId = newKey();
        SignedClient.Reply r = client.call("ListKeys", Map.of("Format", "XML", "PageSize", "100"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/xml");
        assertThat(r.raw()).contains("<Keys><Key><KeyId>").contains(keyId).contains("<TotalCount>");
        SignedClient.Reply err = client.call("DescribeKey", Map.of("Format", "XML", "KeyId", "key-missing"));
        assertThat(err.status()).isEqualTo(404);
        assertThat(err.raw()).contains("<Error>").contains("<Code>Forbidden.KeyNotFound</Code>");
    }

    @Test
    void errorsCarryCodeMessageRequestIdHostIdAndStatus() throws Exception {
        SignedClient.Reply r = client.call("Encrypt", Map.of("KeyId", "key-nope", "Plaintext", "aGk="));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().path("Code").asText()).isEqualTo("Forbidden.KeyNotFound");
        assertThat(r.body().path("Message").asText()).isNotEmpty();
        assertThat(r.body().path("RequestId").asText()).isNotEmpty();
        assertThat(r.body().path("HostId").asText()).isEqualTo("kms.cn-hangzhou.aliyuncs.com");
        assertThat(r.body().path("HttpStatus").asInt()).isEqualTo(404);
    }

    @Test
    void rejectsOtherHttpMethods() throws Exception {
        String q = client.signer().signRpc("PUT", "DescribeRegions", Map.of());
        SignedClient.Reply r = client.send(HttpRequest.newBuilder(URI.create(base + "/?" + q))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("UnsupportedHTTPMethod");
    }

    @Test
    void acceptsParametersInAFormBodyAndGetRequests() throws Exception {
        String keyId = newKey();
        String q = client.signer().signRpc("POST", "DescribeKey", Map.of("KeyId", keyId));
        SignedClient.Reply form = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(q))
                .build());
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body().path("KeyMetadata").path("KeyId").asText()).isEqualTo(keyId);
        String g = client.signer().signRpc("GET", "DescribeKey", Map.of("KeyId", keyId));
        SignedClient.Reply get = client.send(
                HttpRequest.newBuilder(URI.create(base + "/?" + g)).GET().build());
        assertThat(get.status()).isEqualTo(200);
    }

    @Test
    void acceptsAcs3WithAChunkedEmptyBodyLikeOkHttp() throws Exception {
        String keyId = newKey();
        String host = "127.0.0.1:" + server.httpPort();
        SignedAcs3Request s = client.signer().signAcs3("POST", host, "DescribeKey", Map.of("KeyId", keyId));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + s.pathAndQuery()))
                // an InputStream publisher of unknown length makes the JDK client send Transfer-Encoding: chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[0])));
        s.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host")) {
                b.header(k, v);
            }
        });
        SignedClient.Reply r = client.send(b.build());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void acceptsTheNodeSdksFlattenedEncryptionContext() throws Exception {
        String keyId = newKey();
        String blob = client.call(
                        "Encrypt",
                        Map.of(
                                "KeyId",
                                keyId,
                                "Plaintext",
                                "aGk=",
                                "EncryptionContext",
                                "{\"k e*y~\":\"v+/=é\",\"a\":\"b\"}"))
                .body()
                .path("CiphertextBlob")
                .asText();
        SignedClient.Reply r = client.call(
                "Decrypt",
                Map.of("CiphertextBlob", blob, "EncryptionContext.a", "b", "EncryptionContext.k e*y~", "v+/=é"));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("Plaintext").asText()).isEqualTo("aGk=");
    }

    @Test
    void malformedInputGets400NotA500() throws Exception {
        // java.net.URI refuses to build this URL, so it goes out on a raw socket.
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.httpPort())) {
            s.getOutputStream()
                    .write(
                            ("POST /?Action=Encrypt&KeyId=%ZZ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400").contains("InvalidParameter");
        }
        String keyId = newKey();
        assertThat(client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "not base64!"))
                        .code())
                .isEqualTo("InvalidParameter");
        assertThat(client.call("Encrypt", Map.of("KeyId", keyId)).code()).isEqualTo("MissingParameter");
        assertThat(client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk=", "EncryptionContext", "{\"a\":1}"))
                        .code())
                .isEqualTo("InvalidParameter");
        assertThat(client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk=", "EncryptionContext", "[not json"))
                        .code())
                .isEqualTo("InvalidParameter");
        String big = Base64.getEncoder().encodeToString(new byte[6 * 1024 + 1]);
        assertThat(client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", big))
                        .code())
                .isEqualTo("InvalidParameter");
        assertThat(client.call(
                                "Decrypt",
                                Map.of("CiphertextBlob", Base64.getEncoder().encodeToString(new byte[70])))
                        .code())
                .isEqualTo("InvalidParameter");
        assertThat(client.call("ListKeys", Map.of("PageSize", "1000")).code()).isEqualTo("InvalidParameter");
        assertThat(client.call("ListKeys", Map.of("Filters", "{\"not\":\"a list\"}"))
                        .code())
                .isEqualTo("InvalidParameter");
        assertThat(client.call("CreateKey", Map.of("KeySpec", "AES_999")).code())
                .isEqualTo("InvalidParameter");
        assertThat(client.call("CreateKey", Map.of("EnableAutomaticRotation", "yes"))
                        .code())
                .isEqualTo("InvalidParameter");
        assertThat(client.call("GenerateDataKey", Map.of("KeyId", keyId, "NumberOfBytes", "1025"))
                        .code())
                .isEqualTo("InvalidParameter");
        assertThat(client.call(
                                "TagResources",
                                Map.of("RegionId", "cn-hangzhou", "ResourceType", "key", "ResourceId.x", keyId))
                        .code())
                .isEqualTo("InvalidParameter");
    }

    @Test
    void truncatedAndBitFlippedCiphertextsAreRejectedCleanly() throws Exception {
        String keyId = newKey();
        byte[] blob = Base64.getDecoder()
                .decode(client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGVsbG8="))
                        .body()
                        .path("CiphertextBlob")
                        .asText());
        for (int cut : new int[] {1, 10, blob.length - 36, blob.length - 1}) {
            byte[] truncated = java.util.Arrays.copyOf(blob, blob.length - cut);
            SignedClient.Reply r = client.call(
                    "Decrypt", Map.of("CiphertextBlob", Base64.getEncoder().encodeToString(truncated)));
            assertThat(r.status()).as("cut " + cut).isIn(400, 404);
        }
        for (int i = 36; i < blob.length; i += 7) {
            byte[] flipped = blob.clone();
            flipped[i] ^= 0x01;
            SignedClient.Reply r = client.call(
                    "Decrypt", Map.of("CiphertextBlob", Base64.getEncoder().encodeToString(flipped)));
            assertThat(r.code()).as("flip at " + i).isEqualTo("InvalidParameter");
        }
    }

    @Test
    void everyCallIsAuditedWithoutPlaintext() throws Exception {
        String keyId = newKey();
        client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "c2VjcmV0LXBsYWludGV4dA=="));
        Path log = dir.resolve("audit").resolve("audit.log");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> java.nio.file.Files.exists(log)
                        && java.nio.file.Files.readString(log).contains("\"action\":\"Encrypt\""));
        String audit = java.nio.file.Files.readString(log);
        assertThat(audit)
                .contains(keyId)
                .contains("LTAIgateway")
                .doesNotContain("c2VjcmV0LXBsYWludGV4dA")
                .doesNotContain("gateway-secret");
    }
}
