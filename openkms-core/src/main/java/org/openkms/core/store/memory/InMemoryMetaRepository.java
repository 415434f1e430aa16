package org.openkms.core.store.memory;

import static org.openkms.core.store.memory.Tables.copy;
import static org.openkms.core.store.memory.Tables.notNull;

import java.util.Optional;
import org.openkms.core.store.MetaRepository;

/**
 * server_meta (V5__server_meta.sql). Its writes leave the change generation alone: PostgreSQL has no trigger
 * on that table, since no node caches it.
 */
final class InMemoryMetaRepository implements MetaRepository {
    /** The row name JdbcMetaRepository uses. */
    static final String ROOT_KEY_CHECK = "root_key_check";

    private final InMemoryStorage storage;

    InMemoryMetaRepository(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public Optional<byte[]> rootKeyCheck() {
        return storage.read(t -> Optional.ofNullable(copy(t.meta.get(ROOT_KEY_CHECK))));
    }

    /** Under the write lock, so of several concurrent callers exactly one records its value. */
    @Override
    public boolean recordRootKeyCheck(byte[] check) {
        return storage.write(t -> {
            notNull("meta.recordRootKeyCheck", "server_meta.value", check);
            return t.meta.putIfAbsent(ROOT_KEY_CHECK, copy(check)) == null;
        });
    }

    /** Keys and their versions, AccessKeys, secrets and their versions: the rows sealed under the root key. */
    @Override
    public boolean holdsSealedData() {
        return storage.read(t -> !t.keys.isEmpty()
                || !t.keyVersionOwners.isEmpty()
                || !t.accessKeys.isEmpty()
                || !t.secrets.isEmpty()
                || t.secretVersions.values().stream().anyMatch(v -> !v.isEmpty()));
    }
}
