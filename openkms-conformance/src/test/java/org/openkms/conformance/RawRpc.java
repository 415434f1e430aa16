package org.openkms.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-made RPC HMAC-SHA1 requests (https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism), signed by
 * an implementation independent of both the SDKs and the server: for wire cases no official Java SDK produces (replays,
 * stale timestamps, form bodies, the Node SDK's flattened maps).
 */
public final class RawRpc {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int port;

    public RawRpc(int port) {
        this.port = port;
    }

    /** The common RPC parameters (as the V1 SDK sends them) for {@code action}, timestamped {@code timestamp}. */
    public static Map<String, String> params(String action, Instant timestamp) {
        Map<String, String> p = new TreeMap<>();
        p.put("Action", action);
        p.put("Version", "2016-01-20");
        p.put("Format", "JSON");
        p.put("AccessKeyId", ConformanceServer.ACCESS_KEY_ID);
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", UUID.randomUUID().toString().replace("-", ""));
        p.put("Timestamp", timestamp.truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("RegionId", ConformanceServer.REGION);
        return p;
    }

    public static Map<String, String> params(String action) {
        return params(action, Instant.now());
    }

    /** Canonical query of all {@code params} plus {@code Signature}: sorted, RFC 3986 encoded, key = secret + "&". */
    public static String signedQuery(String method, Map<String, String> params, String secret) {
        String canonical = canonical(params);
        String stringToSign = method + "&" + pe("/") + "&" + pe(canonical);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((secret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String signature =
                    Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
            return canonical + "&Signature=" + pe(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String signedQuery(Map<String, String> params) {
        return signedQuery("POST", params, ConformanceServer.ACCESS_KEY_SECRET);
    }

    static String canonical(Map<String, String> params) {
        StringJoiner canonical = new StringJoiner("&");
        new TreeMap<>(params).forEach((k, v) -> canonical.add(pe(k) + "=" + pe(v)));
        return canonical.toString();
    }

    public static String pe(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** POST / with {@code query} and an empty body. */
    public HttpResponse<String> post(String query) {
        return send(HttpRequest.newBuilder(uri(query)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** POST / with {@code query} in the URL and {@code form} as an x-www-form-urlencoded body. */
    public HttpResponse<String> postForm(String query, String form) {
        return send(HttpRequest.newBuilder(uri(query))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String query) {
        return URI.create("http://127.0.0.1:" + port + "/" + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
