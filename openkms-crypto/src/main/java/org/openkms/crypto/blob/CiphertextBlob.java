package org.openkms.crypto.blob;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.symmetric.SymmetricAlgorithm;

/**
 * The symmetric ciphertext blob: {@code keyVersionId (36 ASCII bytes) ‖ IV (12) ‖ ciphertext ‖ tag (16)}.
 *
 * <p>This is the layout of Alibaba's own 2016-01-20 blobs (documented examples decode to the key version
 * UUID followed by binary, and Alibaba's transfer SDK builds exactly this), so a blob names the key version
 * that made it, decrypts without a KeyId and keeps working after rotation and restarts. The header is also
 * bound into the AEAD's associated data by the caller, so it cannot be swapped onto another version.
 */
public record CiphertextBlob(String keyVersionId, byte[] iv, byte[] ciphertext) {
    public static final int VERSION_ID_LENGTH = 36;
    private static final int MIN_LENGTH =
            VERSION_ID_LENGTH + SymmetricAlgorithm.IV_LENGTH + SymmetricAlgorithm.TAG_LENGTH;

    public CiphertextBlob {
        if (keyVersionId.length() != VERSION_ID_LENGTH) {
            throw new IllegalArgumentException("key version id must be 36 characters");
        }
    }

    public byte[] header() {
        return keyVersionId.getBytes(StandardCharsets.US_ASCII);
    }

    public byte[] encode() {
        byte[] out = new byte[VERSION_ID_LENGTH + iv.length + ciphertext.length];
        System.arraycopy(header(), 0, out, 0, VERSION_ID_LENGTH);
        System.arraycopy(iv, 0, out, VERSION_ID_LENGTH, iv.length);
        System.arraycopy(ciphertext, 0, out, VERSION_ID_LENGTH + iv.length, ciphertext.length);
        return out;
    }

    public static CiphertextBlob decode(byte[] blob) throws CryptoException {
        if (blob == null || blob.length < MIN_LENGTH) {
            throw new CryptoException("ciphertext blob is too short");
        }
        for (int i = 0; i < VERSION_ID_LENGTH; i++) {
            byte b = blob[i];
            boolean ok = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '-';
            if (!ok) {
                throw new CryptoException("ciphertext blob has no key version header");
            }
        }
        String versionId = new String(blob, 0, VERSION_ID_LENGTH, StandardCharsets.US_ASCII);
        int ivEnd = VERSION_ID_LENGTH + SymmetricAlgorithm.IV_LENGTH;
        return new CiphertextBlob(
                versionId,
                Arrays.copyOfRange(blob, VERSION_ID_LENGTH, ivEnd),
                Arrays.copyOfRange(blob, ivEnd, blob.length));
    }
}
