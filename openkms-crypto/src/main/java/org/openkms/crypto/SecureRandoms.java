package org.openkms.crypto;

import java.security.SecureRandom;

/**
 * One SecureRandom per thread: the JDK's default instance serialises callers on a lock, which shows up as
 * contention at tens of thousands of IVs per second.
 */
public final class SecureRandoms {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private SecureRandoms() {
    }

    public static byte[] bytes(int n) {
        byte[] out = new byte[n];
        RANDOM.get().nextBytes(out);
        return out;
    }

    public static SecureRandom current() {
        return RANDOM.get();
    }
}
