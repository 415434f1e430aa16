package org.openkms.server.rotation;

import java.util.Set;
import org.openkms.core.secret.ManagedAccount;
import org.openkms.core.secret.rotation.RotationException;
import org.openkms.core.secret.rotation.SecretRotator;

/**
 * A rotator for every scheme the server knows that parses the endpoint like the real ones but never connects: the
 * fuzz tests drive RotateSecret with endpoints the fuzzer wrote, which must not become network traffic.
 */
public final class OfflineRotator implements SecretRotator {

    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres", "mysql", "mariadb", "redis");
    }

    @Override
    public void changePassword(String endpoint, ManagedAccount login, String account, String newPassword)
            throws RotationException {
        Endpoint.parse(endpoint, 5432);
    }

    @Override
    public boolean canLogIn(String endpoint, ManagedAccount credentials) {
        try {
            Endpoint.parse(endpoint, 5432);
            return true;
        } catch (RotationException e) {
            return false;
        }
    }
}
