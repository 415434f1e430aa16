package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openkms.wire.capture.CapturedRequest;
import org.openkms.wire.capture.OfficialSdkCaptures;

/**
 * Our verifiers against requests the official SDKs send right now: each test captures a fresh request on a loopback
 * recorder ({@link OfficialSdkCaptures}), then checks it the way the server does — decode the query, pick the scheme
 * from the request, recompute the signature with the AccessKey secret the capture was configured with, and compare.
 * An SDK upgrade that changes what is signed, or how, fails here first.
 */
class OfficialSdkRequestsTest {
    private static final String SECRET = OfficialSdkCaptures.ACCESS_KEY_SECRET;

    @Test
    void v1EncryptVerifiesAsRpcHmacSha1() throws Exception {
        CapturedRequest r = OfficialSdkCaptures.v1Encrypt();
        assertThat(r.query())
                .as(r.name())
                .containsEntry("Action", "Encrypt")
                .containsEntry("KeyId", OfficialSdkCaptures.KEY_ID)
                .containsEntry("Plaintext", OfficialSdkCaptures.PLAINTEXT)
                .containsEntry("EncryptionContext", OfficialSdkCaptures.ENCRYPTION_CONTEXT_JSON);
        verifyRpc(r);
    }

    @Test
    void v1CreateSecretVerifiesAsRpcHmacSha1() throws Exception {
        CapturedRequest r = OfficialSdkCaptures.v1CreateSecret();
        assertThat(r.query())
                .as(r.name())
                .containsEntry("Action", "CreateSecret")
                .containsEntry("SecretName", OfficialSdkCaptures.SECRET_NAME)
                .containsEntry("SecretData", OfficialSdkCaptures.SECRET_DATA)
                .containsEntry("VersionId", OfficialSdkCaptures.SECRET_VERSION_ID);
        verifyRpc(r);
    }

    @Test
    void v2EncryptVerifiesAsAcs3HmacSha256() throws Exception {
        CapturedRequest r = OfficialSdkCaptures.v2Encrypt();
        assertThat(r.header("x-acs-action")).as(r.name()).isEqualTo("Encrypt");
        assertThat(r.query())
                .as(r.name())
                .containsEntry("KeyId", OfficialSdkCaptures.KEY_ID)
                .containsEntry("Plaintext", OfficialSdkCaptures.PLAINTEXT)
                .containsEntry("EncryptionContext", OfficialSdkCaptures.ENCRYPTION_CONTEXT_JSON);
        verifyAcs3(r);
    }

    /** The checks above must be able to fail: the same captures do not verify under another secret. */
    @Test
    void capturedSignaturesDoNotVerifyWithAnotherSecret() throws Exception {
        CapturedRequest rpc = OfficialSdkCaptures.v1Encrypt();
        assertThat(RpcSignature.verify(
                        rpc.method(), rpc.query(), SECRET + "x", rpc.query().get("Signature")))
                .isFalse();

        CapturedRequest acs3 = OfficialSdkCaptures.v2Encrypt();
        AuthorizationHeader auth = AuthorizationHeader.parse(acs3.header("authorization"));
        assertThat(Acs3Signature.sign(Acs3Signature.stringToSign(canonicalRequest(acs3, auth)), SECRET + "x"))
                .isNotEqualTo(auth.signature());
    }

    /** RPC (signature V2 for RPC APIs): everything, the signature included, is in the query. */
    private static void verifyRpc(CapturedRequest r) {
        Map<String, String> query = r.query();
        assertThat(r.header("authorization")).as(r.name()).isNull();
        assertThat(query.get("SignatureMethod")).isEqualTo(RpcSignature.SIGNATURE_METHOD);
        assertThat(query.get("SignatureVersion")).isEqualTo(RpcSignature.SIGNATURE_VERSION);
        assertThat(query.get("AccessKeyId")).isEqualTo(OfficialSdkCaptures.ACCESS_KEY_ID);
        String expected = query.get("Signature");
        assertThat(RpcSignature.sign(RpcSignature.stringToSign(r.method(), query, true), SECRET))
                .as(r.name())
                .isEqualTo(expected);
        assertThat(RpcSignature.verify(r.method(), query, SECRET, expected)).isTrue();
        Timestamps.parse(query.get("Timestamp"));
    }

    /** ACS3: the signature is in the Authorization header, over the canonical request of the signed headers. */
    private static void verifyAcs3(CapturedRequest r) {
        AuthorizationHeader auth = AuthorizationHeader.parse(r.header("authorization"));
        assertThat(auth.algorithm()).isEqualTo(Acs3Signature.ALGORITHM);
        assertThat(auth.accessKeyId()).isEqualTo(OfficialSdkCaptures.ACCESS_KEY_ID);
        assertThat(r.header("x-acs-content-sha256")).isEqualTo(Acs3Signature.sha256Hex(r.body()));
        String signature = Acs3Signature.sign(Acs3Signature.stringToSign(canonicalRequest(r, auth)), SECRET);
        assertThat(signature).as(r.name()).isEqualTo(auth.signature());
        assertThat(Signatures.constantTimeEquals(signature, auth.signature())).isTrue();
        Timestamps.parse(r.header("x-acs-date"));
    }

    private static String canonicalRequest(CapturedRequest r, AuthorizationHeader auth) {
        return Acs3Signature.canonicalRequest(
                r.method(), r.path(), r.query(), auth.signedHeaders(), r.headers(), Acs3Signature.sha256Hex(r.body()));
    }
}
