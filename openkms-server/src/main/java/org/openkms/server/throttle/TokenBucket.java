package org.openkms.server.throttle;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket of {@code burst} tokens refilled at {@code rate} per second, kept as one number: the time at which
 * the bucket would be full again (the "theoretical arrival time" of the generic cell rate algorithm, which is the
 * same limiter as a token bucket, ITU-T I.371). A request is admitted when, after it, the bucket would not be
 * more than {@code burst} tokens in debt; admitting it is one compare-and-set, so the hot path takes no lock.
 *
 * <p>A bucket whose full time has passed holds nothing but a full bucket, which is also what a new bucket is: such
 * a bucket can be dropped and made again later without changing any decision ({@link #fullAt}).
 */
public final class TokenBucket {
    private final long intervalNanos;
    private final long toleranceNanos;
    /** When the bucket is full again (System.nanoTime scale); at or before now: full. */
    private final AtomicLong fullAt;

    /**
     * @param ratePerSecond tokens added per second (more than 0; fractions allowed: 0.5 is one every two seconds)
     * @param burst         tokens the bucket holds (at least 1): how many calls may come at once after a quiet spell
     * @param now           the current time, System.nanoTime scale
     */
    public TokenBucket(double ratePerSecond, long burst, long now) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be above 0 and burst at least 1");
        }
        this.intervalNanos = Math.max(1, (long) (1_000_000_000d / ratePerSecond));
        this.toleranceNanos = multiplySaturated(intervalNanos, burst);
        this.fullAt = new AtomicLong(now);
    }

    /** Takes a token if there is one. */
    public boolean tryAcquire(long now) {
        while (true) {
            long at = fullAt.get();
            long base = at - now > 0 ? at : now;
            long next = base + intervalNanos;
            if (next - now > toleranceNanos) {
                return false;
            }
            if (fullAt.compareAndSet(at, next)) {
                return true;
            }
        }
    }

    /** When the bucket is full again; a bucket full for a while may be forgotten. */
    public long fullAt() {
        return fullAt.get();
    }

    /** Nanoseconds until the next token, 0 if one is there now. */
    public long nanosUntilToken(long now) {
        long wait = fullAt.get() + intervalNanos - toleranceNanos - now;
        return Math.max(0, wait);
    }

    private static long multiplySaturated(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE / 4 : lo;
    }
}
