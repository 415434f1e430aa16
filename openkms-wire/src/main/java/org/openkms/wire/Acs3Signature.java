package org.openkms.wire;

import java.util.List;
import java.util.Map;

/**
 * ACS3-HMAC-SHA256, the default of the Java V2 SDK (tea-openapi) and of the V1 SDK with {@code SignatureVersion.V3}
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
 * ACS3-HMAC-SM3 is not supported: the JDK has no SM3 and no client uses it by default.
 */
public final class Acs3Signature {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";
    /** Hex SHA-256 of the empty body, which every KMS call sends. */
    public static final String EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final String STRING_TO_SIGN_PREFIX = ALGORITHM + "\n";

    private Acs3Signature() {}

    /**
     * Canonical request per the V3 signature page:
     * {@code METHOD\npath\ncanonicalQuery\ncanonicalHeaders\nsignedHeaders\nbodyHash}. Every query parameter is
     * included (an empty value as {@code name=}); form-body parameters are not (the body hash covers them).
     *
     * @param query         decoded query parameters
     * @param signedHeaders the list from the Authorization header, in its order (clients send it sorted)
     * @param headers       lower-case name to value; only the signed ones are read, values are trimmed
     * @param bodySha256Hex lower-case hex SHA-256 of the body (compute it from the received bytes)
     */
    public static String canonicalRequest(
            String method,
            String path,
            Map<String, String> query,
            List<String> signedHeaders,
            Map<String, String> headers,
            String bodySha256Hex) {
        return CanonicalRequest.build(
                method, path, query, signedHeaders, headers, bodySha256Hex, CanonicalQuery.Empty.NAME_EQUALS);
    }

    /** {@code "ACS3-HMAC-SHA256\n" + hex(sha256(canonicalRequest))}. */
    public static String stringToSign(String canonicalRequest) {
        return STRING_TO_SIGN_PREFIX + Signatures.hex(Signatures.sha256(Signatures.utf8(canonicalRequest)));
    }

    /**
     * {@code stringToSign(canonicalRequest(...))} without making the canonical request a String: what a verifier
     * computes for every request.
     */
    public static String stringToSign(
            String method,
            String path,
            Map<String, String> query,
            List<String> signedHeaders,
            Map<String, String> headers,
            String bodySha256Hex) {
        return CanonicalRequest.stringToSign(
                STRING_TO_SIGN_PREFIX,
                method,
                path,
                query,
                null,
                signedHeaders,
                headers,
                bodySha256Hex,
                CanonicalQuery.Empty.NAME_EQUALS);
    }

    /** As above, for a signer that has already written the canonical query (the text it sends as the query string). */
    static String stringToSignWithQuery(
            String method,
            String path,
            String canonicalQuery,
            List<String> signedHeaders,
            Map<String, String> headers,
            String bodySha256Hex) {
        return CanonicalRequest.stringToSign(
                STRING_TO_SIGN_PREFIX,
                method,
                path,
                null,
                canonicalQuery,
                signedHeaders,
                headers,
                bodySha256Hex,
                CanonicalQuery.Empty.NAME_EQUALS);
    }

    /**
     * Lower-case hex HMAC-SHA256 keyed with the secret's UTF-8 bytes.
     *
     * @throws IllegalArgumentException if the secret is empty (no valid HMAC key)
     */
    public static String sign(String stringToSign, String accessKeySecret) {
        return Signatures.hex(Signatures.hmacSha256(accessKeySecret, Signatures.utf8(stringToSign)));
    }

    /** Lower-case hex SHA-256, the form of {@code x-acs-content-sha256}. */
    public static String sha256Hex(byte[] body) {
        if (body == null || body.length == 0) {
            return EMPTY_BODY_SHA256;
        }
        return Signatures.hex(Signatures.sha256(body));
    }
}
