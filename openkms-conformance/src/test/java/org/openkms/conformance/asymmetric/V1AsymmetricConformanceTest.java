package org.openkms.conformance.asymmetric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.kms.model.v20160120.AsymmetricDecryptRequest;
import com.aliyuncs.kms.model.v20160120.AsymmetricEncryptRequest;
import com.aliyuncs.kms.model.v20160120.AsymmetricSignRequest;
import com.aliyuncs.kms.model.v20160120.AsymmetricVerifyRequest;
import com.aliyuncs.kms.model.v20160120.CreateKeyRequest;
import com.aliyuncs.kms.model.v20160120.CreateKeyResponse;
import com.aliyuncs.kms.model.v20160120.DecryptRequest;
import com.aliyuncs.kms.model.v20160120.DeleteKeyMaterialRequest;
import com.aliyuncs.kms.model.v20160120.DescribeKeyRequest;
import com.aliyuncs.kms.model.v20160120.ExportDataKeyRequest;
import com.aliyuncs.kms.model.v20160120.GenerateAndExportDataKeyRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyRequest;
import com.aliyuncs.kms.model.v20160120.GetParametersForImportRequest;
import com.aliyuncs.kms.model.v20160120.GetParametersForImportResponse;
import com.aliyuncs.kms.model.v20160120.GetPublicKeyRequest;
import com.aliyuncs.kms.model.v20160120.ImportKeyMaterialRequest;
import com.aliyuncs.kms.model.v20160120.ReEncryptRequest;
import com.aliyuncs.profile.DefaultProfile;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * The same operations through the legacy V1 SDK (aliyun-java-sdk-kms, RPC HMAC-SHA1 signatures, its own
 * response unmarshallers): every operation of issue 3 it models, plus the error codes it surfaces.
 */
