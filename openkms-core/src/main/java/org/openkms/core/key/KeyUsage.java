package org.openkms.core.key;

import java.util.Optional;

public enum KeyUsage {
    ENCRYPT_DECRYPT("ENCRYPT/DECRYPT"),
    SIGN_VERIFY("SIGN/VERIFY");

    private final String wire;

    KeyUsage(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<KeyUsage> fromWire(String value) {
        for (KeyUsage u : values()) {
            if (u.wire.equals(value)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
