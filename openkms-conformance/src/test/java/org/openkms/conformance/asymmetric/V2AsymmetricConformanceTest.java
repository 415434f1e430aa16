package org.openkms.conformance.asymmetric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.AsymmetricDecryptRequest;
import com.aliyun.kms20160120.models.AsymmetricEncryptRequest;
import com.aliyun.kms20160120.models.AsymmetricSignRequest;
import com.aliyun.kms20160120.models.AsymmetricVerifyRequest;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.DecryptRequest;
import com.aliyun.kms20160120.models.DeleteKeyMaterialRequest;
import com.aliyun.kms20160120.models.DescribeKeyRequest;
import com.aliyun.kms20160120.models.ExportDataKeyRequest;
import com.aliyun.kms20160120.models.GenerateAndExportDataKeyRequest;
import com.aliyun.kms20160120.models.GenerateDataKeyRequest;
import com.aliyun.kms20160120.models.GetParametersForImportRequest;
import com.aliyun.kms20160120.models.GetParametersForImportResponseBody;
import com.aliyun.kms20160120.models.GetPublicKeyRequest;
import com.aliyun.kms20160120.models.ImportKeyMaterialRequest;
import com.aliyun.kms20160120.models.CreateKeyResponseBody.CreateKeyResponseBodyKeyMetadata;
import com.aliyun.kms20160120.models.DescribeKeyResponseBody.DescribeKeyResponseBodyKeyMetadata;
import com.aliyun.kms20160120.models.ReEncryptRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * Asymmetric, MAC, BYOK and data-key export operations through the official V2 SDK (com.aliyun:kms20160120)
 * against an in-process server: every operation's happy path (checked against the JDK as an independent
 * implementation where it can be) and the bad inputs' official error codes. GenerateMac/VerifyMac are newer
 * than the pinned SDK model (1.2.3), so they go through the same SDK's generic {@code callApi}, which signs
 * and sends exactly as the generated methods do.
 */
