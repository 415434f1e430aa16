package org.openkms.core.store.memory;

import static org.openkms.core.store.memory.Tables.failure;
import static org.openkms.core.store.memory.Tables.millis;
import static org.openkms.core.store.memory.Tables.notNull;

import java.util.List;
import java.util.Optional;
import org.openkms.core.key.AliasRecord;
import org.openkms.core.key.AliasRepository;

/**
 * aliases: the name is the primary key and the key id a foreign key, so an alias can only point at a key
 * that exists (and goes with it, see InMemoryKeyRepository#delete).
 */
final class InMemoryAliasRepository implements AliasRepository {
    private final InMemoryStorage storage;

    InMemoryAliasRepository(InMemoryStorage storage) {
        this.storage = storage;
    }

    /**
     * Checked in the order the databases check: NOT NULL, then the name (INSERT ... ON CONFLICT DO NOTHING
     * skips a taken name quietly, so its foreign key is never checked), then the key.
     */
    @Override
    public boolean create(AliasRecord alias) {
        return storage.write(t -> {
            notNull(
                    "aliases.create",
                    "aliases.alias_name",
                    alias.aliasName(),
                    "aliases.key_id",
                    alias.keyId(),
                    "aliases.creation_date",
                    alias.creationDate());
            if (t.aliases.containsKey(alias.aliasName())) {
                return false;
            }
            requireKey(t, "aliases.create", alias.keyId());
            t.aliases.put(
                    alias.aliasName(), new AliasRecord(alias.aliasName(), alias.keyId(), millis(alias.creationDate())));
            t.changed();
            return true;
        });
    }

    @Override
    public Optional<AliasRecord> find(String aliasName) {
        return storage.read(t -> Optional.ofNullable(aliasName == null ? null : t.aliases.get(aliasName)));
    }

    @Override
    public boolean update(String aliasName, String keyId) {
        return storage.write(t -> {
            AliasRecord current = aliasName == null ? null : t.aliases.get(aliasName);
            if (current == null) {
                return false;
            }
            notNull("aliases.update", "aliases.key_id", keyId);
            requireKey(t, "aliases.update", keyId);
            t.aliases.put(aliasName, new AliasRecord(aliasName, keyId, current.creationDate()));
            t.changed();
            return true;
        });
    }

    @Override
    public boolean delete(String aliasName) {
        return storage.write(t -> {
            if (aliasName == null || t.aliases.remove(aliasName) == null) {
                return false;
            }
            t.changed();
            return true;
        });
    }

    /** By name, in byte order (see Tables#BYTE_ORDER). */
    @Override
    public List<AliasRecord> list() {
        return storage.read(t -> List.copyOf(t.aliases.values()));
    }

    @Override
    public List<AliasRecord> listByKey(String keyId) {
        return storage.read(t ->
                t.aliases.values().stream().filter(a -> a.keyId().equals(keyId)).toList());
    }

    private static void requireKey(Tables t, String operation, String keyId) {
        if (!t.keys.containsKey(keyId)) {
            throw failure(operation, "FOREIGN KEY constraint failed: no key " + keyId);
        }
    }
}
