package org.openkms.server.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openkms.core.audit.AuditRecord;
import org.openkms.core.audit.AuditSink;
import org.openkms.wire.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit records as JSON lines to {@code <data-dir>/audit/audit.log}. Request threads only enqueue;
 * one background thread writes in batches and flushes when the queue runs dry, so audit I/O never sits on
 * the request path. If the queue is ever full (disk stalled), records are counted as dropped and the count
 * is logged, rather than blocking requests.
 */
public final class JsonLinesAuditLog implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditLog.class);
    private static final AuditRecord STOP = new AuditRecord(0, "", "", "", "", "", "", 0, "", 0);
    private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(262_144);
    private final AtomicLong dropped = new AtomicLong();
    private final OutputStream out;
    private final JsonFactory json = new JsonFactory();
    private final Thread writer;

    public JsonLinesAuditLog(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        this.writer = new Thread(this::drain, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void record(AuditRecord record) {
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    public long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<AuditRecord> batch = new ArrayList<>(1024);
        long reportedDrops = 0;
        try {
            while (true) {
                AuditRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4096);
                boolean stop = false;
                for (AuditRecord r : batch) {
                    if (r == STOP) {
                        stop = true;
                    } else {
                        write(r);
                    }
                }
                batch.clear();
                if (queue.isEmpty()) {
                    out.flush();
                }
                long drops = dropped.get();
                if (drops != reportedDrops) {
                    LOG.warn("audit queue overflowed: {} records dropped so far", drops);
                    reportedDrops = drops;
                }
                if (stop) {
                    out.flush();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.error("audit log write failed; audit records are being lost", e);
        }
    }

    private void write(AuditRecord r) throws IOException {
        try (JsonGenerator g = json.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeStringField("time", Timestamps.format(r.timeMillis()));
            g.writeStringField("requestId", r.requestId());
            g.writeStringField("accessKeyId", r.accessKeyId());
            g.writeStringField("principal", r.principal());
            g.writeStringField("action", r.action());
            g.writeStringField("resource", r.resource());
            g.writeStringField("sourceIp", r.sourceIp());
            g.writeNumberField("httpStatus", r.httpStatus());
            g.writeStringField("result", r.resultCode());
            g.writeNumberField("latencyMicros", r.latencyMicros());
            if (r.decision() != null && !r.decision().isEmpty()) {
                g.writeStringField("decision", r.decision());
            }
            if (r.detail() != null && !r.detail().isEmpty()) {
                g.writeStringField("detail", r.detail());
            }
            g.writeEndObject();
        }
        out.write('\n');
    }

    @Override
    public void close() {
        try {
            queue.put(STOP);
            writer.join(5000);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing audit log failed", e);
        }
    }
}
