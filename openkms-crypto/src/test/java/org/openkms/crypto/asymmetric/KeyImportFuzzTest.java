package org.openkms.crypto.asymmetric;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Timeout;
import org.openkms.crypto.CryptoException;

/**
 * The DER key parsers: caller-supplied public keys (ExportDataKey's PublicKeyBlob, a SubjectPublicKeyInfo), PKCS#8
 * private keys (imported material) and the stored key-pair form (whose u16 length field must not make it allocate
 * more than it was given). Contract fuzzed: only CryptoException; a key that parses re-encodes to a form that parses
 * to the same key, and its PEM is the DER in Base64.
 */
class KeyImportFuzzTest {
    private static final AsymmetricKeyType[] TYPES = AsymmetricKeyType.values();

    /** Byte 0 picks the expected key type (mod the number of types), the rest is the DER. */
    @FuzzTest
    @Timeout(10)
    void publicKey(byte[] input) throws CryptoException {
        AsymmetricKeyType type = type(input);
        AsymmetricPublicKey key;
        try {
            key = AsymmetricPublicKey.parse(type, rest(input));
        } catch (CryptoException e) {
            return;
        }
        AsymmetricPublicKey again = AsymmetricPublicKey.parse(type, key.der());
        assertThat(again.der()).isEqualTo(key.der());
        String pem = key.pem();
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("\n-----END PUBLIC KEY-----\n");
        String b64 =
                pem.substring(pem.indexOf('\n') + 1, pem.indexOf("\n-----END")).replace("\n", "");
        assertThat(Base64.getDecoder().decode(b64)).isEqualTo(key.der());
    }

    @FuzzTest
    @Timeout(10)
    void privateKey(byte[] input) throws CryptoException {
        AsymmetricKeyType type = type(input);
        AsymmetricKeyPair pair;
        try {
            pair = AsymmetricKeyPair.fromPkcs8(type, rest(input));
        } catch (CryptoException e) {
            return;
        }
        AsymmetricKeyPair stored = AsymmetricKeyPair.decode(type, pair.encode());
        assertThat(stored.publicKey().der()).isEqualTo(pair.publicKey().der());
    }

    @FuzzTest
    @Timeout(10)
    void storedKeyPair(byte[] input) {
        try {
            AsymmetricKeyPair.decode(type(input), rest(input));
        } catch (CryptoException e) {
            // documented
        }
    }

    private static AsymmetricKeyType type(byte[] input) {
        return TYPES[input.length == 0 ? 0 : (input[0] & 0xff) % TYPES.length];
    }

    private static byte[] rest(byte[] input) {
        return input.length > 1 ? Arrays.copyOfRange(input, 1, input.length) : new byte[0];
    }
}
