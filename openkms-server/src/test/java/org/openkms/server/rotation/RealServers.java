package org.openkms.server.rotation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import redis.clients.jedis.Jedis;

/**
 * The real PostgreSQL, MariaDB and Redis servers on loopback that rotation tests change passwords on
 * (scripts/ensure-services.sh starts or installs them). Each test makes throwaway accounts and drops them.
 */
final class RealServers {
    static final String PG = "postgresql://127.0.0.1:5432/postgres";
    static final String MARIADB = "mariadb://127.0.0.1:3306";
    static final String REDIS = "redis://127.0.0.1:6379";
    private static final String HINT = " (run scripts/ensure-services.sh)";

    private RealServers() {}

    // ---------------------------------------------------------------- PostgreSQL

    static void pgAdmin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL admin statement failed" + HINT + ": " + e.getMessage(), e);
        }
    }

    /** A login role that must use its password (member of openkms_password_auth, see ensure-services.sh). */
    static void pgCreateRole(String role, String password) {
        pgAdmin("DROP ROLE IF EXISTS " + role);
        pgAdmin("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' IN ROLE openkms_password_auth");
        if (pgCanLogIn(role, "definitely-wrong")) {
            throw new IllegalStateException("PostgreSQL accepts any password for " + role
                    + ": pg_hba.conf lacks the openkms_password_auth rule" + HINT);
        }
    }

    static boolean pgCanLogIn(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", p)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- MariaDB

    static void mariaAdmin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB admin statement failed" + HINT + ": " + e.getMessage(), e);
        }
    }

    static void mariaCreateUser(String user, String password) {
        mariaAdmin("DROP USER IF EXISTS '" + user + "'@'%'");
        mariaAdmin("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
    }

    static boolean mariaCanLogIn(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5000");
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", p)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- Redis

    static void redisCreateUser(String user, String password) {
        try (Jedis j = new Jedis("127.0.0.1", 6379, 5000)) {
            j.aclDelUser(user);
            j.aclSetUser(user, "on", ">" + password, "~*", "+@all");
        }
    }

    static void redisDeleteUser(String user) {
        try (Jedis j = new Jedis("127.0.0.1", 6379, 5000)) {
            j.aclDelUser(user);
        }
    }

    static boolean redisCanLogIn(String user, String password) {
        try (Jedis j = new Jedis("127.0.0.1", 6379, 5000)) {
            j.auth(user, password);
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
