package org.openkms.jdbc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import org.openkms.clientconfig.ClientConfig;

/**
 * A JDBC driver that logs in with the credentials held in a KMS secret, compatible with Alibaba Cloud's
 * secrets-manager JDBC client (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/secrets-manager-jdbc).
 *
 * <p>URLs: {@code secrets-manager:postgresql://…}, {@code secrets-manager:mysql://…} and
 * {@code secrets-manager:mariadb://…} are handed to the real driver with {@code secrets-manager} replaced by
 * {@code jdbc}; {@code secrets-manager:<type>:<secretName>} takes host, port and database from the
 * {@code {"Endpoint","Port","DBName"}} of that secret (the type-specific drivers, e.g.
 * {@link PostgreSQLSecretManagerSimpleDriver}, also accept the bare secret name as Alibaba's do). The JDBC
 * {@code user} names the secret whose {@code {"AccountName","AccountPassword"}} are used; a given password is
 * ignored.
 *
 * <p>When the database refuses the login (PostgreSQL 28P01, MySQL/MariaDB 1045) the secret is re-read and the login
 * tried again, four tries in all (Alibaba's count): after a rotation the first connection made with the old password
 * fetches the new one. Each failed try that brought no new credentials waits a little longer, covering the moment
 * between the database's password change and KMS publishing the new version.
 *
 * <p>Registered with {@link DriverManager} through {@code META-INF/services/java.sql.Driver}.
 */
public class SecretsManagerDriver implements Driver {
    static final String SCHEME = "secrets-manager:";

    /**
     * Alibaba's JDBC client reads {@code secretsmanager.properties} and {@code refresh_secret_ttl}
     * (https://github.com/aliyun/aliyun-secretsmanager-jdbc/blob/master/README_config.md); the system property is an
     * OpenKMS extension.
     */
    static final ClientConfig.Source CONFIG = new ClientConfig.Source(
            "secretsmanager.properties", "openkms.secretsmanager.config", "refresh_secret_ttl", "openkms-jdbc");
    /** Alibaba's client: the first try and three more. */
    static final int MAX_TRIES = 4;

    private static final long[] BACKOFF_MILLIS = {200, 500, 1000};
    private static final Object ENGINE_LOCK = new Object();
    private static volatile SecretCache engine;

    static {
        register(new SecretsManagerDriver());
    }

    private final DbType fixedType;

    public SecretsManagerDriver() {
        this(null);
    }

    /** A driver for one database type, which also takes a bare secret name as its URL (Alibaba's URL secrets). */
    protected SecretsManagerDriver(DbType fixedType) {
        this.fixedType = fixedType;
    }

