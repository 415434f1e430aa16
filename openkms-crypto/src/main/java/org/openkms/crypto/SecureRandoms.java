package org.openkms.crypto;

import java.nio.ByteBuffer;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One independent CSPRNG per thread. {@code new SecureRandom()} is not enough for that on Linux: its default,
 * NativePRNG, is a facade over one process-wide state (a shared {@code /dev/urandom} reader mixed with one shared
 * SHA1PRNG, both behind monitors), so per-thread instances still queue on the same lock; a JFR profile of Encrypt
 * showed that monitor as the main contention. Each thread here gets its own NIST SP 800-90A Hash_DRBG (SHA-256,
 * 256-bit strength), instantiated from the JDK's system-seeded entropy source, and thereafter locks only itself.
 *
 * <p>Nonce uniqueness: AES-GCM IVs are 96 random bits from these generators. Independent, properly seeded CSPRNG
 * instances give the same collision bound as one shared generator (birthday bound over all IVs under a key); the
 * personalisation string (thread id, instant) additionally keeps two instances apart even if seeded alike.
 */
public final class SecureRandoms {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandoms::newGenerator);

    /** Per-thread DRBG output waiting to become nonces: one generator call serves many IVs. */
    private static final ThreadLocal<NonceBuffer> NONCES = ThreadLocal.withInitial(NonceBuffer::new);

    private SecureRandoms() {}

    /**
     * {@code n} random bytes for a public value (an AES-GCM IV), from a per-thread buffer refilled by that thread's
     * DRBG 1 KiB at a time. Each Hash_DRBG call costs two SHA-256 computations besides its output, more than the 12
     * bytes of an IV, and was 3 % of the request thread's samples under Encrypt load. Only for values that are not
     * secret: the buffer holds output before it is handed out, so key material always comes from {@link #bytes}.
     */
    public static byte[] nonce(int n) {
        return n > NonceBuffer.SIZE / 8 ? bytes(n) : NONCES.get().take(n);
    }

    private static final class NonceBuffer {
        static final int SIZE = 1024;
        private final byte[] buffer = new byte[SIZE];
        private int next = SIZE;

        byte[] take(int n) {
            if (next + n > SIZE) {
                RANDOM.get().nextBytes(buffer);
                next = 0;
            }
            byte[] out = Arrays.copyOfRange(buffer, next, next + n);
            next += n;
            return out;
        }
    }

    public static byte[] bytes(int n) {
        byte[] out = new byte[n];
        RANDOM.get().nextBytes(out);
        return out;
    }

    public static SecureRandom current() {
        return RANDOM.get();
    }

    static SecureRandom newGenerator() {
        byte[] personalization = ByteBuffer.allocate(24)
                .putLong(Thread.currentThread().getId())
                .putLong(System.nanoTime())
                .putLong(System.currentTimeMillis())
                .array();
        try {
            return SecureRandom.getInstance(
                    "DRBG", DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, personalization));
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // every JDK since 9 has DRBG; correct, if slower, elsewhere
        }
    }
}