class V1AsymmetricConformanceTest {
    private static final String AK = "LTAIconformanceV1asym";
    private static final String SECRET = "v1-asym-secret";
    @TempDir
    static Path dir;
    static OpenKmsServer server;
    static IAcsClient kms;
    static String endpoint;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults().withDataDir(dir).withListen("127.0.0.1:0").withHttpsListen("")
                .withRootAccessKey(AK, SECRET));
        endpoint = "127.0.0.1:" + server.httpPort();
        kms = new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou", AK, SECRET));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static <T extends AcsResponse> T call(AcsRequest<T> r) throws ClientException {
        r.setSysEndpoint(endpoint);
        r.setSysProtocol(ProtocolType.HTTP);
        return kms.getAcsResponse(r);
    }

    private static CreateKeyResponse.KeyMetadata create(String spec, String usage, String origin) throws Exception {
        CreateKeyRequest r = new CreateKeyRequest();
        r.setKeySpec(spec);
        if (usage != null) {
            r.setKeyUsage(usage);
        }
        if (origin != null) {
            r.setOrigin(origin);
        }
        return call(r).getKeyMetadata();
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable c, String code) {
        assertThatThrownBy(c).isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo(code));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void signVerifyAndPublicKey() throws Exception {
        var k = create("EC_P256", null, null);
        assertThat(k.getKeyUsage()).isEqualTo("SIGN/VERIFY");
        byte[] message = "v1".getBytes();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
        AsymmetricSignRequest sign = new AsymmetricSignRequest();
        sign.setKeyId(k.getKeyId());
        sign.setKeyVersionId(k.getPrimaryKeyVersion());
        sign.setAlgorithm("ECDSA_SHA_256");
        sign.setDigest(b64(digest));
        String value = call(sign).getValue();
        GetPublicKeyRequest gp = new GetPublicKeyRequest();
        gp.setKeyId(k.getKeyId());
        gp.setKeyVersionId(k.getPrimaryKeyVersion());
        String pem = call(gp).getPublicKey();
        PublicKey pub = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
                Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", ""))));
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(pub);
        jdk.update(message);
        assertThat(jdk.verify(Base64.getDecoder().decode(value))).isTrue();
        AsymmetricVerifyRequest verify = new AsymmetricVerifyRequest();
        verify.setKeyId(k.getKeyId());
        verify.setKeyVersionId(k.getPrimaryKeyVersion());
        verify.setAlgorithm("ECDSA_SHA_256");
        verify.setDigest(b64(digest));
        verify.setValue(value);
        assertThat(call(verify).getValue()).isTrue();
        sign.setDigest(b64(new byte[16]));
        assertCode(() -> call(sign), "InvalidParameter");
        sign.setDigest(b64(digest));
        sign.setKeyVersionId("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        assertCode(() -> call(sign), "Forbidden.KeyVersionNotFound");
    }

    @Test
    void encryptDecryptReEncryptAndExport() throws Exception {
        var sm2 = create("EC_SM2", "ENCRYPT/DECRYPT", null);
        AsymmetricEncryptRequest enc = new AsymmetricEncryptRequest();
        enc.setKeyId(sm2.getKeyId());
        enc.setKeyVersionId(sm2.getPrimaryKeyVersion());
        enc.setAlgorithm("SM2PKE");
        enc.setPlaintext(b64("v1 sm2".getBytes()));
        String ct = call(enc).getCiphertextBlob();
        AsymmetricDecryptRequest dec = new AsymmetricDecryptRequest();
        dec.setKeyId(sm2.getKeyId());
        dec.setKeyVersionId(sm2.getPrimaryKeyVersion());
        dec.setAlgorithm("SM2PKE");
        dec.setCiphertextBlob(ct);
        assertThat(Base64.getDecoder().decode(call(dec).getPlaintext())).isEqualTo("v1 sm2".getBytes());
        dec.setAlgorithm("RSAES_OAEP_SHA_256");
        assertCode(() -> call(dec), "InvalidParameter");

        var aes = create("Aliyun_AES_256", null, null);
        ReEncryptRequest re = new ReEncryptRequest();
        re.setCiphertextBlob(ct);
        re.setDestinationKeyId(aes.getKeyId());
        re.setSourceKeyId(sm2.getKeyId());
        re.setSourceKeyVersionId(sm2.getPrimaryKeyVersion());
        re.setSourceEncryptionAlgorithm("SM2PKE");
        String blob = call(re).getCiphertextBlob();
        DecryptRequest d = new DecryptRequest();
        d.setCiphertextBlob(blob);
        assertThat(Base64.getDecoder().decode(call(d).getPlaintext())).isEqualTo("v1 sm2".getBytes());

        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair recipient = g.generateKeyPair();
        GenerateAndExportDataKeyRequest gx = new GenerateAndExportDataKeyRequest();
        gx.setKeyId(aes.getKeyId());
        gx.setPublicKeyBlob(b64(recipient.getPublic().getEncoded()));
        gx.setWrappingAlgorithm("RSAES_OAEP_SHA_1");
        gx.setWrappingKeySpec("RSA_2048");
        var gxr = call(gx);
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        c.init(Cipher.DECRYPT_MODE, recipient.getPrivate());
        d.setCiphertextBlob(gxr.getCiphertextBlob());
        assertThat(c.doFinal(Base64.getDecoder().decode(gxr.getExportedDataKey())))
                .isEqualTo(Base64.getDecoder().decode(call(d).getPlaintext()));
        GenerateDataKeyRequest gd = new GenerateDataKeyRequest();
        gd.setKeyId(aes.getKeyId());
        var dk = call(gd);
        ExportDataKeyRequest x = new ExportDataKeyRequest();
        x.setCiphertextBlob(dk.getCiphertextBlob());
        x.setPublicKeyBlob(b64(recipient.getPublic().getEncoded()));
        x.setWrappingAlgorithm("RSAES_OAEP_SHA_1");
        x.setWrappingKeySpec("RSA_2048");
        assertThat(c.doFinal(Base64.getDecoder().decode(call(x).getExportedDataKey()))).isEqualTo(Base64.getDecoder().decode(dk.getPlaintext()));
    }

    @Test
    void byokWithPkcs1WrappingThenDeleteKeyMaterial() throws Exception {
        var k = create("Aliyun_AES_256", null, "EXTERNAL");
        assertThat(k.getKeyState()).isEqualTo("PendingImport");
        GetParametersForImportRequest gp = new GetParametersForImportRequest();
        gp.setKeyId(k.getKeyId());
        gp.setWrappingAlgorithm("RSAES_PKCS1_V1_5");
        gp.setWrappingKeySpec("RSA_2048");
        GetParametersForImportResponse p = call(gp);
        Cipher pkcs1 = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        pkcs1.init(Cipher.ENCRYPT_MODE, KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(p.getPublicKey()))));
        byte[] material = new byte[32];
        new java.security.SecureRandom().nextBytes(material);
        ImportKeyMaterialRequest im = new ImportKeyMaterialRequest();
        im.setKeyId(k.getKeyId());
        im.setImportToken(p.getImportToken());
        im.setEncryptedKeyMaterial(b64(pkcs1.doFinal(new byte[16])));
        im.setKeyMaterialExpireUnix(0L);
        assertCode(() -> call(im), "InvalidKeyMaterial");
        im.setEncryptedKeyMaterial(b64(pkcs1.doFinal(material)));
        call(im);
        DescribeKeyRequest dk = new DescribeKeyRequest();
        dk.setKeyId(k.getKeyId());
        assertThat(call(dk).getKeyMetadata().getKeyState()).isEqualTo("Enabled");
        DeleteKeyMaterialRequest del = new DeleteKeyMaterialRequest();
        del.setKeyId(k.getKeyId());
        call(del);
        assertThat(call(dk).getKeyMetadata().getKeyState()).isEqualTo("PendingImport");
        var normal = create("Aliyun_AES_256", null, null);
        del.setKeyId(normal.getKeyId());
        assertCode(() -> call(del), "Unsupported.Origin");
    }
}
