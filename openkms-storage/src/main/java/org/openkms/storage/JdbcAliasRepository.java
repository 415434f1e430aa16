package org.openkms.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.openkms.core.key.AliasRecord;
import org.openkms.core.key.AliasRepository;

/**
 * Aliases; the alias name is the primary key, and the key id is a foreign key (ON DELETE CASCADE), so an
 * alias can never point at a key that no longer exists.
 */
final class JdbcAliasRepository implements AliasRepository {
    private static final List<String> COLUMNS = List.of("alias_name", "key_id", "creation_date");
    private static final String SELECT = "SELECT alias_name, key_id, creation_date FROM aliases";

    private final ConnectionProvider db;
    private final String insertIgnore;

    JdbcAliasRepository(ConnectionProvider db, Dialect dialect) {
        this.db = db;
        // "Insert unless taken" in one statement: no check-then-insert race, and no failed statement that
        // would abort a PostgreSQL transaction.
        this.insertIgnore = dialect.insertIgnore("aliases", COLUMNS, List.of("alias_name"));
    }

    @Override
    public boolean create(AliasRecord alias) {
        return db.write(
                "aliases.create",
                c -> Sql.update(c, insertIgnore, alias.aliasName(), alias.keyId(), alias.creationDate()) == 1);
    }

    @Override
    public Optional<AliasRecord> find(String aliasName) {
        return db.read(
                "aliases.find",
                c -> Sql.queryOne(c, SELECT + " WHERE alias_name = ?", JdbcAliasRepository::alias, aliasName));
    }

    @Override
    public boolean update(String aliasName, String keyId) {
        return db.write(
                "aliases.update",
                c -> Sql.update(c, "UPDATE aliases SET key_id = ? WHERE alias_name = ?", keyId, aliasName) == 1);
    }

    @Override
    public boolean delete(String aliasName) {
        return db.write(
                "aliases.delete", c -> Sql.update(c, "DELETE FROM aliases WHERE alias_name = ?", aliasName) == 1);
    }

    @Override
    public List<AliasRecord> list() {
        return db.read("aliases.list", c -> Sql.query(c, SELECT + " ORDER BY alias_name", JdbcAliasRepository::alias));
    }

    @Override
    public List<AliasRecord> listByKey(String keyId) {
        return db.read(
                "aliases.listByKey",
                c -> Sql.query(c, SELECT + " WHERE key_id = ? ORDER BY alias_name", JdbcAliasRepository::alias, keyId));
    }

    private static AliasRecord alias(ResultSet row) throws SQLException {
        return new AliasRecord(row.getString("alias_name"), row.getString("key_id"), Sql.instant(row, "creation_date"));
    }
}
