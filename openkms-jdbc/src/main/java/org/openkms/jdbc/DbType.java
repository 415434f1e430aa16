package org.openkms.jdbc;

import java.sql.Driver;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The databases the driver fronts, each with the real driver it delegates to and the way that driver reports a
 * refused login. The detection follows Alibaba's secrets-manager JDBC client
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/secrets-manager-jdbc): SQLState
 * {@code 28P01} for PostgreSQL, vendor error 1045 ({@code ER_ACCESS_DENIED_ERROR}) for MySQL and MariaDB.
 */
public enum DbType {
    POSTGRESQL("postgresql", "org.postgresql.Driver"),
    /**
     * MySQL Connector/J when the application has it; otherwise MariaDB Connector/J, which speaks to MySQL too but
     * takes {@code jdbc:mysql:} URLs only with an extra option, so the URL is handed to it as {@code jdbc:mariadb:}.
     */
    MYSQL("mysql", "com.mysql.cj.jdbc.Driver", "com.mysql.jdbc.Driver", "org.mariadb.jdbc.Driver"),
    MARIADB("mariadb", "org.mariadb.jdbc.Driver");

    private final String scheme;
    /** Comma-separated, first found wins (a String: enum fields stay immutable). */
    private final String driverClasses;

    DbType(String scheme, String... driverClasses) {
        this.scheme = scheme;
        this.driverClasses = String.join(",", driverClasses);
    }

    /** The JDBC sub-protocol: {@code postgresql}, {@code mysql} or {@code mariadb}. */
    public String scheme() {
        return scheme;
    }

    /** The type whose scheme is {@code name} (case-insensitive), or null. */
    public static DbType ofScheme(String name) {
        for (DbType t : values()) {
            if (t.scheme.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }

    /** True when {@code e} (or an exception chained to it) says the user name or password was refused. */
    public boolean isAuthFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException && isAuthFailureCode((SQLException) t)) {
                return true;
            }
        }
        for (SQLException n = e.getNextException(); n != null; n = n.getNextException()) {
            if (isAuthFailureCode(n)) {
                return true;
            }
        }
        return false;
    }

    private boolean isAuthFailureCode(SQLException e) {
        if (this == POSTGRESQL) {
            return "28P01".equals(e.getSQLState());
        }
        return e.getErrorCode() == 1045;
    }

    /** {@code jdbc:<scheme>://host:port/db}, from the Endpoint/Port/DBName of a URL secret. */
    String url(String host, String port, String dbName) {
        return "jdbc:" + scheme + "://" + host + ":" + port + "/" + dbName;
    }

    /** The first real driver class the class path has, and the URL rewritten for it. */
    RealDriver load(String jdbcUrl) throws SQLException {
        for (String name : driverClasses.split(",", -1)) {
            Class<?> c = find(name);
            if (c == null) {
                continue;
            }
            try {
                Driver d = INSTANCES.get(c);
                if (d == null) {
                    d = (Driver) c.getDeclaredConstructor().newInstance();
                    INSTANCES.putIfAbsent(c, d);
                }
                String url = jdbcUrl;
                if (this == MYSQL && name.startsWith("org.mariadb")) {
                    url = "jdbc:mariadb:" + jdbcUrl.substring("jdbc:mysql:".length());
                }
                return new RealDriver(d, url);
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new SQLException("cannot instantiate the JDBC driver " + name + ": " + e, "08001", e);
            }
        }
        throw new SQLException(
                "no " + scheme + " JDBC driver on the class path: add one of " + driverClasses.replace(",", ", ")
                        + " to the application",
                "08001");
    }

    /** One instance per real driver class (an application's class loaders may hold several). */
    private static final ConcurrentMap<Class<?>, Driver> INSTANCES = new ConcurrentHashMap<>();

    private static Class<?> find(String name) {
        ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), DbType.class.getClassLoader()};
        for (ClassLoader l : loaders) {
            if (l == null) {
                continue;
            }
            try {
                return Class.forName(name, true, l);
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }

    /** A real driver instance and the {@code jdbc:} URL to give it. */
    static final class RealDriver {
        final Driver driver;
        final String url;

        RealDriver(Driver driver, String url) {
            this.driver = driver;
            this.url = url;
        }
    }
}
