package org.openkms.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Arbitrary ciphertexts and signatures through the service (signed as root, so they reach the crypto): Decrypt with
 * any blob, also with the live key's version id spliced over the blob's header so the AES-GCM path runs;
 * AsymmetricDecrypt under RSA and SM2 keys; AsymmetricVerify of any ECDSA signature. Property: a 4xx (the documented
 * InvalidCiphertext and friends) or a 200, never a 5xx. Live blobs and signatures of the server are extra seeds.
 */
class DecryptFuzzTest {

    static Stream<byte[]> live() {
        FuzzServer server = FuzzServers.get();
        return Stream.of("BLOB", "BLOBCTX", "SM2CT", "SIG")
                .map(name -> Base64.getDecoder().decode(server.placeholders.get(name)));
    }

    @MethodSource("live")
    @FuzzTest
    @Timeout(30)
    void decrypt(byte[] blob) {
        FuzzServer server = FuzzServers.get();
        String code = AlibabaAnswers.check(server.rpc("root", "Decrypt", Map.of("CiphertextBlob", b64(blob))));
        if (blob.length == 0) {
            assertThat(code).isNotNull();
        }
        if (blob.length >= 36) {
            byte[] spliced = blob.clone();
            byte[] header = Base64.getDecoder().decode(server.placeholders.get("BLOB"));
            System.arraycopy(header, 0, spliced, 0, 36);
            AlibabaAnswers.check(server.rpc(
                    "root",
                    "Decrypt",
                    Map.of(
                            "CiphertextBlob",
                            b64(spliced),
                            "EncryptionContext",
                            new String(
                                    Arrays.copyOfRange(blob, 0, Math.min(blob.length, 64)),
                                    StandardCharsets.ISO_8859_1))));
        }
    }

    @MethodSource("live")
    @FuzzTest
    @Timeout(30)
    void asymmetricDecrypt(byte[] ciphertext) {
        FuzzServer server = FuzzServers.get();
        for (String[] key :
                new String[][] {{"RSA", "RSAES_OAEP_SHA_256"}, {"RSA", "RSAES_OAEP_SHA_1"}, {"SM2", "SM2PKE"}}) {
            AlibabaAnswers.check(server.rpc(
                    "root",
                    "AsymmetricDecrypt",
                    Map.of(
                            "KeyId",
                            server.placeholders.get(key[0]),
                            "KeyVersionId",
                            server.placeholders.get(key[0] + "VER"),
                            "Algorithm",
                            key[1],
                            "CiphertextBlob",
                            b64(ciphertext))));
        }
    }

    @MethodSource("live")
    @FuzzTest
    @Timeout(30)
    void asymmetricVerify(byte[] signature) {
        FuzzServer server = FuzzServers.get();
        AlibabaAnswers.check(server.rpc(
                "root",
                "AsymmetricVerify",
                Map.of(
                        "KeyId",
                        server.placeholders.get("EC"),
                        "KeyVersionId",
                        server.placeholders.get("ECVER"),
                        "Algorithm",
                        "ECDSA_SHA_256",
                        "Digest",
                        server.placeholders.get("DIGEST"),
                        "Value",
                        b64(signature))));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
