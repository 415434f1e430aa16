package org.openkms.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeyRepository;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyState;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.KeyVersionRecord;
import org.openkms.core.key.Origin;

/**
 * Keys and key versions on plain JDBC. Optimistic concurrency is one statement,
 * {@code UPDATE ... WHERE key_id = ? AND revision = ?}: the database evaluates the condition under its
 * row (PostgreSQL) or file (SQLite) write lock, so of two writers holding the same revision exactly one
 * sees an affected row.
 */
final class JdbcKeyRepository implements KeyRepository {
    /** Tags of keys are stored under this resource type (TagResources' ResourceType). */
    static final String TAG_RESOURCE_TYPE = "key";

    private static final String KEY_COLUMNS =
            "key_id, description, key_spec, key_usage, origin, protection_level, state,"
                    + " creation_date, delete_date, primary_key_version, rotation_interval_seconds, last_rotation_date,"
                    + " deletion_protection, deletion_protection_description, creator, material_expire_time,"
                    + " dkms_instance_id, revision";
    private static final String INSERT_KEY =
            "INSERT INTO keys (" + KEY_COLUMNS + ")" + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_KEY = "UPDATE keys SET description = ?, key_spec = ?, key_usage = ?, origin = ?,"
            + " protection_level = ?, state = ?, creation_date = ?, delete_date = ?, primary_key_version = ?,"
            + " rotation_interval_seconds = ?, last_rotation_date = ?, deletion_protection = ?,"
            + " deletion_protection_description = ?, creator = ?, material_expire_time = ?, dkms_instance_id = ?,"
            + " revision = ?"
            + " WHERE key_id = ? AND revision = ?";
    private static final String SELECT_KEYS = "SELECT " + KEY_COLUMNS + " FROM keys";

    private static final String VERSION_COLUMNS = "key_id, key_version_id, creation_date, sealed_material";
    private static final String INSERT_VERSION =
            "INSERT INTO key_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?)";
    private static final String SELECT_VERSIONS = "SELECT " + VERSION_COLUMNS + " FROM key_versions";

    private final ConnectionProvider db;
    private final Dialect dialect;

