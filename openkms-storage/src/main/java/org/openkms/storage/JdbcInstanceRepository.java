package org.openkms.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.openkms.core.instance.InstanceRecord;
import org.openkms.core.instance.InstanceRepository;

/** kms_instances (V6 on SQLite, V7 on PostgreSQL: kms_instances.sql). */
final class JdbcInstanceRepository implements InstanceRepository {
    private static final String COLUMNS = "instance_id, instance_name, status, create_time, ca_certificate_pem,"
            + " sealed_ca_key, certificate_pem, sealed_key";
    private final ConnectionProvider db;

    JdbcInstanceRepository(ConnectionProvider db) {
        this.db = db;
    }

    /** Checks then inserts in one write transaction, so a duplicate id answers false instead of a constraint error. */
    @Override
    public boolean create(InstanceRecord r) {
        return db.write("instance.create", c -> {
            if (Sql.queryOne(c, "SELECT 1 FROM kms_instances WHERE instance_id = ?", row -> 1, r.instanceId())
                    .isPresent()) {
                return false;
            }
            Sql.update(
                    c,
                    "INSERT INTO kms_instances (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    r.instanceId(),
                    r.instanceName(),
                    r.status(),
                    r.createTime(),
                    r.caCertificatePem(),
                    r.sealedCaKey(),
                    r.certificatePem(),
                    r.sealedKey());
            return true;
        });
    }

    @Override
    public Optional<InstanceRecord> find(String instanceId) {
        return db.read(
                "instance.find",
                c -> Sql.queryOne(
                        c,
                        "SELECT " + COLUMNS + " FROM kms_instances WHERE instance_id = ?",
                        JdbcInstanceRepository::row,
                        instanceId));
    }

    @Override
    public List<InstanceRecord> list() {
        return db.read(
                "instance.list",
                c -> Sql.query(
                        c,
                        "SELECT " + COLUMNS + " FROM kms_instances ORDER BY instance_id",
                        JdbcInstanceRepository::row));
    }

    private static InstanceRecord row(ResultSet r) throws SQLException {
        return new InstanceRecord(
                r.getString("instance_id"),
                r.getString("instance_name"),
                r.getString("status"),
                Sql.instant(r, "create_time"),
                r.getString("ca_certificate_pem"),
                Sql.bytes(r, "sealed_ca_key"),
                r.getString("certificate_pem"),
                Sql.bytes(r, "sealed_key"));
    }
}
