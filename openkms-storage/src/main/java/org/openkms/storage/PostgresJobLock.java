package org.openkms.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Lets one node at a time run a scheduled job on a shared PostgreSQL database: a transaction-level advisory lock
 * ({@code pg_try_advisory_xact_lock}) is taken on a pooled connection, without waiting, and held while the job
 * runs on other connections; ending that transaction releases it
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS and
 * https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS).
 *
 * <p>Why transaction-level rather than session-level: the lock cannot outlive the job, whatever the job throws, and a
 * pooled connection never goes back to the pool still holding it. Why try rather than wait: another node is doing
 * the job right now, and the next scheduled run looks again. A node that dies mid-job loses its connection and so
 * its lock; the job's writes are revision-checked and the next holder finds only what is still due.
 *
 * <p>The key is a hash of the schema and the job name: advisory locks are per database, so nodes of two OpenKMS
 * schemas in one database (or another application) would otherwise hold each other's jobs back.
 */
final class PostgresJobLock {
    private final ConnectionProvider db;

    PostgresJobLock(ConnectionProvider db) {
        this.db = db;
    }

    boolean runExclusive(String job, Runnable work) {
        return db.write("runExclusive(" + job + ")", connection -> {
            if (!tryLock(connection, job)) {
                return false;
            }
            work.run(); // on the pool's other connections; its writes commit before this transaction ends
            return true;
        });
    }

    private static boolean tryLock(Connection connection, String job) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // The lock's transaction sits idle while the job runs; a server-wide idle_in_transaction_session_timeout
            // would end it, and with it the lock, in the middle of the job
            // (https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-IN-TRANSACTION-SESSION-TIMEOUT).
            // SET LOCAL lasts until this transaction ends.
            statement.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
        }
        String schema = Sql.queryOne(connection, "SELECT current_schema()", rs -> rs.getString(1))
                .orElse("");
        return Sql.queryOne(connection, "SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), key(schema, job))
                .orElse(false);
    }

    /** 64 bits of SHA-256("openkms-job:" schema ":" job): the bigint form of the advisory lock key. */
    static long key(String schema, String job) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("openkms-job:" + schema + ":" + job).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