    JdbcKeyRepository(ConnectionProvider db, Dialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    @Override
    public void create(KeyRecord key, List<KeyVersionRecord> versions, Map<String, String> tags) {
        versions.forEach(v -> requireSameKey(key, v));
        db.write("keys.create", c -> {
            Sql.update(c, INSERT_KEY, keyParams(key));
            Sql.batch(
                    c,
                    INSERT_VERSION,
                    versions.stream().map(JdbcKeyRepository::versionParams).toList());
            JdbcTagRepository.putAll(c, dialect, TAG_RESOURCE_TYPE, key.keyId(), tags);
            return null;
        });
    }

    @Override
    public Optional<KeyRecord> find(String keyId) {
        return db.read(
                "keys.find", c -> Sql.queryOne(c, SELECT_KEYS + " WHERE key_id = ?", JdbcKeyRepository::key, keyId));
    }

    /** Ordered by creation date, then key id, so listings are stable across calls and backends. */
    @Override
    public List<KeyRecord> list() {
        return db.read(
                "keys.list",
                c -> Sql.query(c, SELECT_KEYS + " ORDER BY creation_date, key_id", JdbcKeyRepository::key));
    }

    @Override
    public boolean update(KeyRecord key, long expectedRevision) {
        return db.write("keys.update", c -> updateKey(c, key, expectedRevision));
    }

    @Override
    public boolean addVersion(KeyRecord updatedKey, long expectedRevision, KeyVersionRecord version) {
        requireSameKey(updatedKey, version);
        return db.write("keys.addVersion", c -> {
            // Key row first: on a conflict nothing has been written, and on PostgreSQL the row lock taken
            // here serialises this transaction with concurrent updates and deletes of the same key.
            if (!updateKey(c, updatedKey, expectedRevision)) {
                return false;
            }
            Sql.update(c, INSERT_VERSION, versionParams(version));
            return true;
        });
    }

    @Override
    public boolean replaceVersionMaterial(
            KeyRecord updatedKey, long expectedRevision, String keyVersionId, byte[] sealedMaterial) {
        return db.write("keys.replaceVersionMaterial", c -> {
            if (!updateKey(c, updatedKey, expectedRevision)) {
                return false;
            }
            int rows = Sql.update(
                    c,
                    "UPDATE key_versions SET sealed_material = ? WHERE key_version_id = ? AND key_id = ?",
                    sealedMaterial,
                    keyVersionId,
                    updatedKey.keyId());
            if (rows != 1) {
                // Roll the key update back with the transaction: the version is not this key's.
                throw new SQLException("version " + keyVersionId + " does not belong to key " + updatedKey.keyId());
            }
            return true;
        });
    }

    /** In insertion order: a version is always inserted after the ones before it, whatever the clocks say. */
    @Override
    public List<KeyVersionRecord> versions(String keyId) {
        return db.read(
                "keys.versions",
                c -> Sql.query(
                        c, SELECT_VERSIONS + " WHERE key_id = ? ORDER BY seq", JdbcKeyRepository::version, keyId));
    }

    @Override
    public Optional<KeyVersionRecord> findVersion(String keyVersionId) {
        return db.read(
                "keys.findVersion",
                c -> Sql.queryOne(
                        c, SELECT_VERSIONS + " WHERE key_version_id = ?", JdbcKeyRepository::version, keyVersionId));
    }

    /**
     * Deleting the key row first takes the strongest lock on it, and ON DELETE CASCADE then removes the
     * versions and aliases, including any a concurrent transaction inserted meanwhile (deleting children
     * first would miss those and fail the foreign key). Tags are polymorphic (keys and secrets), so they
     * carry no foreign key and are deleted explicitly.
     */
    @Override
    public void delete(String keyId) {
        db.write("keys.delete", c -> {
            Sql.update(c, "DELETE FROM keys WHERE key_id = ?", keyId);
            JdbcTagRepository.removeAll(c, TAG_RESOURCE_TYPE, keyId);
            return null;
        });
    }

    private static boolean updateKey(Connection c, KeyRecord key, long expectedRevision) throws SQLException {
        return Sql.update(
                        c,
                        UPDATE_KEY,
                        key.description(),
                        key.keySpec(),
                        key.keyUsage(),
                        key.origin(),
                        key.protectionLevel(),
                        key.state(),
                        key.creationDate(),
                        key.deleteDate(),
                        key.primaryKeyVersion(),
                        key.rotationIntervalSeconds(),
                        key.lastRotationDate(),
                        key.deletionProtection(),
                        key.deletionProtectionDescription(),
                        key.creator(),
                        key.materialExpireTime(),
                        key.dkmsInstanceId(),
                        key.revision(),
                        key.keyId(),
                        expectedRevision)
                == 1;
    }

    private static Object[] keyParams(KeyRecord key) {
        return new Object[] {
            key.keyId(),
            key.description(),
            key.keySpec(),
            key.keyUsage(),
            key.origin(),
            key.protectionLevel(),
            key.state(),
            key.creationDate(),
            key.deleteDate(),
            key.primaryKeyVersion(),
            key.rotationIntervalSeconds(),
            key.lastRotationDate(),
            key.deletionProtection(),
            key.deletionProtectionDescription(),
            key.creator(),
            key.materialExpireTime(),
            key.dkmsInstanceId(),
            key.revision()
        };
    }

    private static Object[] versionParams(KeyVersionRecord version) {
        return new Object[] {version.keyId(), version.keyVersionId(), version.creationDate(), version.sealedMaterial()};
    }

    private static void requireSameKey(KeyRecord key, KeyVersionRecord version) {
        if (!key.keyId().equals(version.keyId())) {
            throw new IllegalArgumentException("version " + version.keyVersionId() + " belongs to key "
                    + version.keyId() + ", not " + key.keyId());
        }
    }

    private static KeyRecord key(ResultSet row) throws SQLException {
        return new KeyRecord(
                row.getString("key_id"),
                row.getString("description"),
                Sql.enumValue(row, "key_spec", KeySpec.class),
                Sql.enumValue(row, "key_usage", KeyUsage.class),
                Sql.enumValue(row, "origin", Origin.class),
                row.getString("protection_level"),
                Sql.enumValue(row, "state", KeyState.class),
                Sql.instant(row, "creation_date"),
                Sql.instant(row, "delete_date"),
                row.getString("primary_key_version"),
                row.getLong("rotation_interval_seconds"),
                Sql.instant(row, "last_rotation_date"),
                row.getBoolean("deletion_protection"),
                row.getString("deletion_protection_description"),
                row.getString("creator"),
                Sql.instant(row, "material_expire_time"),
                row.getString("dkms_instance_id"),
                row.getLong("revision"));
    }

    private static KeyVersionRecord version(ResultSet row) throws SQLException {
        return new KeyVersionRecord(
                row.getString("key_id"),
                row.getString("key_version_id"),
                Sql.instant(row, "creation_date"),
                Sql.bytes(row, "sealed_material"));
    }
}
