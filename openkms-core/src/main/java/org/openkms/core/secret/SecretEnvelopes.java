package org.openkms.core.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.openkms.core.key.CryptoService;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.symmetric.SymmetricAlgorithm;
import org.openkms.crypto.symmetric.SymmetricKey;

/**
 * Envelope encryption of secret values: a fresh 256-bit data key per version (GenerateDataKey under the
 * secret's EncryptionKeyId), the value sealed with AES-256-GCM under it. Stored form:
 * {@code u16 length ‖ data-key ciphertext blob ‖ 12-byte IV ‖ ciphertext+tag}.
 *
 * <p>Opening goes through {@link CryptoService#decrypt}, so the KMS key's state governs the secret: a disabled
 * key answers Rejected.Disabled, a key pending deletion Rejected.PendingDeletion. Both layers are bound to the
 * secret name and version ID (encryption context and AAD), so a row copied to another secret fails to open.
 */
public final class SecretEnvelopes {
    private final CryptoService crypto;

    public SecretEnvelopes(CryptoService crypto) {
        this.crypto = crypto;
    }

    byte[] seal(String keyId, String secretName, String versionId, String value) {
        CryptoService.DataKey dk = crypto.generateDataKey(keyId, 32, context(secretName, versionId));
        try {
            byte[] iv = SymmetricKey.newIv();
            byte[] ct = new SymmetricKey(SymmetricAlgorithm.AES_GCM, dk.plaintext())
                    .encrypt(iv, value.getBytes(StandardCharsets.UTF_8), aad(secretName, versionId));
            ByteBuffer out = ByteBuffer.allocate(2 + dk.ciphertextBlob().length + iv.length + ct.length);
            out.putShort((short) dk.ciphertextBlob().length)
                    .put(dk.ciphertextBlob())
                    .put(iv)
                    .put(ct);
            return out.array();
        } finally {
            Arrays.fill(dk.plaintext(), (byte) 0);
        }
    }

    String open(String secretName, String versionId, byte[] envelope) {
        ByteBuffer in = ByteBuffer.wrap(envelope);
        byte[] blob = new byte[in.getShort() & 0xffff];
        in.get(blob);
        byte[] iv = new byte[12];
        in.get(iv);
        byte[] ct = new byte[in.remaining()];
        in.get(ct);
        byte[] dataKey = crypto.decrypt(blob, context(secretName, versionId)).plaintext();
        try {
            return new String(
                    new SymmetricKey(SymmetricAlgorithm.AES_GCM, dataKey).decrypt(iv, ct, aad(secretName, versionId)),
                    StandardCharsets.UTF_8);
        } catch (CryptoException e) {
            throw new IllegalStateException("secret version " + versionId + " of " + secretName + " does not decrypt");
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static Map<String, String> context(String secretName, String versionId) {
        return Map.of("openkms:SecretName", secretName, "openkms:VersionId", versionId);
    }

    private static byte[] aad(String secretName, String versionId) {
        return ("openkms/secret/" + secretName + "/" + versionId).getBytes(StandardCharsets.UTF_8);
    }
}
