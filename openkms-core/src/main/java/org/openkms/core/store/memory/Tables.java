package org.openkms.core.store.memory;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openkms.core.error.StorageException;
import org.openkms.core.iam.AccessKeyRecord;
import org.openkms.core.iam.Attachment;
import org.openkms.core.iam.PolicyRecord;
import org.openkms.core.iam.RamRole;
import org.openkms.core.iam.RamUser;
import org.openkms.core.key.AliasRecord;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeyVersionRecord;
import org.openkms.core.secret.SecretRecord;
import org.openkms.core.secret.SecretVersionRecord;

/**
 * The data of an {@link InMemoryStorage}: one map per table of the SQL schema (openkms-storage's
 * db/migration), guarded by one lock. Every field is only touched while holding {@link #lock}: the read lock
 * for queries, the write lock for changes, so a write is one transaction that readers see whole or not at all.
 *
 * <p>Values are stored the way the JDBC backends store them: instants cut to milliseconds, byte arrays copied
 * in and out (the records' arrays are mutable and the database never shares them with the caller).
 */
final class Tables {
    /**
     * The order of {@code ORDER BY} on a text column: SQLite's BINARY collation compares the UTF-8 bytes with
     * memcmp (https://www.sqlite.org/datatype3.html#collation) and the PostgreSQL schema declares COLLATE "C",
     * byte order (https://www.postgresql.org/docs/current/collation.html). UTF-8 byte order is code point
     * order, which String.compareTo (UTF-16 units) breaks for characters above U+FFFF, hence this comparator.
     */
    static final Comparator<String> BYTE_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    final ReadWriteLock lock = new ReentrantReadWriteLock();

    // keys, key_versions (V1__init.sql). Versions per key in insertion order (the SQL "seq" column).
    final Map<String, KeyRecord> keys = new HashMap<>();
    final Map<String, LinkedHashMap<String, KeyVersionRecord>> keyVersions = new HashMap<>();
    /** key_version_id is UNIQUE across all keys: version id → key id. */
    final Map<String, String> keyVersionOwners = new HashMap<>();

    // aliases, tags, access_keys (V1__init.sql)
    final TreeMap<String, AliasRecord> aliases = new TreeMap<>(BYTE_ORDER);
    /** resource type → resource id → tag key → tag value (nullable, as the tag_value column). */
    final Map<String, TreeMap<String, TreeMap<String, String>>> tags = new HashMap<>();

    final Map<String, AccessKeyRecord> accessKeys = new HashMap<>();

    // secrets, secret_versions (V2__secrets.sql). Version ids are unique per secret only.
    final Map<String, SecretRecord> secrets = new HashMap<>();
    final Map<String, LinkedHashMap<String, SecretVersionRecord>> secretVersions = new HashMap<>();

    // iam_users, iam_roles, iam_policies, iam_attachments, resource_policies, aap_objects (V3__iam.sql)
    final TreeMap<String, RamUser> users = new TreeMap<>(BYTE_ORDER);
    final TreeMap<String, RamRole> roles = new TreeMap<>(BYTE_ORDER);
    final TreeMap<String, PolicyRecord> policies = new TreeMap<>(BYTE_ORDER);
    /** Keyed by the primary key (principal_type, principal_name, policy_type, policy_name). */
    final Map<java.util.List<String>, Attachment> attachments = new HashMap<>();

    final TreeMap<String, String> resourcePolicies = new TreeMap<>(BYTE_ORDER);
    final Map<String, TreeMap<String, String>> accessPoints = new HashMap<>();

    // oidc_providers (sqlite V8 / postgresql V9 __oidc_providers.sql); not cached by the server, so no changed()
    final TreeMap<String, org.openkms.core.iam.OidcProvider> oidcProviders = new TreeMap<>(BYTE_ORDER);

    // kms_instances (V6/V7__kms_instances.sql)
    final TreeMap<String, org.openkms.core.instance.InstanceRecord> instances = new TreeMap<>(BYTE_ORDER);

    // server_meta (V5__server_meta.sql)
    final Map<String, byte[]> meta = new HashMap<>();

    /** Storage#changeGeneration; written under the write lock, read without it. */
    private volatile long generation;

    /** Called by a write that changed a table the server caches (the tables with a PostgreSQL trigger in V4). */
    void changed() {
        generation++;
    }

    long generation() {
        return generation;
    }

    // ---------------------------------------------------------------- value conversions and checks

    /** What a BIGINT epoch-millisecond column keeps of an Instant (toEpochMilli floors, as Sql.bindOne does). */
    static Instant millis(Instant instant) {
        return instant == null ? null : Instant.ofEpochMilli(instant.toEpochMilli());
    }

    static byte[] copy(byte[] bytes) {
        return bytes == null ? null : bytes.clone();
    }

    /** A NOT NULL column given null: the databases refuse the statement, and the JDBC backends report a StorageException. */
    static void notNull(String operation, Object... columnsAndValues) {
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            if (columnsAndValues[i + 1] == null) {
                throw failure(operation, "NOT NULL constraint failed: " + columnsAndValues[i]);
            }
        }
    }

    static StorageException failure(String operation, String why) {
        return new StorageException(operation + " failed: " + why, null);
    }
}
