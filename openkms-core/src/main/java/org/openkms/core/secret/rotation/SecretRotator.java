package org.openkms.core.secret.rotation;

import java.util.Set;
import org.openkms.core.secret.ManagedAccount;

/**
 * Changes the password of one account on one kind of server (PostgreSQL, MySQL/MariaDB, Redis). Strategy
 * (which account, with whose credentials, what to store) is decided by the caller; a rotator only talks to its
 * server. Implementations live outside the core because they need drivers.
 */
public interface SecretRotator {
    /** The endpoint URL schemes handled, e.g. {@code postgresql}. */
    Set<String> schemes();

    /**
     * Sets {@code account}'s password to {@code newPassword}, connected to {@code endpoint} as {@code login}
     * (the account itself for single-account rotation, an administrator otherwise).
     *
     * @throws RotationException with a reason that contains no password
     */
    void changePassword(String endpoint, ManagedAccount login, String account, String newPassword)
            throws RotationException;

    /** Whether {@code credentials} can log in now (used to finish a rotation interrupted by a crash). */
    boolean canLogIn(String endpoint, ManagedAccount credentials);
}
