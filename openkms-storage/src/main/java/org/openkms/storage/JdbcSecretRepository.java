package org.openkms.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.openkms.core.secret.SecretRecord;
import org.openkms.core.secret.SecretRepository;
import org.openkms.core.secret.SecretType;
import org.openkms.core.secret.SecretVersionRecord;

/**
 * Secrets and secret versions on plain JDBC, with the same revision-checked updates as keys. Creation uses
 * INSERT ... ON CONFLICT DO NOTHING so a taken name is reported as {@code false} without aborting the
 * transaction on PostgreSQL.
 */
final class JdbcSecretRepository implements SecretRepository {
    static final String TAG_RESOURCE_TYPE = "secret";

    private static final List<String> SECRET_COLUMNS = List.of(
            "secret_name",
            "secret_type",
            "description",
            "encryption_key_id",
            "extended_config",
            "automatic_rotation",
            "rotation_interval_seconds",
            "last_rotation_date",
            "creation_date",
            "update_date",
            "planned_delete_time",
            "rotation_failure",
            "rotation_failure_date",
            "creator",
            "dkms_instance_id",
            "revision");
    private static final String SELECT_SECRETS = "SELECT " + String.join(", ", SECRET_COLUMNS) + " FROM secrets";
    private static final String UPDATE_SECRET = "UPDATE secrets SET "
            + SECRET_COLUMNS.subList(1, SECRET_COLUMNS.size()).stream()
                    .map(c -> c + " = ?")
                    .collect(Collectors.joining(", "))
            + " WHERE secret_name = ? AND revision = ?";

    private static final String VERSION_COLUMNS = "secret_name, version_id, creation_date, data_type, envelope, stages";
    private static final String INSERT_VERSION =
            "INSERT INTO secret_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)";
    private static final String SELECT_VERSIONS = "SELECT " + VERSION_COLUMNS + " FROM secret_versions";

    private final ConnectionProvider db;
    private final Dialect dialect;

