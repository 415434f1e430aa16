package org.openkms.server.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;
import org.openkms.server.http.RawHttp;
import org.openkms.wire.ProtoWire;
import org.openkms.wire.RequestSigner;

/**
 * The instance listener's front end over raw TLS sockets: what reaches it before any ClientKey signature is checked
 * (bodies that are too large or too slow, HTTP that Jetty refuses) is answered with a protobuf {@code Error} message,
 * the only error body the official instance clients can read.
 */
class InstancePortHttpTest {
    private static final String AK = "LTAIinstanceport";
    private static final String SECRET = "instance-port-secret";

    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SSLContext tls;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withInstanceListen("127.0.0.1:0")
                .withRootAccessKey(AK, SECRET));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(
                "ca",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(
                                new ByteArrayInputStream(server.instanceCaPem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SSLSocket connect() throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.instancePort());
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static final String INSTANCE_HEADERS = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/x-protobuf\r\nx-kms-apiversion: dkms-gcs-0.2\r\nx-kms-apiname: Encrypt\r\n";

    // ------------------------------------------------------------------ the body reader

    @Test
    void aBodyTrickledBelowTheMinimumDataRateIsCutOffWith408() throws Exception {
        // 10 bytes a second against the documented 1,024 B/s (HttpLimits.minRequestDataRate): a 408 Error message
        // long before the 30-second request deadline would close the connection.
        RawHttp.Trickled trickled;
        try (SSLSocket s = connect()) {
            trickled = RawHttp.trickle(s, INSTANCE_HEADERS + "Content-Length: 3000\r\n\r\n");
        }
        String answer = trickled.answer();
        assertThat(trickled.elapsed()).isLessThan(Duration.ofSeconds(5));
        assertProtobufError(answer, 408, "RequestTimeout");
    }

    @Test
    void aBodyOverThreeMegabytesIs413WhetherDeclaredOrChunked() throws Exception {
        assertProtobufError(
                raw(INSTANCE_HEADERS + "Content-Length: " + (3 * 1024 * 1024 + 1) + "\r\n\r\n"),
                413,
                "RequestEntityTooLarge");
        // Chunked, so no length is declared: cut off when the 3 MB are passed.
        String chunk = "a".repeat(64 * 1024);
        StringBuilder req = new StringBuilder(INSTANCE_HEADERS + "Transfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 49; i++) {
            req.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        req.append("0\r\n\r\n");
        assertProtobufError(raw(req.toString()), 413, "RequestEntityTooLarge");
    }

    // ------------------------------------------------------------------ errors Jetty raises itself

    @Test
    void aMalformedRequestIsAProtobufError() throws Exception {
        assertProtobufError(raw("THIS IS NOT HTTP\r\n\r\n"), 400, "InvalidParameter");
        assertProtobufError(
                raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nContent-Length: 13\r\n\r\n"),
                400,
                "InvalidParameter");
        assertProtobufError(raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), 400, "InvalidParameter");
        assertProtobufError(raw("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), 400, "InvalidParameter");
        assertProtobufError(raw("POST / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"), 400, "InvalidParameter");
    }

    @Test
    void anOversizedHeaderIsAProtobufError() throws Exception {
        assertProtobufError(
                raw("POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(300 * 1024) + "\r\n\r\n"),
                431,
                "InvalidParameter");
        assertProtobufError(
                raw("POST /?" + "a".repeat(300 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "InvalidParameter");
    }

    @Test
    void anUnsupportedHttpVersionIsAProtobufError() throws Exception {
        assertProtobufError(raw("POST / HTTP/7.0\r\nHost: x\r\n\r\n"), 505, "UnsupportedHTTPVersion");
        // An HTTP/2 client without ALPN (the listener offers HTTP/1.1 only): Jetty's connection itself answers 426
        // with no body at all, bypassing the error handler; zero bytes still parse as an (empty) Error message.
        String preface = raw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertThat(preface.toLowerCase()).startsWith("http/1.1 426").contains("content-length: 0");
        assertThat(preface).endsWith("\r\n\r\n");
    }

    @Test
    void anotherPathOrMethodIsAProtobufError() throws Exception {
        assertProtobufError(raw("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), 404, "InvalidApiName");
        assertProtobufError(raw("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n"), 404, "InvalidApiName");
    }

    // ------------------------------------------------------------------ the KMS API with AccessKeys

    @Test
    void theKmsApiIsServedForCryptographicOperationsOnlyAfterAuthentication() throws Exception {
        SignedClient shared = new SignedClient("http://127.0.0.1:" + server.httpPort(), AK, SECRET);
        String keyId = shared.call("CreateKey", Map.of())
                .body()
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
        RequestSigner signer = shared.signer();

        SignedClient.Reply enc =
                instanceRpc(signer.signRpc("POST", "Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk=")));
        assertThat(enc.status()).as(enc.raw()).isEqualTo(200);
        assertThat(enc.contentType()).startsWith("application/json");
        String blob = enc.body().path("CiphertextBlob").asText();
        // The V1 SDK may put the whole signed request in a form body.
        SignedClient.Reply dec = instance(HttpRequest.newBuilder(instanceUri(""))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        signer.signRpc("POST", "Decrypt", Map.of("CiphertextBlob", blob)))));
        assertThat(dec.status()).as(dec.raw()).isEqualTo(200);
        assertThat(dec.body().path("Plaintext").asText()).isEqualTo("aGk=");

        // Metrics tell the two gateways apart: the Encrypt made on the instance port counts as gateway="instance",
        // the CreateKey made on the shared port as gateway="shared".
        String metrics = java.net.http.HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("openkms_requests_total{action=\"Encrypt\",code=\"OK\",gateway=\"instance\",status=\"200\"}")
                .contains("openkms_requests_total{action=\"CreateKey\",code=\"OK\",gateway=\"shared\",status=\"200\"}")
                .doesNotContain("action=\"Encrypt\",code=\"OK\",gateway=\"shared\"");

        // A management call, and a RAM call, are refused once the caller is known.
        for (String query : new String[] {
            signer.signRpc("POST", "CreateKey", Map.of()),
            signer.signRpc("POST", "ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", "7")),
            signer.signRpc("POST", "ListUsers", Map.of("Version", "2015-05-01"))
        }) {
            SignedClient.Reply r = instanceRpc(query);
            assertThat(r.status()).as(r.raw()).isEqualTo(404);
            assertThat(r.code()).isEqualTo("InvalidAction.NotFound");
            assertThat(r.body().path("Message").asText()).contains("shared gateway");
            // Audited like any refusal, with the caller it authenticated.
            String requestId = r.body().path("RequestId").asText();
            Path log = dir.resolve("audit").resolve("audit.log");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(log)
                            && Files.readAllLines(log).stream()
                                    .anyMatch(l -> l.contains(requestId)
                                            && l.contains("InvalidAction.NotFound")
                                            && l.contains(AK)));
        }
        assertThat(shared.call("DescribeKey", Map.of("KeyId", keyId))
                        .body()
                        .path("KeyMetadata")
                        .path("KeyState")
                        .asText())
                .isEqualTo("Enabled");
        // Unsigned: refused by authentication, which learns nothing about the allowed set.
        SignedClient.Reply unsigned = instanceRpc("Action=CreateKey&Version=2016-01-20&Format=JSON");
        assertThat(unsigned.status()).isIn(400, 404);
        assertThat(unsigned.code()).isNotEqualTo("InvalidAction.NotFound");
        // A wrong signature likewise.
        String forged = signer.signRpc("POST", "CreateKey", Map.of()).replaceFirst("Signature=[^&]+", "Signature=AAAA");
        assertThat(instanceRpc(forged).code()).isNotEqualTo("InvalidAction.NotFound");
    }

    private static SignedClient.Reply instanceRpc(String query) throws Exception {
        return instance(HttpRequest.newBuilder(instanceUri("?" + query)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static URI instanceUri(String rest) {
        return URI.create("https://127.0.0.1:" + server.instancePort() + "/" + rest);
    }

    private static SignedClient.Reply instance(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
        String ct = r.headers().firstValue("content-type").orElse("");
        JsonNode json = ct.startsWith("application/json") ? new ObjectMapper().readTree(r.body()) : null;
        return new SignedClient.Reply(r.statusCode(), json, ct, r.body());
    }

    // ------------------------------------------------------------------ helpers

    /** Asserts an HTTP answer carrying an Error message (StatusCode, ErrorCode, ErrorMessage, RequestId). */
    static void assertProtobufError(String response, int status, String code) throws Exception {
        assertThat(response).as(response).contains("\r\n\r\n");
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertThat(head).startsWith("HTTP/1.1 " + status);
        assertThat(head.toLowerCase()).contains("content-type: application/x-protobuf");
        if (head.toLowerCase().contains("transfer-encoding: chunked")) {
            int eol = body.indexOf("\r\n");
            int len = Integer.parseInt(body.substring(0, eol).trim(), 16);
            body = body.substring(eol + 2, eol + 2 + len);
        }
        ProtoWire.Message e = ProtoWire.decode(body.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(e.varint(1)).isEqualTo((long) status);
        assertThat(e.string(2)).isEqualTo(code);
        assertThat(e.string(3)).isNotEmpty();
        assertThat(e.string(4)).hasSize(36);
    }

    /** Sends raw bytes over TLS and reads the whole answer (the server closes after an error). */
    static String raw(String request) throws IOException {
        try (SSLSocket s = connect()) {
            return RawHttp.exchange(s, request);
        }
    }
}
