package org.openkms.crypto.asymmetric;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;
import org.openkms.crypto.CryptoException;

/**
 * SM2 ciphertext decoding and decryption, and SM2DSA signature decoding, on arbitrary bytes. Contract fuzzed:
 * {@link Sm2#decrypt} and {@link Sm2#fromDer} throw only CryptoException, and whatever fromDer accepts is the strict
 * DER that {@link Sm2#toDer} writes back byte for byte; {@link Sm2#verifyDigest} only answers true or false.
 */
class Sm2FuzzTest {
    private static final AsymmetricKeyPair KEY = FuzzKeys.get(AsymmetricKeyType.EC_SM2);

    @FuzzTest
    @Timeout(10)
    void decrypt(byte[] ciphertext) {
        try {
            Sm2.decrypt(KEY.sm2Private(), ciphertext);
        } catch (CryptoException e) {
            // documented
        }
    }

    @FuzzTest
    @Timeout(10)
    void cipherDer(byte[] der) {
        byte[] raw;
        try {
            raw = Sm2.fromDer(der);
        } catch (CryptoException e) {
            return;
        }
        assertThat(raw[0]).isEqualTo((byte) 4);
        assertThat(Sm2.toDer(raw)).isEqualTo(der);
    }

    /** The first 32 bytes are the digest, the rest the signature. */
    @FuzzTest
    @Timeout(10)
    void verify(byte[] input) {
        byte[] digest = Arrays.copyOf(input, 32);
        byte[] signature = input.length > 32 ? Arrays.copyOfRange(input, 32, input.length) : new byte[0];
        Sm2.verifyDigest(KEY.sm2Public(), digest, signature);
    }
}
