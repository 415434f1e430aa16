package org.openkms.core.audit;

/** Receives audit records. Implementations must not block the caller (the request path). */
public interface AuditSink extends AutoCloseable {
    void record(AuditRecord record);

    @Override
    default void close() {
    }
}
