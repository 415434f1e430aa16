package org.openkms.server.rotation;

import org.openkms.core.secret.SecretRotation;

/** The rotators this server ships: PostgreSQL, MySQL/MariaDB and Redis. */
public final class Rotators {
    private Rotators() {}

    public static void registerAll(SecretRotation rotation) {
        rotation.register(new PostgresRotator());
        rotation.register(new MysqlRotator());
        rotation.register(new RedisRotator());
    }
}
