package org.openkms.core.key;

import java.util.Arrays;
import java.util.Optional;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.rootkey.RootKeyProvider;

/**
 * Tells whether a root key opens the key material stored in a database. Start-up uses it once, for databases
 * made before the root-key check value existed (V5), before recording that value for them.
 */
public final class RootKeyProbe {
    private RootKeyProbe() {}

    /**
     * Tries the first stored key version that holds sealed bytes (material, or the fingerprint left by
     * DeleteKeyMaterial): true if they open, false if not, empty if there is no such version.
     */
    public static Optional<Boolean> opensStoredKeyMaterial(RootKeyProvider rootKey, KeyRepository keys) {
        for (KeyRecord key : keys.list()) {
            for (KeyVersionRecord v : keys.versions(key.keyId())) {
                if (v.sealedMaterial() == null) {
                    continue; // an EXTERNAL key waiting for its material
                }
                return Optional.of(
                        opens(rootKey, v.sealedMaterial(), KeyMaterials.sealingContext(key.keyId(), v.keyVersionId()))
                                || opens(
                                        rootKey,
                                        v.sealedMaterial(),
                                        KeyMaterials.fingerprintContext(key.keyId(), v.keyVersionId())));
            }
        }
        return Optional.empty();
    }

    private static boolean opens(RootKeyProvider rootKey, byte[] sealed, byte[] context) {
        try {
            Arrays.fill(rootKey.unseal(sealed, context), (byte) 0);
            return true;
        } catch (CryptoException e) {
            return false;
        }
    }
}
