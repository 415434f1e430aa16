package org.openkms.crypto.asymmetric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.Wycheproof;

/**
 * Wycheproof for every asymmetric primitive the API exposes, driven through the same entry points the
 * service uses (digest in, never message): valid cases must pass, invalid ones must fail, "acceptable" ones
 * may do either but must not blow up.
 */
class AsymmetricWycheproofTest {

    @ParameterizedTest
    @CsvSource({
        "rsa_oaep_2048_sha256_mgf1sha256_test.json, RSA_2048, RSAES_OAEP_SHA_256",
        "rsa_oaep_2048_sha1_mgf1sha1_test.json, RSA_2048, RSAES_OAEP_SHA_1",
        "rsa_oaep_3072_sha256_mgf1sha256_test.json, RSA_3072, RSAES_OAEP_SHA_256",
        "rsa_oaep_4096_sha256_mgf1sha256_test.json, RSA_4096, RSAES_OAEP_SHA_256"
    })
    void rsaOaepDecrypt(String file, AsymmetricKeyType type, EncryptionAlgorithm algorithm) throws Exception {
        Counts counts = new Counts();
        for (JsonNode group : Wycheproof.load(file).get("testGroups")) {
            AsymmetricKeyPair key = AsymmetricKeyPair.fromPkcs8(type, Wycheproof.hex(group.get("privateKeyPkcs8")));
            for (JsonNode t : group.get("tests")) {
                byte[] ct = Wycheproof.hex(t.get("ct"));
                byte[] label = Wycheproof.hex(t.get("label"));
                String id = file + " tcId " + t.get("tcId").asInt();
                switch (t.get("result").asText()) {
                    case "valid" -> {
                        assertThat(algorithm.decrypt(key, ct, label)).as(id).isEqualTo(Wycheproof.hex(t.get("msg")));
                        counts.valid++;
                    }
                    case "invalid" -> {
                        assertThatThrownBy(() -> algorithm.decrypt(key, ct, label))
                                .as(id)
                                .isInstanceOf(CryptoException.class);
                        counts.invalid++;
                    }
                    default -> acceptable(() -> algorithm.decrypt(key, ct, label));
                }
            }
            // And our own encryption under the vector's key decrypts.
            byte[] msg = "wycheproof key round trip".getBytes();
            assertThat(algorithm.decrypt(key, algorithm.encrypt(key.publicKey(), msg)))
                    .isEqualTo(msg);
        }
        counts.check(5, 5);
    }

    @ParameterizedTest
    @CsvSource({
        "rsa_signature_2048_sha256_test.json, RSA_2048, RSA_PKCS1_SHA_256",
        "rsa_signature_3072_sha256_test.json, RSA_3072, RSA_PKCS1_SHA_256",
        "rsa_pss_2048_sha256_mgf1_32_test.json, RSA_2048, RSA_PSS_SHA_256",
        "rsa_pss_3072_sha256_mgf1_32_test.json, RSA_3072, RSA_PSS_SHA_256",
        "ecdsa_secp256r1_sha256_test.json, EC_P256, ECDSA_SHA_256",
        "ecdsa_secp256k1_sha256_test.json, EC_P256K, ECDSA_SHA_256",
        "ecdsa_secp256r1_sha256_p1363_test.json, EC_P256, ECDSA_SHA_256",
        "ecdsa_secp256k1_sha256_p1363_test.json, EC_P256K, ECDSA_SHA_256"
    })
    void signatureVerify(String file, AsymmetricKeyType type, SignatureAlgorithm algorithm) throws Exception {
        boolean p1363 = file.contains("p1363");
        Counts counts = new Counts();
        for (JsonNode group : Wycheproof.load(file).get("testGroups")) {
            if (group.has("sha") && !"SHA-256".equals(group.get("sha").asText())) {
                continue;
            }
            AsymmetricPublicKey key = AsymmetricPublicKey.parse(type, Wycheproof.hex(group.get("publicKeyDer")));
            for (JsonNode t : group.get("tests")) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Wycheproof.hex(t.get("msg")));
                byte[] sig = Wycheproof.hex(t.get("sig"));
                String id = file + " tcId " + t.get("tcId").asInt();
                boolean ok;
                try {
                    ok = algorithm.verify(key, digest, p1363 ? EcdsaEncoding.p1363ToDer(sig) : sig);
                } catch (CryptoException e) {
                    ok = false; // P1363 of the wrong length
                }
                switch (t.get("result").asText()) {
                    case "valid" -> {
                        assertThat(ok).as(id).isTrue();
                        counts.valid++;
                    }
                    case "invalid" -> {
                        assertThat(ok).as(id).isFalse();
                        counts.invalid++;
                    }
                    default -> counts.acceptable++;
                }
            }
        }
        counts.check(5, 5);
    }

    private static void acceptable(ThrowingRunnable r) {
        try {
            r.run();
        } catch (CryptoException e) {
            // either outcome is allowed for "acceptable" cases
        } catch (Exception e) {
            throw new AssertionError("acceptable case blew up", e);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static final class Counts {
        int valid;
        int invalid;
        int acceptable;

        void check(int minValid, int minInvalid) {
            assertThat(valid).as("valid cases run").isGreaterThanOrEqualTo(minValid);
            assertThat(invalid).as("invalid cases run").isGreaterThanOrEqualTo(minInvalid);
        }
    }
}
