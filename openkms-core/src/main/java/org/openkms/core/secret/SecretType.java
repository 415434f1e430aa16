package org.openkms.core.secret;

import java.util.Locale;
import java.util.Optional;

/**
 * SecretType values
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createsecret);
 * the names are the wire values. Generic secrets hold anything and rotate by hand; the managed types hold one database
 * or Redis account and rotate by changing its password.
 */
public enum SecretType {
    Generic,
    Rds,
    Redis,
    RAMCredentials,
    ECS,
    PolarDB;

    public boolean managed() {
        return this != Generic;
    }

    /** Case-insensitive: ListSecrets' filter documentation spells Rds as RDS. */
    public static Optional<SecretType> fromWire(String value) {
        for (SecretType t : values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
