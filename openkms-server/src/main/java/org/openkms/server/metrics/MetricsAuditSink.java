package org.openkms.server.metrics;

import org.openkms.core.audit.AuditRecord;
import org.openkms.core.audit.AuditSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditSink} that passes every record on and counts it in {@link RequestMetrics}: the metrics see
 * exactly the calls the audit log sees, and the gateway is not touched. A failure to count never fails the call.
 */
public final class MetricsAuditSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsAuditSink.class);
    private final AuditSink delegate;
    private final RequestMetrics metrics;

    public MetricsAuditSink(AuditSink delegate, RequestMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void record(AuditRecord record) {
        delegate.record(record);
        try {
            metrics.observe(record);
        } catch (RuntimeException e) {
            LOG.debug("request not counted in metrics", e);
        }
    }

    @Override
    public boolean available() {
        return delegate.available();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
