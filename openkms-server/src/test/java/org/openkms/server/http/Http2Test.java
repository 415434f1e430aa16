package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.DecryptRequest;
import com.aliyun.kms20160120.models.EncryptRequest;
import com.aliyun.teaopenapi.models.Config;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;
import org.openkms.wire.RequestSigner;
import org.openkms.wire.SignedAcs3Request;

/**
 * HTTP/2 on the OpenAPI listeners: h2 through ALPN on HTTPS and h2c on HTTP (Upgrade and prior knowledge), a signed
 * Encrypt over each with the JDK's client and the official V2 SDK (whose OkHttp takes h2 when offered), HTTP/1.1
 * beside them, and the limits on HTTP/2: body size, concurrent streams, and Jetty's rate control against rapid reset.
 */
class Http2Test {
    private static final String AK = "LTAIhttp2";
    private static final String SECRET = "http2-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SSLContext trust;
    static String keyId;
    static final AtomicInteger h2Connections = new AtomicInteger();
    static final RequestSigner signer = new RequestSigner(AK, SECRET);

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey(AK, SECRET));
        for (Connector c : server.jetty().getConnectors()) {
            // A connector hands its listeners to every connection it opens from now on.
            c.addEventListener(new Connection.Listener() {
                @Override
                public void onOpened(Connection connection) {
                    if (connection instanceof HTTP2Connection) {
                        h2Connections.incrementAndGet();
                    }
                }
            });
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(server.tlsCertificate())) {
            ks.setCertificateEntry(
                    "openkms", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trust = SSLContext.getInstance("TLS");
        trust.init(null, tmf.getTrustManagers(), null);
        HttpResponse<String> created = send(
                client(HttpClient.Version.HTTP_1_1),
                HttpRequest.newBuilder(URI.create(httpBase() + "/?" + signer.signRpc("POST", "CreateKey", Map.of())))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());
        keyId = JSON.readTree(created.body()).path("KeyMetadata").path("KeyId").asText();
        assertThat(keyId).isNotEmpty();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String httpBase() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    private static String httpsBase() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder()
                .version(version)
                .sslContext(trust)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** An ACS3-signed Encrypt (as the V2 SDK signs it) to {@code base}; the JDK client sends the host itself. */
    private static HttpResponse<String> encrypt(HttpClient client, String base, String plaintext) throws Exception {
        String host = URI.create(base).getAuthority();
        SignedAcs3Request s = signer.signAcs3("POST", host, "Encrypt", Map.of("KeyId", keyId, "Plaintext", plaintext));
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + s.pathAndQuery())).POST(HttpRequest.BodyPublishers.noBody());
        s.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host")) {
                b.header(k, v);
            }
        });
        return send(client, b.build());
    }

    private static void assertEncrypted(HttpResponse<String> r, HttpClient.Version version) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(version);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("KeyId").asText()).isEqualTo(keyId);
        assertThat(body.path("CiphertextBlob").asText()).isNotEmpty();
    }

    @Test
    void signedEncryptOverH2WithAlpn() throws Exception {
        assertEncrypted(encrypt(client(HttpClient.Version.HTTP_2), httpsBase(), "aGVsbG8="), HttpClient.Version.HTTP_2);
    }

    @Test
    void signedEncryptOverH2cAfterAnUpgrade() throws Exception {
        HttpClient client = client(HttpClient.Version.HTTP_2);
        // The JDK client asks for h2c with "Upgrade: h2c" on its first request to a host; later ones are HTTP/2
        // streams.
        HttpResponse<String> first = send(
                client,
                HttpRequest.newBuilder(URI.create(httpBase() + "/healthz")).build());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertEncrypted(encrypt(client, httpBase(), "aGVsbG8="), HttpClient.Version.HTTP_2);
    }

    @Test
    void http11StillServedOnBothListeners() throws Exception {
        HttpClient client = client(HttpClient.Version.HTTP_1_1);
        assertEncrypted(encrypt(client, httpsBase(), "aGVsbG8="), HttpClient.Version.HTTP_1_1);
        assertEncrypted(encrypt(client, httpBase(), "aGVsbG8="), HttpClient.Version.HTTP_1_1);
    }

    @Test
    void officialV2SdkNegotiatesH2OverTlsAndItsSignaturesHold() throws Exception {
        Client sdk = new Client(new Config()
                .setAccessKeyId(AK)
                .setAccessKeySecret(SECRET)
                .setEndpoint("127.0.0.1:" + server.httpsPort())
                .setRegionId("cn-hangzhou")
                .setProtocol("https")
                .setCa(Files.readString(server.tlsCertificate())));
        int before = h2Connections.get();
        String plaintext = Base64.getEncoder().encodeToString("over h2".getBytes(StandardCharsets.UTF_8));
        String blob = sdk.encrypt(new EncryptRequest().setKeyId(keyId).setPlaintext(plaintext))
                .getBody()
                .getCiphertextBlob();
        String back = sdk.decrypt(new DecryptRequest().setCiphertextBlob(blob))
                .getBody()
                .getPlaintext();
        assertThat(back).isEqualTo(plaintext);
        assertThat(h2Connections.get())
                .as("HTTP/2 connections opened by the SDK")
                .isGreaterThan(before);
    }

    @Test
    void oversizedBodyOverH2IsA413WithAnAlibabaError() throws Exception {
        // Raw frames, so that what the server sends is seen frame by frame: the JDK's client (17) keeps uploading a
        // refused body on HTTP/2 and reports a broken connection instead of the answer it was sent.
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            H2 h2 = new H2(socket);
            h2.preface();
            int tooLarge = HttpLimits.defaults().maxBodySize() + 1;
            h2.headers(1, false, "127.0.0.1:" + server.httpPort(), String.valueOf(tooLarge));
            h2.write(H2.DATA, 0, 1, new byte[16_384]);
            H2.Frame data = h2.readUntil(f -> f.type() == H2.DATA && f.stream() == 1);
            assertThat(data.flags() & 0x1).as("END_STREAM: the whole answer").isEqualTo(1);
            JsonNode body = JSON.readTree(data.payload());
            assertThat(body.path("Code").asText()).isEqualTo("InvalidParameter");
            assertThat(body.path("Message").asText()).isEqualTo("The request body is too large.");
            assertThat(body.path("HttpStatus").asInt()).isEqualTo(413);
            // RFC 9113 §8.1: the server then tells the client to stop sending the body (Jetty resets with CANCEL);
            // the connection and its other streams go on.
            H2.Frame after = h2.readUntil(f -> f.stream() == 1 || f.type() == H2.GOAWAY);
            assertThat(after.type()).isEqualTo(H2.RST_STREAM);
        }
    }

    @Test
    void h2cByPriorKnowledgeRefusesStreamsBeyondTheLimit() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            H2 h2 = new H2(socket);
            h2.preface();
            H2.Frame settings = h2.read();
            assertThat(settings.type()).as("the server's SETTINGS").isEqualTo(H2.SETTINGS);
            // Streams that announce a body and never send it stay open (the body reader waits for it).
            int limit = HttpServerFactory.MAX_CONCURRENT_STREAMS;
            for (int i = 0; i <= limit; i++) {
                h2.headers(2 * i + 1, false, "127.0.0.1:" + server.httpPort());
            }
            int refused = 2 * limit + 1;
            H2.Frame reset = h2.readUntil(f -> f.type() == H2.RST_STREAM);
            assertThat(reset.stream()).as("the stream beyond %d", limit).isEqualTo(refused);
            assertThat(reset.errorCode()).as("REFUSED_STREAM").isEqualTo(0x7);
        }
    }

    @Test
    void rapidResetClosesTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            H2 h2 = new H2(socket);
            h2.preface();
            for (int i = 0; i < 4 * HttpServerFactory.MAX_HTTP2_EVENTS_PER_SECOND; i++) {
                int stream = 2 * i + 1;
                h2.headers(stream, false, "127.0.0.1:" + server.httpPort());
                h2.write(H2.RST_STREAM, 0, stream, new byte[] {0, 0, 0, 0x8}); // CANCEL
            }
            H2.Frame goAway = h2.readUntil(f -> f.type() == H2.GOAWAY);
            assertThat(goAway.errorCode()).as("ENHANCE_YOUR_CALM").isEqualTo(0xb);
        }
    }

    /** Just enough of RFC 9113's framing to do what no well-behaved client does. */
    static final class H2 {
        static final int DATA = 0x0;
        static final int HEADERS = 0x1;
        static final int RST_STREAM = 0x3;
        static final int SETTINGS = 0x4;
        static final int GOAWAY = 0x7;

        record Frame(int type, int flags, int stream, byte[] payload) {
            /** RST_STREAM's error code, or GOAWAY's (after the last stream id). */
            int errorCode() {
                int at = type == GOAWAY ? 4 : 0;
                return ((payload[at] & 0xff) << 24)
                        | ((payload[at + 1] & 0xff) << 16)
                        | ((payload[at + 2] & 0xff) << 8)
                        | (payload[at + 3] & 0xff);
            }
        }

        private final OutputStream out;
        private final DataInputStream in;

        H2(Socket socket) throws IOException {
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
        }

        /** The client connection preface (RFC 9113 §3.4) and an empty SETTINGS frame. */
        void preface() throws IOException {
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            write(SETTINGS, 0, 0, new byte[0]);
        }

        /**
         * A POST / request's HEADERS (END_HEADERS) in HPACK: static-table :method POST, :scheme http, :path /, and
         * :authority as a literal without indexing (RFC 7541 §6.2.2, Appendix A).
         */
        void headers(int stream, boolean endStream, String authority) throws IOException {
            headers(stream, endStream, authority, null);
        }

        /** With a content-length header (static-table name 28, literal value) unless {@code contentLength} is null. */
        void headers(int stream, boolean endStream, String authority, String contentLength) throws IOException {
            java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream();
            block.write(0x83); // :method POST
            block.write(0x86); // :scheme http
            block.write(0x84); // :path /
            block.write(0x01); // literal without indexing, name :authority (index 1)
            byte[] a = authority.getBytes(StandardCharsets.US_ASCII);
            block.write(a.length);
            block.write(a, 0, a.length);
            if (contentLength != null) {
                block.write(0x0f); // literal without indexing, name index 28 = 15 + 13
                block.write(13);
                byte[] v = contentLength.getBytes(StandardCharsets.US_ASCII);
                block.write(v.length);
                block.write(v, 0, v.length);
            }
            write(HEADERS, 0x4 | (endStream ? 0x1 : 0), stream, block.toByteArray());
        }

        void write(int type, int flags, int stream, byte[] payload) throws IOException {
            byte[] f = new byte[9 + payload.length];
            f[0] = (byte) (payload.length >>> 16);
            f[1] = (byte) (payload.length >>> 8);
            f[2] = (byte) payload.length;
            f[3] = (byte) type;
            f[4] = (byte) flags;
            f[5] = (byte) (stream >>> 24);
            f[6] = (byte) (stream >>> 16);
            f[7] = (byte) (stream >>> 8);
            f[8] = (byte) stream;
            System.arraycopy(payload, 0, f, 9, payload.length);
            out.write(f);
            out.flush();
        }

        Frame read() throws IOException {
            int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(type, flags, stream, payload);
        }

        Frame readUntil(java.util.function.Predicate<Frame> wanted) throws IOException {
            for (; ; ) {
                Frame f = read();
                if (wanted.test(f)) {
                    return f;
                }
            }
        }
    }
}
