package org.openkms.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.accesspoint.AccessPointRepository;

/** aap_objects (V3__iam.sql): one JSON document per (kind, name). */
final class JdbcAccessPointRepository implements AccessPointRepository {
    private final ConnectionProvider db;

    JdbcAccessPointRepository(ConnectionProvider db) {
        this.db = db;
    }

    /** Delete-then-insert in one write transaction: portable across SQLite and PostgreSQL. */
    @Override
    public void put(String kind, String name, String document) {
        db.write("aap.put", c -> {
            Sql.update(c, "DELETE FROM aap_objects WHERE kind = ? AND name = ?", kind, name);
            return Sql.update(
                    c, "INSERT INTO aap_objects (kind, name, document) VALUES (?, ?, ?)", kind, name, document);
        });
    }

    @Override
    public boolean delete(String kind, String name) {
        return db.write(
                        "aap.delete",
                        c -> Sql.update(c, "DELETE FROM aap_objects WHERE kind = ? AND name = ?", kind, name))
                > 0;
    }

    @Override
    public Map<String, String> list(String kind) {
        Map<String, String> out = new LinkedHashMap<>();
        db.read(
                        "aap.list",
                        c -> Sql.query(
                                c,
                                "SELECT name, document FROM aap_objects WHERE kind = ? ORDER BY name",
                                r -> new String[] {r.getString("name"), r.getString("document")},
                                kind))
                .forEach(row -> out.put(row[0], row[1]));
        return out;
    }
}
