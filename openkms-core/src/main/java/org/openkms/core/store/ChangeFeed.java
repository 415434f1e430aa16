package org.openkms.core.store;

/**
 * A running subscription to other nodes' writes (see {@link Storage#changeFeed}). It keeps trying to
 * reconnect while its connection is down, so callers need not restart it; they only need another way to
 * notice writes (polling {@link Storage#changeGeneration()}) while {@link #listening()} is false.
 */
public interface ChangeFeed extends AutoCloseable {
    /** Whether writes are being reported right now (false before the first connect and while reconnecting). */
    boolean listening();

    /** Stops the feed and releases its connection; no listener call starts after it returns. */
    @Override
    void close();
}
