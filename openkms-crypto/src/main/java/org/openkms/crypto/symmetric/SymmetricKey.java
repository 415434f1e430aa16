package org.openkms.crypto.symmetric;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;

/**
 * One version's symmetric key material, ready to use. Immutable and thread-safe: each call uses the
 * calling thread's Cipher. Output of {@link #encrypt} is ciphertext followed by the 16-byte tag.
 */
public final class SymmetricKey {
    private final SymmetricAlgorithm algorithm;
    private final SecretKey key;

    public SymmetricKey(SymmetricAlgorithm algorithm, byte[] material) {
        this.algorithm = algorithm;
        this.key = new SecretKeySpec(material, algorithm.keyAlgorithm());
    }

    public SymmetricAlgorithm algorithm() {
        return algorithm;
    }

    public static byte[] newIv() {
        return SecureRandoms.nonce(SymmetricAlgorithm.IV_LENGTH);
    }

    public byte[] encrypt(byte[] iv, byte[] plaintext, byte[] aad) {
        try {
            Cipher c = algorithm.threadCipher();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(SymmetricAlgorithm.TAG_LENGTH * 8, iv));
            if (aad != null && aad.length > 0) {
                c.updateAAD(aad);
            }
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            // Only reachable through a programming error (bad IV length, key size): not an input problem.
            throw new IllegalStateException("encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    public byte[] decrypt(byte[] iv, byte[] ciphertextAndTag, byte[] aad) throws CryptoException {
        if (iv.length != SymmetricAlgorithm.IV_LENGTH || ciphertextAndTag.length < SymmetricAlgorithm.TAG_LENGTH) {
            throw new CryptoException("ciphertext is truncated");
        }
        try {
            Cipher c = algorithm.threadCipher();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(SymmetricAlgorithm.TAG_LENGTH * 8, iv));
            if (aad != null && aad.length > 0) {
                c.updateAAD(aad);
            }
            return c.doFinal(ciphertextAndTag);
        } catch (AEADBadTagException e) {
            throw new CryptoException("authentication tag mismatch");
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("key rejected by cipher", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("decryption failed", e);
        }
    }
}