    static void register(SecretsManagerDriver d) {
        try {
            DriverManager.registerDriver(d);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What a URL asks for: the type, and either a ready {@code jdbc:} URL or the name of a URL secret. */
    private static final class Target {
        final DbType type;
        final String jdbcUrl;
        final String urlSecret;

        Target(DbType type, String jdbcUrl, String urlSecret) {
            this.type = type;
            this.jdbcUrl = jdbcUrl;
            this.urlSecret = urlSecret;
        }
    }

    private Target parse(String url) {
        if (url == null) {
            return null;
        }
        if (url.startsWith(SCHEME)) {
            String rest = url.substring(SCHEME.length());
            int colon = rest.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            DbType type = DbType.ofScheme(rest.substring(0, colon));
            if (type == null || (fixedType != null && type != fixedType)) {
                return null;
            }
            String tail = rest.substring(colon + 1);
            if (tail.startsWith("//")) {
                return new Target(type, "jdbc:" + rest, null);
            }
            return tail.isEmpty() ? null : new Target(type, null, tail);
        }
        // Alibaba: a URL that is neither secrets-manager: nor jdbc: names a URL secret (type-specific drivers only;
        // the general driver would otherwise claim every URL any other driver is asked about).
        if (fixedType != null && !url.isEmpty() && !url.startsWith("jdbc:") && url.indexOf(':') < 0) {
            return new Target(fixedType, null, url);
        }
        return null;
    }

    @Override
    public boolean acceptsURL(String url) {
        return parse(url) != null;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Target t = parse(url);
        if (t == null) {
            return null; // JDBC: not our URL, let the next driver try
        }
        String secretName = info == null ? null : info.getProperty("user");
        if (secretName == null || secretName.isEmpty()) {
            throw new SQLException(
                    "the JDBC user must be the name of the secret holding AccountName/AccountPassword", "28000");
        }
        SecretCache cache = engine();
        String jdbcUrl = t.jdbcUrl != null ? t.jdbcUrl : urlFromSecret(cache, t);
        DbType.RealDriver real = t.type.load(jdbcUrl);
        Properties props = new Properties();
        props.putAll(info);
        SecretCache.Entry entry = get(cache, secretName);
        for (int tried = 1; ; tried++) {
            String[] account = account(secretName, entry);
            props.setProperty("user", account[0]);
            props.setProperty("password", account[1]);
            try {
                Connection c = real.driver.connect(real.url, props);
                if (c == null) {
                    throw new SQLException("the " + t.type.scheme() + " driver does not accept " + real.url, "08001");
                }
                return c;
            } catch (SQLException e) {
                if (!t.type.isAuthFailure(e)) {
                    throw e;
                }
                if (tried >= MAX_TRIES) {
                    throw new SQLException(
                            "the database refused the credentials of secret " + secretName + " " + MAX_TRIES
                                    + " times (the secret was re-read after each refusal): " + e.getMessage(),
                            e.getSQLState(),
                            e.getErrorCode(),
                            e);
                }
                SecretCache.Entry fresh;
                try {
                    fresh = cache.refreshNow(secretName, entry);
                } catch (SecretFetcher.FetchException f) {
                    e.addSuppressed(new SQLException("re-reading secret " + secretName + " failed: " + f.getMessage()));
                    throw e;
                }
                if (fresh.value.secretData != null && fresh.value.secretData.equals(entry.value.secretData)) {
                    // Nothing new yet: the rotation may have changed the database before KMS published the value.
                    sleep(BACKOFF_MILLIS[Math.min(tried - 1, BACKOFF_MILLIS.length - 1)]);
                }
                entry = fresh;
            }
        }
    }

    private static SecretCache.Entry get(SecretCache cache, String name) throws SQLException {
        try {
            return cache.get(name);
        } catch (SecretFetcher.FetchException f) {
            throw new SQLException(
                    "cannot read secret " + name + ": " + f.getMessage(), f.notFound() ? "28000" : "08001", f);
        }
    }

    private static String[] account(String secretName, SecretCache.Entry entry) throws SQLException {
        JsonObject o = json(entry.value.secretData);
        String name = o == null ? null : string(o, "AccountName");
        String password = o == null ? null : string(o, "AccountPassword");
        if (name == null || password == null) {
            throw new SQLException(
                    "secret " + secretName + " must hold JSON {\"AccountName\":…,\"AccountPassword\":…}", "28000");
        }
        return new String[] {name, password};
    }

    private static String urlFromSecret(SecretCache cache, Target t) throws SQLException {
        JsonObject o = json(get(cache, t.urlSecret).value.secretData);
        String endpoint = o == null ? null : string(o, "Endpoint");
        String port = o == null ? null : string(o, "Port");
        String db = o == null ? null : string(o, "DBName");
        if (endpoint == null || port == null || db == null) {
            throw new SQLException(
                    "URL secret " + t.urlSecret + " must hold JSON {\"Endpoint\":…,\"Port\":…,\"DBName\":…}", "08001");
        }
        return t.type.url(endpoint, port, db);
    }

    private static JsonObject json(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null; // never echo the text: it is secret material
        }
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    private static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to log in again", "08001", e);
        }
    }

    /** The shared cache, built from the configuration on first use (a bad configuration is retried next time). */
    static SecretCache engine() throws SQLException {
        SecretCache e = engine;
        if (e != null) {
            return e;
        }
        synchronized (ENGINE_LOCK) {
            if (engine == null) {
                try {
                    ClientConfig c = ClientConfig.load(CONFIG);
                    engine = new SecretCache(new SecretFetcher(c), c.refreshTtlMillis);
                } catch (IllegalArgumentException bad) {
                    throw new SQLException("secrets-manager JDBC configuration: " + bad.getMessage(), "08001");
                }
            }
            return engine;
        }
    }

    /** Forgets the configuration and the cached secrets; the next connection reads both again. */
    public static void reset() {
        synchronized (ENGINE_LOCK) {
            engine = null;
        }
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        Target t = parse(url);
        if (t == null || t.jdbcUrl == null) {
            return new DriverPropertyInfo[0];
        }
        DbType.RealDriver real = t.type.load(t.jdbcUrl);
        return real.driver.getPropertyInfo(real.url, info);
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false; // it is as compliant as the driver it delegates to
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("java.util.logging is not used");
    }
}
