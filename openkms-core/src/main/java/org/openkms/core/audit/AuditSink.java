package org.openkms.core.audit;

/** Receives audit records. Implementations must not block the caller (the request path). */
public interface AuditSink extends AutoCloseable {
    void record(AuditRecord record);

    /**
     * Whether a call may be executed now. False only for a sink that is configured to fail closed and cannot
     * currently promise to write the call's record (its storage fails, or its queue is nearly full); the gateway
     * then refuses the call before executing it. Must be cheap: it is asked once per call.
     */
    default boolean available() {
        return true;
    }

    @Override
    default void close() {}
}
