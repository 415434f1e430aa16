package org.openkms.wire.capture;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openkms.wire.PercentEncoding;

/**
 * One HTTP request exactly as an official SDK sent it: method, raw path and query, headers and body. Header names
 * are lower-cased (HTTP header names are case-insensitive, RFC 9110 §5.1; the JDK's HTTP server re-cases them anyway).
 */
public final class CapturedRequest {
    private final String name;
    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, String> headers;
    private final byte[] body;
    private final long receivedAtMillis;

    CapturedRequest(
            String name,
            String method,
            String path,
            String rawQuery,
            Map<String, String> headers,
            byte[] body,
            long receivedAtMillis) {
        this.name = name;
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        Map<String, String> lower = new TreeMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            lower.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
        }
        this.headers = Collections.unmodifiableMap(lower);
        this.body = body.clone();
        this.receivedAtMillis = receivedAtMillis;
    }

    /** Which SDK and call produced it, e.g. "V1 SDK Encrypt (RPC HMAC-SHA1)". */
    public String name() {
        return name;
    }

    public String method() {
        return method;
    }

    /** The path without the query, still percent-encoded as sent. */
    public String path() {
        return path;
    }

    /** The query string as sent (percent-encoded, without '?'); empty when there was none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The query parameters, decoded the way the server decodes them. */
    public Map<String, String> query() {
        return PercentEncoding.decodeForm(rawQuery);
    }

    /** Every header, by lower-case name; repeated headers are joined with ",". */
    public Map<String, String> headers() {
        return headers;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public byte[] body() {
        return body.clone();
    }

    /** When the recorder received it (wall clock): a verifier's clock must be within the 15-minute window of this. */
    public long receivedAtMillis() {
        return receivedAtMillis;
    }

    @Override
    public String toString() {
        return name;
    }
}
