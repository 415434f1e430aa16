package org.openkms.wire.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.openkms.wire.Acs3Signature;
import org.openkms.wire.Acs4Signature;
import org.openkms.wire.AuthorizationHeader;
import org.openkms.wire.PercentEncoding;
import org.openkms.wire.RequestSigner;
import org.openkms.wire.RpcSignature;
import org.openkms.wire.SignedAcs3Request;

/**
 * The signature schemes with arbitrary parameter maps: what the client signer ({@link RequestSigner}) produces, put
 * through the wire encoding and decoded the way the server decodes it, must verify with the server-side
 * canonicalisation, and must stop verifying when a parameter changes. Nothing may throw but IllegalArgumentException
 * (documented for an empty secret).
 *
 * <p>Input: text lines (FuzzText) — {@code method}, {@code secret}, {@code action} (ACS: also {@code host}), then
 * {@code name=value} business parameters taken literally.
 */
class SignatureFuzzTest {
    private static final String AK = "LTAIfuzzAccessKey";
    private static final long TIME = 1_795_000_000_000L;
    private static final String NONCE = "0123456789abcdef0123456789abcdef";

    @FuzzTest
    @Timeout(10)
    void rpc(byte[] input) {
        List<String> lines = FuzzText.lines(FuzzText.decode(input));
        String method = FuzzText.line(lines, 0, "POST");
        String secret = FuzzText.line(lines, 1, "secret");
        String action = FuzzText.line(lines, 2, "Encrypt");
        Map<String, String> params = FuzzText.params(lines, 3);

        // Server-side primitives on the raw map: no exception (an empty secret is an IllegalArgumentException).
        String signature;
        try {
            signature = RpcSignature.sign(RpcSignature.stringToSign(method, params, true), secret);
        } catch (IllegalArgumentException e) {
            assertThat(secret).isEmpty();
            return;
        }
        assertThat(RpcSignature.verify(method, params, secret, signature)).isTrue();
        assertThat(RpcSignature.verify(method, params, secret, signature + "x")).isFalse();
        assertThat(RpcSignature.verify(method, params, secret, "")).isFalse();
        assertThat(RpcSignature.verify(method, params, secret, null)).isFalse();
        RpcSignature.canonicalQuery(params, false);

        if (!wireSafe(method, secret, action, params)) {
            return;
        }
        // Client signer -> wire text -> server decoding -> verification.
        String query = new RequestSigner(AK, secret).signRpc(method, action, params, TIME, NONCE, true);
        Map<String, String> received = PercentEncoding.decodeForm(query);
        String sent = received.get(RpcSignature.SIGNATURE_PARAM);
        assertThat(RpcSignature.verify(method, received, secret, sent))
                .as(query)
                .isTrue();
        // The V2 SDK's "v2" mode leaves empty values out of the signature; the verifier's fallback accepts it.
        String v2 = new RequestSigner(AK, secret).signRpc(method, action, params, TIME, NONCE, false);
        Map<String, String> receivedV2 = PercentEncoding.decodeForm(v2);
        assertThat(RpcSignature.verify(method, receivedV2, secret, receivedV2.get(RpcSignature.SIGNATURE_PARAM)))
                .as(v2)
                .isTrue();
        // Any change to a signed parameter breaks it.
        Map<String, String> tampered = new HashMap<>(received);
        tampered.put("Action", received.get("Action") + "x");
        assertThat(RpcSignature.verify(method, tampered, secret, sent)).isFalse();
    }

    @FuzzTest
    @Timeout(10)
    void acs3(byte[] input) {
        acs(input, false);
    }

    @FuzzTest
    @Timeout(10)
    void acs4(byte[] input) {
        acs(input, true);
    }

