package org.openkms.core.key;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;
import org.openkms.crypto.asymmetric.AsymmetricKeyPair;
import org.openkms.crypto.mac.MacKey;
import org.openkms.crypto.rootkey.RootKeyProvider;
import org.openkms.crypto.symmetric.SymmetricKey;

/**
 * Key material per spec, at rest and in memory: generates new material, seals it under the root key (bound
 * to its key and version by the associated data) and turns unsealed bytes into a {@link VersionKey}.
 * Plaintext material arrays are wiped as soon as they are sealed or parsed.
 */
public final class KeyMaterials {
    private final RootKeyProvider rootKey;

    public KeyMaterials(RootKeyProvider rootKey) {
        this.rootKey = rootKey;
    }

    /** Fresh material for a new version: random bytes, or an encoded key pair. */
    static byte[] generate(KeySpec spec) {
        if (spec.asymmetric()) {
            return AsymmetricKeyPair.generate(spec.asymmetricType()).encode();
        }
        return SecureRandoms.bytes(spec.materialLength());
    }

    byte[] seal(String keyId, String versionId, byte[] material) {
        try {
            return rootKey.seal(material, sealingContext(keyId, versionId));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    byte[] unseal(String keyId, String versionId, byte[] sealed) {
        try {
            return rootKey.unseal(sealed, sealingContext(keyId, versionId));
        } catch (CryptoException e) {
            throw new IllegalStateException(
                    "key material of version " + versionId + " cannot be unsealed: " + e.getMessage());
        }
    }

    /** Parses unsealed material into the reusable form and wipes the bytes. */
    static VersionKey parse(KeySpec spec, String versionId, byte[] material) {
        try {
            if (spec.symmetric()) {
                return VersionKey.of(new SymmetricKey(spec.symmetricAlgorithm(), material));
            }
            if (spec.mac()) {
                return VersionKey.of(new MacKey(spec.macAlgorithm(), material));
            }
            return VersionKey.of(AsymmetricKeyPair.decode(spec.asymmetricType(), material));
        } catch (CryptoException e) {
            throw new IllegalStateException("key material of version " + versionId + " cannot be parsed");
        } finally {
            Arrays.fill(material, (byte) 0); // SecretKeySpec copies; the parsed key pair owns its own copies
        }
    }

    /**
     * What remains of imported material after DeleteKeyMaterial: its SHA-256, sealed under a different
     * context so it can never be mistaken for (or unsealed as) key material. Re-importing compares against it,
     * because the API only lets the same material back into a key.
     */
    byte[] sealFingerprint(String keyId, String versionId, byte[] fingerprint) {
        return rootKey.seal(fingerprint, fingerprintContext(keyId, versionId));
    }

    byte[] unsealFingerprint(String keyId, String versionId, byte[] sealed) {
        try {
            return rootKey.unseal(sealed, fingerprintContext(keyId, versionId));
        } catch (CryptoException e) {
            throw new IllegalStateException("material fingerprint of version " + versionId + " cannot be unsealed");
        }
    }

    /** Associated data binding sealed material to its row: moving it to another key or version breaks it. */
    static byte[] sealingContext(String keyId, String keyVersionId) {
        return ("openkms/key-material/" + keyId + "/" + keyVersionId).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] fingerprintContext(String keyId, String keyVersionId) {
        return ("openkms/key-material-fingerprint/" + keyId + "/" + keyVersionId).getBytes(StandardCharsets.UTF_8);
    }
}
