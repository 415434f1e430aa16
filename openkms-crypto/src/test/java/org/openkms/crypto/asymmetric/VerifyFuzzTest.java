package org.openkms.crypto.asymmetric;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Timeout;
import org.openkms.crypto.CryptoException;

/**
 * AsymmetricVerify's decoders on arbitrary signatures: ECDSA DER (P-256, secp256k1), SM2DSA DER, RSA-PSS and
 * PKCS#1 v1.5, and the P1363-to-DER converter. Contract fuzzed: verify answers true or false (a malformed signature
 * "does not verify"), never an exception; p1363ToDer throws only CryptoException and keeps r and s as they are.
 */
class VerifyFuzzTest {
    private static final SignatureAlgorithm[] ALGORITHMS = {
        SignatureAlgorithm.ECDSA_SHA_256,
        SignatureAlgorithm.ECDSA_SHA_256,
        SignatureAlgorithm.SM2DSA,
        SignatureAlgorithm.RSA_PSS_SHA_256,
        SignatureAlgorithm.RSA_PKCS1_SHA_256
    };
    private static final AsymmetricKeyType[] TYPES = {
        AsymmetricKeyType.EC_P256,
        AsymmetricKeyType.EC_P256K,
        AsymmetricKeyType.EC_SM2,
        AsymmetricKeyType.RSA_2048,
        AsymmetricKeyType.RSA_2048
    };

    /** Byte 0 picks the algorithm and key (mod 5), bytes 1-32 are the digest, the rest the signature. */
    @FuzzTest
    @Timeout(10)
    void verify(byte[] input) throws CryptoException {
        int pick = input.length == 0 ? 0 : (input[0] & 0xff) % ALGORITHMS.length;
        byte[] digest = Arrays.copyOfRange(Arrays.copyOf(input, 33), 1, 33);
        byte[] signature = input.length > 33 ? Arrays.copyOfRange(input, 33, input.length) : new byte[0];
        ALGORITHMS[pick].verify(FuzzKeys.get(TYPES[pick]).publicKey(), digest, signature);
    }

    @FuzzTest
    @Timeout(10)
    void p1363ToDer(byte[] raw) throws Exception {
        byte[] der;
        try {
            der = EcdsaEncoding.p1363ToDer(raw);
        } catch (CryptoException e) {
            assertThat(raw.length).isNotEqualTo(64);
            return;
        }
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(BigInteger.ONE.shiftLeft(256), der);
        assertThat(rs[0]).isEqualTo(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32)));
        assertThat(rs[1]).isEqualTo(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64)));
    }
}