    private static void acs(byte[] input, boolean v4) {
        List<String> lines = FuzzText.lines(FuzzText.decode(input));
        String method = FuzzText.line(lines, 0, "POST");
        String secret = FuzzText.line(lines, 1, "secret");
        String action = FuzzText.line(lines, 2, "Encrypt");
        String host = FuzzText.line(lines, 3, "127.0.0.1:8080");
        Map<String, String> params = FuzzText.params(lines, 4);

        // Canonicalisation with arbitrary signed-header lists, including names of absent or mixed-case headers.
        List<String> signedHeaders = new ArrayList<>(params.keySet());
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        String bodyHash = Acs3Signature.sha256Hex(action.getBytes(StandardCharsets.UTF_8));
        String cr = v4
                ? Acs4Signature.canonicalRequest(method, host, params, signedHeaders, headers, bodyHash)
                : Acs3Signature.canonicalRequest(method, host, params, signedHeaders, headers, bodyHash);
        String stringToSign = v4 ? Acs4Signature.stringToSign(cr) : Acs3Signature.stringToSign(cr);
        try {
            if (v4) {
                Acs4Signature.sign(stringToSign, secret, action, host, method);
            } else {
                Acs3Signature.sign(stringToSign, secret);
            }
        } catch (IllegalArgumentException e) {
            assertThat(secret).isEmpty();
            return;
        }
        // A real Host is a name or address with a port; the ACS4 region is taken from it into the Credential, where
        // '/' or ',' would be read as scope or field separators (the SDK has the same limit).
        if (!wireSafe(method, secret, action, params) || !host.matches("[A-Za-z0-9.:\\[\\]-]*")) {
            return;
        }
        RequestSigner signer = new RequestSigner(AK, secret);
        byte[] body = action.getBytes(StandardCharsets.UTF_8);
        SignedAcs3Request signed = v4
                ? signer.signAcs4(method, host, action, params, TIME, NONCE)
                : signer.signAcs3(method, host, action, params, TIME, NONCE, body, "application/octet-stream");

        // What the server does (Authenticator.authenticateAcs), on the decoded query and lower-case headers.
        Map<String, String> query = PercentEncoding.decodeForm(signed.queryString());
        Map<String, String> received = new HashMap<>();
        for (Map.Entry<String, String> e : signed.headers().entrySet()) {
            received.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        AuthorizationHeader auth = AuthorizationHeader.parse(signed.authorization());
        assertThat(auth.accessKeyId()).isEqualTo(AK);
        String hash = Acs3Signature.sha256Hex(v4 ? null : body);
        String expected;
        if (v4) {
            List<String> scope = auth.credentialScope();
            assertThat(scope).hasSize(4);
            expected = Acs4Signature.sign(
                    Acs4Signature.stringToSign(
                            Acs4Signature.canonicalRequest(method, "/", query, auth.signedHeaders(), received, hash)),
                    secret,
                    scope.get(0),
                    scope.get(1),
                    scope.get(2));
        } else {
            expected = Acs3Signature.sign(
                    Acs3Signature.stringToSign(
                            Acs3Signature.canonicalRequest(method, "/", query, auth.signedHeaders(), received, hash)),
                    secret);
        }
        assertThat(expected).as(signed.authorization()).isEqualTo(auth.signature());
        // A changed query parameter breaks it.
        query.put("x-fuzz-added", "1");
        String changed = Acs3Signature.sign(
                Acs3Signature.stringToSign(
                        Acs3Signature.canonicalRequest(method, "/", query, auth.signedHeaders(), received, hash)),
                secret);
        assertThat(changed).isNotEqualTo(auth.signature());
    }

    /**
     * Whether the request can go over the wire unchanged: text without unpaired surrogates (they have no UTF-8 form,
     * so the encoder writes '?', by design) and no business parameter that the signer itself replaces or drops
     * (Signature; in RPC the common parameters, which the business map may override on purpose).
     */
    private static boolean wireSafe(String method, String secret, String action, Map<String, String> params) {
        if (FuzzText.hasLoneSurrogate(method)
                || FuzzText.hasLoneSurrogate(secret)
                || FuzzText.hasLoneSurrogate(action)
                || secret.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (FuzzText.hasLoneSurrogate(e.getKey())
                    || FuzzText.hasLoneSurrogate(e.getValue())
                    || e.getKey().equals(RpcSignature.SIGNATURE_PARAM)
                    || e.getKey().equals("x-fuzz-added")) {
                return false;
            }
        }
        return true;
    }
}
