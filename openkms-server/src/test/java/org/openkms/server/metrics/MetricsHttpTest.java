package org.openkms.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.actions.Actions;
import org.openkms.server.config.ServerConfig;

/**
 * GET /metrics over real HTTP(S) to an in-process server: signed calls move the counters and histograms of their
 * action and code; unauthenticated callers cannot add label values; off means 404; no secret reaches the text.
 * The text is parsed line by line as the Prometheus text format 0.0.4 defines it
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
 */
class MetricsHttpTest {
    private static final String ROOT_ID = "LTAImetrics";
    private static final String ROOT_SECRET = "metrics-root-secret-7f3a";

    @TempDir
    Path dir;

    OpenKmsServer server;
    SignedClient client;
    String base;
    final HttpClient http = HttpClient.newHttpClient();

    private void start(boolean metrics, String httpsListen) throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen(httpsListen)
                .withRootAccessKey(ROOT_ID, ROOT_SECRET)
                .withMetricsEnabled(metrics));
        base = "http://127.0.0.1:" + server.httpPort();
        client = new SignedClient(base, ROOT_ID, ROOT_SECRET);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** One sample line: metric name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+-?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** Parses the text format: comments (# HELP, # TYPE) skipped, every other non-empty line must be a sample. */
    static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                    end = l.end();
                }
                assertThat(end).as("labels of %s", line).isEqualTo(m.group(2).length());
            }
            String v = m.group(3);
            double value = switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(v);
            };
            out.add(new Sample(m.group(1), labels, value));
        }
        return out;
    }

    private HttpResponse<String> get(HttpClient c, String url) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = get(http, base + "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        return r.body();
    }

    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }

    private String createKey() throws Exception {
        SignedClient.Reply r = client.call("CreateKey", Map.of());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().path("KeyMetadata").path("KeyId").asText();
    }

    @Test
    void signedCallsCountByActionAndCodeWithALatencyHistogram() throws Exception {
        start(true, "");
        String keyId = createKey();
        for (int i = 0; i < 3; i++) {
            SignedClient.Reply r = client.call(
                    "Encrypt",
                    Map.of("KeyId", keyId, "Plaintext", Base64.getEncoder().encodeToString(new byte[] {1})));
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
        }
        SignedClient.Reply missing =
                client.call("Encrypt", Map.of("KeyId", UUID.randomUUID().toString(), "Plaintext", "AQ=="));
        assertThat(missing.code()).isEqualTo("Forbidden.KeyNotFound");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Sample> s = parse(scrape());
            Map<String, String> ok = Map.of("gateway", "shared", "action", "Encrypt", "code", "OK", "status", "200");
            assertThat(value(s, "openkms_requests_total", ok)).isEqualTo(3.0);
            assertThat(value(
                            s,
                            "openkms_requests_total",
                            Map.of("action", "Encrypt", "code", "Forbidden.KeyNotFound", "status", "404")))
                    .isEqualTo(1.0);
            assertThat(value(s, "openkms_requests_total", Map.of("action", "CreateKey", "code", "OK")))
                    .isEqualTo(1.0);
            Map<String, String> enc = Map.of("gateway", "shared", "action", "Encrypt");
            assertThat(value(s, "openkms_request_duration_seconds_count", enc)).isEqualTo(4.0);
            assertThat(value(s, "openkms_request_duration_seconds_sum", enc)).isPositive();
            Map<String, String> inf = new LinkedHashMap<>(enc);
            inf.put("le", "+Inf");
            assertThat(value(s, "openkms_request_duration_seconds_bucket", inf)).isEqualTo(4.0);
            assertThat(s.stream()
                            .filter(x -> x.name().equals("openkms_request_duration_seconds_bucket")
                                    && x.labels().get("action").equals("Encrypt"))
                            .count())
                    .isEqualTo(RequestMetrics.BUCKETS.length + 1);
            // The rest of docs/metrics.md, present from the first scrape.
            assertThat(value(s, "openkms_keys", Map.of("state", "Enabled"))).isEqualTo(1.0);
            assertThat(value(s, "openkms_secrets", Map.of("state", "Active"))).isZero();
            assertThat(value(s, "openkms_key_cache_size", Map.of())).isEqualTo(1.0);
            assertThat(value(s, "openkms_key_cache_requests_total", Map.of("result", "hit")))
                    .isGreaterThanOrEqualTo(2.0);
            assertThat(value(s, "openkms_audit_queue_capacity", Map.of())).isPositive();
            assertThat(s).anyMatch(x -> x.name().equals("openkms_audit_queue_depth"));
            assertThat(s).anyMatch(x -> x.name().equals("openkms_audit_dropped_total"));
            assertThat(value(s, "openkms_http_connections_total", Map.of("connector", "http")))
                    .isPositive();
            assertThat(s).anyMatch(x -> x.name().equals("jetty_threads_config_max"));
            assertThat(s).anyMatch(x -> x.name().equals("jvm_memory_used_bytes"));
            assertThat(s).anyMatch(x -> x.name().equals("jvm_threads_live_threads"));
            assertThat(s).anyMatch(x -> x.name().equals("process_uptime_seconds"));
            assertThat(s).anyMatch(x -> x.name().equals("process_cpu_usage"));
        });
    }

    /**
     * docs/metrics.md names every metric family the endpoint serves (after a call, so the request ones exist), and
     * the Grafana dashboard asks for no metric that is not served.
     */
    @Test
    void storageCallsAreTimedByRepositoryAndOperationAndCryptoCallsMakeNone() throws Exception {
        start(true, "");
        String keyId = createKey();
        assertThat(client.call("ListKeys", Map.of()).status()).isEqualTo(200);
        Map<String, String> encrypt = Map.of("KeyId", keyId, "Plaintext", "AQ==");
        assertThat(client.call("Encrypt", encrypt).status()).isEqualTo(200); // the key is now in the cache
        String count = "openkms_storage_operation_seconds_count";
        double[] keysBefore = new double[1];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Sample> s = parse(scrape());
            assertThat(value(s, count, Map.of("repository", "keys", "operation", "write")))
                    .as("CreateKey wrote the key")
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(s, count, Map.of("repository", "keys", "operation", "list")))
                    .as("ListKeys listed")
                    .isGreaterThanOrEqualTo(1);
            keysBefore[0] = value(s, count, Map.of("repository", "keys", "operation", "read"));
        });
        for (int i = 0; i < 5; i++) {
            assertThat(client.call("Encrypt", encrypt).status()).isEqualTo(200);
        }
        Thread.sleep(ServerMetrics.SCRAPE_TTL.toMillis() + 100); // past the reuse of the rendered text
        List<Sample> after = parse(scrape());
        // Reads only: the openkms_keys gauge lists the keys from storage when a scrape finds it older than 15 s.
        assertThat(value(after, count, Map.of("repository", "keys", "operation", "read")))
                .as("Encrypt is served from the key cache")
                .isEqualTo(keysBefore[0]);
        // Bounded labels: the repository and the kind of operation, nothing from the request.
        assertThat(after.stream().filter(x -> x.name().startsWith("openkms_storage_operation_seconds")))
                .isNotEmpty()
                .allSatisfy(x -> {
                    assertThat(x.labels().keySet()).isSubsetOf("repository", "operation", "le");
                    assertThat(x.labels().get("operation")).isIn("read", "list", "write");
                });
    }

    @Test
    void everyMetricIsDocumented() throws Exception {
        start(true, "");
        createKey();
        String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
        String dashboard = Files.readString(Path.of("..", "docs", "grafana", "openkms.json"));
        new ObjectMapper().readTree(dashboard); // valid JSON
        System.gc(); // the GC pause timer is registered at the first collection the JVM reports
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Set<String> families = new TreeSet<>();
            for (String line : scrape().split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    families.add(line.split(" ")[2]);
                }
            }
            assertThat(families).contains("openkms_requests_total", "openkms_request_duration_seconds");
            assertThat(families)
                    .filteredOn(f -> !doc.contains("`" + f + "`") && !doc.contains("`" + f + "_total`"))
                    .as("families missing from docs/metrics.md")
                    .isEmpty();
            // The Grafana dashboard queries only metrics that exist.
            Matcher used = Pattern.compile("\\b(?:openkms|jvm|jetty|process|system)_[a-z0-9_]+")
                    .matcher(dashboard);
            while (used.find()) {
                String m = used.group().replaceAll("_(bucket|sum|count)$", "");
                assertThat(families).as("dashboard metric %s", used.group()).contains(m);
            }
        });
    }

    @Test
    void servedOnTheHttpsListenerToo() throws Exception {
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
        HttpResponse<String> r = get(
                HttpClient.newBuilder().sslContext(ssl).build(),
                "https://127.0.0.1:" + server.httpsPort() + "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(parse(r.body())).anyMatch(x -> x.name().equals("jvm_memory_used_bytes"));
    }

    @Test
    void unauthenticatedCallersCannotAddLabelValues() throws Exception {
        start(true, "");
        Set<String> random = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            String action = "Act" + UUID.randomUUID().toString().replace("-", "");
            random.add(action);
            HttpRequest.Builder b = i % 2 == 0
                    // RPC style: Action parameter, and a made-up signature
                    ? HttpRequest.newBuilder(URI.create(
                            base + "/?Action=" + action + "&Version=2016-01-20&AccessKeyId=LTAI" + i + "&Signature=x"))
                    // ROA/ACS3 style: x-acs-action header, no Authorization
                    : HttpRequest.newBuilder(URI.create(base + "/"))
                            .header("x-acs-action", action)
                            .header("x-acs-version", "2016-01-20");
            HttpResponse<String> r = http.send(
                    b.POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
        }
        // A registered name, claimed without a signature, is still that action (failed, with its code).
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/?Action=Encrypt&Version=2016-01-20"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Set<String> registered = Actions.all(null).all().keySet();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String text = scrape();
            List<Sample> s = parse(text);
            Set<String> actions = s.stream()
                    .filter(x -> x.name().startsWith("openkms_request"))
                    .map(x -> x.labels().get("action"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(actions).contains("other", "Encrypt");
            assertThat(actions).allMatch(a -> a.equals("other") || registered.contains(a));
            assertThat(value(s, "openkms_requests_total", Map.of("action", "other")))
                    .isEqualTo(200.0);
            for (String a : random) {
                assertThat(text).doesNotContain(a);
            }
            // Bounded series whatever the flood: the "other" counters are few (one per code and status).
            assertThat(s.stream()
                            .filter(x -> x.name().equals("openkms_requests_total")
                                    && "other".equals(x.labels().get("action")))
                            .count())
                    .isLessThanOrEqualTo(5);
        });
    }

    @Test
    void offAnswers404InAlibabaJson() throws Exception {
        start(false, "");
        HttpResponse<String> r = get(http, base + "/metrics");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        assertThat(new ObjectMapper().readTree(r.body()).path("Code").asText()).isNotEmpty();
        // The rest of the server is unchanged.
        assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
        assertThat(client.call("ListKeys", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void theTextNeverCarriesSecretsOrKeyMaterial() throws Exception {
        start(true, "");
        String keyId = createKey();
        String plaintext = "plaintext-" + UUID.randomUUID();
        String b64 = Base64.getEncoder().encodeToString(plaintext.getBytes(StandardCharsets.UTF_8));
        SignedClient.Reply enc = client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", b64));
        String blob = enc.body().path("CiphertextBlob").asText();
        String secretValue = "secret-value-" + UUID.randomUUID();
        String secretName = "db-" + UUID.randomUUID();
        assertThat(client.call(
                                "CreateSecret",
                                Map.of(
                                        "SecretName",
                                        secretName,
                                        "SecretData",
                                        secretValue,
                                        "VersionId",
                                        "v1",
                                        "EncryptionKeyId",
                                        keyId))
                        .status())
                .isEqualTo(200);
        SignedClient.Reply dataKey = client.call("GenerateDataKey", Map.of("KeyId", keyId));
        String dataKeyPlaintext = dataKey.body().path("Plaintext").asText();
        assertThat(dataKeyPlaintext).isNotEmpty();
        client.call("GetSecretValue", Map.of("SecretName", secretName));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String text = scrape();
            assertThat(value(parse(text), "openkms_requests_total", Map.of("action", "GetSecretValue")))
                    .isEqualTo(1.0);
            assertThat(text)
                    .doesNotContain(ROOT_SECRET)
                    .doesNotContain(ROOT_ID)
                    .doesNotContain(plaintext)
                    .doesNotContain(b64)
                    .doesNotContain(blob)
                    .doesNotContain(secretValue)
                    .doesNotContain(secretName)
                    .doesNotContain(dataKeyPlaintext)
                    .doesNotContain(keyId); // identifiers are not labels either (unbounded)
        });
    }
}
