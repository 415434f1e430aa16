package org.openkms.core.key;

import org.openkms.crypto.asymmetric.AsymmetricKeyPair;
import org.openkms.crypto.mac.MacKey;
import org.openkms.crypto.symmetric.SymmetricKey;

/**
 * One key version's material, unsealed and parsed once when the key is loaded, then reused by every call:
 * a symmetric key, a key pair, or an HMAC key. Exactly one is set, according to the key's spec.
 */
public final class VersionKey {
    private final SymmetricKey symmetric;
    private final AsymmetricKeyPair asymmetric;
    private final MacKey mac;

    private VersionKey(SymmetricKey symmetric, AsymmetricKeyPair asymmetric, MacKey mac) {
        this.symmetric = symmetric;
        this.asymmetric = asymmetric;
        this.mac = mac;
    }

    public static VersionKey of(SymmetricKey k) {
        return new VersionKey(k, null, null);
    }

    public static VersionKey of(AsymmetricKeyPair k) {
        return new VersionKey(null, k, null);
    }

    public static VersionKey of(MacKey k) {
        return new VersionKey(null, null, k);
    }

    public SymmetricKey symmetric() {
        return require(symmetric);
    }

    public AsymmetricKeyPair asymmetric() {
        return require(asymmetric);
    }

    public MacKey mac() {
        return require(mac);
    }

    private static <T> T require(T v) {
        if (v == null) {
            // Services check the key's spec before asking; reaching this is a programming error.
            throw new IllegalStateException("key version holds another kind of material");
        }
        return v;
    }
}
