package org.openkms.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client side: signs requests the way the official SDKs do, so the bench tool and conformance tests exercise exactly
 * what real clients send. Thread-safe and immutable.
 *
 * <p>The overloads taking {@code epochMillis} and {@code nonce} exist for tests (stale timestamps, replayed nonces,
 * fixed vectors); the short forms use the current time and a fresh {@link Nonces#newNonce() nonce}.
 */
public final class RequestSigner {

    private static final String AUTHORIZATION = "Authorization";

    private final String accessKeyId;
    private final String accessKeySecret;
    private final String securityToken;

    public RequestSigner(String accessKeyId, String accessKeySecret) {
        this(accessKeyId, accessKeySecret, null);
    }

    /** @param securityToken STS token, or null for a plain AccessKey */
    public RequestSigner(String accessKeyId, String accessKeySecret, String securityToken) {
        if (accessKeyId == null || accessKeyId.isEmpty() || accessKeySecret == null || accessKeySecret.isEmpty()) {
            throw new IllegalArgumentException("accessKeyId and accessKeySecret are required");
        }
        this.accessKeyId = accessKeyId;
        this.accessKeySecret = accessKeySecret;
        this.securityToken = securityToken == null || securityToken.isEmpty() ? null : securityToken;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    // ---------------------------------------------------------------- RPC HMAC-SHA1

    /**
     * RPC HMAC-SHA1 like the V1 SDK: returns the full, signed, encoded query string (no leading '?') with
     * {@code Action, Version=2016-01-20, Format=JSON, AccessKeyId, SignatureMethod, SignatureVersion,
     * SignatureNonce, Timestamp[, SecurityToken], Signature} plus the business parameters.
     */
    public String signRpc(String method, String action, Map<String, String> params) {
        return signRpc(method, action, params, System.currentTimeMillis(), Nonces.newNonce(), true);
    }

    /**
     * @param params                   business parameters (null values are dropped, as the SDKs drop unset fields).
     *                                 They are put after the common ones, so a test may override e.g.
     *                                 {@code Format} or {@code SignatureVersion}; a "Signature" entry is ignored.
     * @param includeEmptyInSignature  false reproduces the V2 SDK in {@code signatureAlgorithm="v2"} mode, which sends
     *                                 empty values but leaves them out of the signature (openapiutil getRPCSignature)
     */
    public String signRpc(
            String method,
            String action,
            Map<String, String> params,
            long epochMillis,
            String nonce,
            boolean includeEmptyInSignature) {
        Map<String, String> all = new LinkedHashMap<>(32);
        all.put("Action", action);
        all.put("Version", AcsHeaders.KMS_API_VERSION);
        all.put("Format", "JSON");
        all.put("AccessKeyId", accessKeyId);
        all.put("SignatureMethod", RpcSignature.SIGNATURE_METHOD);
        all.put("SignatureVersion", RpcSignature.SIGNATURE_VERSION);
        all.put("SignatureNonce", nonce);
        all.put("Timestamp", Timestamps.format(epochMillis));
        if (securityToken != null) {
            all.put("SecurityToken", securityToken);
        }
        putBusiness(all, params);
        all.remove(RpcSignature.SIGNATURE_PARAM);
        String signature =
                RpcSignature.sign(RpcSignature.stringToSign(method, all, includeEmptyInSignature), accessKeySecret);
        // The sorted canonical query is also a valid wire query (empty values sent as "name=" either way).
        StringBuilder sb = new StringBuilder(512);
        CanonicalQuery.append(all, null, CanonicalQuery.Empty.NAME_EQUALS, sb);
        sb.append("&Signature=");
        PercentEncoding.encode(signature, sb);
        return sb.toString();
    }

    // ---------------------------------------------------------------- ACS3 / ACS4

    /**
     * ACS3-HMAC-SHA256 like the V2 SDK, empty body: the query carries the business parameters only; the headers are
     * {@code host, x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, x-acs-content-sha256}
     * (+ {@code x-acs-accesskey-id, x-acs-security-token} with STS), all signed, and {@code Authorization}.
     */
    public SignedAcs3Request signAcs3(String method, String host, String action, Map<String, String> params) {
        return signAcs3(method, host, action, params, System.currentTimeMillis(), Nonces.newNonce(), null, null);
    }

    /**
     * @param body        request body bytes, or null for the empty body of every KMS call
     * @param contentType sent and signed when not null (the SDK only sets it when there is a body)
     */
    public SignedAcs3Request signAcs3(
            String method,
            String host,
            String action,
            Map<String, String> params,
            long epochMillis,
            String nonce,
            byte[] body,
            String contentType) {
        return signHeaderStyle(false, method, host, action, params, epochMillis, nonce, body, contentType);
    }

    /**
     * ACS4-HMAC-SHA256 like the V2 SDK with {@code signatureVersion="v4"}: same headers as ACS3, scope
     * {@code <date>/<region from host>/Kms}.
     */
    public SignedAcs3Request signAcs4(String method, String host, String action, Map<String, String> params) {
        return signAcs4(method, host, action, params, System.currentTimeMillis(), Nonces.newNonce());
    }

    public SignedAcs3Request signAcs4(
            String method, String host, String action, Map<String, String> params, long epochMillis, String nonce) {
        return signHeaderStyle(true, method, host, action, params, epochMillis, nonce, null, null);
    }

    private SignedAcs3Request signHeaderStyle(
            boolean acs4,
            String method,
            String host,
            String action,
            Map<String, String> params,
            long epochMillis,
            String nonce,
            byte[] body,
            String contentType) {
        Map<String, String> query = new LinkedHashMap<>();
        putBusiness(query, params);
        String date = Timestamps.format(epochMillis);

        LinkedHashMap<String, String> headers = new LinkedHashMap<>();
        headers.put(AcsHeaders.HOST, host);
        headers.put(AcsHeaders.ACTION, action);
        headers.put(AcsHeaders.VERSION, AcsHeaders.KMS_API_VERSION);
        headers.put(AcsHeaders.DATE, date);
        headers.put(AcsHeaders.SIGNATURE_NONCE, nonce);
        headers.put(AcsHeaders.CONTENT_SHA256, Acs3Signature.sha256Hex(body));
        if (contentType != null) {
            headers.put(AcsHeaders.CONTENT_TYPE, contentType);
        }
        if (securityToken != null) {
            headers.put(AcsHeaders.ACCESS_KEY_ID, accessKeyId);
            headers.put(AcsHeaders.SECURITY_TOKEN, securityToken);
        }
        List<String> signed = new ArrayList<>(headers.keySet());
        Collections.sort(signed);
        String bodyHash = headers.get(AcsHeaders.CONTENT_SHA256);

        StringBuilder qs = new StringBuilder(256);
        CanonicalQuery.append(query, null, CanonicalQuery.Empty.NAME_EQUALS, qs);
        String canonicalQuery = qs.toString(); // what is signed is what is sent (ACS3 writes an empty value as name=)
        String algorithm;
        String credential;
        String signature;
        if (acs4) {
            String scopeDate = Acs4Signature.scopeDate(date);
            String region = Acs4Signature.regionFromHost(host);
            String cr = Acs4Signature.canonicalRequest(method, "/", query, signed, headers, bodyHash);
            signature = Acs4Signature.sign(
                    Acs4Signature.stringToSign(cr), accessKeySecret, scopeDate, region, Acs4Signature.PRODUCT_KMS);
            algorithm = Acs4Signature.ALGORITHM;
            credential = Acs4Signature.credential(accessKeyId, scopeDate, region, Acs4Signature.PRODUCT_KMS);
        } else {
            signature = Acs3Signature.sign(
                    Acs3Signature.stringToSignWithQuery(method, "/", canonicalQuery, signed, headers, bodyHash),
                    accessKeySecret);
            algorithm = Acs3Signature.ALGORITHM;
            credential = accessKeyId;
        }
        headers.put(
                AUTHORIZATION,
                algorithm + " Credential=" + credential + ",SignedHeaders=" + String.join(";", signed) + ",Signature="
                        + signature);

        return new SignedAcs3Request(method, canonicalQuery, headers);
    }

    private static void putBusiness(Map<String, String> target, Map<String, String> params) {
        if (params == null) {
            return;
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey() != null && e.getValue() != null) {
                target.put(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public String toString() {
        return "RequestSigner[" + accessKeyId + (securityToken != null ? ", sts" : "") + "]";
    }
}
