package org.openkms.wire;

import java.util.List;
import java.util.Map;

/**
 * ACS4-HMAC-SHA256, used by the Java V2 SDK with {@code signatureVersion="v4"} through alibabacloud-gateway-pop
 * (github.com/aliyun/alibabacloud-gateway, alibabacloud-gateway-pop). Same canonical request as ACS3 except an
 * empty query value is written as a bare name,
 * and the key is derived from a credential scope {@code <AK>/<yyyyMMdd>/<region>/<product>/aliyun_v4_request}.
 */
public final class Acs4Signature {

    public static final String ALGORITHM = "ACS4-HMAC-SHA256";
    /** Product segment of the scope the KMS SDK uses. */
    public static final String PRODUCT_KMS = "Kms";
    /** Region the SDK puts in the scope when the endpoint is not {@code <x>.<region>.aliyuncs.com}. */
    public static final String DEFAULT_REGION = "center";

    public static final String SCOPE_TERMINATOR = "aliyun_v4_request";

    private static final String STRING_TO_SIGN_PREFIX = ALGORITHM + "\n";
    private static final String KEY_PREFIX = "aliyun_v4";
    private static final byte[] TERMINATOR_BYTES = Signatures.utf8(SCOPE_TERMINATOR);
    private static final String ENDPOINT_SUFFIX = ".aliyuncs.com";

    private Acs4Signature() {}

    /** Same parameters as {@link Acs3Signature#canonicalRequest}; an empty query value is written as bare {@code name}. */
    public static String canonicalRequest(
            String method,
            String path,
            Map<String, String> query,
            List<String> signedHeaders,
            Map<String, String> headers,
            String bodySha256Hex) {
        return CanonicalRequest.build(
                method, path, query, signedHeaders, headers, bodySha256Hex, CanonicalQuery.Empty.BARE_NAME);
    }

    /**
     * {@code stringToSign(canonicalRequest(...))} without making the canonical request a String, as
     * {@link Acs3Signature#stringToSign(String, String, Map, List, Map, String)} does for ACS3.
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
                CanonicalQuery.Empty.BARE_NAME);
    }

    /** {@code "ACS4-HMAC-SHA256\n" + hex(sha256(canonicalRequest))}. */
    public static String stringToSign(String canonicalRequest) {
        return STRING_TO_SIGN_PREFIX + Signatures.hex(Signatures.sha256(Signatures.utf8(canonicalRequest)));
    }

    /**
     * Lower-case hex HMAC-SHA256 with the derived key {@code k1 = HMAC("aliyun_v4" + secret, date)},
     * {@code k2 = HMAC(k1, region)}, {@code k3 = HMAC(k2, product)}, {@code kSign = HMAC(k3, "aliyun_v4_request")}.
     *
     * @param date yyyyMMdd, from the Credential scope (the SDK takes it from {@code x-acs-date})
     */
    public static String sign(String stringToSign, String accessKeySecret, String date, String region, String product) {
        byte[] key = Signatures.hmacSha256(KEY_PREFIX + accessKeySecret, Signatures.utf8(date));
        key = Signatures.hmacSha256(key, Signatures.utf8(region));
        key = Signatures.hmacSha256(key, Signatures.utf8(product));
        key = Signatures.hmacSha256(key, TERMINATOR_BYTES);
        return Signatures.hex(Signatures.hmacSha256(key, Signatures.utf8(stringToSign)));
    }

    /** The scope date the SDK derives from an {@code x-acs-date} value: {@code 2026-11-23T..} gives {@code 20261123}. */
    public static String scopeDate(String xAcsDate) {
        if (xAcsDate == null || xAcsDate.length() < 10) {
            throw new IllegalArgumentException("not an x-acs-date: " + xAcsDate);
        }
        return new StringBuilder(8)
                .append(xAcsDate, 0, 4)
                .append(xAcsDate, 5, 7)
                .append(xAcsDate, 8, 10)
                .toString();
    }

    /**
     * The region gateway-pop puts in the scope when no regionId is configured: it strips the port, deletes
     * ".aliyuncs.com" and, if exactly two dot-separated labels remain, takes the second
     * ({@code kms.cn-hangzhou.aliyuncs.com} gives {@code cn-hangzhou}); otherwise {@code center} (so {@code center} for
     * {@code 127.0.0.1:PORT} and {@code localhost}). Mirrors the SDK, including its quirk that a two-label host such
     * as {@code kms.internal} yields {@code internal}. A verifier should use the scope from the Credential instead.
     */
    public static String regionFromHost(String host) {
        if (host == null || host.isEmpty()) {
            return DEFAULT_REGION;
        }
        int colon = host.indexOf(':');
        String name = colon < 0 ? host : host.substring(0, colon);
        String pre = name.replace(ENDPOINT_SUFFIX, "");
        int dot = pre.indexOf('.');
        if (dot >= 0 && dot < pre.length() - 1 && pre.indexOf('.', dot + 1) < 0) {
            return pre.substring(dot + 1);
        }
        return DEFAULT_REGION;
    }

    /** {@code <AK>/<date>/<region>/<product>/aliyun_v4_request}. */
    public static String credential(String accessKeyId, String date, String region, String product) {
        return accessKeyId + '/' + date + '/' + region + '/' + product + '/' + SCOPE_TERMINATOR;
    }
}
