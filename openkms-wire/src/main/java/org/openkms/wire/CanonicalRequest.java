package org.openkms.wire;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The canonical request shared by ACS3 and ACS4
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature;
 * ACS4: alibabacloud-gateway-pop, github.com/aliyun/alibabacloud-gateway).
 */
final class CanonicalRequest {

    private CanonicalRequest() {}

    static String build(
            String method,
            String path,
            Map<String, String> query,
            List<String> signedHeaders,
            Map<String, String> headers,
            String bodyHashHex,
            CanonicalQuery.Empty empty) {
        StringBuilder sb = new StringBuilder(512);
        append(sb, method, path, query, null, signedHeaders, headers, bodyHashHex, empty);
        return sb.toString();
    }

    /** The per-thread builder of {@link #stringToSign}; one that grew past this is not kept. */
    private static final int KEPT_CAPACITY = 64 * 1024;

    private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(1024));

    /**
     * {@code prefix + hex(sha256(canonical request))}, the string to sign of ACS3 and ACS4, with the canonical request
     * built in a per-thread buffer rather than as a String: a verifier needs only its hash, and the request's copies
     * (builder, String, UTF-8 bytes) were a quarter of a signed request's allocation.
     *
     * @param encodedQuery the canonical query already written (a signer sends the same text), or null to write
     *                     {@code query}
     */
    static String stringToSign(
            String prefix,
            String method,
            String path,
            Map<String, String> query,
            String encodedQuery,
            List<String> signedHeaders,
            Map<String, String> headers,
            String bodyHashHex,
            CanonicalQuery.Empty empty) {
        StringBuilder sb = BUILDER.get();
        sb.setLength(0);
        append(sb, method, path, query, encodedQuery, signedHeaders, headers, bodyHashHex, empty);
        byte[] hash = Signatures.sha256(sb);
        if (sb.capacity() > KEPT_CAPACITY) {
            BUILDER.remove();
        }
        return prefix + Signatures.hex(hash);
    }

    private static void append(
            StringBuilder sb,
            String method,
            String path,
            Map<String, String> query,
            String encodedQuery,
            List<String> signedHeaders,
            Map<String, String> headers,
            String bodyHashHex,
            CanonicalQuery.Empty empty) {
        sb.append(method).append('\n');
        // The canonical URI is the path as the client had it (always "/" for KMS); the SDKs do not re-encode it.
        sb.append(path == null || path.isEmpty() ? "/" : path).append('\n');
        if (encodedQuery != null) {
            sb.append(encodedQuery);
        } else {
            CanonicalQuery.append(query, null, empty, sb);
        }
        sb.append('\n');
        for (String name : signedHeaders) {
            sb.append(name).append(':');
            String value = headerValue(headers, name);
            if (value != null) {
                sb.append(value.trim());
            }
            sb.append('\n');
        }
        // The last header line already ends in '\n' and the join adds another, hence an empty line here.
        sb.append('\n');
        for (int i = 0, n = signedHeaders.size(); i < n; i++) {
            if (i > 0) {
                sb.append(';');
            }
            sb.append(signedHeaders.get(i));
        }
        sb.append('\n');
        sb.append(bodyHashHex);
    }

    /**
     * A signed header that is absent contributes {@code name:} (empty value), so it cannot verify unless the client
     * also signed it empty; whether it is required at all is the verifier's policy, not canonicalisation's.
     */
    private static String headerValue(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        String value = headers.get(name);
        if (value == null) {
            // Names in SignedHeaders are lower case from every known client; tolerate a mixed-case one anyway.
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals(name)) {
                value = headers.get(lower);
            }
        }
        return value;
    }
}
