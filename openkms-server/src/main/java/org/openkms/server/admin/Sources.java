package org.openkms.server.admin;

import java.nio.file.Path;
import org.openkms.storage.StorageFactory;

/** Which database an admin command works on: the data dir's SQLite file, or --storage-url. */
record Sources(Path dataDir, String storageUrl) {
    /** The SQLite file, or null for PostgreSQL. */
    Path sqliteFile() {
        if (storageUrl == null) {
            if (dataDir == null) {
                throw new AdminException("give --data-dir DIR (SQLite in DIR/openkms.db) or --storage-url JDBC-URL");
            }
            return dataDir.resolve("openkms.db").toAbsolutePath().normalize();
        }
        try {
            Path p = StorageFactory.sqliteFile(storageUrl);
            if (p == null && storageUrl.equals(StorageFactory.MEMORY_URL)) {
                throw new AdminException("--storage-url mem: holds nothing to back up or restore");
            }
            return p == null ? null : p.toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw new AdminException("--storage-url: " + e.getMessage());
        }
    }

    String describe() {
        return storageUrl == null ? "--data-dir " + dataDir : "--storage-url " + StorageFactory.redact(storageUrl);
    }
}
