package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.randomBytes;
import static org.openkms.conformance.Conformance.unb64;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.KmsApi.CreateKey;
import org.openkms.conformance.KmsApi.KeyMeta;

/**
 * Issue 3's keys survive a restart: asymmetric key pairs (same public key, old signatures still verify, old
 * ciphertexts still decrypt), HMAC keys (same MAC) and imported material (still decrypts). Own server.
 */
class AsymmetricRestartConformanceTest {
    @TempDir
    Path dataDir;

    private ConformanceServer running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void asymmetricMacAndImportedKeysStayUsableAfterARestart() throws Exception {
        running = ConformanceServer.start(dataDir);
        KmsApi v2 = running.v2();
        AsymmetricApi api = AsymmetricApi.of(v2);
        String digest = b64(MessageDigest.getInstance("SHA-256").digest(randomBytes(10)));

        KeyMeta sm2 = v2.createKey(new CreateKey().keySpec("EC_SM2").keyUsage("SIGN/VERIFY"));
        String sm2Pem = api.getPublicKey(sm2.keyId(), sm2.primaryKeyVersion()).publicKey();
        String sm2Sig = api.asymmetricSign(sm2.keyId(), sm2.primaryKeyVersion(), "SM2DSA", digest, null)
                .value();
        KeyMeta rsa = v2.createKey(new CreateKey().keySpec("RSA_2048").keyUsage("ENCRYPT/DECRYPT"));
        byte[] secret = randomBytes(32);
        String rsaCt = api.asymmetricEncrypt(rsa.keyId(), rsa.primaryKeyVersion(), "RSAES_OAEP_SHA_256", b64(secret))
                .ciphertextBlob();
        KeyMeta hmac = v2.createKey(new CreateKey().keySpec("HMAC_SHA_256"));
        String message = b64(randomBytes(16));
        String mac = api.generateMac(hmac.keyId(), "HMAC_SHA_256", message).mac();
        KeyMeta external = v2.createKey(new CreateKey().origin("EXTERNAL"));
        AsymmetricApi.ImportParameters p =
                api.getParametersForImport(external.keyId(), "RSAES_OAEP_SHA_256", "RSA_2048");
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(
                Cipher.ENCRYPT_MODE,
                KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(unb64(p.publicKey()))),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        api.importKeyMaterial(external.keyId(), p.importToken(), b64(oaep.doFinal(randomBytes(32))), 0L);
        String importedBlob = v2.encrypt(external.keyId(), b64(secret)).ciphertextBlob();
        int oldHttp = running.httpPort();
        int oldHttps = running.httpsPort();

        running.close();
        running = null;
        try (ServerSocket blockHttp = tryBind(oldHttp);
                ServerSocket blockHttps = tryBind(oldHttps)) {
            running = ConformanceServer.start(dataDir);
        }

        for (KmsApi sdk : List.of(running.v2(), running.v1())) {
            AsymmetricApi after = AsymmetricApi.of(sdk);
            assertThat(after.getPublicKey(sm2.keyId(), sm2.primaryKeyVersion()).publicKey())
                    .as(sdk.name())
                    .isEqualTo(sm2Pem);
            assertThat(after.asymmetricVerify(sm2.keyId(), sm2.primaryKeyVersion(), "SM2DSA", digest, sm2Sig)
                            .value())
                    .isTrue();
            assertThat(unb64(after.asymmetricDecrypt(rsa.keyId(), rsa.primaryKeyVersion(), "RSAES_OAEP_SHA_256", rsaCt)
                            .plaintext()))
                    .isEqualTo(secret);
            assertThat(after.verifyMac(hmac.keyId(), "HMAC_SHA_256", message, mac))
                    .isTrue();
            assertThat(after.generateMac(hmac.keyId(), "HMAC_SHA_256", message).mac())
                    .isEqualTo(mac);
            assertThat(sdk.describeKey(external.keyId()).keyState()).isEqualTo("Enabled");
            assertThat(unb64(sdk.decrypt(importedBlob).plaintext())).isEqualTo(secret);
        }
    }

    private static ServerSocket tryBind(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        } catch (IOException e) {
            return null;
        }
    }
}
