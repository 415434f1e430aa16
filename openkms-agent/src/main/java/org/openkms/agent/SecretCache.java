package org.openkms.agent;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's cache, with the rules of AWS's agent (https://github.com/aws/aws-secretsmanager-agent, "Caching") and
 * Alibaba's defaults (TTL 300 s, 1,000 secrets):
 *
 * <ul>
 *   <li>keyed by (secret, versionId, versionStage); bounded, evicting the least recently <em>updated</em> entry (reads
 *       do not reorder, so a hot secret cannot pin stale neighbours);
 *   <li>within the TTL an entry is served as is; after it, DescribeSecret decides: if the secret's UpdateTime is the
 *       one seen when the value was fetched, only the TTL is renewed (one cheap call instead of a decrypting one);
 *       otherwise GetSecretValue runs again;
 *   <li>a transient failure during that refresh serves the expired value when {@code ignore_transient_errors} is on;
 *       a definite answer (the secret is gone) drops the entry;
 *   <li>{@code refreshNow} skips the cache and fails rather than serve a stale value.
 * </ul>
 *
 * Entries hold the rendered answer, so a hit costs a map look-up and no JSON work.
 */
final class SecretCache {
    private static final Logger LOG = LoggerFactory.getLogger(SecretCache.class);
    private static final String DEFAULT_STAGE = "ACSCurrent";

    /** How the answer was obtained; sent as {@code X-OpenKMS-Cache} so operators (and tests) can see it. */
    enum Source {
        HIT,
        MISS,
        RENEWED,
        REFRESHED,
        STALE,
        BYPASS
    }

    record Key(String secretId, String versionId, String versionStage) {}

    record Answer(byte[] body, Source source) {}

    private record Entry(SecretValue value, byte[] body, String updateTime, Instant describedAt, long refreshedNanos) {
        Entry renewed(long now) {
            return new Entry(value, body, updateTime, describedAt, now);
        }
    }

    private final SecretsUpstream upstream;
    private final ResponseFormat format;
    private final long ttlNanos;
    private final int capacity;
    private final boolean ignoreTransientErrors;
    private final Object[] stripes = new Object[64];
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, false);
    final AtomicLong describeCalls = new AtomicLong();
    final AtomicLong getCalls = new AtomicLong();

    SecretCache(SecretsUpstream upstream, AgentConfig c) {
        this.upstream = upstream;
        this.format = c.responseType();
        this.ttlNanos = c.ttl().toNanos();
        this.capacity = c.cacheSize();
        this.ignoreTransientErrors = c.ignoreTransientErrors();
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    Answer get(String secretId, String versionId, String versionStage, boolean refreshNow) throws UpstreamException {
        String stage = versionStage == null && versionId == null ? DEFAULT_STAGE : versionStage;
        Key key = new Key(secretId, versionId, stage);
        if (ttlNanos == 0) {
            return new Answer(fetch(key).body, Source.BYPASS);
        }
        Entry e = lookup(key);
        if (!refreshNow && e != null && System.nanoTime() - e.refreshedNanos < ttlNanos) {
            return new Answer(e.body, Source.HIT);
        }
        // One refresh per key at a time: concurrent readers of an expired secret wait for the first one's answer.
        synchronized (stripes[Math.floorMod(key.hashCode(), stripes.length)]) {
            e = lookup(key);
            long now = System.nanoTime();
            if (refreshNow) {
                Entry fresh = fetch(key);
                store(key, fresh);
                return new Answer(fresh.body, Source.BYPASS);
            }
            if (e != null && now - e.refreshedNanos < ttlNanos) {
                return new Answer(e.body, Source.HIT);
            }
            if (e == null) {
                Entry fresh = fetch(key);
                store(key, fresh);
                return new Answer(fresh.body, Source.MISS);
            }
            try {
                Instant describedAt = Instant.now();
                SecretsUpstream.Description d = describe(secretId);
                if (unchangedSince(e, d)) {
                    store(key, e.renewed(System.nanoTime()));
                    return new Answer(e.body, Source.RENEWED);
                }
                Entry fresh = fetch(key, d, describedAt);
                store(key, fresh);
                return new Answer(fresh.body, Source.REFRESHED);
            } catch (UpstreamException failure) {
                if (failure.isTransient() && ignoreTransientErrors) {
                    LOG.warn(
                            "serving the cached value of {} after a transient KMS error: {} {}",
                            secretId,
                            failure.code(),
                            failure.getMessage());
                    return new Answer(e.body, Source.STALE);
                }
                if (!failure.isTransient()) {
                    remove(key);
                }
                throw failure;
            }
        }
    }

    /**
     * UpdateTime has one-second resolution and comes from the server's clock: a change in the same second as the
     * DescribeSecret that preceded the fetch would keep the same text. The value counts as current only when the
     * UpdateTime seen now is the one seen then and lay at least two seconds before that DescribeSecret (one for the
     * resolution, one for clock skew); otherwise it is fetched again, which is always correct.
     */
    private static boolean unchangedSince(Entry e, SecretsUpstream.Description d) {
        if (e.updateTime == null || !e.updateTime.equals(d.updateTime())) { // UNKNOWN: never unchanged
            return false;
        }
        try {
            return Instant.parse(e.updateTime).plusSeconds(2).isBefore(e.describedAt);
        } catch (DateTimeParseException ex) {
            return false;
        }
    }

    private Entry fetch(Key key) throws UpstreamException {
        Instant describedAt = Instant.now();
        return fetch(key, describe(key.secretId()), describedAt);
    }

    /** DescribeSecret where the endpoint has it; an instance endpoint has not, and the value is then fetched again. */
    private SecretsUpstream.Description describe(String secretId) throws UpstreamException {
        if (!upstream.describes()) {
            return SecretsUpstream.Description.UNKNOWN;
        }
        describeCalls.incrementAndGet();
        return upstream.describe(secretId);
    }

    /** DescribeSecret precedes GetSecretValue, so a change between the two shows up as a newer UpdateTime later. */
    private Entry fetch(Key key, SecretsUpstream.Description d, Instant describedAt) throws UpstreamException {
        getCalls.incrementAndGet();
        SecretValue v = upstream.get(key.secretId(), key.versionId(), key.versionStage(), d.arn());
        byte[] body = format.render(v, UUID.randomUUID().toString(), ttlNanos / 1_000_000_000L);
        return new Entry(v, body, d.updateTime(), describedAt, System.nanoTime());
    }

    private Entry lookup(Key key) {
        synchronized (entries) {
            return entries.get(key);
        }
    }

    private void store(Key key, Entry e) {
        synchronized (entries) {
            // Remove first: a LinkedHashMap keeps a re-put key in its old place; the refreshed entry goes last.
            entries.remove(key);
            entries.put(key, e);
            while (entries.size() > capacity) {
                Map.Entry<Key, Entry> eldest = entries.entrySet().iterator().next();
                entries.remove(eldest.getKey());
            }
        }
    }

    private void remove(Key key) {
        synchronized (entries) {
            entries.remove(key);
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    boolean contains(String secretId) {
        synchronized (entries) {
            return entries.keySet().stream().anyMatch(k -> Objects.equals(k.secretId(), secretId));
        }
    }
}
