package org.openkms.core.key;

import java.util.Optional;

/**
 * KeyUsage wire values. GENERATE/VERIFY_MAC (HMAC keys) follows the API's slash style; the SDK does not
 * document the HMAC usage string (nor does the API reference), so AWS's spelling is accepted as an alias.
 */
public enum KeyUsage {
    ENCRYPT_DECRYPT("ENCRYPT/DECRYPT"),
    SIGN_VERIFY("SIGN/VERIFY"),
    GENERATE_VERIFY_MAC("GENERATE/VERIFY_MAC");

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
        return "GENERATE_VERIFY_MAC".equals(value) ? Optional.of(GENERATE_VERIFY_MAC) : Optional.empty();
    }
}
