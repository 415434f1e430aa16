package org.openkms.core.store;

/**
 * Told about writes other nodes commit to a shared {@link Storage} (see {@link Storage#changeFeed}). Called on the
 * feed's own thread, one call at a time; implementations should be quick (drop caches, not reload them).
 */
public interface ChangeListener {
    /**
     * One or more writes have committed; {@code generation} is the highest {@link Storage#changeGeneration()}
     * value they reached. Several writes that arrive together are reported once.
     */
    void changed(long generation);

    /**
     * The feed has (re)started listening. Writes committed while it was not listening (before the first
     * start, during a lost connection) were not reported, so everything cached may be stale.
     */
    void resync();
}
