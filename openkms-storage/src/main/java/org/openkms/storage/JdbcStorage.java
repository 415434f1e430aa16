package org.openkms.storage;

import org.openkms.core.store.AccessKeyRepository;
import org.openkms.core.store.AliasRepository;
import org.openkms.core.store.IamRepository;
import org.openkms.core.store.KeyRepository;
import org.openkms.core.store.SecretRepository;
import org.openkms.core.store.Storage;
import org.openkms.core.store.TagRepository;

/** The Storage port over one connection provider; the repositories are stateless and thread-safe. */
final class JdbcStorage implements Storage {
    private final ConnectionProvider db;
    private final KeyRepository keys;
    private final AliasRepository aliases;
    private final TagRepository tags;
    private final AccessKeyRepository accessKeys;
    private final SecretRepository secrets;
    private final IamRepository iam;
    private final org.openkms.core.store.AccessPointRepository accessPoints;
    private final org.openkms.core.store.MetaRepository meta;

    JdbcStorage(ConnectionProvider db, Dialect dialect) {
        this.db = db;
        this.keys = new JdbcKeyRepository(db, dialect);
        this.aliases = new JdbcAliasRepository(db, dialect);
        this.tags = new JdbcTagRepository(db, dialect);
        this.accessKeys = new JdbcAccessKeyRepository(db);
        this.secrets = new JdbcSecretRepository(db, dialect);
        this.iam = new JdbcIamRepository(db);
        this.accessPoints = new JdbcAccessPointRepository(db);
        this.meta = new JdbcMetaRepository(db, dialect);
    }

    @Override
    public KeyRepository keys() {
        return keys;
    }

    @Override
    public AliasRepository aliases() {
        return aliases;
    }

    @Override
    public TagRepository tags() {
        return tags;
    }

    @Override
    public AccessKeyRepository accessKeys() {
        return accessKeys;
    }

    @Override
    public SecretRepository secrets() {
        return secrets;
    }

    @Override
    public IamRepository iam() {
        return iam;
    }

    @Override
    public org.openkms.core.store.AccessPointRepository accessPoints() {
        return accessPoints;
    }

    @Override
    public org.openkms.core.store.MetaRepository meta() {
        return meta;
    }

    @Override
    public long changeGeneration() {
        return db.read("changeGeneration", c -> Sql.queryOne(c, "SELECT value FROM change_generation WHERE id = 1",
                rs -> rs.getLong(1))).orElse(0L);
    }

    /** Waits for running work where the backend can (SQLite), then releases all connections. */
    @Override
    public void close() {
        db.close();
    }
}
