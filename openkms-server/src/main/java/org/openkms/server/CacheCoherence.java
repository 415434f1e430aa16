package org.openkms.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.openkms.core.store.ChangeListener;
import org.openkms.core.store.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps several nodes that share one PostgreSQL database coherent. Every node serves from memory (keys,
 * aliases, secrets, credentials, policies), so a write on one node must reach the others' caches. The database
 * counts committed writes (Storage#changeGeneration, bumped by triggers) and announces each bump with NOTIFY.
 * Two paths drop every cache when the count moves:
 * <ul>
 *   <li>push: as a {@link ChangeListener} of the storage's change feed (LISTEN), within milliseconds of the
 *       commit;</li>
 *   <li>poll ({@link #run}, every cacheSyncInterval, 1 s by default): reads the one counter row. It is the
 *       fallback that bounds staleness while the feed is down (notifications sent while a node is not listening
 *       are lost) or switched off (a pooler in transaction mode cannot LISTEN), and it costs one single-row read
 *       per interval, so it stays on at the same rate whatever the feed does.</li>
 * </ul>
 * Both record the highest count seen, so a write already announced is not dropped again by the next poll. The
 * hot path is untouched. Writes made on this node also invalidate locally at once.
 */
final class CacheCoherence implements Runnable, ChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(CacheCoherence.class);
    private final Storage storage;
    private final List<Runnable> invalidations;
    private final AtomicLong seen;

    CacheCoherence(Storage storage, List<Runnable> invalidations) {
        this.storage = storage;
        this.invalidations = invalidations;
        this.seen = new AtomicLong(storage.changeGeneration());
    }

    /** The poll. */
    @Override
    public void run() {
        try {
            long now = storage.changeGeneration();
            // "!=" rather than ">": a counter that went back (database restored from a backup) is a change too.
            if (seen.getAndSet(now) != now) {
                invalidateAll();
            }
        } catch (RuntimeException e) {
            LOG.warn("cache coherence poll failed; will retry", e);
        }
    }

    /** Pushed by the change feed: some node committed writes up to {@code generation}. */
    @Override
    public void changed(long generation) {
        if (seen.getAndAccumulate(generation, Math::max) < generation) {
            invalidateAll();
        }
    }

    /** The feed (re)connected: whatever was written while it was not listening has not been announced. */
    @Override
    public void resync() {
        invalidateAll();
    }

    /** Runs every invalidation even if one fails (a reload that could not read the database). */
    private void invalidateAll() {
        RuntimeException failure = null;
        for (Runnable invalidation : invalidations) {
            try {
                invalidation.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            // Forget the count, so that the next poll sees a change and tries again.
            seen.set(Long.MIN_VALUE);
            throw failure;
        }
    }
}
