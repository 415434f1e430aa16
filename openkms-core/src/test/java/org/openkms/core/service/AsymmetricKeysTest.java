package org.openkms.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.core.service.KmsFixture.assertCode;
import static org.openkms.core.service.KmsFixture.sha256;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.key.AsymmetricService;
import org.openkms.core.key.CreateKeyRequest;
import org.openkms.core.key.CryptoService;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.Origin;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.crypto.asymmetric.SignatureAlgorithm;

/** Asymmetric keys through the domain core: creation rules, every algorithm, versions, restarts, state. */
class AsymmetricKeysTest {
    @TempDir
    Path dir;

    KmsFixture f;

    @BeforeEach
    void open() {
        f = new KmsFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void createKeyAppliesTheSpecUsageMatrixAndDefaults() {
        assertThat(f.create(KeySpec.EC_P256, null).keyUsage()).isEqualTo(KeyUsage.SIGN_VERIFY);
        assertThat(f.create(KeySpec.EC_P256K, null).keyUsage()).isEqualTo(KeyUsage.SIGN_VERIFY);
        assertThat(f.create(KeySpec.EC_SM2, null).keyUsage()).isEqualTo(KeyUsage.ENCRYPT_DECRYPT);
        assertThat(f.create(KeySpec.HMAC_SHA_256, null).keyUsage()).isEqualTo(KeyUsage.GENERATE_VERIFY_MAC);
        assertCode(() -> f.create(KeySpec.EC_P256, KeyUsage.ENCRYPT_DECRYPT), "InvalidParameter");
        assertCode(() -> f.create(KeySpec.Aliyun_AES_256, KeyUsage.SIGN_VERIFY), "InvalidParameter");
        assertCode(() -> f.create(KeySpec.HMAC_SM3, KeyUsage.SIGN_VERIFY), "InvalidParameter");
        assertCode(() -> f.create(KeySpec.EC_SM2, KeyUsage.GENERATE_VERIFY_MAC), "InvalidParameter");
        assertCode(
                () -> f.kms.keys()
                        .createKey(new CreateKeyRequest(
                                "",
                                KeySpec.EC_P256,
                                null,
                                Origin.Aliyun_KMS,
                                "SOFTWARE",
                                Duration.ofDays(30).toSeconds(),
                                Map.of())),
                "Rejected.UnsupportedOperation");
        assertCode(() -> f.createExternal(KeySpec.RSA_2048), "InvalidParameter");
        KeyRecord rsa = f.create(KeySpec.RSA_2048, KeyUsage.SIGN_VERIFY);
        assertCode(() -> f.kms.keys().updateRotationPolicy(rsa.keyId(), true, "30d"), "Rejected.UnsupportedOperation");
        f.kms.keys().updateRotationPolicy(rsa.keyId(), false, null); // turning rotation off is always fine
    }

    @Test
    void everySignatureAlgorithmSignsAndVerifiesOnItsSpecs() throws Exception {
        byte[] digest = sha256("message");
        Object[][] cases = {
            {KeySpec.RSA_2048, SignatureAlgorithm.RSA_PSS_SHA_256},
            {KeySpec.RSA_2048, SignatureAlgorithm.RSA_PKCS1_SHA_256},
            {KeySpec.RSA_3072, SignatureAlgorithm.RSA_PKCS1_SHA_256},
            {KeySpec.EC_P256, SignatureAlgorithm.ECDSA_SHA_256},
            {KeySpec.EC_P256K, SignatureAlgorithm.ECDSA_SHA_256},
            {KeySpec.EC_SM2, SignatureAlgorithm.SM2DSA}
        };
        for (Object[] c : cases) {
            KeyRecord k = f.create((KeySpec) c[0], KeyUsage.SIGN_VERIFY);
            SignatureAlgorithm a = (SignatureAlgorithm) c[1];
            AsymmetricService.Signed s = f.kms.asymmetric().sign(k.keyId(), k.primaryKeyVersion(), a, digest);
            assertThat(f.kms.asymmetric()
                            .verify(k.keyId(), k.primaryKeyVersion(), a, digest, s.value())
                            .value())
                    .as(c[0] + " " + a)
                    .isTrue();
            byte[] other = sha256("other");
            assertThat(f.kms.asymmetric()
                            .verify(k.keyId(), k.primaryKeyVersion(), a, other, s.value())
                            .value())
                    .isFalse();
            if (c[0] == KeySpec.RSA_2048) {
                assertThat(s.value()).hasSize(256);
            } else if (a == SignatureAlgorithm.ECDSA_SHA_256 || a == SignatureAlgorithm.SM2DSA) {
                assertThat(s.value()[0]).as("DER SEQUENCE").isEqualTo((byte) 0x30);
            }
        }
    }

    @Test
    void badSignInputsGetTheApiErrors() throws Exception {
        KeyRecord ec = f.create(KeySpec.EC_P256, null);
        String v = ec.primaryKeyVersion();
        assertCode(
                () -> f.kms.asymmetric().sign(ec.keyId(), v, SignatureAlgorithm.RSA_PSS_SHA_256, sha256("x")),
                "InvalidParameter");
        assertCode(
                () -> f.kms.asymmetric().sign(ec.keyId(), v, SignatureAlgorithm.ECDSA_SHA_256, new byte[20]),
                "InvalidParameter");
        assertCode(
                () -> f.kms.asymmetric()
                        .sign(
                                ec.keyId(),
                                "00000000-0000-0000-0000-000000000000",
                                SignatureAlgorithm.ECDSA_SHA_256,
                                sha256("x")),
                "Forbidden.KeyVersionNotFound");
        assertCode(
                () -> f.kms.asymmetric().encrypt(ec.keyId(), v, EncryptionAlgorithm.RSAES_OAEP_SHA_256, new byte[1]),
                "Rejected.UnsupportedOperation");
        KeyRecord aes = f.create(KeySpec.Aliyun_AES_256, null);
        assertCode(
                () -> f.kms.asymmetric()
                        .sign(aes.keyId(), aes.primaryKeyVersion(), SignatureAlgorithm.ECDSA_SHA_256, sha256("x")),
                "Rejected.UnsupportedOperation");
        assertCode(
                () -> f.kms.asymmetric().publicKey(aes.keyId(), aes.primaryKeyVersion()),
                "Rejected.UnsupportedOperation");
        assertCode(() -> f.kms.crypto().encrypt(ec.keyId(), new byte[1], Map.of()), "Rejected.UnsupportedOperation");
        f.kms.keys().disableKey(ec.keyId());
        assertCode(
                () -> f.kms.asymmetric().sign(ec.keyId(), v, SignatureAlgorithm.ECDSA_SHA_256, sha256("x")),
                "Rejected.Disabled");
    }

    @Test
    void encryptionAlgorithmsRoundTripAndRejectOversizePlaintext() {
        Object[][] cases = {
            {KeySpec.RSA_2048, EncryptionAlgorithm.RSAES_OAEP_SHA_256, 190},
            {KeySpec.RSA_2048, EncryptionAlgorithm.RSAES_OAEP_SHA_1, 214},
            {KeySpec.EC_SM2, EncryptionAlgorithm.SM2PKE, 6047}
        };
        for (Object[] c : cases) {
            KeyRecord k = f.create((KeySpec) c[0], KeyUsage.ENCRYPT_DECRYPT);
            EncryptionAlgorithm a = (EncryptionAlgorithm) c[1];
            int max = (int) c[2];
            byte[] pt = new byte[max];
            pt[0] = 7;
            byte[] ct = f.kms.asymmetric()
                    .encrypt(k.keyId(), k.primaryKeyVersion(), a, pt)
                    .data();
            assertThat(f.kms.asymmetric()
                            .decrypt(k.keyId(), k.primaryKeyVersion(), a, ct)
                            .data())
                    .isEqualTo(pt);
            assertCode(
                    () -> f.kms.asymmetric().encrypt(k.keyId(), k.primaryKeyVersion(), a, new byte[max + 1]),
                    "InvalidParameter");
            ct[ct.length - 1] ^= 1;
            assertCode(() -> f.kms.asymmetric().decrypt(k.keyId(), k.primaryKeyVersion(), a, ct), "InvalidParameter");
            assertCode(
                    () -> f.kms.asymmetric()
                            .sign(k.keyId(), k.primaryKeyVersion(), SignatureAlgorithm.SM2DSA, new byte[32]),
                    "Rejected.UnsupportedOperation");
        }
    }

    @Test
    void versionsStayUsableAfterRotationAndRestart() throws Exception {
        KeyRecord k = f.create(KeySpec.EC_SM2, KeyUsage.SIGN_VERIFY);
        byte[] digest = sha256("durable");
        byte[] sig1 = f.kms.asymmetric()
                .sign(k.keyId(), k.primaryKeyVersion(), SignatureAlgorithm.SM2DSA, digest)
                .value();
        String pem1 = new String(
                f.kms.asymmetric().publicKey(k.keyId(), k.primaryKeyVersion()).data());
        f.clock.advance(Duration.ofDays(8));
        String v2 = f.kms.keys().createKeyVersion(k.keyId()).keyVersionId();
        assertThat(new String(f.kms.asymmetric().publicKey(k.keyId(), v2).data()))
                .isNotEqualTo(pem1)
                .startsWith("-----BEGIN PUBLIC KEY-----\n");
        f.reopen();
        assertThat(new String(f.kms.asymmetric()
                        .publicKey(k.keyId(), k.primaryKeyVersion())
                        .data()))
                .isEqualTo(pem1);
        assertThat(f.kms.asymmetric()
                        .verify(k.keyId(), k.primaryKeyVersion(), SignatureAlgorithm.SM2DSA, digest, sig1)
                        .value())
                .isTrue();
        assertThat(f.kms.asymmetric()
                        .verify(k.keyId(), v2, SignatureAlgorithm.SM2DSA, digest, sig1)
                        .value())
                .isFalse();
        KeyRecord rsa = f.create(KeySpec.RSA_2048, KeyUsage.ENCRYPT_DECRYPT);
        byte[] ct = f.kms.asymmetric()
                .encrypt(rsa.keyId(), rsa.primaryKeyVersion(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, "x".getBytes())
                .data();
        f.reopen();
        assertThat(f.kms.asymmetric()
                        .decrypt(rsa.keyId(), rsa.primaryKeyVersion(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, ct)
                        .data())
                .isEqualTo("x".getBytes());
    }

    @Test
    void reEncryptTurnsPublicKeyCiphertextIntoASymmetricBlob() {
        KeyRecord rsa = f.create(KeySpec.RSA_3072, KeyUsage.ENCRYPT_DECRYPT);
        KeyRecord aes = f.create(KeySpec.Aliyun_AES_256, null);
        byte[] ct = f.kms.asymmetric()
                .encrypt(
                        rsa.keyId(),
                        rsa.primaryKeyVersion(),
                        EncryptionAlgorithm.RSAES_OAEP_SHA_1,
                        "payload".getBytes())
                .data();
        assertThat(ct).hasSize(384);
        CryptoService.Encrypted e = f.kms.asymmetric()
                .reEncrypt(
                        rsa.keyId(),
                        rsa.primaryKeyVersion(),
                        EncryptionAlgorithm.RSAES_OAEP_SHA_1,
                        ct,
                        aes.keyId(),
                        Map.of("k", "v"));
        assertThat(e.keyId()).isEqualTo(aes.keyId());
        assertThat(f.kms.crypto().decrypt(e.ciphertextBlob(), Map.of("k", "v")).plaintext())
                .isEqualTo("payload".getBytes());
        assertCode(
                () -> f.kms.asymmetric()
                        .reEncrypt(
                                rsa.keyId(),
                                rsa.primaryKeyVersion(),
                                EncryptionAlgorithm.RSAES_OAEP_SHA_1,
                                ct,
                                rsa.keyId(),
                                Map.of()),
                "Rejected.UnsupportedOperation");
    }

    @Test
    void macKeysGenerateAndVerify() {
        for (KeySpec spec : new KeySpec[] {
            KeySpec.HMAC_SHA_224, KeySpec.HMAC_SHA_256, KeySpec.HMAC_SHA_384, KeySpec.HMAC_SHA_512, KeySpec.HMAC_SM3
        }) {
            KeyRecord k = f.create(spec, null);
            byte[] mac = f.kms.mac()
                    .generate(k.keyId(), spec.macAlgorithm(), "m".getBytes())
                    .value();
            assertThat(mac).hasSize(spec.materialLength());
            assertThat(f.kms.mac()
                            .verify(k.keyId(), spec.macAlgorithm(), "m".getBytes(), mac)
                            .value())
                    .isTrue();
            assertThat(f.kms.mac()
                            .verify(k.keyId(), spec.macAlgorithm(), "n".getBytes(), mac)
                            .value())
                    .isFalse();
        }
        KeyRecord k = f.create(KeySpec.HMAC_SM3, null);
        assertCode(
                () -> f.kms.mac().generate(k.keyId(), KeySpec.HMAC_SHA_256.macAlgorithm(), "m".getBytes()),
                "InvalidParameter");
        assertCode(
                () -> f.kms.mac().generate(k.keyId(), KeySpec.HMAC_SM3.macAlgorithm(), new byte[6 * 1024 + 1]),
                "InvalidParameter");
        KeyRecord aes = f.create(KeySpec.Aliyun_AES_256, null);
        assertCode(
                () -> f.kms.mac().generate(aes.keyId(), KeySpec.HMAC_SM3.macAlgorithm(), "m".getBytes()),
                "Rejected.UnsupportedOperation");
        assertCode(() -> f.kms.keys().createKeyVersion(k.keyId()), "Rejected.UnsupportedOperation");
        f.reopen();
        byte[] mac = f.kms.mac()
                .generate(k.keyId(), KeySpec.HMAC_SM3.macAlgorithm(), "m".getBytes())
                .value();
        f.reopen();
        assertThat(f.kms.mac()
                        .verify(k.keyId(), KeySpec.HMAC_SM3.macAlgorithm(), "m".getBytes(), mac)
                        .value())
                .isTrue();
    }
}
