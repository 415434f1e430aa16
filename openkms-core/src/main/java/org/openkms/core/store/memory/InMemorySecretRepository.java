package org.openkms.core.store.memory;

import static org.openkms.core.store.memory.Tables.copy;
import static org.openkms.core.store.memory.Tables.failure;
import static org.openkms.core.store.memory.Tables.millis;
import static org.openkms.core.store.memory.Tables.notNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openkms.core.secret.SecretRecord;
import org.openkms.core.secret.SecretRepository;
import org.openkms.core.secret.SecretVersionRecord;

/** secrets and secret_versions (V2__secrets.sql), with the same revision-checked writes as keys. */
final class InMemorySecretRepository implements SecretRepository {
    /** Tags of secrets are stored under this resource type, as JdbcSecretRepository does. */
    static final String TAG_RESOURCE_TYPE = "secret";

    private static final Comparator<SecretRecord> LIST_ORDER =
            Comparator.comparing(SecretRecord::creationDate).thenComparing(SecretRecord::secretName, Tables.BYTE_ORDER);

    private final InMemoryStorage storage;

    InMemorySecretRepository(InMemoryStorage storage) {
        this.storage = storage;
    }

    /** A taken name is {@code false} with nothing written (INSERT ... ON CONFLICT DO NOTHING in SQL). */
    @Override
    public boolean create(SecretRecord secret, List<SecretVersionRecord> versions, Map<String, String> tags) {
        versions.forEach(v -> requireSameSecret(secret, v));
        return storage.write(t -> {
            checkRow("secrets.create", secret);
            if (t.secrets.containsKey(secret.secretName())) {
                return false;
            }
            // JdbcSecretRepository formats every version's stages before it inserts the first one.
            versions.forEach(v -> checkStages(v.stages()));
            LinkedHashMap<String, SecretVersionRecord> stored = new LinkedHashMap<>();
            for (SecretVersionRecord v : versions) {
                checkVersion("secrets.create", v);
                if (stored.put(v.versionId(), stored(v)) != null) {
                    throw failure(
                            "secrets.create",
                            "UNIQUE constraint failed: secret_versions.secret_name, secret_versions.version_id "
                                    + v.versionId());
                }
            }
            InMemoryTagRepository.checkTags("secrets.create", TAG_RESOURCE_TYPE, secret.secretName(), tags);
            t.secrets.put(secret.secretName(), stored(secret));
            t.secretVersions.put(secret.secretName(), stored);
            InMemoryTagRepository.putAll(t, TAG_RESOURCE_TYPE, secret.secretName(), tags);
            t.changed();
            return true;
        });
    }

    @Override
    public Optional<SecretRecord> find(String secretName) {
        return storage.read(t -> Optional.ofNullable(t.secrets.get(secretName)));
    }

    /** Ordered by creation date, then name. */
    @Override
    public List<SecretRecord> list() {
        return storage.read(t -> t.secrets.values().stream().sorted(LIST_ORDER).toList());
    }

    @Override
    public boolean update(SecretRecord secret, long expectedRevision) {
        return storage.write(t -> {
            if (!revisionMatches(t, secret, expectedRevision)) {
                return false;
            }
            checkRow("secrets.update", secret);
            t.secrets.put(secret.secretName(), stored(secret));
            t.changed();
            return true;
        });
    }

    /**
     * Works on a copy of the secret's versions and swaps it in at the end, so that a failure part way leaves
     * everything as it was. Upserts in the given order, then deletes, as JdbcSecretRepository does; a version
     * that exists only has its stages rewritten (values are immutable) and keeps its place.
     */
    @Override
    public boolean saveVersions(
            SecretRecord updated,
            long expectedRevision,
            List<SecretVersionRecord> upserts,
            Collection<String> removedVersionIds) {
        upserts.forEach(v -> requireSameSecret(updated, v));
        return storage.write(t -> {
            if (!revisionMatches(t, updated, expectedRevision)) {
                return false;
            }
            checkRow("secrets.saveVersions", updated);
            LinkedHashMap<String, SecretVersionRecord> versions =
                    new LinkedHashMap<>(t.secretVersions.get(updated.secretName()));
            for (SecretVersionRecord v : upserts) {
                checkStages(v.stages());
                SecretVersionRecord existing = versions.get(v.versionId());
                if (existing != null) {
                    versions.put(v.versionId(), existing.withStages(v.stages()));
                } else {
                    checkVersion("secrets.saveVersions", v);
                    versions.put(v.versionId(), stored(v));
                }
            }
            removedVersionIds.forEach(versions::remove);
            t.secrets.put(updated.secretName(), stored(updated));
            t.secretVersions.put(updated.secretName(), versions);
            t.changed();
            return true;
        });
    }

