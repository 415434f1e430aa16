package org.openkms.bench;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Request nonces in the SDKs' shape (32 lower-case hex characters), from a per-connection {@link SplittableRandom}
 * seeded once from {@link SecureRandom}. The server only needs them unique within its 15-minute window; they are not
 * secrets. The wire module's {@code Nonces.newNonce()} draws every nonce from the JDK's NativePRNG, which serialises all
 * threads on one lock and mixes in SHA1PRNG output: a cost that belongs to the client, not the server under test.
 * Not thread-safe: one per worker.
 */
final class NonceSource {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final SecureRandom SEEDS = new SecureRandom();

    private final SplittableRandom random;
    private final char[] chars = new char[32];

    NonceSource() {
        this(SEEDS.nextLong());
    }

    NonceSource(long seed) {
        random = new SplittableRandom(seed);
    }

    String next() {
        put(random.nextLong(), 0);
        put(random.nextLong(), 16);
        return new String(chars);
    }

    private void put(long v, int at) {
        for (int i = 15; i >= 0; i--) {
            chars[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }
}
