package org.openkms.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.core.service.KmsFixture.assertCode;

import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.key.CryptoService;
import org.openkms.core.key.DataKeyExportService;
import org.openkms.core.key.ImportService;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyState;
import org.openkms.crypto.SecureRandoms;
import org.openkms.crypto.asymmetric.AsymmetricKeyPair;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;

/**
 * BYOK and data-key export through the domain core. Material is wrapped with the plain JDK, the way
 * Alibaba's import guide tells a Java user to (RSA/ECB/OAEPWithSHA-256AndMGF1Padding with an explicit
 * SHA-256 MGF1 spec, or PKCS#1 v1.5).
 */
class ImportAndExportTest {
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

    private ImportService.ImportParameters params(String keyId, EncryptionAlgorithm a, AsymmetricKeyType spec) {
        return f.kms.imports().getParametersForImport(keyId, a, spec);
    }

    static byte[] wrapWithJdk(byte[] spki, EncryptionAlgorithm a, byte[] material) throws Exception {
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
        Cipher c;
        if (a == EncryptionAlgorithm.RSAES_PKCS1_V1_5) {
            c = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            c.init(Cipher.ENCRYPT_MODE, pub);
        } else {
            boolean sha256 = a == EncryptionAlgorithm.RSAES_OAEP_SHA_256;
            c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(
                    Cipher.ENCRYPT_MODE,
                    pub,
                    new OAEPParameterSpec(
                            sha256 ? "SHA-256" : "SHA-1",
                            "MGF1",
                            sha256 ? MGF1ParameterSpec.SHA256 : MGF1ParameterSpec.SHA1,
                            PSource.PSpecified.DEFAULT));
        }
        return c.doFinal(material);
    }

