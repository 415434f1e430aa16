package org.openkms.storage;

import org.openkms.core.iam.AccessKeyRepository;
import org.openkms.core.iam.IamRepository;
import org.openkms.core.key.AliasRepository;
import org.openkms.core.key.KeyRepository;
import org.openkms.core.secret.SecretRepository;
import org.openkms.core.store.ChangeFeed;
import org.openkms.core.store.ChangeListener;
import org.openkms.core.store.Storage;
import org.openkms.core.tag.TagRepository;

/**
 * The Storage port over one connection provider; the repositories are stateless and thread-safe. On PostgreSQL
 * (a {@code postgresUrl}) it also pushes other nodes' writes ({@link PostgresChangeFeed}) and keeps scheduled jobs
 * to one node at a time ({@link PostgresJobLock}); on SQLite, whose file one process owns, neither is needed.
 */
final class JdbcStorage implements Storage {
    private final ConnectionProvider db;
    private final String postgresUrl;
    private final PostgresJobLock jobLock;
    private final KeyRepository keys;
    private final AliasRepository aliases;
    private final TagRepository tags;
    private final AccessKeyRepository accessKeys;
    private final SecretRepository secrets;
    private final IamRepository iam;
    private final org.openkms.core.accesspoint.AccessPointRepository accessPoints;
    private final org.openkms.core.store.MetaRepository meta;
    private final org.openkms.core.instance.InstanceRepository instances;

    JdbcStorage(ConnectionProvider db, Dialect dialect) {
        this(db, dialect, null);
    }

    JdbcStorage(ConnectionProvider db, Dialect dialect, String postgresUrl) {
        this.db = db;
        this.postgresUrl = postgresUrl;
        this.jobLock = postgresUrl == null ? null : new PostgresJobLock(db);
        this.keys = new JdbcKeyRepository(db, dialect);
        this.aliases = new JdbcAliasRepository(db, dialect);
        this.tags = new JdbcTagRepository(db, dialect);
        this.accessKeys = new JdbcAccessKeyRepository(db);
        this.secrets = new JdbcSecretRepository(db, dialect);
        this.iam = new JdbcIamRepository(db);
        this.accessPoints = new JdbcAccessPointRepository(db);
        this.meta = new JdbcMetaRepository(db, dialect);
        this.instances = new JdbcInstanceRepository(db);
    }

    @Override
    public org.openkms.core.instance.InstanceRepository instances() {
        return instances;
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
    public org.openkms.core.accesspoint.AccessPointRepository accessPoints() {
        return accessPoints;
    }

    @Override
    public org.openkms.core.store.MetaRepository meta() {
        return meta;
    }

    @Override
    public long changeGeneration() {
        return db.read(
                        "changeGeneration",
                        c -> Sql.queryOne(c, "SELECT value FROM change_generation WHERE id = 1", rs -> rs.getLong(1)))
                .orElse(0L);
    }

    @Override
    public ChangeFeed changeFeed(ChangeListener listener) {
        return postgresUrl == null ? null : PostgresChangeFeed.start(postgresUrl, listener);
    }

    @Override
    public boolean runExclusive(String job, Runnable work) {
        if (jobLock == null) {
            work.run();
            return true;
        }
        return jobLock.runExclusive(job, work);
    }

    /** Waits for running work where the backend can (SQLite), then releases all connections. */
    @Override
    public void close() {
        db.close();
    }
}
