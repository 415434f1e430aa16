package org.openkms.core.store.memory;

import static org.openkms.core.store.memory.Tables.notNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.openkms.core.accesspoint.AccessPointRepository;

/** aap_objects (V3__iam.sql): one JSON document per (kind, name). */
final class InMemoryAccessPointRepository implements AccessPointRepository {
    private final InMemoryStorage storage;

    InMemoryAccessPointRepository(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public void put(String kind, String name, String document) {
        storage.write(t -> {
            notNull("aap.put", "aap_objects.kind", kind, "aap_objects.name", name, "aap_objects.document", document);
            t.accessPoints
                    .computeIfAbsent(kind, k -> new TreeMap<>(Tables.BYTE_ORDER))
                    .put(name, document);
            t.changed();
            return null;
        });
    }

    @Override
    public boolean delete(String kind, String name) {
        return storage.write(t -> {
            TreeMap<String, String> documents = t.accessPoints.get(kind);
            if (documents == null || name == null || documents.remove(name) == null) {
                return false;
            }
            if (documents.isEmpty()) {
                t.accessPoints.remove(kind);
            }
            t.changed();
            return true;
        });
    }

    /** name → document, ordered by name. */
    @Override
    public Map<String, String> list(String kind) {
        return storage.read(t -> {
            TreeMap<String, String> documents = t.accessPoints.get(kind);
            return documents == null ? new LinkedHashMap<>() : new LinkedHashMap<>(documents);
        });
    }
}
