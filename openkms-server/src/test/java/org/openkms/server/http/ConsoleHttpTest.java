package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * The console's static files over real HTTP: types and security headers, GET/HEAD only, no listing, no way out of
 * the console's folder (raw request lines, so that no client normalises the path first), and 404 when off.
 */
class ConsoleHttpTest {
    @TempDir
    Path dir;

    OpenKmsServer server;
    final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private String start(boolean console) throws Exception {
        return start(console, "");
    }

    private String start(boolean console, String httpsListen) throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen(httpsListen)
                .withRootAccessKey("LTAIconsole", "console-root-secret")
                .withConsoleEnabled(console));
        return "http://127.0.0.1:" + server.httpPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageWithAStrictPolicyAndNoCaching() throws Exception {
        String base = start(true);
        HttpResponse<String> r = get(base + "/console/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(r.headers().firstValue("content-security-policy").orElse(""))
                .contains("script-src 'self'")
                .contains("default-src 'none'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        // No inline script: every <script> has a src.
        assertThat(r.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
        assertThat(r.body().replaceAll("<script[^>]*src=\"[^\"]+\"[^>]*></script>", ""))
                .doesNotContain("<script");

        HttpResponse<String> js = get(base + "/console/js/acs3.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("content-type").orElse("")).startsWith("text/javascript");
        assertThat(js.body()).contains("ACS3-HMAC-SHA256");
        assertThat(get(base + "/console/css/console.css")
                        .headers()
                        .firstValue("content-type")
                        .orElse(""))
                .startsWith("text/css");
        assertThat(get(base + "/console/img/logo.svg").headers().firstValue("content-type"))
                .hasValue("image/svg+xml");

        HttpResponse<String> bare = get(base + "/console");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("location")).hasValue("/console/");
    }

    @Test
    void headAnswersWithoutBodyAndOtherMethodsAre405() throws Exception {
        String base = start(true);
        HttpResponse<String> head = http.send(
                HttpRequest.newBuilder(URI.create(base + "/console/js/app.js"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length").orElse(0)).isPositive();

        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create(base + "/console/index.html"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(code(post.body())).isEqualTo("UnsupportedHTTPMethod");
    }

    @Test
    void noListingAndNoWayOutOfTheFolder() throws Exception {
        String base = start(true);
        int port = server.httpPort();
        // Directories are not listed.
        assertThat(get(base + "/console/js/").statusCode()).isEqualTo(404);
        assertThat(get(base + "/console/js/pages").statusCode()).isEqualTo(404);
        assertThat(get(base + "/console/nothing.js").statusCode()).isEqualTo(404);
        // Class path files outside console/ are not reachable, however the path is spelled.
        for (String path : new String[] {
            "/console/../logback.xml",
            "/console/..%2flogback.xml",
            "/console/%2e%2e/logback.xml",
            "/console/js/../../logback.xml",
            "/console/..\\logback.xml",
            "/console//logback.xml",
            "/console/%2e%2e%2fMETA-INF/MANIFEST.MF",
            "/console/org/openkms/server/Main.class",
            "/console/js/app.js%00.png",
        }) {
            String response = raw(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            String status = response.substring(0, response.indexOf("\r\n"));
            assertThat(status).as(path).doesNotContain(" 200 ");
            assertThat(response).as(path).doesNotContain("<configuration").doesNotContain("Manifest-Version");
        }
    }

    @Test
    void theHttpsListenerServesItToo() throws Exception {
        start(true, "127.0.0.1:0");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(server.tlsCertificate())) {
            trust.setCertificateEntry(
                    "openkms", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpResponse<String> r = HttpClient.newBuilder()
                .sslContext(ssl)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.httpsPort() + "/console/"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-security-policy").orElse("")).contains("script-src 'self'");
    }

    @Test
    void offMeansNotFoundInAlibabasShape() throws Exception {
        String base = start(false);
        for (String path : new String[] {"/console/", "/console/index.html", "/console"}) {
            HttpResponse<String> r = get(base + path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(code(r.body())).isEqualTo("InvalidAction.NotFound");
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        }
        // The API itself is unaffected.
        assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
    }

    private static String code(String body) throws Exception {
        JsonNode n = new ObjectMapper().readTree(body);
        return n.path("Code").asText();
    }

    private static String raw(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
