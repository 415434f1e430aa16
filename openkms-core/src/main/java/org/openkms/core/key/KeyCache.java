package org.openkms.core.key;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * In-memory keys with unsealed, parsed material, so that a crypto call reads no database and re-parses no
 * key: each version is unsealed once per load into a {@link VersionKey} (symmetric key, key pair or HMAC key).
 * Loaded on first use, dropped by {@link #invalidate} after every committed change to the key.
 *
 * <p>Why the loader runs inside {@code computeIfAbsent}: ConcurrentHashMap holds the bin lock while it loads,
 * so an {@code invalidate} issued by a writer that committed meanwhile waits for the load and then removes
 * the (possibly stale) entry; a stale snapshot can never outlive the writer's invalidation.
 * Across several server nodes sharing PostgreSQL, CacheCoherence (openkms-server) calls {@link #invalidateAll}
 * when another node has written.
 */
public final class KeyCache {
    private final KeyRepository keys;
    private final KeyMaterials materials;
    private final ConcurrentHashMap<String, LoadedKey> byKeyId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> keyIdByVersion = new ConcurrentHashMap<>();
    // Counted for the server's metrics; LongAdder so that the hot path's threads do not contend on one counter.
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public KeyCache(KeyRepository keys, KeyMaterials materials) {
        this.keys = keys;
        this.materials = materials;
    }

    /** The key, or empty when it does not exist. */
    public Optional<LoadedKey> get(String keyId) {
        LoadedKey hit = byKeyId.get(keyId);
        (hit != null ? hits : misses).increment();
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

    /** Keys loaded now. */
    public int size() {
        return byKeyId.size();
    }

    /** Lookups by key ID answered from memory since start. */
    public long hits() {
        return hits.sum();
    }

    /** Lookups by key ID that went to storage (including IDs that do not exist) since start. */
    public long misses() {
        return misses.sum();
    }

    public void invalidate(String keyId) {
        byKeyId.remove(keyId);
    }

    /** Drops everything: another node changed something (see Storage#changeGeneration). */
    public void invalidateAll() {
        byKeyId.clear();
        keyIdByVersion.clear();
    }

    /** After a key is destroyed its versions must stop resolving too. */
    public void forget(String keyId) {
        keyIdByVersion.values().removeIf(keyId::equals);
        byKeyId.remove(keyId);
    }

    private LoadedKey load(String keyId) {
        Optional<KeyRecord> found = keys.find(keyId);
        if (found.isEmpty()) {
            return null;
        }
        KeyRecord record = found.get();
        Map<String, VersionKey> material = new HashMap<>();
        String initial = null;
        // A key without a primary version has no usable material: never imported, or deleted by
        // DeleteKeyMaterial/expiry (its version row then holds only a sealed fingerprint).
        if (record.primaryKeyVersion() != null) {
            for (KeyVersionRecord v : keys.versions(keyId)) {
                byte[] plain = materials.unseal(keyId, v.keyVersionId(), v.sealedMaterial());
                material.put(v.keyVersionId(), KeyMaterials.parse(record.keySpec(), v.keyVersionId(), plain));
                keyIdByVersion.put(v.keyVersionId(), keyId);
                if (initial == null) {
                    initial = v.keyVersionId(); // versions() lists them in creation order
                }
            }
        }
        return new LoadedKey(record, Map.copyOf(material), initial);
    }
}
