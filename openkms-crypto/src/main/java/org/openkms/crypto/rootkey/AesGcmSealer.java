package org.openkms.crypto.rootkey;

import java.util.Arrays;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.symmetric.SymmetricAlgorithm;
import org.openkms.crypto.symmetric.SymmetricKey;

/**
 * AES-256-GCM sealing under a root key held in memory: {@code 0x01 ‖ IV (12) ‖ ciphertext ‖ tag}.
 * The leading format byte lets a later format (another root-key algorithm) coexist with old records.
 */
final class AesGcmSealer {
    static final byte FORMAT_V1 = 1;
    private final SymmetricKey rootKey;

    AesGcmSealer(byte[] rootKey) {
        if (rootKey.length != 32) {
            throw new IllegalArgumentException("root key must be 256 bits");
        }
        this.rootKey = new SymmetricKey(SymmetricAlgorithm.AES_GCM, rootKey);
    }

    byte[] seal(byte[] material, byte[] aad) {
        byte[] iv = SymmetricKey.newIv();
        byte[] ct = rootKey.encrypt(iv, material, aad);
        byte[] out = new byte[1 + iv.length + ct.length];
        out[0] = FORMAT_V1;
        System.arraycopy(iv, 0, out, 1, iv.length);
        System.arraycopy(ct, 0, out, 1 + iv.length, ct.length);
        return out;
    }

    byte[] unseal(byte[] sealed, byte[] aad) throws CryptoException {
        if (sealed.length < 1 + SymmetricAlgorithm.IV_LENGTH + SymmetricAlgorithm.TAG_LENGTH
                || sealed[0] != FORMAT_V1) {
            throw new CryptoException("sealed key material has an unknown format");
        }
        byte[] iv = Arrays.copyOfRange(sealed, 1, 1 + SymmetricAlgorithm.IV_LENGTH);
        byte[] ct = Arrays.copyOfRange(sealed, 1 + SymmetricAlgorithm.IV_LENGTH, sealed.length);
        try {
            return rootKey.decrypt(iv, ct, aad);
        } catch (CryptoException e) {
            throw new CryptoException(
                    "sealed key material does not open under this root key (wrong root key or tampered row)");
        }
    }
}
