package org.openkms.server.rotation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.openkms.core.secret.ManagedAccount;
import org.openkms.core.secret.rotation.RotationException;
import org.openkms.core.secret.rotation.SecretRotator;

/**
 * MySQL and MariaDB accounts ({@code mysql://host:port} or {@code mariadb://host:port}), via the MariaDB
 * driver, which speaks to both. An account changes its own password with {@code SET PASSWORD} (MariaDB's
 * ALTER USER needs the CREATE USER privilege even for oneself; MySQL 8 has no PASSWORD() function, hence the
 * two forms); an administrator changes another account's password on every host entry of that user name. Values are
 * bound as parameters (the driver escapes them), never concatenated into SQL.
 */
public final class MysqlRotator implements SecretRotator {
    @Override
    public Set<String> schemes() {
        return Set.of("mysql", "mariadb");
    }

    @Override
    public void changePassword(String endpoint, ManagedAccount login, String account, String newPassword)
            throws RotationException {
        Endpoint e = Endpoint.parse(endpoint, 3306);
        try (Connection c = connect(e, login)) {
            if (login.accountName().equals(account)) {
                boolean mariadb = c.getMetaData()
                        .getDatabaseProductVersion()
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains("mariadb");
                try (PreparedStatement s =
                        c.prepareStatement(mariadb ? "SET PASSWORD = PASSWORD(?)" : "SET PASSWORD = ?")) {
                    s.setString(1, newPassword);
                    s.executeUpdate();
                }
                return;
            }
            List<String> hosts = hostsOf(c, account);
            if (hosts.isEmpty()) {
                throw new RotationException("MySQL/MariaDB at " + e + " has no account named " + account);
            }
            for (String host : hosts) {
                try (PreparedStatement s = c.prepareStatement("ALTER USER ?@? IDENTIFIED BY ?")) {
                    s.setString(1, account);
                    s.setString(2, host);
                    s.setString(3, newPassword);
                    s.executeUpdate();
                }
            }
        } catch (SQLException ex) {
            throw new RotationException("MySQL/MariaDB at " + e + " refused to set the password of " + account + ": "
                    + firstLine(ex.getMessage()) + " (SQLState " + ex.getSQLState() + ")");
        }
    }

    @Override
    public boolean canLogIn(String endpoint, ManagedAccount credentials) {
        try (Connection c = connect(Endpoint.parse(endpoint, 3306), credentials)) {
            return c.isValid(5);
        } catch (SQLException | RotationException e) {
            return false;
        }
    }

    private static List<String> hostsOf(Connection c, String account) throws SQLException {
        List<String> hosts = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT Host FROM mysql.user WHERE User = ?")) {
            s.setString(1, account);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    hosts.add(rs.getString(1));
                }
            }
        }
        return hosts;
    }

    private static Connection connect(Endpoint e, ManagedAccount login) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", login.accountName());
        p.setProperty("password", login.accountPassword());
        p.setProperty("connectTimeout", "5000");
        p.setProperty("socketTimeout", "15000");
        return DriverManager.getConnection("jdbc:mariadb://" + e.host() + ":" + e.port() + "/", p);
    }

    /** The driver may append the query to its message; keep the first line only (a query could hold a password). */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int i = message.indexOf('\n');
        String first = i < 0 ? message : message.substring(0, i);
        int q = first.indexOf("Query is:");
        return q < 0 ? first : first.substring(0, q).trim();
    }
}
