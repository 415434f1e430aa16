package org.openkms.core.key;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Striped locks by key ID: writers of one key run one at a time, writers of different keys in parallel. Only
 * the (rare) write path takes them; crypto calls never do.
 */
public final class KeyLocks {
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    public KeyLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public <T> T withLock(String keyId, Supplier<T> work) {
        ReentrantLock lock = stripes[(keyId.hashCode() & 0x7fffffff) % stripes.length];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
