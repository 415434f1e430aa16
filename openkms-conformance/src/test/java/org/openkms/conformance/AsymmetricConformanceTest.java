package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.randomBytes;
import static org.openkms.conformance.Conformance.unb64;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.conformance.KmsApi.CreateKey;
import org.openkms.conformance.KmsApi.KeyMeta;

/**
 * Asymmetric keys, MAC keys, BYOK and data-key export (issue 3;
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-asymmetricsign,
 * …-exportdatakey, …-getparametersforimport) through every SDK configuration of the matrix. Results are checked against
 * the JDK as an independent implementation (it verifies our signatures, encrypts to our public keys, decrypts what we
 * export), and every kind of bad input must come back with its API error code and status.
 */
@ExtendWith(SharedServer.class)
class AsymmetricConformanceTest {
    private static final String SDKS = "org.openkms.conformance.SharedServer#sdks";
    private static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private static KeyMeta create(KmsApi sdk, String spec, String usage) {
        return sdk.createKey(new CreateKey().keySpec(spec).keyUsage(usage));
    }

    private static PublicKey publicKey(AsymmetricApi api, KeyMeta k, String algorithm) throws Exception {
        AsymmetricApi.PublicKey p = api.getPublicKey(k.keyId(), k.primaryKeyVersion());
        assertThat(p.keyId()).isEqualTo(k.keyId());
        assertThat(p.keyVersionId()).isEqualTo(k.primaryKeyVersion());
        assertThat(p.publicKey()).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        byte[] der = java.util.Base64.getMimeDecoder()
                .decode(p.publicKey()
                        .replace("-----BEGIN PUBLIC KEY-----", "")
                        .replace("-----END PUBLIC KEY-----", ""));
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    }