    @Test
    void importDeleteAndReimportFollowTheStateTable() throws Exception {
        KeyRecord k = f.createExternal(KeySpec.Aliyun_AES_256);
        assertThat(k.state()).isEqualTo(KeyState.PendingImport);
        byte[] material = SecureRandoms.bytes(32);
        var p = params(k.keyId(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, AsymmetricKeyType.RSA_2048);
        assertThat(p.tokenExpireTime()).isEqualTo(f.clock.instant().plus(Duration.ofHours(24)));
        long expire = f.clock.instant().plus(Duration.ofDays(30)).getEpochSecond();
        f.kms.imports()
                .importKeyMaterial(
                        k.keyId(),
                        wrapWithJdk(p.publicKey(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, material),
                        p.importToken(),
                        expire);
        KeyRecord imported = f.kms.keys().describeKey(k.keyId());
        assertThat(imported.state()).isEqualTo(KeyState.Enabled);
        assertThat(imported.materialExpireTime().getEpochSecond()).isEqualTo(expire);
        byte[] blob =
                f.kms.crypto().encrypt(k.keyId(), "hi".getBytes(), Map.of()).ciphertextBlob();

        f.kms.keys().deleteKeyMaterial(k.keyId());
        assertThat(f.kms.keys().describeKey(k.keyId()).state()).isEqualTo(KeyState.PendingImport);
        assertCode(() -> f.kms.crypto().decrypt(blob, Map.of()), "Rejected.PendingImport");
        f.kms.keys().deleteKeyMaterial(k.keyId()); // idempotent

        // The token is reusable within its 24 hours; other material is refused, the same material restores the key.
        byte[] other = SecureRandoms.bytes(32);
        assertCode(
                () -> f.kms.imports()
                        .importKeyMaterial(
                                k.keyId(),
                                wrapWithJdk(p.publicKey(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, other),
                                p.importToken(),
                                0),
                "InvalidKeyMaterial");
        f.reopen();
        f.kms.imports()
                .importKeyMaterial(
                        k.keyId(),
                        wrapWithJdk(p.publicKey(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, material),
                        p.importToken(),
                        0);
        assertThat(f.kms.keys().describeKey(k.keyId()).materialExpireTime()).isNull();
        assertThat(f.kms.crypto().decrypt(blob, Map.of()).plaintext()).isEqualTo("hi".getBytes());
        // Re-import while present: same material only.
        assertCode(
                () -> f.kms.imports()
                        .importKeyMaterial(
                                k.keyId(),
                                wrapWithJdk(p.publicKey(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, other),
                                p.importToken(),
                                0),
                "InvalidKeyMaterial");
    }

    @Test
    void badTokensAndMaterialGetTheImportErrors() throws Exception {
        KeyRecord k = f.createExternal(KeySpec.Aliyun_AES_256);
        KeyRecord other = f.createExternal(KeySpec.Aliyun_AES_256);
        var p = params(k.keyId(), EncryptionAlgorithm.RSAES_PKCS1_V1_5, AsymmetricKeyType.RSA_2048);
        byte[] good = wrapWithJdk(p.publicKey(), EncryptionAlgorithm.RSAES_PKCS1_V1_5, SecureRandoms.bytes(32));
        assertCode(
                () -> f.kms.imports().importKeyMaterial(other.keyId(), good, p.importToken(), 0), "InvalidImportToken");
        assertCode(
                () -> f.kms.imports().importKeyMaterial(k.keyId(), good, "bm90IGEgdG9rZW4=", 0), "InvalidImportToken");
        assertCode(() -> f.kms.imports().importKeyMaterial(k.keyId(), good, "%%%", 0), "InvalidImportToken");
        assertCode(
                () -> f.kms.imports().importKeyMaterial(k.keyId(), new byte[256], p.importToken(), 0),
                "InvalidKeyMaterial");
        byte[] shortMaterial =
                wrapWithJdk(p.publicKey(), EncryptionAlgorithm.RSAES_PKCS1_V1_5, SecureRandoms.bytes(16));
        assertCode(
                () -> f.kms.imports().importKeyMaterial(k.keyId(), shortMaterial, p.importToken(), 0),
                "InvalidKeyMaterial");
        assertCode(
                () -> f.kms.imports()
                        .importKeyMaterial(
                                k.keyId(),
                                good,
                                p.importToken(),
                                f.clock.instant().getEpochSecond() - 1),
                "InvalidParameter");
        f.clock.advance(Duration.ofHours(24));
        assertCode(() -> f.kms.imports().importKeyMaterial(k.keyId(), good, p.importToken(), 0), "ExpiredImportToken");
        KeyRecord native_ = f.create(KeySpec.Aliyun_AES_256, null);
        assertCode(
                () -> params(native_.keyId(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, AsymmetricKeyType.RSA_2048),
                "Unsupported.Origin");
        assertCode(() -> f.kms.keys().deleteKeyMaterial(native_.keyId()), "Unsupported.Origin");
        assertCode(() -> params(k.keyId(), EncryptionAlgorithm.SM2PKE, AsymmetricKeyType.RSA_2048), "InvalidParameter");
        f.kms.keys().scheduleKeyDeletion(k.keyId(), 7);
        var p2 = params(
                k.keyId(), EncryptionAlgorithm.RSAES_OAEP_SHA_1, AsymmetricKeyType.RSA_2048); // works in any state
        byte[] wrapped = wrapWithJdk(p2.publicKey(), EncryptionAlgorithm.RSAES_OAEP_SHA_1, SecureRandoms.bytes(32));
        assertCode(
                () -> f.kms.imports().importKeyMaterial(k.keyId(), wrapped, p2.importToken(), 0),
                "Rejected.StateModifiedFailed");
    }

    @Test
    void expiryTimesTheApiCannotWriteBackAreInvalidParameters() throws Exception {
        // Reproduced through SignedGatewayFuzzTest: past Instant.MAX the import failed with a DateTimeException (a
        // 500); past
        // 9999 it was stored, and every DescribeKey of the key then failed formatting MaterialExpireTime (a 500).
        KeyRecord k = f.createExternal(KeySpec.Aliyun_AES_256);
        var p = params(k.keyId(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, AsymmetricKeyType.RSA_2048);
        byte[] material = SecureRandoms.bytes(32);
        byte[] wrapped = wrapWithJdk(p.publicKey(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, material);
        for (long expire :
                new long[] {Long.MAX_VALUE, Instant.MAX.getEpochSecond() + 1, 253_402_300_800L, Long.MIN_VALUE}) {
            assertCode(
                    () -> f.kms.imports().importKeyMaterial(k.keyId(), wrapped, p.importToken(), expire),
                    "InvalidParameter");
        }
        f.kms.imports()
                .importKeyMaterial(k.keyId(), wrapped, p.importToken(), 253_402_300_799L); // 9999-12-31T23:59:59Z
        assertThat(f.kms.keys().describeKey(k.keyId()).materialExpireTime())
                .isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void sm4MaterialWrappedWithSm2AndExpiryReturnsTheKeyToPendingImport() throws Exception {
        KeyRecord k = f.createExternal(KeySpec.Aliyun_SM4);
        var p = params(k.keyId(), EncryptionAlgorithm.SM2PKE, AsymmetricKeyType.EC_SM2);
        var wrappingKey =
                org.openkms.crypto.asymmetric.AsymmetricPublicKey.parse(AsymmetricKeyType.EC_SM2, p.publicKey());
        byte[] wrapped = EncryptionAlgorithm.SM2PKE.encrypt(wrappingKey, SecureRandoms.bytes(16));
        f.kms.imports()
                .importKeyMaterial(
                        k.keyId(),
                        wrapped,
                        p.importToken(),
                        f.clock.instant().plusSeconds(3600).getEpochSecond());
        f.kms.crypto().encrypt(k.keyId(), "x".getBytes(), Map.of());
        f.clock.advance(Duration.ofHours(1));
        assertCode(() -> f.kms.crypto().encrypt(k.keyId(), "x".getBytes(), Map.of()), "Rejected.PendingImport");
        assertThat(f.kms.maintenance().runOnce()).isEqualTo(1);
        KeyRecord expired = f.kms.keys().describeKey(k.keyId());
        assertThat(expired.state()).isEqualTo(KeyState.PendingImport);
        assertThat(expired.materialExpireTime()).isNull();
        assertThat(f.kms.maintenance().runOnce()).isZero();
    }

    @Test
    void dataKeysAreExportedOnlyUnderTheCallersPublicKey() throws Exception {
        KeyRecord cmk = f.create(KeySpec.Aliyun_AES_256, null);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair recipient = g.generateKeyPair();
        var r = DataKeyExportService.recipient(recipient.getPublic().getEncoded(), "RSAES_OAEP_SHA_256", "RSA_2048");
        var x = f.kms.dataKeyExport().generateAndExportDataKey(cmk.keyId(), 32, Map.of("a", "b"), r);
        byte[] plain =
                f.kms.crypto().decrypt(x.ciphertextBlob(), Map.of("a", "b")).plaintext();
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(
                Cipher.DECRYPT_MODE,
                recipient.getPrivate(),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        assertThat(c.doFinal(x.exportedDataKey())).isEqualTo(plain);

        AsymmetricKeyPair sm2 = AsymmetricKeyPair.generate(AsymmetricKeyType.EC_SM2);
        CryptoService.DataKey dk = f.kms.crypto().generateDataKey(cmk.keyId(), 16, Map.of());
        var sm2Recipient = DataKeyExportService.recipient(sm2.publicKey().der(), "SM2PKE", "EC_SM2");
        var exported = f.kms.dataKeyExport().exportDataKey(dk.ciphertextBlob(), Map.of(), sm2Recipient);
        assertThat(exported.keyVersionId()).isEqualTo(cmk.primaryKeyVersion());
        assertThat(EncryptionAlgorithm.SM2PKE.decrypt(sm2, exported.exportedDataKey()))
                .isEqualTo(dk.plaintext());

        assertCode(
                () -> DataKeyExportService.recipient(recipient.getPublic().getEncoded(), "SM2PKE", "RSA_2048"),
                "InvalidParameter");
        assertCode(
                () -> DataKeyExportService.recipient(
                        recipient.getPublic().getEncoded(), "RSAES_OAEP_SHA_256", "EC_SM2"),
                "InvalidParameter");
        assertCode(
                () -> DataKeyExportService.recipient(new byte[] {1, 2}, "RSAES_OAEP_SHA_256", "RSA_2048"),
                "InvalidParameter");
        assertCode(
                () -> DataKeyExportService.recipient(
                        recipient.getPublic().getEncoded(), "RSAES_PKCS1_V1_5", "RSA_2048"),
                "InvalidParameter");
        assertCode(
                () -> f.kms.dataKeyExport().generateAndExportDataKey(cmk.keyId(), 191, Map.of(), r),
                "InvalidParameter");
        assertCode(
                () -> f.kms.dataKeyExport().exportDataKey(dk.ciphertextBlob(), Map.of("wrong", "context"), r),
                "InvalidParameter");
    }
}
