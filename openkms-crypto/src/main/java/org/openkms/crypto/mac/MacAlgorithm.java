package org.openkms.crypto.mac;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Optional;
import javax.crypto.Mac;
import org.openkms.crypto.Providers;

/**
 * GenerateMac/VerifyMac algorithms (RFC 2104 HMAC). SHA-2 from the JDK; SM3 from BouncyCastle (the JDK has
 * no SM3). Key length = the hash's output length, the usual choice for HMAC keys.
 */
public enum MacAlgorithm {
    HMAC_SHA_224("HmacSHA224", null, 28),
    HMAC_SHA_256("HmacSHA256", null, 32),
    HMAC_SHA_384("HmacSHA384", null, 48),
    HMAC_SHA_512("HmacSHA512", null, 64),
    HMAC_SM3("HMACSM3", Providers.bouncyCastle(), 32);

    private final String jcaName;
    private final Provider provider;
    private final int keyLength;
    private final ThreadLocal<Mac> mac;

    MacAlgorithm(String jcaName, Provider provider, int keyLength) {
        this.jcaName = jcaName;
        this.provider = provider;
        this.keyLength = keyLength;
        this.mac = ThreadLocal.withInitial(this::newMac);
    }

    public static Optional<MacAlgorithm> fromWire(String name) {
        for (MacAlgorithm a : values()) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public int keyLength() {
        return keyLength;
    }

    String jcaName() {
        return jcaName;
    }

    Mac threadMac() {
        return mac.get();
    }

    private Mac newMac() {
        try {
            return provider == null ? Mac.getInstance(jcaName) : Mac.getInstance(jcaName, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " is not available", e);
        }
    }
}