    private static byte[] sha256(byte[] m) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void signaturesVerifyWithTheJdkAndOnTheServer(KmsApi sdk) throws Exception {
        AsymmetricApi api = AsymmetricApi.of(sdk);
        byte[] message = randomBytes(64);
        String digest = b64(sha256(message));
        String[][] cases = {
            {"RSA_2048", "RSA_PKCS1_SHA_256", "RSA", "SHA256withRSA"},
            {"EC_P256", "ECDSA_SHA_256", "EC", "SHA256withECDSA"}
        };
        for (String[] c : cases) {
            KeyMeta k = create(sdk, c[0], "SIGN/VERIFY");
            assertThat(k.keySpec()).isEqualTo(c[0]);
            assertThat(k.keyUsage()).isEqualTo("SIGN/VERIFY");
            AsymmetricApi.Signed s = api.asymmetricSign(k.keyId(), k.primaryKeyVersion(), c[1], digest, null);
            assertThat(s.keyId()).isEqualTo(k.keyId());
            assertThat(s.keyVersionId()).isEqualTo(k.primaryKeyVersion());
            Signature jdk = Signature.getInstance(c[3]);
            jdk.initVerify(publicKey(api, k, c[2]));
            jdk.update(message);
            assertThat(jdk.verify(unb64(s.value()))).as(c[0]).isTrue();
            assertThat(api.asymmetricVerify(k.keyId(), k.primaryKeyVersion(), c[1], digest, s.value())
                            .value())
                    .isTrue();
            assertThat(api.asymmetricVerify(k.keyId(), k.primaryKeyVersion(), c[1], b64(sha256(new byte[1])), s.value())
                            .value())
                    .isFalse();
        }
        for (String[] c :
                new String[][] {{"EC_P256K", "ECDSA_SHA_256"}, {"EC_SM2", "SM2DSA"}, {"RSA_3072", "RSA_PSS_SHA_256"}}) {
            KeyMeta k = create(sdk, c[0], "SIGN/VERIFY");
            String v = api.asymmetricSign(k.keyId(), k.primaryKeyVersion(), c[1], digest, null)
                    .value();
            assertThat(api.asymmetricVerify(k.keyId(), k.primaryKeyVersion(), c[1], digest, v)
                            .value())
                    .as(c[0])
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void signingRejectsBadInputWithTheApiCodes(KmsApi sdk) throws Exception {
        AsymmetricApi api = AsymmetricApi.of(sdk);
        KeyMeta k = create(sdk, "EC_P256K", null);
        assertThat(k.keyUsage()).isEqualTo("SIGN/VERIFY");
        String v = k.primaryKeyVersion();
        String digest = b64(sha256(new byte[3]));
        expectError(
                "InvalidParameter",
                400,
                () -> api.asymmetricSign(k.keyId(), v, "ECDSA_SHA_256", b64(new byte[20]), null));
        expectError("InvalidParameter", 400, () -> api.asymmetricSign(k.keyId(), v, "SM2DSA", digest, null));
        expectError("InvalidParameter", 400, () -> api.asymmetricSign(k.keyId(), v, "NOT_AN_ALGORITHM", digest, null));
        expectError("MissingParameter", 400, () -> api.asymmetricSign(k.keyId(), null, "ECDSA_SHA_256", digest, null));
        expectError(
                "Forbidden.KeyVersionNotFound",
                404,
                () -> api.asymmetricSign(
                        k.keyId(), "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "ECDSA_SHA_256", digest, null));
        expectError(
                "DryRunOperationError", 400, () -> api.asymmetricSign(k.keyId(), v, "ECDSA_SHA_256", digest, "true"));
        String aes = sdk.newKey();
        expectError(
                "Rejected.UnsupportedOperation", 400, () -> api.asymmetricSign(aes, v, "ECDSA_SHA_256", digest, null));
        expectError(
                "Rejected.UnsupportedOperation",
                400,
                () -> api.asymmetricEncrypt(k.keyId(), v, "RSAES_OAEP_SHA_256", b64(new byte[1])));
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.createKey(new CreateKey().keySpec("EC_P256").keyUsage("ENCRYPT/DECRYPT")));
        sdk.disableKey(k.keyId());
        expectError("Rejected.Disabled", 409, () -> api.asymmetricSign(k.keyId(), v, "ECDSA_SHA_256", digest, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void encryptDecryptAndReEncryptFromAnAsymmetricSource(KmsApi sdk) throws Exception {
        AsymmetricApi api = AsymmetricApi.of(sdk);
        KeyMeta rsa = create(sdk, "RSA_2048", "ENCRYPT/DECRYPT");
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.ENCRYPT_MODE, publicKey(api, rsa, "RSA"), OAEP_SHA256);
        byte[] secret = randomBytes(48);
        KmsApi.Decrypted d = api.asymmetricDecrypt(
                rsa.keyId(), rsa.primaryKeyVersion(), "RSAES_OAEP_SHA_256", b64(c.doFinal(secret)));
        assertThat(unb64(d.plaintext())).isEqualTo(secret);
        assertThat(d.keyVersionId()).isEqualTo(rsa.primaryKeyVersion());
        KmsApi.Encrypted e =
                api.asymmetricEncrypt(rsa.keyId(), rsa.primaryKeyVersion(), "RSAES_OAEP_SHA_1", b64(secret));
        assertThat(unb64(e.ciphertextBlob())).hasSize(256);
        String aes = sdk.newKey();
        KmsApi.Encrypted re = api.reEncryptFromAsymmetric(
                e.ciphertextBlob(), rsa.keyId(), rsa.primaryKeyVersion(), "RSAES_OAEP_SHA_1", aes);
        assertThat(re.keyId()).isEqualTo(aes);
        assertThat(unb64(sdk.decrypt(re.ciphertextBlob()).plaintext())).isEqualTo(secret);
        expectError(
                "InvalidParameter",
                400,
                () -> api.asymmetricEncrypt(
                        rsa.keyId(), rsa.primaryKeyVersion(), "RSAES_OAEP_SHA_256", b64(new byte[191])));
        expectError(
                "InvalidParameter",
                400,
                () -> api.asymmetricDecrypt(
                        rsa.keyId(), rsa.primaryKeyVersion(), "RSAES_OAEP_SHA_256", b64(new byte[256])));
        expectError(
                "Rejected.UnsupportedOperation",
                400,
                () -> api.asymmetricSign(
                        rsa.keyId(), rsa.primaryKeyVersion(), "RSA_PSS_SHA_256", b64(new byte[32]), null));

        KeyMeta sm2 = create(sdk, "EC_SM2", "ENCRYPT/DECRYPT");
        String ct = api.asymmetricEncrypt(sm2.keyId(), sm2.primaryKeyVersion(), "SM2PKE", b64(secret))
                .ciphertextBlob();
        assertThat(unb64(ct)[0]).as("GM/T 0009 DER SEQUENCE").isEqualTo((byte) 0x30);
        assertThat(unb64(api.asymmetricDecrypt(sm2.keyId(), sm2.primaryKeyVersion(), "SM2PKE", ct)
                        .plaintext()))
                .isEqualTo(secret);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void byokRoundTripWrappedWithTheJdkAsTheImportGuideShows(KmsApi sdk) throws Exception {
        AsymmetricApi api = AsymmetricApi.of(sdk);
        KeyMeta k = sdk.createKey(new CreateKey().origin("EXTERNAL"));
        assertThat(k.keyState()).isEqualTo("PendingImport");
        AsymmetricApi.ImportParameters p = api.getParametersForImport(k.keyId(), "RSAES_OAEP_SHA_256", "RSA_2048");
        assertThat(p.keyId()).isEqualTo(k.keyId());
        assertThat(p.tokenExpireTime()).matches(Conformance.ISO_SECONDS);
        // The guide (Java): 32 random bytes, RSA/ECB/OAEPWithSHA-256AndMGF1Padding with an explicit SHA-256 MGF1.
        byte[] material = randomBytes(32);
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        oaep.init(
                Cipher.ENCRYPT_MODE,
                KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(unb64(p.publicKey()))),
                OAEP_SHA256);
        String wrapped = b64(oaep.doFinal(material));
        expectError(
                "InvalidKeyMaterial",
                400,
                () -> api.importKeyMaterial(k.keyId(), p.importToken(), b64(new byte[256]), 0L));
        expectError("InvalidImportToken", 400, () -> api.importKeyMaterial(k.keyId(), "AAAA", wrapped, 0L));
        expectError("Rejected.PendingImport", 409, () -> sdk.encrypt(k.keyId(), b64(new byte[4])));
        long expire = System.currentTimeMillis() / 1000 + 86_400;
        api.importKeyMaterial(k.keyId(), p.importToken(), wrapped, expire);
        KeyMeta imported = sdk.describeKey(k.keyId());
        assertThat(imported.keyState()).isEqualTo("Enabled");
        assertThat(Conformance.instant(imported.materialExpireTime()).getEpochSecond())
                .isEqualTo(expire);
        String blob = sdk.encrypt(k.keyId(), b64(new byte[] {42})).ciphertextBlob();

        api.deleteKeyMaterial(k.keyId());
        assertThat(sdk.describeKey(k.keyId()).keyState()).isEqualTo("PendingImport");
        expectError("Rejected.PendingImport", 409, () -> sdk.decrypt(blob));
        api.importKeyMaterial(k.keyId(), p.importToken(), wrapped, 0L); // the same material, the same token, again
        assertThat(unb64(sdk.decrypt(blob).plaintext())).containsExactly(42);
        String normal = sdk.newKey();
        expectError(
                "Unsupported.Origin", 400, () -> api.getParametersForImport(normal, "RSAES_OAEP_SHA_256", "RSA_2048"));
        expectError("Unsupported.Origin", 400, () -> api.deleteKeyMaterial(normal));
        expectError("InvalidParameter", 400, () -> api.getParametersForImport(k.keyId(), "SM2PKE", "RSA_2048"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void dataKeysExportToTheCallersPublicKey(KmsApi sdk) throws Exception {
        AsymmetricApi api = AsymmetricApi.of(sdk);
        String cmk = sdk.newKey();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair recipient = g.generateKeyPair();
        String pub = b64(recipient.getPublic().getEncoded());
        AsymmetricApi.Exported gen = api.generateAndExportDataKey(cmk, 32, pub, "RSAES_OAEP_SHA_256", "RSA_2048");
        assertThat(gen.keyId()).isEqualTo(cmk);
        byte[] plain = unb64(sdk.decrypt(gen.ciphertextBlob()).plaintext());
        assertThat(oaepDecrypt(recipient.getPrivate(), unb64(gen.exportedDataKey())))
                .isEqualTo(plain);

        KmsApi.DataKey dk = sdk.generateDataKey(cmk, null, null, Map.of("a", "b"), null);
        AsymmetricApi.Exported exp =
                api.exportDataKey(dk.ciphertextBlob(), Map.of("a", "b"), pub, "RSAES_OAEP_SHA_256", "RSA_2048");
        assertThat(exp.keyId()).isEqualTo(cmk);
        assertThat(oaepDecrypt(recipient.getPrivate(), unb64(exp.exportedDataKey())))
                .isEqualTo(unb64(dk.plaintext()));
        expectError(
                "InvalidParameter",
                400,
                () -> api.exportDataKey(dk.ciphertextBlob(), Map.of("a", "b"), pub, "SM2PKE", "RSA_2048"));
        expectError(
                "InvalidParameter",
                400,
                () -> api.exportDataKey(
                        dk.ciphertextBlob(), Map.of("a", "b"), "AAAA", "RSAES_OAEP_SHA_256", "RSA_2048"));
        expectError(
                "InvalidParameter",
                400,
                () -> api.generateAndExportDataKey(cmk, 191, pub, "RSAES_OAEP_SHA_256", "RSA_2048"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void macThroughTheSdksGenericCall(KmsApi sdk) {
        AsymmetricApi api = AsymmetricApi.of(sdk);
        KeyMeta k = create(sdk, "HMAC_SM3", null);
        assertThat(k.keyUsage()).isEqualTo("GENERATE/VERIFY_MAC");
        String message = b64(randomBytes(40));
        AsymmetricApi.Mac mac = api.generateMac(k.keyId(), "HMAC_SM3", message);
        assertThat(mac.algorithm()).isEqualTo("HMAC_SM3");
        assertThat(mac.keyId()).isEqualTo(k.keyId());
        assertThat(unb64(mac.mac())).hasSize(32);
        assertThat(api.verifyMac(k.keyId(), "HMAC_SM3", message, mac.mac())).isTrue();
        assertThat(api.verifyMac(k.keyId(), "HMAC_SM3", b64(new byte[1]), mac.mac()))
                .isFalse();
        expectError("InvalidParameter", 400, () -> api.generateMac(k.keyId(), "HMAC_SHA_256", message));
        expectError("Rejected.UnsupportedOperation", 400, () -> api.generateMac(sdk.newKey(), "HMAC_SM3", message));
    }

    private static byte[] oaepDecrypt(PrivateKey key, byte[] ct) throws Exception {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.DECRYPT_MODE, key, OAEP_SHA256);
        return c.doFinal(ct);
    }
}
