package org.openkms.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.openkms.core.tag.TagRecord;
import org.openkms.core.tag.TagRepository;

/**
 * Tags of any resource type ("key", "secret"), one row per (type, id, tag key). Writes touch rows in tag-key
 * order so two concurrent multi-tag writes on PostgreSQL lock rows in the same order and cannot deadlock.
 */
final class JdbcTagRepository implements TagRepository {
    private static final List<String> COLUMNS = List.of("resource_type", "resource_id", "tag_key", "tag_value");

    private final ConnectionProvider db;
    private final Dialect dialect;

    JdbcTagRepository(ConnectionProvider db, Dialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    @Override
    public void put(String resourceType, String resourceId, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        db.write("tags.put", c -> {
            putAll(c, dialect, resourceType, resourceId, tags);
            return null;
        });
    }

    @Override
    public void remove(String resourceType, String resourceId, Collection<String> tagKeys) {
        if (tagKeys.isEmpty()) {
            return;
        }
        db.write("tags.remove", c -> {
            Sql.batch(
                    c,
                    "DELETE FROM tags WHERE resource_type = ? AND resource_id = ? AND tag_key = ?",
                    new TreeSet<>(tagKeys)
                            .stream()
                                    .map(k -> new Object[] {resourceType, resourceId, k})
                                    .toList());
            return null;
        });
    }

    @Override
    public void removeAll(String resourceType, String resourceId) {
        db.write("tags.removeAll", c -> {
            removeAll(c, resourceType, resourceId);
            return null;
        });
    }

    @Override
    public Map<String, String> list(String resourceType, String resourceId) {
        return db.read("tags.list", c -> {
            Map<String, String> tags = new LinkedHashMap<>();
            for (TagRecord t : Sql.query(
                    c,
                    "SELECT " + String.join(", ", COLUMNS)
                            + " FROM tags WHERE resource_type = ? AND resource_id = ? ORDER BY tag_key",
                    JdbcTagRepository::tag,
                    resourceType,
                    resourceId)) {
                tags.put(t.tagKey(), t.tagValue());
            }
            return tags;
        });
    }

    @Override
    public List<TagRecord> listAll(String resourceType) {
        return db.read(
                "tags.listAll",
                c -> Sql.query(
                        c,
                        "SELECT " + String.join(", ", COLUMNS)
                                + " FROM tags WHERE resource_type = ? ORDER BY resource_id, tag_key",
                        JdbcTagRepository::tag,
                        resourceType));
    }

    /** Upserts tags inside the caller's transaction (also used by key creation). */
    static void putAll(Connection c, Dialect dialect, String resourceType, String resourceId, Map<String, String> tags)
            throws SQLException {
        String upsert = dialect.upsert("tags", COLUMNS, COLUMNS.subList(0, 3), List.of("tag_value"));
        Sql.batch(
                c,
                upsert,
                new TreeMap<>(tags)
                        .entrySet().stream()
                                .map(e -> new Object[] {resourceType, resourceId, e.getKey(), e.getValue()})
                                .toList());
    }

    /** Deletes every tag of a resource inside the caller's transaction (also used by key deletion). */
    static void removeAll(Connection c, String resourceType, String resourceId) throws SQLException {
        Sql.update(c, "DELETE FROM tags WHERE resource_type = ? AND resource_id = ?", resourceType, resourceId);
    }

    private static TagRecord tag(java.sql.ResultSet row) throws SQLException {
        return new TagRecord(
                row.getString("resource_type"),
                row.getString("resource_id"),
                row.getString("tag_key"),
                row.getString("tag_value"));
    }
}
