package org.openkms.conformance;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openkms.server.config.ServerConfig;
import org.openkms.storage.TestPostgres;

/**
 * The storage every conformance server of this JVM runs on, chosen by the system property
 * {@value #PROPERTY}: {@code sqlite} (the default: a database file in the server's data dir) or {@code postgresql}
 * (a fresh database on the test PostgreSQL per server data dir, so a restart test reopens the same one). The
 * module's pom runs the suite once per backend (surefire executions {@code default-test} and
 * {@code conformance-on-postgresql}), so the same tests hold on both.
 *
 * <p>On PostgreSQL, {@code OPENKMS_SKIP_PG=1} skips every test (see {@code TestPostgres}); the databases are dropped
 * when their shared server stops, and the rest (restart tests) when the JVM exits.
 */
public final class ConformanceBackend {
    public static final String PROPERTY = "openkms.conformance.backend";
    private static final Map<Path, TestPostgres.Database> DATABASES = new ConcurrentHashMap<>();

    static {
        if (postgres()) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> DATABASES.keySet().forEach(ConformanceBackend::release),
                            "openkms-conformance-drop-databases"));
        }
    }

    private ConformanceBackend() {}

    /** "sqlite" or "postgresql". */
    public static String name() {
        String v = System.getProperty(PROPERTY, "sqlite").trim().toLowerCase(Locale.ROOT);
        if (!v.equals("sqlite") && !v.equals("postgresql")) {
            throw new IllegalArgumentException(PROPERTY + " must be sqlite or postgresql, not " + v);
        }
        return v;
    }

    public static boolean postgres() {
        return name().equals("postgresql");
    }

    /** Skips the calling test or class (with the reason) when this JVM runs on PostgreSQL and OPENKMS_SKIP_PG=1. */
    static void assumeAvailable() {
        if (postgres()) {
            TestPostgres.assumeEnabled();
        }
    }

    /** The configuration on this JVM's backend: unchanged on SQLite; on PostgreSQL, the data dir's own database. */
    static ServerConfig apply(ServerConfig config) {
        if (!postgres()) {
            return config;
        }
        Path key = config.dataDir().toAbsolutePath().normalize();
        TestPostgres.Database db =
                DATABASES.computeIfAbsent(key, k -> TestPostgres.createDatabase("openkms_conformance"));
        return config.withStorageUrl(db.url());
    }

    /** The JDBC URL of a data dir's PostgreSQL database, or null (SQLite, or no server started on it yet). */
    static String storageUrl(Path dataDir) {
        TestPostgres.Database db = DATABASES.get(dataDir.toAbsolutePath().normalize());
        return db == null ? null : db.url();
    }

    /** Drops the database of a data dir (after its server stopped), if there is one. */
    static void release(Path dataDir) {
        TestPostgres.Database db = DATABASES.remove(dataDir.toAbsolutePath().normalize());
        if (db != null) {
            try {
                db.close();
            } catch (RuntimeException e) {
                System.err.println("could not drop conformance database " + db.name() + ": " + e);
            }
        }
    }
}
