package org.openkms.server.rotation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import org.openkms.core.secret.ManagedAccount;
import org.openkms.core.secret.rotation.RotationException;
import org.openkms.core.secret.rotation.SecretRotator;
import org.postgresql.PGConnection;

/**
 * PostgreSQL accounts ({@code postgresql://host:port[/database]}, database default {@code postgres}).
 * The password is set with the driver's {@code alterUserPassword}, which hashes it (SCRAM/MD5 as the server is
 * configured) on the client: the clear password never travels in an ALTER ROLE statement, so it cannot reach
 * the server's statement log.
 */
public final class PostgresRotator implements SecretRotator {
    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres");
    }

    @Override
    public void changePassword(String endpoint, ManagedAccount login, String account, String newPassword)
            throws RotationException {
        Endpoint e = Endpoint.parse(endpoint, 5432);
        try (Connection c = connect(e, login)) {
            c.unwrap(PGConnection.class).alterUserPassword(account, newPassword.toCharArray(), null);
        } catch (SQLException ex) {
            throw new RotationException("PostgreSQL at " + e + " refused to set the password of " + account + ": "
                    + ex.getMessage() + " (SQLState " + ex.getSQLState() + ")");
        }
    }

    @Override
    public boolean canLogIn(String endpoint, ManagedAccount credentials) {
        try (Connection c = connect(Endpoint.parse(endpoint, 5432), credentials)) {
            return c.isValid(5);
        } catch (SQLException | RotationException e) {
            return false;
        }
    }

    private static Connection connect(Endpoint e, ManagedAccount login) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", login.accountName());
        p.setProperty("password", login.accountPassword());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "15");
        p.setProperty("ApplicationName", "openkms-secret-rotation");
        String db = e.database().isEmpty() ? "postgres" : e.database();
        return DriverManager.getConnection("jdbc:postgresql://" + e.host() + ":" + e.port() + "/" + db, p);
    }
}
