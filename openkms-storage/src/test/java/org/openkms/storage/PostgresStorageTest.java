package org.openkms.storage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openkms.core.store.Storage;

/**
 * The contract on PostgreSQL: one schema per test class (migrated on first open), emptied before each test.
 * Fails when PostgreSQL is unreachable unless OPENKMS_SKIP_PG=1 (see {@link TestPostgres}).
 */
class PostgresStorageTest extends StorageContractTest {
    private static TestPostgres.Schema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.createSchema();
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Override
    protected Storage newStorage() {
        Storage opened = StorageFactory.open(schema.url());
        schema.truncate("keys", "key_versions", "aliases", "tags", "access_keys");
        return opened;
    }

    @Override
    protected Storage reopenStorage() {
        return StorageFactory.open(schema.url());
    }
}
