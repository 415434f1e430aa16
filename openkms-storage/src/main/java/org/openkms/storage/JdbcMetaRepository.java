package org.openkms.storage;

import java.util.List;
import java.util.Optional;
import org.openkms.core.store.MetaRepository;

/** server_meta (V5__server_meta.sql): named values about the database itself. */
final class JdbcMetaRepository implements MetaRepository {
    static final String ROOT_KEY_CHECK = "root_key_check";
    /** The tables whose rows are sealed under the root key, or under keys that are. */
    private static final List<String> SEALED_TABLES =
            List.of("keys", "key_versions", "access_keys", "secrets", "secret_versions");

    private final ConnectionProvider db;
    private final String insertIfAbsent;

    JdbcMetaRepository(ConnectionProvider db, Dialect dialect) {
        this.db = db;
        this.insertIfAbsent = dialect.insertIgnore("server_meta", List.of("name", "value"), List.of("name"));
    }

    @Override
    public Optional<byte[]> rootKeyCheck() {
        return db.read(
                "meta.rootKeyCheck",
                c -> Sql.queryOne(
                        c, "SELECT value FROM server_meta WHERE name = ?", r -> Sql.bytes(r, "value"), ROOT_KEY_CHECK));
    }

    /** INSERT ... ON CONFLICT DO NOTHING: the primary key decides between concurrent nodes. */
    @Override
    public boolean recordRootKeyCheck(byte[] check) {
        return db.write("meta.recordRootKeyCheck", c -> Sql.update(c, insertIfAbsent, ROOT_KEY_CHECK, check)) == 1;
    }

    @Override
    public boolean holdsSealedData() {
        return db.read("meta.holdsSealedData", c -> {
            for (String table : SEALED_TABLES) {
                if (Sql.queryOne(c, "SELECT 1 FROM " + table + " LIMIT 1", r -> Boolean.TRUE)
                        .isPresent()) {
                    return true;
                }
            }
            return false;
        });
    }
}
