package org.openkms.wire;

import java.security.SecureRandom;

/** Request nonces ({@code SignatureNonce}, {@code x-acs-signature-nonce}). */
public final class Nonces {

    // SecureRandom is thread-safe; a per-thread instance only avoids contention when the bench tool signs from many
    // threads at once.
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private Nonces() {}

    /** 32 lower-case hex characters (128 random bits), the shape the official SDKs send. */
    public static String newNonce() {
        byte[] b = new byte[16];
        RANDOM.get().nextBytes(b);
        return Signatures.hex(b);
    }
}
