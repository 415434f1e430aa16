package org.openkms.server.auth;

import java.security.SecureRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remembers (AccessKeyId, nonce) pairs so that a captured request cannot be replayed and a nonce is never accepted
 * twice, whatever timestamp comes with it, while the first request's timestamp is inside the accepted window.
 *
 * <p>Memory is compact and bounded: each entry is a 64-bit keyed hash and the minute of its request timestamp in
 * open-addressing arrays (about 20 bytes per remembered request, against ~70 for a boxed set), split over stripes
 * so that concurrent requests rarely share a lock. At most {@code maxEntries} are kept; when the cache is full the
 * request is refused ({@link Outcome#FULL}) rather than accepted unchecked: replay protection never silently turns
 * off. Entries whose timestamp left the window are reclaimed as their stripe is next touched.
 */
final class NonceCache {
    enum Outcome {
        FIRST_USE,
        REUSED,
        FULL
    }

    private static final int STRIPES = 64;
    private static final int INITIAL_CAPACITY = 1024;
    private static final float LOAD = 0.6f;
    private final long windowMillis;
    private final long maxEntries;
    private final long seed = new SecureRandom().nextLong();
    private final Stripe[] stripes = new Stripe[STRIPES];
    /**
     * Entries in all stripes. A LongAdder rather than an AtomicLong: every accepted request adds one, and one shared
     * counter bounced its cache line between the cores on every request (it was the costliest line of the cache).
     */
    private final LongAdder size = new LongAdder();

    NonceCache(long windowMillis, long maxEntries) {
        this.windowMillis = windowMillis;
        this.maxEntries = maxEntries;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** The default bound: a sixteenth of the heap at ~20 bytes an entry (about 20 M entries on a 6 GiB heap). */
    static long defaultMaxEntries() {
        return Math.max(100_000, Runtime.getRuntime().maxMemory() / 16 / 20);
    }

    /** Records the nonce; {@link Outcome#REUSED} if it was seen for this AccessKey with a timestamp still in the window. */
    Outcome firstUse(String accessKeyId, String nonce, long requestTimeMillis, long nowMillis) {
        long h = hash(accessKeyId, nonce);
        int minute = (int) (requestTimeMillis / 60_000L);
        // An entry can be forgotten once no request carrying its timestamp can be accepted any more.
        int oldestLive = (int) ((nowMillis - windowMillis) / 60_000L) - 1;
        Stripe s = stripes[(int) (h >>> 58)];
        synchronized (s) {
            return s.add(h, minute, oldestLive);
        }
    }

    long size() {
        return size.sum();
    }

    private long hash(String a, String b) {
        long h = seed ^ 0xcbf29ce484222325L;
        h = mix(h, a);
        h = (h ^ 0x1F) * 0x100000001b3L;
        h = mix(h, b);
        // fmix64 (MurmurHash3's finaliser): spreads the FNV state over every bit used for stripe and slot.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    /** One open-addressing table (linear probing); guarded by its own monitor. */
    private final class Stripe {
        long[] keys = new long[INITIAL_CAPACITY];
        int[] minutes = new int[INITIAL_CAPACITY];
        int count;
        int sweptAt = Integer.MIN_VALUE;

        Outcome add(long h, int minute, int oldestLive) {
            if (oldestLive > sweptAt) {
                sweep(oldestLive);
            }
            int mask = keys.length - 1;
            int i = (int) h & mask;
            while (keys[i] != 0) {
                if (keys[i] == h) {
                    if (minutes[i] >= oldestLive) {
                        return Outcome.REUSED;
                    }
                    minutes[i] = minute; // a leftover from outside the window: the nonce is fresh again
                    return Outcome.FIRST_USE;
                }
                i = (i + 1) & mask;
            }
            if (size.sum() >= maxEntries) {
                return Outcome.FULL;
            }
            keys[i] = h;
            minutes[i] = minute;
            count++;
            size.increment();
            if (count > keys.length * LOAD) {
                rehash(keys.length * 2, oldestLive);
            }
            return Outcome.FIRST_USE;
        }

        /** Drops entries older than the window; at most once per minute per stripe. */
        private void sweep(int oldestLive) {
            sweptAt = oldestLive;
            rehash(keys.length, oldestLive);
            // Shrink a table that emptied after a burst so memory follows the load back down.
            while (keys.length > INITIAL_CAPACITY && count < keys.length * LOAD / 4) {
                rehash(keys.length / 2, oldestLive);
            }
        }

        private void rehash(int capacity, int oldestLive) {
            long[] oldKeys = keys;
            int[] oldMinutes = minutes;
            keys = new long[capacity];
            minutes = new int[capacity];
            int mask = capacity - 1;
            int kept = 0;
            for (int j = 0; j < oldKeys.length; j++) {
                long k = oldKeys[j];
                if (k == 0 || oldMinutes[j] < oldestLive) {
                    continue;
                }
                int i = (int) k & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                minutes[i] = oldMinutes[j];
                kept++;
            }
            size.add(kept - count);
            count = kept;
        }
    }
}
