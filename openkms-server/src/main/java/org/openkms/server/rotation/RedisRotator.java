package org.openkms.server.rotation;

import java.util.Set;
import org.openkms.core.secret.ManagedAccount;
import org.openkms.core.secret.rotation.RotationException;
import org.openkms.core.secret.rotation.SecretRotator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Redis 6+ ACL users ({@code redis://host:port}). {@code ACL SETUSER <user> resetpass >password} replaces all of
 * the user's passwords; connections already authenticated stay open, new ones need the new password. Changing
 * a user's password needs the ACL permission, so Redis secrets usually rotate with MasterSecretName's account
 * (a master secret with an empty password means the unauthenticated default user, e.g. a loopback server);
 * without one, the account itself must hold that permission. A missing user is an error,
 * never silently created (ACL SETUSER would create it disabled).
 */
public final class RedisRotator implements SecretRotator {
    private static final int TIMEOUT_MS = 5000;

    @Override
    public Set<String> schemes() {
        return Set.of("redis");
    }

    @Override
    public void changePassword(String endpoint, ManagedAccount login, String account, String newPassword)
            throws RotationException {
        Endpoint e = Endpoint.parse(endpoint, 6379);
        try (Jedis jedis = new Jedis(e.host(), e.port(), TIMEOUT_MS)) {
            authenticate(jedis, login);
            if (jedis.aclGetUser(account) == null) {
                throw new RotationException("Redis at " + e + " has no ACL user named " + account);
            }
            jedis.aclSetUser(account, "resetpass", ">" + newPassword);
        } catch (JedisException ex) {
            throw new RotationException(
                    "Redis at " + e + " refused to set the password of " + account + ": " + ex.getMessage());
        }
    }

    @Override
    public boolean canLogIn(String endpoint, ManagedAccount credentials) {
        try (Jedis jedis = new Jedis(
                Endpoint.parse(endpoint, 6379).host(),
                Endpoint.parse(endpoint, 6379).port(),
                TIMEOUT_MS)) {
            jedis.auth(credentials.accountName(), credentials.accountPassword());
            return "PONG".equals(jedis.ping());
        } catch (JedisException | RotationException e) {
            return false;
        }
    }

    private static void authenticate(Jedis jedis, ManagedAccount login) {
        if (login != null && !login.accountPassword().isEmpty()) {
            jedis.auth(login.accountName(), login.accountPassword());
        }
    }
}
