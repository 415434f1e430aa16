package org.openkms.core.service;

import java.util.Map;
import org.openkms.core.key.KeyRecord;
import org.openkms.crypto.symmetric.SymmetricKey;

/** A key with its unsealed version material, as the crypto hot path uses it. Immutable snapshot. */
public record LoadedKey(KeyRecord record, Map<String, SymmetricKey> versions) {
    public SymmetricKey primary() {
        return record.primaryKeyVersion() == null ? null : versions.get(record.primaryKeyVersion());
    }
}
