package org.openkms.crypto.rootkey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.openkms.crypto.CryptoException;

/**
 * A value stored in the database that tells whether a root key is the one the database was sealed under:
 * the root key sealing a fixed label. Only the holder of that root key can make or open it, it reveals
 * nothing about the key (AES-GCM output under a random IV), and it works through {@link RootKeyProvider}
 * alone, so a provider that cannot export its key (an HSM) can be checked the same way.
 *
 * <p>Without it a server that lost its root key file would make a new one and seal new rows under it,
 * leaving a database under two roots, with the old rows unreadable and no error until someone reads them.
 */
public final class RootKeyCheck {
    private static final byte[] LABEL = "OpenKMS root key check v1".getBytes(StandardCharsets.US_ASCII);
    /** Associated data of its own, so no other sealed row can pass for a check value or the other way round. */
    private static final byte[] CONTEXT = "openkms/root-key-check".getBytes(StandardCharsets.US_ASCII);

    private RootKeyCheck() {}

    /** A new check value for this root key (different every call; any of them {@link #matches}). */
    public static byte[] create(RootKeyProvider rootKey) {
        return rootKey.seal(LABEL.clone(), CONTEXT);
    }

    /** Whether {@code check} was made by {@link #create} under this root key. */
    public static boolean matches(RootKeyProvider rootKey, byte[] check) {
        try {
            return MessageDigest.isEqual(rootKey.unseal(check, CONTEXT), LABEL);
        } catch (CryptoException e) {
            return false;
        }
    }
}
