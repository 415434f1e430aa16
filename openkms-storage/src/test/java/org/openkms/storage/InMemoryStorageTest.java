package org.openkms.storage;

import org.openkms.core.store.Storage;
import org.openkms.core.store.memory.InMemoryStorage;

/**
 * The contract on the core's in-memory backend, so that the core's own tests, which run on it, see what
 * SQLite and PostgreSQL would do. Reopening hands out a new handle on the same heap data, the in-memory
 * counterpart of opening the same database file again.
 */
class InMemoryStorageTest extends StorageContractTest {
    private InMemoryStorage last;

    @Override
    protected Storage newStorage() {
        last = new InMemoryStorage();
        return last;
    }

    @Override
    protected Storage reopenStorage() {
        return last.reopen();
    }
}
