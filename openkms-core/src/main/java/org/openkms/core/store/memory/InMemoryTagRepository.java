package org.openkms.core.store.memory;

import static org.openkms.core.store.memory.Tables.notNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openkms.core.tag.TagRecord;
import org.openkms.core.tag.TagRepository;

/** tags of any resource type, one entry per (type, id, tag key); no foreign key, as in SQL. */
final class InMemoryTagRepository implements TagRepository {
    private final InMemoryStorage storage;

    InMemoryTagRepository(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public void put(String resourceType, String resourceId, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        storage.write(t -> {
            checkTags("tags.put", resourceType, resourceId, tags);
            putAll(t, resourceType, resourceId, tags);
            t.changed();
            return null;
        });
    }

    @Override
    public void remove(String resourceType, String resourceId, Collection<String> tagKeys) {
        if (tagKeys.isEmpty()) {
            return;
        }
        storage.write(t -> {
            TreeMap<String, String> tags = tagsOf(t, resourceType, resourceId);
            if (tags != null) {
                tagKeys.forEach(k -> {
                    if (k != null) {
                        tags.remove(k);
                    }
                });
                dropIfEmpty(t, resourceType, resourceId, tags);
            }
            t.changed();
            return null;
        });
    }

    @Override
    public void removeAll(String resourceType, String resourceId) {
        storage.write(t -> {
            removeAll(t, resourceType, resourceId);
            t.changed();
            return null;
        });
    }

    /** Ordered by tag key, in byte order. */
    @Override
    public Map<String, String> list(String resourceType, String resourceId) {
        return storage.read(t -> {
            TreeMap<String, String> tags = tagsOf(t, resourceType, resourceId);
            return tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags);
        });
    }

    /** Ordered by resource id, then tag key. */
    @Override
    public List<TagRecord> listAll(String resourceType) {
        return storage.read(t -> {
            List<TagRecord> out = new ArrayList<>();
            TreeMap<String, TreeMap<String, String>> byId = t.tags.get(resourceType);
            if (byId != null) {
                byId.forEach((id, tags) -> tags.forEach((k, v) -> out.add(new TagRecord(resourceType, id, k, v))));
            }
            return out;
        });
    }

    /** The NOT NULL columns of tags (tag_value may be null); run before anything is written. */
    static void checkTags(String operation, String resourceType, String resourceId, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        notNull(operation, "tags.resource_type", resourceType, "tags.resource_id", resourceId);
        for (String key : tags.keySet()) {
            notNull(operation, "tags.tag_key", key);
        }
    }

    /** Upserts tags inside the caller's write (also used by key and secret creation). */
    static void putAll(Tables t, String resourceType, String resourceId, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        t.tags.computeIfAbsent(resourceType, type -> new TreeMap<>(Tables.BYTE_ORDER))
                .computeIfAbsent(resourceId, id -> new TreeMap<>(Tables.BYTE_ORDER))
                .putAll(tags);
    }

    /** Deletes every tag of a resource inside the caller's write (also used by key and secret deletion). */
    static void removeAll(Tables t, String resourceType, String resourceId) {
        TreeMap<String, TreeMap<String, String>> byId = t.tags.get(resourceType);
        if (byId != null && resourceId != null) {
            byId.remove(resourceId);
            if (byId.isEmpty()) {
                t.tags.remove(resourceType);
            }
        }
    }

    private static TreeMap<String, String> tagsOf(Tables t, String resourceType, String resourceId) {
        TreeMap<String, TreeMap<String, String>> byId = t.tags.get(resourceType);
        return byId == null || resourceId == null ? null : byId.get(resourceId);
    }

    private static void dropIfEmpty(Tables t, String resourceType, String resourceId, TreeMap<String, String> tags) {
        if (tags.isEmpty()) {
            removeAll(t, resourceType, resourceId);
        }
    }
}
