package org.openkms.core.store.memory;

import static org.openkms.core.store.memory.Tables.copy;
import static org.openkms.core.store.memory.Tables.failure;
import static org.openkms.core.store.memory.Tables.millis;
import static org.openkms.core.store.memory.Tables.notNull;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.openkms.core.iam.AccessKeyRecord;
import org.openkms.core.iam.AccessKeyRepository;

/** access_keys; the secret is kept sealed, exactly as the core hands it over. */
final class InMemoryAccessKeyRepository implements AccessKeyRepository {
    private static final Comparator<AccessKeyRecord> LIST_ORDER = Comparator.comparing(AccessKeyRecord::creationDate)
            .thenComparing(AccessKeyRecord::accessKeyId, Tables.BYTE_ORDER);

    private final InMemoryStorage storage;

    InMemoryAccessKeyRepository(InMemoryStorage storage) {
        this.storage = storage;
    }

    /** A duplicate id is a StorageException, as in JdbcAccessKeyRepository (ids are random: a clash is a bug). */
    @Override
    public void create(AccessKeyRecord k) {
        storage.write(t -> {
            notNull(
                    "accessKeys.create",
                    "access_keys.access_key_id",
                    k.accessKeyId(),
                    "access_keys.sealed_secret",
                    k.sealedSecret(),
                    "access_keys.principal_name",
                    k.principalName(),
                    "access_keys.status",
                    k.status(),
                    "access_keys.creation_date",
                    k.creationDate());
            if (t.accessKeys.containsKey(k.accessKeyId())) {
                throw failure(
                        "accessKeys.create", "UNIQUE constraint failed: access_keys.access_key_id " + k.accessKeyId());
            }
            t.accessKeys.put(k.accessKeyId(), stored(k));
            t.changed();
            return null;
        });
    }

    @Override
    public Optional<AccessKeyRecord> find(String accessKeyId) {
        return storage.read(
                t -> Optional.ofNullable(t.accessKeys.get(accessKeyId)).map(InMemoryAccessKeyRepository::stored));
    }

    /** Ordered by creation date, then id. */
    @Override
    public List<AccessKeyRecord> list() {
        return storage.read(t -> t.accessKeys.values().stream()
                .sorted(LIST_ORDER)
                .map(InMemoryAccessKeyRepository::stored)
                .toList());
    }

    @Override
    public boolean updateStatus(String accessKeyId, String status) {
        return storage.write(t -> {
            AccessKeyRecord k = t.accessKeys.get(accessKeyId);
            if (k == null) {
                return false;
            }
            notNull("accessKeys.updateStatus", "access_keys.status", status);
            t.accessKeys.put(
                    accessKeyId,
                    new AccessKeyRecord(
                            k.accessKeyId(), k.sealedSecret(), k.principalName(), status, k.creationDate()));
            t.changed();
            return true;
        });
    }

    @Override
    public boolean delete(String accessKeyId) {
        return storage.write(t -> {
            if (t.accessKeys.remove(accessKeyId) == null) {
                return false;
            }
            t.changed();
            return true;
        });
    }

    /** A copy with its own secret array: used both to store and to hand out. */
    private static AccessKeyRecord stored(AccessKeyRecord k) {
        return new AccessKeyRecord(
                k.accessKeyId(), copy(k.sealedSecret()), k.principalName(), k.status(), millis(k.creationDate()));
    }
}
