package org.openkms.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.error.StorageException;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyState;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.Origin;
import org.openkms.core.store.Storage;

class StorageFactoryTest {
    @TempDir
    Path dir;

    @Test
    void sqliteUrlCreatesTheFileAndItsFolders() {
        Path file = dir.resolve("a/b/kms.db");
        try (Storage storage = StorageFactory.open("jdbc:sqlite:" + file)) {
            assertThat(storage.keys().list()).isEmpty();
        }
        assertThat(file).isRegularFile();
    }

    /** The database and its -wal/-shm files are private to the server's user from the moment they exist. */
    @Test
    void sqliteFilesAreCreatedOwnerOnly() throws Exception {
        Path file = dir.resolve("kms.db");
        try (Storage storage = StorageFactory.openSqlite(file)) {
            storage.accessKeys()
                    .create(new org.openkms.core.iam.AccessKeyRecord(
                            "ak", new byte[] {1}, "root", "Active", Instant.EPOCH));
            for (String name : List.of("kms.db", "kms.db-wal", "kms.db-shm")) {
                assertThat(Files.getPosixFilePermissions(dir.resolve(name)))
                        .as(name)
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    @Test
    void committedDataIsInTheFileAfterClose() throws Exception {
        Path file = dir.resolve("kms.db");
        try (Storage storage = StorageFactory.openSqlite(file)) {
            storage.keys()
                    .create(
                            new KeyRecord(
                                    "key-1",
                                    null,
                                    KeySpec.Aliyun_AES_256,
                                    KeyUsage.ENCRYPT_DECRYPT,
                                    Origin.Aliyun_KMS,
                                    null,
                                    KeyState.Enabled,
                                    Instant.EPOCH,
                                    null,
                                    null,
                                    0,
                                    null,
                                    false,
                                    null,
                                    null,
                                    null,
                                    null,
                                    1),
                            List.of(),
                            Map.of());
        }
        // Closing the last connection (Flyway's included) checkpoints the WAL into the main file and deletes
        // it; a plain connection then sees the row.
        assertThat(dir.resolve("kms.db-wal")).doesNotExist();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT key_id, revision FROM keys")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("key-1");
            assertThat(rs.getLong(2)).isEqualTo(1);
        }
    }

    @Test
    void memUrlOpensAnEmptyInMemoryStorage() {
        assertThat(StorageFactory.sqliteFile(StorageFactory.MEMORY_URL)).isNull();
        try (Storage storage = StorageFactory.open("mem:")) {
            assertThat(storage).isInstanceOf(org.openkms.core.store.memory.InMemoryStorage.class);
            assertThat(storage.keys().list()).isEmpty();
            assertThat(storage.meta().holdsSealedData()).isFalse();
        }
        assertThatThrownBy(() -> StorageFactory.open("mem:x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsUrlsItCannotServeSafely() {
        assertThatThrownBy(() -> StorageFactory.open("jdbc:sqlite::memory:"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorageFactory.open("jdbc:sqlite:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorageFactory.open("jdbc:sqlite:file:x.db?mode=ro"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorageFactory.open("jdbc:mysql://localhost/x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorageFactory.open(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unreachablePostgresIsAStorageExceptionWithoutThePassword() {
        assertThatThrownBy(() -> StorageFactory.open("jdbc:postgresql://127.0.0.1:1/none?user=u&password=hunter2"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("hunter2");
    }
}
