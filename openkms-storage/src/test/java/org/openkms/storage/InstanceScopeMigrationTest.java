package org.openkms.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.secret.SecretRecord;
import org.openkms.core.store.Storage;

/**
 * A database made before keys and secrets recorded their KMS instance (schema SQLite V6, PostgreSQL V7) opens with
 * its keys and secrets intact and of no instance (default ones), and new ones can then be created in an instance.
 */
class InstanceScopeMigrationTest {
    @TempDir
    Path dir;

    @Test
    void sqliteKeysAndSecretsOfAnOlderSchemaBecomeOfNoInstance() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("old.db");
        migrateTo(url, Dialect.SQLITE, "6");
        try (Connection c = DriverManager.getConnection(url)) {
            insertOldRows(c);
        }
        try (Storage storage = StorageFactory.open(url)) {
            assertUpgraded(storage);
        }
    }

    @Test
    @Tag("services")
    void postgresqlKeysAndSecretsOfAnOlderSchemaBecomeOfNoInstance() throws SQLException {
        try (TestPostgres.Schema schema = TestPostgres.createSchema()) {
            migrateTo(schema.url(), Dialect.POSTGRESQL, "7");
            try (Connection c = DriverManager.getConnection(schema.url())) {
                insertOldRows(c);
            }
            try (Storage storage = StorageFactory.open(schema.url())) {
                assertUpgraded(storage);
            }
        }
    }

    private static void migrateTo(String url, Dialect dialect, String version) {
        Flyway.configure(InstanceScopeMigrationTest.class.getClassLoader())
                .dataSource(url, null, null)
                .locations("classpath:" + dialect.migrationLocation())
                .target(version)
                .load()
                .migrate();
    }

    /** A key and a secret as the older schema stores them (no dkms_instance_id column). */
    private static void insertOldRows(Connection c) throws SQLException {
        try (PreparedStatement key = c.prepareStatement("INSERT INTO keys (key_id, description, key_spec, key_usage,"
                + " origin, protection_level, state, creation_date, rotation_interval_seconds, deletion_protection,"
                + " creator, revision) VALUES ('key-old', 'old key', 'Aliyun_AES_256', 'ENCRYPT_DECRYPT',"
                + " 'Aliyun_KMS', 'SOFTWARE', 'Enabled', 1767225600123, 0, ?, 'root', 3)")) {
            key.setBoolean(1, false);
            key.executeUpdate();
        }
        try (PreparedStatement secret = c.prepareStatement("INSERT INTO secrets (secret_name, secret_type,"
                + " description, encryption_key_id, automatic_rotation, rotation_interval_seconds, creation_date,"
                + " update_date, creator, revision) VALUES ('old-secret', 'Generic', 'old secret', 'key-old', ?, 0,"
                + " 1767225600123, 1767225600123, 'root', 2)")) {
            secret.setBoolean(1, false);
            secret.executeUpdate();
        }
    }

    private static void assertUpgraded(Storage storage) {
        KeyRecord key = storage.keys().find("key-old").orElseThrow();
        assertThat(key.dkmsInstanceId()).isNull();
        assertThat(key.description()).isEqualTo("old key");
        assertThat(key.revision()).isEqualTo(3);
        SecretRecord secret = storage.secrets().find("old-secret").orElseThrow();
        assertThat(secret.dkmsInstanceId()).isNull();
        assertThat(secret.encryptionKeyId()).isEqualTo("key-old");

        KeyRecord scoped = StorageContractTest.keyInInstance("key-new", key.creationDate(), "kst-a");
        storage.keys().create(scoped, List.of(), Map.of());
        assertThat(storage.keys().find("key-new")).contains(scoped);
        // A write of the old key keeps it of no instance.
        KeyRecord described = key.withDescription("changed");
        assertThat(storage.keys().update(described, key.revision())).isTrue();
        assertThat(storage.keys().find("key-old").orElseThrow().dkmsInstanceId())
                .isNull();
    }
}
