package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Client signer -> server-side verification, plus byte-exact reproduction of the captured requests. */
class RequestSignerTest {

    static final String AK = "LTAI5tTestAccessKeyId00";
    static final String SECRET = "TestAccessKeySecret000000000000";

    static Map<String, String> trickyParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("KeyId", "alias/my key");
        p.put("Plaintext", "aGVs+/bG8=");
        p.put("EncryptionContext", "{\"purpose\":\"demo\",\"k e*y~\":\"v+/=\u00e9 \uD83D\uDE00\"}");
        p.put("Description", "");
        return p;
    }

    @Test
    void rpcReproducesTheV1Capture() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("KeyId", "key-test");
        p.put("EncryptionContext", "{\"purpose\":\"demo\"}");
        p.put("Plaintext", "aGVsbG8=");
        p.put("RegionId", "cn-hangzhou");
        String qs = new RequestSigner(AK, SECRET)
                .signRpc(
                        "POST",
                        "Encrypt",
                        p,
                        Timestamps.parse("2026-11-22T23:45:21Z"),
                        "3e9bbaa613b8627e56c47ed91c6e9df9",
                        true);
        Map<String, String> decoded = PercentEncoding.decodeForm(qs);
        assertThat(decoded.get("Signature")).isEqualTo("PHKwFbDYuTktYyKlX/wKieSxejc=");
        assertThat(qs).endsWith("&Signature=PHKwFbDYuTktYyKlX%2FwKieSxejc%3D");
    }

    @Test
    void rpcRoundTrip() {
        RequestSigner signer = new RequestSigner(AK, SECRET);
        String qs = signer.signRpc("POST", "Encrypt", trickyParams());
        Map<String, String> params = PercentEncoding.decodeForm(qs);
        assertThat(params)
                .containsKeys(
                        "Action",
                        "Version",
                        "Format",
                        "AccessKeyId",
                        "SignatureMethod",
                        "SignatureVersion",
                        "SignatureNonce",
                        "Timestamp",
                        "Signature");
        assertThat(params).doesNotContainKey("SecurityToken");
        assertThat(params.get("Version")).isEqualTo("2016-01-20");
        assertThat(params.get("Format")).isEqualTo("JSON");
        assertThat(params.get("SignatureNonce")).matches("[0-9a-f]{32}");
        assertThat(Math.abs(Timestamps.parse(params.get("Timestamp")) - System.currentTimeMillis()))
                .isLessThan(5000);
        assertThat(params).containsAllEntriesOf(trickyParams());
        assertThat(RpcSignature.verify("POST", params, SECRET, params.get("Signature")))
                .isTrue();
        assertThat(RpcSignature.verify("POST", params, "wrong", params.get("Signature")))
                .isFalse();

        // tampering with any value breaks it
        Map<String, String> tampered = new LinkedHashMap<>(params);
        tampered.put("KeyId", "alias/my-key");
        assertThat(RpcSignature.verify("POST", tampered, SECRET, params.get("Signature")))
                .isFalse();
    }

    @Test
    void rpcV2StyleWithoutEmptiesAndSts() {
        RequestSigner signer = new RequestSigner(AK, SECRET, "sts-token");
        String qs =
                signer.signRpc("GET", "ListKeys", trickyParams(), System.currentTimeMillis(), Nonces.newNonce(), false);
        Map<String, String> params = PercentEncoding.decodeForm(qs);
        assertThat(params.get("SecurityToken")).isEqualTo("sts-token");
        assertThat(params.get("Description")).isEmpty(); // still sent
        String sig = params.get("Signature");
        assertThat(sig).isEqualTo(RpcSignature.sign(RpcSignature.stringToSign("GET", params, false), SECRET));
        assertThat(sig).isNotEqualTo(RpcSignature.sign(RpcSignature.stringToSign("GET", params, true), SECRET));
        assertThat(RpcSignature.verify("GET", params, SECRET, sig)).isTrue();
    }

    @Test
    void acs3ReproducesTheV2Capture() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("EncryptionContext", "{\"purpose\":\"demo\"}");
        p.put("Plaintext", "aGVsbG8=");
        p.put("KeyId", "key-test");
        SignedAcs3Request r = new RequestSigner(AK, SECRET)
                .signAcs3(
                        "POST",
                        "127.0.0.1:18080",
                        "Encrypt",
                        p,
                        Timestamps.parse("2026-11-22T23:45:21Z"),
                        "f5d52cdd7a5c3ef480d1d96fbea42f80",
                        null,
                        null);
        assertThat(r.authorization())
                .isEqualTo("ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId00,SignedHeaders=host;"
                        + "x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
                        + "Signature=d25cc0846abd6d443fb9f8f90820a2cf48e5380b73610b55fe220d5f39932f32");
        assertThat(r.queryString())
                .isEqualTo("EncryptionContext=%7B%22purpose%22%3A%22demo%22%7D&KeyId=key-test&Plaintext=aGVsbG8%3D");
        assertThat(r.pathAndQuery()).startsWith("/?EncryptionContext=");
        assertThat(r.headers())
                .containsEntry("x-acs-action", "Encrypt")
                .containsEntry("x-acs-version", "2016-01-20")
                .containsEntry("host", "127.0.0.1:18080")
                .containsEntry("x-acs-date", "2026-11-22T23:45:21Z")
                .containsEntry("x-acs-content-sha256", Acs3Signature.EMPTY_BODY_SHA256);
    }

    @Test
    void acs3RoundTrip() {
        RequestSigner signer = new RequestSigner(AK, SECRET, "sts-token");
        SignedAcs3Request r = signer.signAcs3("POST", "127.0.0.1:18080", "Encrypt", trickyParams());
        assertThat(verifyHeaderSigned(r, SECRET, new byte[0])).isTrue();
        assertThat(verifyHeaderSigned(r, "wrong", new byte[0])).isFalse();
        assertThat(r.headers())
                .containsEntry("x-acs-security-token", "sts-token")
                .containsEntry("x-acs-accesskey-id", AK);
        assertThat(AuthorizationHeader.parse(r.authorization()).signedHeaders())
                .contains("x-acs-security-token", "x-acs-accesskey-id")
                .isSorted();
        assertThat(r.headers().get("x-acs-signature-nonce")).matches("[0-9a-f]{32}");
        assertThat(PercentEncoding.decodeForm(r.queryString())).isEqualTo(trickyParams());
    }

    @Test
    void acs3WithFormBody() {
        byte[] body = "a=1&b=2".getBytes(StandardCharsets.UTF_8);
        SignedAcs3Request r = new RequestSigner(AK, SECRET)
                .signAcs3(
                        "POST",
                        "localhost",
                        "Encrypt",
                        new HashMap<String, String>(),
                        System.currentTimeMillis(),
                        Nonces.newNonce(),
                        body,
                        "application/x-www-form-urlencoded");
        assertThat(r.queryString()).isEmpty();
        assertThat(r.pathAndQuery()).isEqualTo("/");
        assertThat(AuthorizationHeader.parse(r.authorization()).signedHeaders()).contains("content-type");
        assertThat(verifyHeaderSigned(r, SECRET, body)).isTrue();
        assertThat(verifyHeaderSigned(r, SECRET, "a=1&b=3".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }

    @Test
    void acs4RoundTrip() {
        SignedAcs3Request r = new RequestSigner(AK, SECRET)
                .signAcs4("GET", "kms.cn-shanghai.aliyuncs.com", "ListKeys", trickyParams());
        AuthorizationHeader auth = AuthorizationHeader.parse(r.authorization());
        assertThat(auth.credentialScope().subList(1, 4)).containsExactly("cn-shanghai", "Kms", "aliyun_v4_request");
        assertThat(verifyHeaderSigned(r, SECRET, new byte[0])).isTrue();
    }

    /** What the server does for ACS3/ACS4 (the V3 signature page). */
    static boolean verifyHeaderSigned(SignedAcs3Request r, String secret, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> e : r.headers().entrySet()) {
            headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        AuthorizationHeader auth = AuthorizationHeader.parse(headers.get("authorization"));
        String bodyHash = Acs3Signature.sha256Hex(body);
        if (!bodyHash.equals(headers.get("x-acs-content-sha256"))) {
            return false;
        }
        Map<String, String> query = PercentEncoding.decodeForm(r.queryString());
        String expected;
        if (auth.isAcs4()) {
            String cr = Acs4Signature.canonicalRequest(r.method(), "/", query, auth.signedHeaders(), headers, bodyHash);
            expected = Acs4Signature.sign(
                    Acs4Signature.stringToSign(cr),
                    secret,
                    auth.credentialScope().get(0),
                    auth.credentialScope().get(1),
                    auth.credentialScope().get(2));
        } else {
            String cr = Acs3Signature.canonicalRequest(r.method(), "/", query, auth.signedHeaders(), headers, bodyHash);
            expected = Acs3Signature.sign(Acs3Signature.stringToSign(cr), secret);
        }
        return Signatures.constantTimeEquals(expected, auth.signature());
    }
}
