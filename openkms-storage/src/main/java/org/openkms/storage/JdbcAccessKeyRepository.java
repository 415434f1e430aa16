package org.openkms.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.openkms.core.iam.AccessKeyRecord;
import org.openkms.core.iam.AccessKeyRepository;

/** AccessKeys; the secret column holds the root-key-sealed secret exactly as the core hands it over. */
final class JdbcAccessKeyRepository implements AccessKeyRepository {
    private static final String SELECT =
            "SELECT access_key_id, sealed_secret, principal_name, status, creation_date FROM access_keys";

    private final ConnectionProvider db;

    JdbcAccessKeyRepository(ConnectionProvider db) {
        this.db = db;
    }

    /** A duplicate id is a StorageException: ids are random, so a clash is a bug, not a user error. */
    @Override
    public void create(AccessKeyRecord accessKey) {
        db.write(
                "accessKeys.create",
                c -> Sql.update(
                        c,
                        "INSERT INTO access_keys (access_key_id, sealed_secret, principal_name, status, creation_date)"
                                + " VALUES (?, ?, ?, ?, ?)",
                        accessKey.accessKeyId(),
                        accessKey.sealedSecret(),
                        accessKey.principalName(),
                        accessKey.status(),
                        accessKey.creationDate()));
    }

    @Override
    public Optional<AccessKeyRecord> find(String accessKeyId) {
        return db.read(
                "accessKeys.find",
                c -> Sql.queryOne(
                        c, SELECT + " WHERE access_key_id = ?", JdbcAccessKeyRepository::accessKey, accessKeyId));
    }

    /** Ordered by creation date, then id. */
    @Override
    public List<AccessKeyRecord> list() {
        return db.read(
                "accessKeys.list",
                c -> Sql.query(
                        c, SELECT + " ORDER BY creation_date, access_key_id", JdbcAccessKeyRepository::accessKey));
    }

    private static AccessKeyRecord accessKey(ResultSet row) throws SQLException {
        return new AccessKeyRecord(
                row.getString("access_key_id"),
                Sql.bytes(row, "sealed_secret"),
                row.getString("principal_name"),
                row.getString("status"),
                Sql.instant(row, "creation_date"));
    }

    @Override
    public boolean updateStatus(String accessKeyId, String status) {
        return db.write(
                        "accessKeys.updateStatus",
                        c -> Sql.update(
                                c, "UPDATE access_keys SET status = ? WHERE access_key_id = ?", status, accessKeyId))
                > 0;
    }

    @Override
    public boolean delete(String accessKeyId) {
        return db.write(
                        "accessKeys.delete",
                        c -> Sql.update(c, "DELETE FROM access_keys WHERE access_key_id = ?", accessKeyId))
                > 0;
    }
}
