package org.openkms.crypto;

import java.nio.ByteBuffer;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

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

    private SecureRandoms() {}

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
