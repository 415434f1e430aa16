package org.openkms.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link RequestSigner#signAcs3} (and {@link RequestSigner#signAcs4}, same shape) produces: the request line's
 * query and the headers to send. The body is whatever was hashed (empty for every KMS call).
 */
public final class SignedAcs3Request {

    private final String method;
    private final String queryString;
    private final Map<String, String> headers;

    SignedAcs3Request(String method, String queryString, LinkedHashMap<String, String> headers) {
        this.method = method;
        this.queryString = queryString;
        this.headers = Collections.unmodifiableMap(headers);
    }

    public String method() {
        return method;
    }

    /** Encoded query string without the leading '?', business parameters only (may be empty). */
    public String queryString() {
        return queryString;
    }

    /** {@code "/"} or {@code "/?" + queryString}, ready for the request line. */
    public String pathAndQuery() {
        return queryString.isEmpty() ? "/" : "/?" + queryString;
    }

    /**
     * Headers to send, in insertion order: the signed ones under their lower-case names, then
     * {@code Authorization}. Includes {@code host}: an HTTP client that sets Host itself must send the same value.
     */
    public Map<String, String> headers() {
        return headers;
    }

    public String authorization() {
        return headers.get("Authorization");
    }
}
