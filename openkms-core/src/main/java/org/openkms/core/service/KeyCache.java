package org.openkms.core.service;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeyVersionRecord;
import org.openkms.core.store.KeyRepository;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.rootkey.RootKeyProvider;
import org.openkms.crypto.symmetric.SymmetricKey;

/**
 * In-memory keys with unsealed material, so that a crypto call reads no database. Loaded on first use,
 * dropped by {@link #invalidate} after every committed change to the key.
 *
 * <p>Why the loader runs inside {@code computeIfAbsent}: ConcurrentHashMap holds the bin lock while it loads,
 * so an {@code invalidate} issued by a writer that committed meanwhile waits for the load and then removes
 * the (possibly stale) entry; a stale snapshot can never outlive the writer's invalidation.
 * Across several server nodes this cache is per node; cross-node invalidation comes with the PostgreSQL work.
 */
public final class KeyCache {
    private final KeyRepository keys;
    private final RootKeyProvider rootKey;
    private final ConcurrentHashMap<String, LoadedKey> byKeyId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> keyIdByVersion = new ConcurrentHashMap<>();

    public KeyCache(KeyRepository keys, RootKeyProvider rootKey) {
        this.keys = keys;
        this.rootKey = rootKey;
    }

    /** The key, or empty when it does not exist. */
    public Optional<LoadedKey> get(String keyId) {
        LoadedKey hit = byKeyId.get(keyId);
        // A null from the loader records nothing: unknown IDs are not cached, so they cannot fill memory.
        return Optional.ofNullable(hit != null ? hit : byKeyId.computeIfAbsent(keyId, this::load));
    }

    /** The key that owns a version (from a ciphertext header), or empty. */
    public Optional<LoadedKey> byVersion(String keyVersionId) {
        String keyId = keyIdByVersion.get(keyVersionId);
        if (keyId == null) {
            Optional<KeyVersionRecord> v = keys.findVersion(keyVersionId);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            keyId = v.get().keyId();
            keyIdByVersion.put(keyVersionId, keyId);
        }
        return get(keyId);
    }

    public void invalidate(String keyId) {
        byKeyId.remove(keyId);
    }

    /** After a key is destroyed its versions must stop resolving too. */
    public void forget(String keyId) {
        keyIdByVersion.values().removeIf(keyId::equals);
        byKeyId.remove(keyId);
    }

    private LoadedKey load(String keyId) {
        Optional<KeyRecord> record = keys.find(keyId);
        if (record.isEmpty()) {
            return null;
        }
        Map<String, SymmetricKey> material = new HashMap<>();
        if (record.get().keySpec().symmetric()) {
            for (KeyVersionRecord v : keys.versions(keyId)) {
                material.put(v.keyVersionId(), new SymmetricKey(record.get().keySpec().symmetricAlgorithm(), unseal(v)));
                keyIdByVersion.put(v.keyVersionId(), keyId);
            }
        }
        return new LoadedKey(record.get(), Map.copyOf(material));
    }

    private byte[] unseal(KeyVersionRecord v) {
        try {
            return rootKey.unseal(v.sealedMaterial(), sealingContext(v.keyId(), v.keyVersionId()));
        } catch (CryptoException e) {
            throw new IllegalStateException("key material of version " + v.keyVersionId() + " cannot be unsealed: " + e.getMessage());
        }
    }

    /** Associated data binding sealed material to its row: moving it to another key or version breaks it. */
    static byte[] sealingContext(String keyId, String keyVersionId) {
        return ("openkms/key-material/" + keyId + "/" + keyVersionId).getBytes(StandardCharsets.UTF_8);
    }
}
