package org.openkms.server.throttle;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.openkms.core.error.KmsException;

/**
 * Admits or refuses authenticated calls by the {@link ThrottleConfig}'s token buckets. The gateway asks once per
 * call, after authentication: a caller that cannot sign never reaches a bucket, so an unauthenticated flood cannot
 * use up a real user's allowance.
 *
 * <p>Thread-safety without a global lock: buckets are found in a {@link ConcurrentHashMap} per class and taken
 * from by compare-and-set ({@link TokenBucket}). Memory is bounded: a bucket that has been full for a while is
 * forgotten (it holds nothing a new bucket would not), at most every {@link #SWEEP_EVERY_NANOS}, or at once when a
 * class reaches {@code maxBuckets}; a credential that still finds no room shares its class's overflow bucket, so a
 * swarm of credentials is limited together rather than not at all.
 */
public final class Throttle {
    /** How often full buckets are looked for (on a request thread, one at a time). */
    static final long SWEEP_EVERY_NANOS = 10_000_000_000L;
    /** A bucket full for this long is forgotten. */
    static final long IDLE_NANOS = 1_000_000_000L;

    private static final Throttle OFF = new Throttle(ThrottleConfig.off(), System::nanoTime);

    private final ThrottleConfig config;
    private final LongSupplier nanoTime;
    private final int maxBuckets;
    private final OperationClass[] classes = OperationClass.values();
    /** Per class: the configured limit, or null. */
    private final ThrottleConfig.Limit[] credentialLimits;

    private final ConcurrentHashMap<String, TokenBucket>[] credentialBuckets;
    private final TokenBucket[] overflow;
    private final TokenBucket[] instanceBuckets;
    private final LongAdder[] throttledCredential;
    private final LongAdder[] throttledInstance;
    private final AtomicLong lastSweep;

    @SuppressWarnings("unchecked")
    public Throttle(ThrottleConfig config, LongSupplier nanoTime) {
        this.config = config;
        this.nanoTime = nanoTime;
        this.maxBuckets = config.maxBuckets();
        int n = classes.length;
        long now = nanoTime.getAsLong();
        credentialLimits = new ThrottleConfig.Limit[n];
        credentialBuckets = new ConcurrentHashMap[n];
        overflow = new TokenBucket[n];
        instanceBuckets = new TokenBucket[n];
        throttledCredential = new LongAdder[n];
        throttledInstance = new LongAdder[n];
        for (OperationClass c : classes) {
            int i = c.ordinal();
            ThrottleConfig.Limit l = config.perCredential().get(c);
            credentialLimits[i] = l;
            if (l != null) {
                credentialBuckets[i] = new ConcurrentHashMap<>();
                overflow[i] = new TokenBucket(l.rate(), l.burst(), now);
            }
            ThrottleConfig.Limit li = config.perInstance().get(c);
            if (li != null) {
                instanceBuckets[i] = new TokenBucket(li.rate(), li.burst(), now);
            }
            throttledCredential[i] = new LongAdder();
            throttledInstance[i] = new LongAdder();
        }
        lastSweep = new AtomicLong(now);
    }

    /** No limits at all. */
    public static Throttle off() {
        return OFF;
    }

    public ThrottleConfig config() {
        return config;
    }

    /**
     * Takes a token for {@code action} from the credential's and the instance's buckets of its class.
     *
     * @throws KmsException {@code Rejected.Throttling} (429), Alibaba's answer when a QPS limit is exceeded
     *     (https://www.alibabacloud.com/help/en/kms/key-management-service/support/limits)
     */
    public void admit(String credentialId, String action) {
        if (!config.enabled()) {
            return;
        }
        int i = OperationClass.of(action).ordinal();
        long now = nanoTime.getAsLong();
        ThrottleConfig.Limit l = credentialLimits[i];
        if (l != null && credentialId != null) {
            if (!bucket(i, credentialId, l, now).tryAcquire(now)) {
                throttledCredential[i].increment();
                throw rejected();
            }
        }
        TokenBucket shared = instanceBuckets[i];
        if (shared != null && !shared.tryAcquire(now)) {
            throttledInstance[i].increment();
            throw rejected();
        }
        long last = lastSweep.get();
        if (now - last > SWEEP_EVERY_NANOS && lastSweep.compareAndSet(last, now)) {
            sweep(now);
        }
    }

    private TokenBucket bucket(int i, String credentialId, ThrottleConfig.Limit l, long now) {
        ConcurrentHashMap<String, TokenBucket> map = credentialBuckets[i];
        TokenBucket b = map.get(credentialId);
        if (b != null) {
            return b;
        }
        if (map.size() >= maxBuckets) {
            sweep(map, now);
            if (map.size() >= maxBuckets) {
                return overflow[i];
            }
        }
        return map.computeIfAbsent(credentialId, k -> new TokenBucket(l.rate(), l.burst(), now));
    }

    /** Forgets buckets full for at least IDLE_NANOS. */
    void sweep(long now) {
        for (ConcurrentHashMap<String, TokenBucket> map : credentialBuckets) {
            if (map != null) {
                sweep(map, now);
            }
        }
    }

    private static void sweep(ConcurrentHashMap<String, TokenBucket> map, long now) {
        map.values().removeIf(b -> now - b.fullAt() >= IDLE_NANOS);
    }

    /** Per-credential buckets held now (all classes). */
    public int buckets() {
        int n = 0;
        for (ConcurrentHashMap<String, TokenBucket> map : credentialBuckets) {
            n += map == null ? 0 : map.size();
        }
        return n;
    }

    /** Calls refused by a credential's bucket of this class. */
    public long throttledByCredential(OperationClass c) {
        return throttledCredential[c.ordinal()].sum();
    }

    /** Calls refused by the instance's bucket of this class. */
    public long throttledByInstance(OperationClass c) {
        return throttledInstance[c.ordinal()].sum();
    }

    private static KmsException rejected() {
        return new KmsException(429, "Rejected.Throttling", "QPS Limit Exceeded");
    }
}
