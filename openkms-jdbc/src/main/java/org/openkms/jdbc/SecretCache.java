package org.openkms.jdbc;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Secret values by name, refreshed by the rules of Alibaba's secrets-manager JDBC client
 * (https://github.com/aliyun/aliyun-secretsmanager-jdbc, {@code SecretsManagerDriverRefreshStrategy}): a secret with
 * a NextRotationDate in the future is re-read five minutes after it (the rotation has happened by then); otherwise
 * after its RotationInterval, or after {@code refresh_secret_ttl} (default 6 h) when it has none. A refused login
 * refreshes at once ({@link #refreshNow}). When KMS cannot be reached the last value is kept; a stale password that
 * the database refuses costs one refresh, not an outage.
 */
final class SecretCache {
    static final long AFTER_ROTATION_MILLIS = 5 * 60_000L;
    /** How soon to ask again after a failed refresh of a value that is still in use. */
    static final long RETRY_AFTER_FAILURE_MILLIS = 60_000L;

    static final class Entry {
        final SecretFetcher.Value value;
        final long refreshAt;

        Entry(SecretFetcher.Value value, long refreshAt) {
            this.value = value;
            this.refreshAt = refreshAt;
        }
    }

    private final SecretFetcher fetcher;
    private final long defaultTtlMillis;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    SecretCache(SecretFetcher fetcher, long defaultTtlMillis) {
        this.fetcher = fetcher;
        this.defaultTtlMillis = defaultTtlMillis;
    }

    /** The cached value, fetched first when absent or due. */
    Entry get(String name) throws SecretFetcher.FetchException {
        Entry e = entries.get(name);
        if (e != null && System.currentTimeMillis() < e.refreshAt) {
            return e;
        }
        synchronized (lock(name)) {
            Entry again = entries.get(name);
            if (again != null && System.currentTimeMillis() < again.refreshAt) {
                return again;
            }
            try {
                return fetch(name);
            } catch (SecretFetcher.FetchException f) {
                if (again == null || f.notFound()) {
                    throw f;
                }
                Entry stale = new Entry(again.value, System.currentTimeMillis() + RETRY_AFTER_FAILURE_MILLIS);
                entries.put(name, stale);
                return stale;
            }
        }
    }

    /**
     * Re-reads the secret because {@code seen} was refused. When another thread has already replaced {@code seen},
     * its newer value is returned without another call (a pool opening many connections at once after a rotation
     * makes one GetSecretValue, not one per connection).
     */
    Entry refreshNow(String name, Entry seen) throws SecretFetcher.FetchException {
        synchronized (lock(name)) {
            Entry current = entries.get(name);
            if (current != null && current != seen) {
                return current;
            }
            return fetch(name);
        }
    }

    private Entry fetch(String name) throws SecretFetcher.FetchException {
        SecretFetcher.Value v = fetcher.fetch(name);
        Entry e = new Entry(v, nextRefresh(v, System.currentTimeMillis(), defaultTtlMillis));
        entries.put(name, e);
        return e;
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, k -> new Object());
    }

    /** When a value fetched at {@code now} is to be re-read (Alibaba's rotation-aware rule, see the class comment). */
    static long nextRefresh(SecretFetcher.Value v, long now, long defaultTtlMillis) {
        long ttl = defaultTtlMillis;
        Long interval = seconds(v.rotationInterval);
        if (interval != null && interval > 0) {
            ttl = interval * 1000L;
        }
        if (v.nextRotationDate != null && !v.nextRotationDate.isEmpty()) {
            try {
                long next = Instant.parse(v.nextRotationDate).toEpochMilli();
                if (next > now) {
                    return next + AFTER_ROTATION_MILLIS;
                }
            } catch (DateTimeParseException e) {
                // not a date: fall back to the interval
            }
        }
        return now + ttl;
    }

    /** {@code "604800s"} (how KMS writes RotationInterval) as seconds, or null. */
    static Long seconds(String interval) {
        if (interval == null) {
            return null;
        }
        String s = interval.trim();
        if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
