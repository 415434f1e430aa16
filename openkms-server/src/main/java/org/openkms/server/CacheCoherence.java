package org.openkms.server;

import java.util.List;
import org.openkms.core.store.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps several nodes that share one PostgreSQL database coherent. Every node serves from memory (keys,
 * aliases, secrets, credentials, policies), so a write on one node must reach the others' caches: the
 * database counts committed writes (Storage#changeGeneration, bumped by triggers), and this job polls that one
 * row and drops every cache when it moved. The hot path is untouched; a change made on another node is seen
 * within one poll interval (default 1 s). Writes made on this node also invalidate locally at once.
 */
final class CacheCoherence implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CacheCoherence.class);
    private final Storage storage;
    private final List<Runnable> invalidations;
    private long seen;

    CacheCoherence(Storage storage, List<Runnable> invalidations) {
        this.storage = storage;
        this.invalidations = invalidations;
        this.seen = storage.changeGeneration();
    }

    @Override
    public void run() {
        try {
            long now = storage.changeGeneration();
            if (now != seen) {
                seen = now;
                invalidations.forEach(Runnable::run);
            }
        } catch (RuntimeException e) {
            LOG.warn("cache coherence poll failed; will retry", e);
        }
    }
}
