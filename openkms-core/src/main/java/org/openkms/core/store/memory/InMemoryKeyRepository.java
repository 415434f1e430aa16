package org.openkms.core.store.memory;

import static org.openkms.core.store.memory.Tables.copy;
import static org.openkms.core.store.memory.Tables.failure;
import static org.openkms.core.store.memory.Tables.millis;
import static org.openkms.core.store.memory.Tables.notNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeyRepository;
import org.openkms.core.key.KeyVersionRecord;

/** keys and key_versions, with the checks their SQL constraints make (V1__init.sql). */
final class InMemoryKeyRepository implements KeyRepository {
    /** Tags of keys are stored under this resource type, as JdbcKeyRepository does. */
    static final String TAG_RESOURCE_TYPE = "key";

    private static final Comparator<KeyRecord> LIST_ORDER =
            Comparator.comparing(KeyRecord::creationDate).thenComparing(KeyRecord::keyId, Tables.BYTE_ORDER);

    private final InMemoryStorage storage;

    InMemoryKeyRepository(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public void create(KeyRecord key, List<KeyVersionRecord> versions, Map<String, String> tags) {
        versions.forEach(v -> requireSameKey(key, v));
        storage.write(t -> {
            checkRow("keys.create", key);
            if (t.keys.containsKey(key.keyId())) {
                throw failure("keys.create", "UNIQUE constraint failed: keys.key_id " + key.keyId());
            }
            Set<String> newIds = new HashSet<>();
            for (KeyVersionRecord v : versions) {
                checkVersion("keys.create", v);
                if (t.keyVersionOwners.containsKey(v.keyVersionId()) || !newIds.add(v.keyVersionId())) {
                    throw failure(
                            "keys.create", "UNIQUE constraint failed: key_versions.key_version_id " + v.keyVersionId());
                }
            }
            InMemoryTagRepository.checkTags("keys.create", TAG_RESOURCE_TYPE, key.keyId(), tags);
            t.keys.put(key.keyId(), stored(key));
            LinkedHashMap<String, KeyVersionRecord> stored = new LinkedHashMap<>();
            for (KeyVersionRecord v : versions) {
                stored.put(v.keyVersionId(), stored(v));
                t.keyVersionOwners.put(v.keyVersionId(), key.keyId());
            }
            t.keyVersions.put(key.keyId(), stored);
            InMemoryTagRepository.putAll(t, TAG_RESOURCE_TYPE, key.keyId(), tags);
            t.changed();
            return null;
        });
    }

    @Override
    public Optional<KeyRecord> find(String keyId) {
        return storage.read(t -> Optional.ofNullable(t.keys.get(keyId)));
    }

    /** Ordered by creation date, then key id, as JdbcKeyRepository's ORDER BY. */
    @Override
    public List<KeyRecord> list() {
        return storage.read(t -> t.keys.values().stream().sorted(LIST_ORDER).toList());
    }

    @Override
    public boolean update(KeyRecord key, long expectedRevision) {
        return storage.write(t -> {
            if (!revisionMatches(t, key, expectedRevision)) {
                return false;
            }
            checkRow("keys.update", key);
            t.keys.put(key.keyId(), stored(key));
            t.changed();
            return true;
        });
    }

    @Override
    public boolean addVersion(KeyRecord updatedKey, long expectedRevision, KeyVersionRecord version) {
        requireSameKey(updatedKey, version);
        return storage.write(t -> {
            if (!revisionMatches(t, updatedKey, expectedRevision)) {
                return false;
            }
            checkRow("keys.addVersion", updatedKey);
            checkVersion("keys.addVersion", version);
            if (t.keyVersionOwners.containsKey(version.keyVersionId())) {
                throw failure(
                        "keys.addVersion",
                        "UNIQUE constraint failed: key_versions.key_version_id " + version.keyVersionId());
            }
            t.keys.put(updatedKey.keyId(), stored(updatedKey));
            t.keyVersions.get(updatedKey.keyId()).put(version.keyVersionId(), stored(version));
            t.keyVersionOwners.put(version.keyVersionId(), updatedKey.keyId());
            t.changed();
            return true;
        });
    }

    @Override
    public boolean replaceVersionMaterial(
            KeyRecord updatedKey, long expectedRevision, String keyVersionId, byte[] sealedMaterial) {
        return storage.write(t -> {
            if (!revisionMatches(t, updatedKey, expectedRevision)) {
                return false;
            }
            checkRow("keys.replaceVersionMaterial", updatedKey);
            LinkedHashMap<String, KeyVersionRecord> versions = t.keyVersions.get(updatedKey.keyId());
            KeyVersionRecord old = versions.get(keyVersionId);
            if (old == null) {
                // As JdbcKeyRepository: the whole write fails, the key row included.
                throw failure(
                        "keys.replaceVersionMaterial",
                        "version " + keyVersionId + " does not belong to key " + updatedKey.keyId());
            }
            t.keys.put(updatedKey.keyId(), stored(updatedKey));
            // Replacing the value of an existing map key keeps its place: the version keeps its seq.
            versions.put(
                    keyVersionId,
                    new KeyVersionRecord(old.keyId(), old.keyVersionId(), old.creationDate(), copy(sealedMaterial)));
            t.changed();
            return true;
        });
    }

    /** In insertion order, like the seq column, whatever the creation dates say. */
    @Override
    public List<KeyVersionRecord> versions(String keyId) {
        return storage.read(t -> {
            LinkedHashMap<String, KeyVersionRecord> versions = t.keyVersions.get(keyId);
            List<KeyVersionRecord> out = new ArrayList<>();
            if (versions != null) {
                versions.values().forEach(v -> out.add(stored(v)));
            }
            return out;
        });
    }

    @Override
    public Optional<KeyVersionRecord> findVersion(String keyVersionId) {
        return storage.read(t -> {
            String keyId = t.keyVersionOwners.get(keyVersionId);
            return keyId == null
                    ? Optional.empty()
                    : Optional.of(stored(t.keyVersions.get(keyId).get(keyVersionId)));
        });
    }

    /** The key row, its versions and aliases (ON DELETE CASCADE) and its tags; the tags even if the key is unknown, as in SQL. */
    @Override
    public void delete(String keyId) {
        storage.write(t -> {
            if (t.keys.remove(keyId) != null) {
                LinkedHashMap<String, KeyVersionRecord> versions = t.keyVersions.remove(keyId);
                if (versions != null) {
                    versions.keySet().forEach(t.keyVersionOwners::remove);
                }
                t.aliases.values().removeIf(a -> a.keyId().equals(keyId));
            }
            InMemoryTagRepository.removeAll(t, TAG_RESOURCE_TYPE, keyId);
            t.changed();
            return null;
        });
    }

    /** {@code UPDATE ... WHERE key_id = ? AND revision = ?} matched a row. */
    private static boolean revisionMatches(Tables t, KeyRecord key, long expectedRevision) {
        KeyRecord current = key.keyId() == null ? null : t.keys.get(key.keyId());
        return current != null && current.revision() == expectedRevision;
    }

    private static void checkRow(String operation, KeyRecord k) {
        notNull(
                operation,
                "keys.key_id",
                k.keyId(),
                "keys.key_spec",
                k.keySpec(),
                "keys.key_usage",
                k.keyUsage(),
                "keys.origin",
                k.origin(),
                "keys.state",
                k.state(),
                "keys.creation_date",
                k.creationDate());
    }

    private static void checkVersion(String operation, KeyVersionRecord v) {
        notNull(
                operation,
                "key_versions.key_version_id",
                v.keyVersionId(),
                "key_versions.creation_date",
                v.creationDate());
    }

    private static void requireSameKey(KeyRecord key, KeyVersionRecord version) {
        if (!key.keyId().equals(version.keyId())) {
            throw new IllegalArgumentException("version " + version.keyVersionId() + " belongs to key "
                    + version.keyId() + ", not " + key.keyId());
        }
    }

    private static KeyRecord stored(KeyRecord k) {
        return new KeyRecord(
                k.keyId(),
                k.description(),
                k.keySpec(),
                k.keyUsage(),
                k.origin(),
                k.protectionLevel(),
                k.state(),
                millis(k.creationDate()),
                millis(k.deleteDate()),
                k.primaryKeyVersion(),
                k.rotationIntervalSeconds(),
                millis(k.lastRotationDate()),
                k.deletionProtection(),
                k.deletionProtectionDescription(),
                k.creator(),
                millis(k.materialExpireTime()),
                k.dkmsInstanceId(),
                k.revision());
    }

    /** A copy with its own material array: used both to store and to hand out. */
    private static KeyVersionRecord stored(KeyVersionRecord v) {
        return new KeyVersionRecord(v.keyId(), v.keyVersionId(), millis(v.creationDate()), copy(v.sealedMaterial()));
    }
}
