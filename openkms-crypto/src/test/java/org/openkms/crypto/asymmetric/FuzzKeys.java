package org.openkms.crypto.asymmetric;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import org.openkms.crypto.CryptoException;

/**
 * Fixed key pairs for the fuzz tests, one per type, read from src/test/resources (test-only keys, made once with
 * {@link AsymmetricKeyPair#generate} and stored in {@link AsymmetricKeyPair#encode} form). Fixed so that a finding
 * replays against the same key, and so that corpus entries made with them (valid signatures and ciphertexts) take the
 * targets past the cheap rejections.
 */
final class FuzzKeys {
    static final AsymmetricKeyType[] TYPES = {
        AsymmetricKeyType.RSA_2048, AsymmetricKeyType.EC_P256, AsymmetricKeyType.EC_P256K, AsymmetricKeyType.EC_SM2
    };
    private static final Map<AsymmetricKeyType, AsymmetricKeyPair> KEYS = new EnumMap<>(AsymmetricKeyType.class);

    static {
        for (AsymmetricKeyType t : TYPES) {
            try (InputStream in = FuzzKeys.class.getResourceAsStream("fuzz-keys/" + t.name() + ".key")) {
                KEYS.put(t, AsymmetricKeyPair.decode(t, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (CryptoException e) {
                throw new IllegalStateException("fuzz key " + t + " does not parse", e);
            }
        }
    }

    private FuzzKeys() {}

    static AsymmetricKeyPair get(AsymmetricKeyType type) {
        return KEYS.get(type);
    }
}
