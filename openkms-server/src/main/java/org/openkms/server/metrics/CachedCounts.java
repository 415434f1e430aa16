package org.openkms.server.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts by state read from storage at most once per {@code ttl}, so that {@code GET /metrics}, which anyone can
 * call, never costs a storage query per scrape. A failed read keeps the last counts (and is retried after the next
 * {@code ttl}): a scrape must not fail because the database is briefly away.
 */
final class CachedCounts {
    private static final Logger LOG = LoggerFactory.getLogger(CachedCounts.class);
    private final String what;
    private final Supplier<Map<String, Long>> source;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private volatile Map<String, Long> counts = Map.of();
    private volatile long readAt;
    private volatile boolean read;

    CachedCounts(String what, Supplier<Map<String, Long>> source, Duration ttl, LongSupplier nanoTime) {
        this.what = what;
        this.source = source;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** How many are in {@code state}, as of at most {@code ttl} ago. */
    double count(String state) {
        refreshIfStale();
        return counts.getOrDefault(state, 0L);
    }

    private void refreshIfStale() {
        if (read && nanoTime.getAsLong() - readAt < ttlNanos) {
            return;
        }
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (read && now - readAt < ttlNanos) {
                return;
            }
            read = true;
            readAt = now; // also after a failure: a broken database is asked again only after ttl
            try {
                counts = Map.copyOf(source.get());
            } catch (RuntimeException e) {
                LOG.warn("metrics: cannot count {} ({}); keeping the last counts", what, e.toString());
            }
        }
    }
}
