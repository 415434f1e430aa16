package org.openkms.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.store.ChangeListener;
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

    /** One process owns the file: nobody else writes, so there is nothing to push and no job to share. */
    @Test
    void noChangeFeedAndJobsAlwaysRun() {
        assertThat(storage.changeFeed(new ChangeListener() {
                    @Override
                    public void changed(long generation) {}

                    @Override
                    public void resync() {}
                }))
                .isNull();
        AtomicInteger runs = new AtomicInteger();
        assertThat(storage.runExclusive("key-maintenance", () -> {
                    runs.incrementAndGet();
                    assertThat(storage.runExclusive("key-maintenance", runs::incrementAndGet))
                            .isTrue();
                }))
                .isTrue();
        assertThat(runs).hasValue(2);
        assertThat(storage.changeGeneration()).isZero();
    }
}