    /** In insertion order, like the seq column. */
    @Override
    public List<SecretVersionRecord> versions(String secretName) {
        return storage.read(t -> {
            List<SecretVersionRecord> out = new ArrayList<>();
            LinkedHashMap<String, SecretVersionRecord> versions = t.secretVersions.get(secretName);
            if (versions != null) {
                versions.values().forEach(v -> out.add(stored(v)));
            }
            return out;
        });
    }

    /** The secret, its versions (ON DELETE CASCADE) and its tags; the tags even if the secret is unknown, as in SQL. */
    @Override
    public void delete(String secretName) {
        storage.write(t -> {
            t.secrets.remove(secretName);
            t.secretVersions.remove(secretName);
            InMemoryTagRepository.removeAll(t, TAG_RESOURCE_TYPE, secretName);
            t.changed();
            return null;
        });
    }

    private static boolean revisionMatches(Tables t, SecretRecord secret, long expectedRevision) {
        SecretRecord current = secret.secretName() == null ? null : t.secrets.get(secret.secretName());
        return current != null && current.revision() == expectedRevision;
    }

    private static void checkRow(String operation, SecretRecord s) {
        notNull(
                operation,
                "secrets.secret_name",
                s.secretName(),
                "secrets.secret_type",
                s.secretType(),
                "secrets.encryption_key_id",
                s.encryptionKeyId(),
                "secrets.creation_date",
                s.creationDate(),
                "secrets.update_date",
                s.updateDate());
    }

    private static void checkVersion(String operation, SecretVersionRecord v) {
        checkStages(v.stages());
        notNull(
                operation,
                "secret_versions.version_id",
                v.versionId(),
                "secret_versions.creation_date",
                v.creationDate(),
                "secret_versions.data_type",
                v.dataType(),
                "secret_versions.envelope",
                v.envelope());
    }

    /** The stages column is a comma-separated list, so JdbcSecretRepository refuses labels it could not store. */
    private static void checkStages(Set<String> stages) {
        for (String s : stages) {
            if (s.isEmpty() || s.indexOf(',') >= 0) {
                throw new IllegalArgumentException("stage labels must be non-empty and contain no comma");
            }
        }
    }

    private static void requireSameSecret(SecretRecord s, SecretVersionRecord v) {
        if (!s.secretName().equals(v.secretName())) {
            throw new IllegalArgumentException(
                    "version " + v.versionId() + " belongs to secret " + v.secretName() + ", not " + s.secretName());
        }
    }

    private static SecretRecord stored(SecretRecord s) {
        return new SecretRecord(
                s.secretName(),
                s.secretType(),
                s.description(),
                s.encryptionKeyId(),
                s.extendedConfig(),
                s.automaticRotation(),
                s.rotationIntervalSeconds(),
                millis(s.lastRotationDate()),
                millis(s.creationDate()),
                millis(s.updateDate()),
                millis(s.plannedDeleteTime()),
                s.rotationFailure(),
                millis(s.rotationFailureDate()),
                s.creator(),
                s.dkmsInstanceId(),
                s.revision());
    }

    /** A copy with its own envelope array: used both to store and to hand out. */
    private static SecretVersionRecord stored(SecretVersionRecord v) {
        return new SecretVersionRecord(
                v.secretName(), v.versionId(), millis(v.creationDate()), v.dataType(), copy(v.envelope()), v.stages());
    }
}
