package org.openkms.wire;

import java.util.Base64;
import java.util.Map;

/**
 * RPC signature "V1": {@code SignatureMethod=HMAC-SHA1}, {@code SignatureVersion=1.0}
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism). Used by the Java V1 SDK, Node 1.x,
 * the async Java SDK and the V2 SDK with {@code signatureAlgorithm="v2"}.
 */
public final class RpcSignature {

    public static final String SIGNATURE_METHOD = "HMAC-SHA1";
    public static final String SIGNATURE_VERSION = "1.0";
    /** The parameter carrying the signature; never part of what is signed. */
    public static final String SIGNATURE_PARAM = "Signature";

    private RpcSignature() {}

    /**
     * {@code pe(name)=pe(value)} pairs sorted by decoded name ({@link String#compareTo}), joined by '&'; the
     * "Signature" parameter is excluded. When {@code includeEmpty} is false, parameters whose value is "" are left
     * out: the V2 SDK's {@code openapiutil.getRPCSignature} skips them although it still sends them (3.5).
     */
    public static String canonicalQuery(Map<String, String> params, boolean includeEmpty) {
        StringBuilder sb = new StringBuilder(256);
        CanonicalQuery.append(
                params,
                SIGNATURE_PARAM,
                includeEmpty ? CanonicalQuery.Empty.NAME_EQUALS : CanonicalQuery.Empty.OMIT,
                sb);
        return sb.toString();
    }

    /** {@code METHOD & pe("/") & pe(canonicalQuery)}; the path is always "/" for RPC-style APIs. */
    public static String stringToSign(String method, Map<String, String> params, boolean includeEmpty) {
        String canonical = canonicalQuery(params, includeEmpty);
        StringBuilder sb = new StringBuilder(method.length() + 5 + canonical.length() + canonical.length() / 4);
        sb.append(method).append("&%2F&");
        // The canonical query holds only unreserved characters, '%', '=' and '&'; encoding it again turns those into
        // %25, %3D, %26.
        PercentEncoding.encode(canonical, sb);
        return sb.toString();
    }

    /** {@code Base64(HMAC-SHA1(key = secret + "&", stringToSign))}. */
    public static String sign(String stringToSign, String accessKeySecret) {
        return Base64.getEncoder()
                .encodeToString(Signatures.rpcHmacSha1(accessKeySecret, Signatures.utf8(stringToSign)));
    }

    /**
     * Server-side check of a received RPC signature, in constant time. Tries the canonical form with empty values
     * first (V1, Node, async SDK) and, only if that fails and the request has empty values, the form without them
     * (V2 SDK quirk, 3.5).
     *
     * @param params every decoded request parameter (query, plus form body if any); "Signature" is ignored
     */
    public static boolean verify(String method, Map<String, String> params, String accessKeySecret, String signature) {
        return check(method, params, accessKeySecret, signature) != Match.NONE;
    }

    /** Which canonical form a signature matched. */
    public enum Match {
        /** Every parameter is covered. */
        ALL,
        /** Only the non-empty parameters are covered: the empty-valued ones were not signed. */
        WITHOUT_EMPTY_VALUES,
        NONE
    }

    /** Like {@link #verify}, and says whether empty-valued parameters were covered. */
    public static Match check(String method, Map<String, String> params, String accessKeySecret, String signature) {
        if (signature == null || signature.isEmpty()) {
            return Match.NONE;
        }
        if (Signatures.constantTimeEquals(sign(stringToSign(method, params, true), accessKeySecret), signature)) {
            return Match.ALL;
        }
        boolean withoutEmpty = CanonicalQuery.hasEmptyValue(params, SIGNATURE_PARAM)
                && Signatures.constantTimeEquals(sign(stringToSign(method, params, false), accessKeySecret), signature);
        return withoutEmpty ? Match.WITHOUT_EMPTY_VALUES : Match.NONE;
    }
}
