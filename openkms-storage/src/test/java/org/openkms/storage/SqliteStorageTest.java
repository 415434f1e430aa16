package org.openkms.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.store.Storage;

/** The contract on SQLite: a new database file per test in a temporary folder. */
class SqliteStorageTest extends StorageContractTest {
    @TempDir
    Path dir;

    private Path file;

    @Override
    protected Storage newStorage() {
        file = dir.resolve("kms.db");
        return StorageFactory.open("jdbc:sqlite:" + file);
    }

    @Override
    protected Storage reopenStorage() {
        return StorageFactory.openSqlite(file);
    }
}
