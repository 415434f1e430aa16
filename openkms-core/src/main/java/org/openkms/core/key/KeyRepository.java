package org.openkms.core.key;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keys and their versions. Updates are optimistic: they succeed only when the stored revision equals the
 * caller's expected revision, so two writers (threads or nodes) never silently overwrite each other.
 */
public interface KeyRepository {
    /** Inserts a key with its initial versions and tags in one transaction. */
    void create(KeyRecord key, List<KeyVersionRecord> versions, Map<String, String> tags);

    Optional<KeyRecord> find(String keyId);

    List<KeyRecord> list();

    /** Replaces the key row when its stored revision is {@code expectedRevision}; false on conflict or absence. */
    boolean update(KeyRecord key, long expectedRevision);

    /** Adds a version and updates the key (new primary, rotation date) atomically; false on revision conflict. */
    boolean addVersion(KeyRecord updatedKey, long expectedRevision, KeyVersionRecord version);

    /**
     * Replaces one version's sealed material and updates the key atomically; false on revision conflict.
     * Used by DeleteKeyMaterial (material → sealed fingerprint) and re-import (fingerprint → material).
     */
    boolean replaceVersionMaterial(
            KeyRecord updatedKey, long expectedRevision, String keyVersionId, byte[] sealedMaterial);

    /** Versions of a key in creation order. */
    List<KeyVersionRecord> versions(String keyId);

    Optional<KeyVersionRecord> findVersion(String keyVersionId);

    /** Destroys a key: its row, versions (material), aliases and tags, in one transaction. */
    void delete(String keyId);
}