class V2AsymmetricConformanceTest {
    private static final String AK = "LTAIconformanceV2asym";
    private static final String SECRET = "v2-asym-secret";
    @TempDir
    static Path dir;
    static OpenKmsServer server;
    static Client kms;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults().withDataDir(dir).withListen("127.0.0.1:0").withHttpsListen("")
                .withRootAccessKey(AK, SECRET));
        kms = new Client(new Config().setAccessKeyId(AK).setAccessKeySecret(SECRET).setRegionId("cn-hangzhou")
                .setEndpoint("127.0.0.1:" + server.httpPort()).setProtocol("http"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CreateKeyResponseBodyKeyMetadata create(String spec, String usage) throws Exception {
        CreateKeyRequest r = new CreateKeyRequest().setKeySpec(spec);
        if (usage != null) {
            r.setKeyUsage(usage);
        }
        return kms.createKey(r).getBody().getKeyMetadata();
    }

    private static PublicKey publicKey(CreateKeyResponseBodyKeyMetadata k, String algorithm) throws Exception {
        String pem = kms.getPublicKey(new GetPublicKeyRequest().setKeyId(k.getKeyId()).setKeyVersionId(k.getPrimaryKeyVersion()))
                .getBody().getPublicKey();
        byte[] der = Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", ""));
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] unb64(String s) {
        return Base64.getDecoder().decode(s);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TeaException.class, e -> assertThat(e.getCode()).isEqualTo(code));
    }

    @Test
    void signaturesVerifyWithTheJdkAndOnTheServer() throws Exception {
        byte[] message = "conformance".getBytes();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
        Object[][] cases = {{"RSA_2048", "RSA_PKCS1_SHA_256", "RSA", "SHA256withRSA"}, {"EC_P256", "ECDSA_SHA_256", "EC", "SHA256withECDSA"}};
        for (Object[] c : cases) {
            CreateKeyResponseBodyKeyMetadata k = create((String) c[0], "SIGN/VERIFY");
            assertThat(k.getKeyUsage()).isEqualTo("SIGN/VERIFY");
            assertThat(k.getKeySpec()).isEqualTo(c[0]);
            String value = kms.asymmetricSign(new AsymmetricSignRequest().setKeyId(k.getKeyId()).setKeyVersionId(k.getPrimaryKeyVersion())
                    .setAlgorithm((String) c[1]).setDigest(b64(digest))).getBody().getValue();
            Signature jdk = Signature.getInstance((String) c[3]);
            jdk.initVerify(publicKey(k, (String) c[2]));
            jdk.update(message);
            assertThat(jdk.verify(unb64(value))).as((String) c[0]).isTrue();
            assertThat(kms.asymmetricVerify(new AsymmetricVerifyRequest().setKeyId(k.getKeyId()).setKeyVersionId(k.getPrimaryKeyVersion())
                    .setAlgorithm((String) c[1]).setDigest(b64(digest)).setValue(value)).getBody().getValue()).isTrue();
        }
        CreateKeyResponseBodyKeyMetadata sm2 = create("EC_SM2", "SIGN/VERIFY");
        String v = kms.asymmetricSign(new AsymmetricSignRequest().setKeyId(sm2.getKeyId()).setKeyVersionId(sm2.getPrimaryKeyVersion())
                .setAlgorithm("SM2DSA").setDigest(b64(digest))).getBody().getValue();
        assertThat(kms.asymmetricVerify(new AsymmetricVerifyRequest().setKeyId(sm2.getKeyId()).setKeyVersionId(sm2.getPrimaryKeyVersion())
                .setAlgorithm("SM2DSA").setDigest(b64(digest)).setValue(v)).getBody().getValue()).isTrue();
        CreateKeyResponseBodyKeyMetadata k1 = create("EC_P256K", null);
        assertThat(k1.getKeyUsage()).isEqualTo("SIGN/VERIFY");
        assertCode(() -> kms.asymmetricSign(new AsymmetricSignRequest().setKeyId(k1.getKeyId()).setKeyVersionId(k1.getPrimaryKeyVersion())
                .setAlgorithm("ECDSA_SHA_256").setDigest(b64(new byte[20]))), "InvalidParameter");
        assertCode(() -> kms.asymmetricSign(new AsymmetricSignRequest().setKeyId(k1.getKeyId()).setKeyVersionId(k1.getPrimaryKeyVersion())
                .setAlgorithm("SM2DSA").setDigest(b64(digest))), "InvalidParameter");
        assertCode(() -> kms.asymmetricSign(new AsymmetricSignRequest().setKeyId(k1.getKeyId()).setKeyVersionId(k1.getPrimaryKeyVersion())
                .setAlgorithm("NOT_AN_ALGORITHM").setDigest(b64(digest))), "InvalidParameter");
    }

    @Test
    void encryptDecryptAndReEncryptFromAnAsymmetricSource() throws Exception {
        CreateKeyResponseBodyKeyMetadata rsa = create("RSA_2048", "ENCRYPT/DECRYPT");
        PublicKey pub = publicKey(rsa, "RSA");
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] external = c.doFinal("from the JDK".getBytes());
        assertThat(unb64(kms.asymmetricDecrypt(new AsymmetricDecryptRequest().setKeyId(rsa.getKeyId()).setKeyVersionId(rsa.getPrimaryKeyVersion())
                .setAlgorithm("RSAES_OAEP_SHA_256").setCiphertextBlob(b64(external))).getBody().getPlaintext())).isEqualTo("from the JDK".getBytes());
        String ct = kms.asymmetricEncrypt(new AsymmetricEncryptRequest().setKeyId(rsa.getKeyId()).setKeyVersionId(rsa.getPrimaryKeyVersion())
                .setAlgorithm("RSAES_OAEP_SHA_1").setPlaintext(b64("x".getBytes()))).getBody().getCiphertextBlob();
        assertThat(unb64(ct)).hasSize(256);
        CreateKeyResponseBodyKeyMetadata aes = create("Aliyun_AES_256", null);
        var re = kms.reEncrypt(new ReEncryptRequest().setCiphertextBlob(ct).setDestinationKeyId(aes.getKeyId())
                .setSourceEncryptionAlgorithm("RSAES_OAEP_SHA_1").setSourceKeyId(rsa.getKeyId()).setSourceKeyVersionId(rsa.getPrimaryKeyVersion())
                .setDestinationEncryptionContext(Map.of("ctx", "1"))).getBody();
        assertThat(re.getKeyId()).isEqualTo(aes.getKeyId());
        assertThat(unb64(kms.decrypt(new DecryptRequest().setCiphertextBlob(re.getCiphertextBlob()).setEncryptionContext(Map.of("ctx", "1")))
                .getBody().getPlaintext())).isEqualTo("x".getBytes());
        assertCode(() -> kms.asymmetricEncrypt(new AsymmetricEncryptRequest().setKeyId(rsa.getKeyId()).setKeyVersionId(rsa.getPrimaryKeyVersion())
                .setAlgorithm("RSAES_OAEP_SHA_256").setPlaintext(b64(new byte[191]))), "InvalidParameter");
        assertCode(() -> kms.asymmetricSign(new AsymmetricSignRequest().setKeyId(rsa.getKeyId()).setKeyVersionId(rsa.getPrimaryKeyVersion())
                .setAlgorithm("RSA_PSS_SHA_256").setDigest(b64(new byte[32]))), "Rejected.UnsupportedOperation");
        CreateKeyResponseBodyKeyMetadata sm2 = create("EC_SM2", "ENCRYPT/DECRYPT");
        String sm2ct = kms.asymmetricEncrypt(new AsymmetricEncryptRequest().setKeyId(sm2.getKeyId()).setKeyVersionId(sm2.getPrimaryKeyVersion())
                .setAlgorithm("SM2PKE").setPlaintext(b64("sm2".getBytes()))).getBody().getCiphertextBlob();
        assertThat(unb64(kms.asymmetricDecrypt(new AsymmetricDecryptRequest().setKeyId(sm2.getKeyId()).setKeyVersionId(sm2.getPrimaryKeyVersion())
                .setAlgorithm("SM2PKE").setCiphertextBlob(sm2ct)).getBody().getPlaintext())).isEqualTo("sm2".getBytes());
    }

    @Test
    void byokRoundTripWrappedWithTheJdkAsTheImportGuideShows() throws Exception {
        CreateKeyResponseBodyKeyMetadata k = kms.createKey(new CreateKeyRequest().setOrigin("EXTERNAL")).getBody().getKeyMetadata();
        assertThat(k.getKeyState()).isEqualTo("PendingImport");
        GetParametersForImportResponseBody p = kms.getParametersForImport(new GetParametersForImportRequest().setKeyId(k.getKeyId())
                .setWrappingAlgorithm("RSAES_OAEP_SHA_256").setWrappingKeySpec("RSA_2048")).getBody();
        assertThat(p.getKeyId()).isEqualTo(k.getKeyId());
        assertThat(p.getTokenExpireTime()).endsWith("Z");
        // Guide (Java): 32 random bytes, RSA/ECB/OAEPWithSHA-256AndMGF1Padding with an explicit SHA-256 MGF1 spec.
        byte[] material = new byte[32];
        new java.security.SecureRandom().nextBytes(material);
        PublicKey wrapping = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(unb64(p.getPublicKey())));
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        oaep.init(Cipher.ENCRYPT_MODE, wrapping, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        String wrapped = b64(oaep.doFinal(material));
        assertCode(() -> kms.importKeyMaterial(new ImportKeyMaterialRequest().setKeyId(k.getKeyId()).setImportToken(p.getImportToken())
                .setEncryptedKeyMaterial(b64(new byte[256])).setKeyMaterialExpireUnix(0L)), "InvalidKeyMaterial");
        assertCode(() -> kms.importKeyMaterial(new ImportKeyMaterialRequest().setKeyId(k.getKeyId()).setImportToken("AAAA")
                .setEncryptedKeyMaterial(wrapped).setKeyMaterialExpireUnix(0L)), "InvalidImportToken");
        long expire = System.currentTimeMillis() / 1000 + 86_400;
        kms.importKeyMaterial(new ImportKeyMaterialRequest().setKeyId(k.getKeyId()).setImportToken(p.getImportToken())
                .setEncryptedKeyMaterial(wrapped).setKeyMaterialExpireUnix(expire));
        DescribeKeyResponseBodyKeyMetadata imported = kms.describeKey(new DescribeKeyRequest().setKeyId(k.getKeyId())).getBody().getKeyMetadata();
        assertThat(imported.getKeyState()).isEqualTo("Enabled");
        assertThat(imported.getMaterialExpireTime()).isNotEmpty();
        assertThat(imported.getOrigin()).isEqualTo("EXTERNAL");
        kms.deleteKeyMaterial(new DeleteKeyMaterialRequest().setKeyId(k.getKeyId()));
        assertThat(kms.describeKey(new DescribeKeyRequest().setKeyId(k.getKeyId())).getBody().getKeyMetadata().getKeyState())
                .isEqualTo("PendingImport");
        CreateKeyResponseBodyKeyMetadata normal = create("Aliyun_AES_256", null);
        assertCode(() -> kms.getParametersForImport(new GetParametersForImportRequest().setKeyId(normal.getKeyId())
                .setWrappingAlgorithm("RSAES_OAEP_SHA_256").setWrappingKeySpec("RSA_2048")), "Unsupported.Origin");
    }

    @Test
    void dataKeysExportToTheCallersPublicKey() throws Exception {
        CreateKeyResponseBodyKeyMetadata cmk = create("Aliyun_AES_256", null);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair recipient = g.generateKeyPair();
        var gen = kms.generateAndExportDataKey(new GenerateAndExportDataKeyRequest().setKeyId(cmk.getKeyId()).setNumberOfBytes(32)
                .setPublicKeyBlob(b64(recipient.getPublic().getEncoded())).setWrappingAlgorithm("RSAES_OAEP_SHA_256")
                .setWrappingKeySpec("RSA_2048")).getBody();
        byte[] plain = unb64(kms.decrypt(new DecryptRequest().setCiphertextBlob(gen.getCiphertextBlob())).getBody().getPlaintext());
        assertThat(oaepDecrypt(recipient.getPrivate(), unb64(gen.getExportedDataKey()))).isEqualTo(plain);

        var dk = kms.generateDataKey(new GenerateDataKeyRequest().setKeyId(cmk.getKeyId()).setEncryptionContext(Map.of("a", "b"))).getBody();
        var exp = kms.exportDataKey(new ExportDataKeyRequest().setCiphertextBlob(dk.getCiphertextBlob()).setEncryptionContext(Map.of("a", "b"))
                .setPublicKeyBlob(b64(recipient.getPublic().getEncoded())).setWrappingAlgorithm("RSAES_OAEP_SHA_256")
                .setWrappingKeySpec("RSA_2048")).getBody();
        assertThat(exp.getKeyId()).isEqualTo(cmk.getKeyId());
        assertThat(oaepDecrypt(recipient.getPrivate(), unb64(exp.getExportedDataKey()))).isEqualTo(unb64(dk.getPlaintext()));
        assertCode(() -> kms.exportDataKey(new ExportDataKeyRequest().setCiphertextBlob(dk.getCiphertextBlob())
                .setPublicKeyBlob(b64(recipient.getPublic().getEncoded())).setWrappingAlgorithm("SM2PKE")
                .setWrappingKeySpec("RSA_2048")), "InvalidParameter");
    }

    @Test
    void macThroughTheSdksGenericCall() throws Exception {
        CreateKeyResponseBodyKeyMetadata k = create("HMAC_SHA_256", null);
        assertThat(k.getKeyUsage()).isEqualTo("GENERATE/VERIFY_MAC");
        Map<String, Object> gen = call("GenerateMac", Map.of("KeyId", k.getKeyId(), "Algorithm", "HMAC_SHA_256", "Message", b64("m".getBytes())));
        String mac = (String) gen.get("Mac");
        assertThat(unb64(mac)).hasSize(32);
        Map<String, Object> ver = call("VerifyMac", Map.of("KeyId", k.getKeyId(), "Algorithm", "HMAC_SHA_256",
                "Message", b64("m".getBytes()), "Mac", mac));
        assertThat(ver.get("Value")).isEqualTo(Boolean.TRUE);
        assertCode(() -> call("GenerateMac", Map.of("KeyId", k.getKeyId(), "Algorithm", "HMAC_SM3", "Message", "bQ==")), "InvalidParameter");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(String action, Map<String, String> query) throws Exception {
        Params params = new Params().setAction(action).setVersion("2016-01-20").setProtocol("HTTP").setPathname("/")
                .setMethod("POST").setAuthType("AK").setStyle("RPC").setReqBodyType("formData").setBodyType("json");
        Map<String, Object> result = (Map<String, Object>) kms.callApi(params,
                new OpenApiRequest().setQuery(new HashMap<>(query)), new RuntimeOptions());
        return (Map<String, Object>) result.get("body");
    }

    private static byte[] oaepDecrypt(PrivateKey key, byte[] ct) throws Exception {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.DECRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        return c.doFinal(ct);
    }
}
