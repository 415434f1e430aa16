package org.openkms.crypto.asymmetric;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.openkms.crypto.CryptoException;

/**
 * The API's ECDSA and SM2 signatures are DER; blockchain and JOSE callers hold IEEE P1363 (raw r ‖ s, 64 bytes
 * for 256-bit curves). This converter lets a caller (or a Wycheproof P1363 vector) reach the API form without loosening
 * verification: r and s are carried as they are and the verifier still range-checks them.
 */
public final class EcdsaEncoding {
    private static final int SCALAR_BYTES = 32;

    private EcdsaEncoding() {}

    public static byte[] p1363ToDer(byte[] raw) throws CryptoException {
        if (raw.length != 2 * SCALAR_BYTES) {
            throw new CryptoException("a P1363 signature for a 256-bit curve has 64 bytes");
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, SCALAR_BYTES));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, SCALAR_BYTES, raw.length));
        try {
            // The order passed only bounds the encoder's checks; use 2^256 so out-of-range r, s still encode.
            return StandardDSAEncoding.INSTANCE.encode(BigInteger.ONE.shiftLeft(256), r, s);
        } catch (IOException | IllegalArgumentException e) {
            throw new CryptoException("signature cannot be encoded");
        }
    }
}
