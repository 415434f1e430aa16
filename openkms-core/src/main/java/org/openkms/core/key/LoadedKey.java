package org.openkms.core.key;

import java.util.Map;
import org.openkms.crypto.symmetric.SymmetricKey;

/** A key with its unsealed, parsed version material, as the crypto hot paths use it. Immutable snapshot. */
/**
 * @param initialVersion the key's first version (creation order), which the KMS Instance API's Encrypt uses; null
 *                       when the key has no material
 */
public record LoadedKey(KeyRecord record, Map<String, VersionKey> versions, String initialVersion) {
    /** The primary version's symmetric key, or null when the key has no material (PendingImport). */
    public SymmetricKey primary() {
        VersionKey v = primaryVersion();
        return v == null ? null : v.symmetric();
    }

    public VersionKey primaryVersion() {
        return record.primaryKeyVersion() == null ? null : versions.get(record.primaryKeyVersion());
    }
}
