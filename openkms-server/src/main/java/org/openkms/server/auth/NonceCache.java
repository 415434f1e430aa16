package org.openkms.server.auth;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Remembers (AccessKeyId, nonce) pairs for as long as their request timestamp is inside the accepted window,
 * so that a captured request cannot be replayed. Nonces are kept in one set per minute of request time and a
 * whole minute is dropped once it falls out of the window; entries are 64-bit hashes to keep memory at about
 * 60 bytes per request remembered (a collision would reject one legitimate request, at odds of ~1e-12).
 */
final class NonceCache {
    private final long windowMillis;
    private final ConcurrentSkipListMap<Long, Set<Long>> byMinute = new ConcurrentSkipListMap<>();

    NonceCache(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** True the first time a nonce is seen for this AccessKey within the window. */
    boolean firstUse(String accessKeyId, String nonce, long requestTimeMillis, long nowMillis) {
        long minute = requestTimeMillis / 60_000L;
        Set<Long> bucket = byMinute.computeIfAbsent(minute, m -> ConcurrentHashMap.newKeySet());
        boolean first = bucket.add(hash64(accessKeyId, nonce));
        evictBefore((nowMillis - windowMillis) / 60_000L - 1);
        return first;
    }

    private void evictBefore(long minute) {
        Long oldest;
        while ((oldest = firstKey()) != null && oldest < minute) {
            byMinute.remove(oldest);
        }
    }

    private Long firstKey() {
        var e = byMinute.firstEntry();
        return e == null ? null : e.getKey();
    }

    /** FNV-1a over both strings with a separator: cheap and well spread for random hex nonces. */
    static long hash64(String a, String b) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, a);
        h = (h ^ 0x1F) * 0x100000001b3L;
        return mix(h, b);
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}