    JdbcSecretRepository(ConnectionProvider db, Dialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    @Override
    public boolean create(SecretRecord secret, List<SecretVersionRecord> versions, Map<String, String> tags) {
        versions.forEach(v -> requireSameSecret(secret, v));
        return db.write("secrets.create", c -> {
            if (Sql.update(
                            c,
                            dialect.insertIgnore("secrets", SECRET_COLUMNS, List.of("secret_name")),
                            secretParams(secret))
                    == 0) {
                return false;
            }
            Sql.batch(
                    c,
                    INSERT_VERSION,
                    versions.stream().map(JdbcSecretRepository::versionParams).toList());
            JdbcTagRepository.putAll(c, dialect, TAG_RESOURCE_TYPE, secret.secretName(), tags);
            return true;
        });
    }

    @Override
    public Optional<SecretRecord> find(String secretName) {
        return db.read(
                "secrets.find",
                c -> Sql.queryOne(
                        c, SELECT_SECRETS + " WHERE secret_name = ?", JdbcSecretRepository::secret, secretName));
    }

    @Override
    public List<SecretRecord> list() {
        return db.read(
                "secrets.list",
                c -> Sql.query(
                        c, SELECT_SECRETS + " ORDER BY creation_date, secret_name", JdbcSecretRepository::secret));
    }

    @Override
    public boolean update(SecretRecord secret, long expectedRevision) {
        return db.write("secrets.update", c -> updateSecret(c, secret, expectedRevision));
    }

    @Override
    public boolean saveVersions(
            SecretRecord updated,
            long expectedRevision,
            List<SecretVersionRecord> upserts,
            Collection<String> removedVersionIds) {
        upserts.forEach(v -> requireSameSecret(updated, v));
        return db.write("secrets.saveVersions", c -> {
            // Secret row first: a conflict writes nothing, and on PostgreSQL its row lock serialises this
            // transaction with every other writer of the same secret.
            if (!updateSecret(c, updated, expectedRevision)) {
                return false;
            }
            for (SecretVersionRecord v : upserts) {
                int changed = Sql.update(
                        c,
                        "UPDATE secret_versions SET stages = ? WHERE secret_name = ? AND version_id = ?",
                        stages(v.stages()),
                        v.secretName(),
                        v.versionId());
                if (changed == 0) {
                    Sql.update(c, INSERT_VERSION, versionParams(v));
                }
            }
            Sql.batch(
                    c,
                    "DELETE FROM secret_versions WHERE secret_name = ? AND version_id = ?",
                    removedVersionIds.stream()
                            .map(id -> new Object[] {updated.secretName(), id})
                            .toList());
            return true;
        });
    }

    @Override
    public List<SecretVersionRecord> versions(String secretName) {
        return db.read(
                "secrets.versions",
                c -> Sql.query(
                        c,
                        SELECT_VERSIONS + " WHERE secret_name = ? ORDER BY seq",
                        JdbcSecretRepository::version,
                        secretName));
    }

    @Override
    public void delete(String secretName) {
        db.write("secrets.delete", c -> {
            Sql.update(c, "DELETE FROM secrets WHERE secret_name = ?", secretName);
            JdbcTagRepository.removeAll(c, TAG_RESOURCE_TYPE, secretName);
            return null;
        });
    }

    private static boolean updateSecret(Connection c, SecretRecord s, long expectedRevision) throws SQLException {
        Object[] all = secretParams(s);
        Object[] params = Arrays.copyOf(Arrays.copyOfRange(all, 1, all.length), all.length + 1);
        params[all.length - 1] = s.secretName();
        params[all.length] = expectedRevision;
        return Sql.update(c, UPDATE_SECRET, params) == 1;
    }

    private static Object[] secretParams(SecretRecord s) {
        return new Object[] {
            s.secretName(),
            s.secretType(),
            s.description(),
            s.encryptionKeyId(),
            s.extendedConfig(),
            s.automaticRotation(),
            s.rotationIntervalSeconds(),
            s.lastRotationDate(),
            s.creationDate(),
            s.updateDate(),
            s.plannedDeleteTime(),
            s.rotationFailure(),
            s.rotationFailureDate(),
            s.creator(),
            s.dkmsInstanceId(),
            s.revision()
        };
    }

    private static Object[] versionParams(SecretVersionRecord v) {
        return new Object[] {
            v.secretName(), v.versionId(), v.creationDate(), v.dataType(), v.envelope(), stages(v.stages())
        };
    }

    private static String stages(Set<String> stages) {
        for (String s : stages) {
            if (s.isEmpty() || s.indexOf(',') >= 0) {
                throw new IllegalArgumentException("stage labels must be non-empty and contain no comma");
            }
        }
        return String.join(",", new TreeSet<>(stages));
    }

    private static void requireSameSecret(SecretRecord s, SecretVersionRecord v) {
        if (!s.secretName().equals(v.secretName())) {
            throw new IllegalArgumentException(
                    "version " + v.versionId() + " belongs to secret " + v.secretName() + ", not " + s.secretName());
        }
    }

    private static SecretRecord secret(ResultSet row) throws SQLException {
        return new SecretRecord(
                row.getString("secret_name"),
                Sql.enumValue(row, "secret_type", SecretType.class),
                row.getString("description"),
                row.getString("encryption_key_id"),
                row.getString("extended_config"),
                row.getBoolean("automatic_rotation"),
                row.getLong("rotation_interval_seconds"),
                Sql.instant(row, "last_rotation_date"),
                Sql.instant(row, "creation_date"),
                Sql.instant(row, "update_date"),
                Sql.instant(row, "planned_delete_time"),
                row.getString("rotation_failure"),
                Sql.instant(row, "rotation_failure_date"),
                row.getString("creator"),
                row.getString("dkms_instance_id"),
                row.getLong("revision"));
    }

    private static SecretVersionRecord version(ResultSet row) throws SQLException {
        String stages = row.getString("stages");
        return new SecretVersionRecord(
                row.getString("secret_name"),
                row.getString("version_id"),
                Sql.instant(row, "creation_date"),
                row.getString("data_type"),
                Sql.bytes(row, "envelope"),
                stages.isEmpty() ? Set.of() : Set.of(stages.split(",")));
    }
}
