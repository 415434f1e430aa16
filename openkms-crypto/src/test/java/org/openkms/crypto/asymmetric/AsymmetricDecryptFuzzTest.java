package org.openkms.crypto.asymmetric;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;
import org.openkms.crypto.CryptoException;

/**
 * AsymmetricDecrypt and ImportKeyMaterial's unwrapping on arbitrary ciphertexts: RSA-OAEP (SHA-256, SHA-1),
 * RSAES-PKCS1-v1_5 and SM2PKE. Contract fuzzed: only CryptoException.
 */
class AsymmetricDecryptFuzzTest {
    private static final EncryptionAlgorithm[] ALGORITHMS = {
        EncryptionAlgorithm.RSAES_OAEP_SHA_256,
        EncryptionAlgorithm.RSAES_OAEP_SHA_1,
        EncryptionAlgorithm.RSAES_PKCS1_V1_5,
        EncryptionAlgorithm.SM2PKE
    };
    private static final AsymmetricKeyType[] TYPES = {
        AsymmetricKeyType.RSA_2048, AsymmetricKeyType.RSA_2048, AsymmetricKeyType.RSA_2048, AsymmetricKeyType.EC_SM2
    };

    /** Byte 0 picks the algorithm (mod 4), the rest is the ciphertext. */
    @FuzzTest
    @Timeout(10)
    void decrypt(byte[] input) {
        int pick = input.length == 0 ? 0 : (input[0] & 0xff) % ALGORITHMS.length;
        byte[] ciphertext = input.length > 1 ? Arrays.copyOfRange(input, 1, input.length) : new byte[0];
        try {
            ALGORITHMS[pick].decrypt(FuzzKeys.get(TYPES[pick]), ciphertext);
        } catch (CryptoException e) {
            // documented
        }
    }
}
