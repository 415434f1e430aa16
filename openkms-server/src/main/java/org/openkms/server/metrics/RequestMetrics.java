package org.openkms.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openkms.core.audit.AuditRecord;

/**
 * Request counters and latency histograms, derived from the {@link AuditRecord} of each call: the record already
 * says which action ran, how it ended and how long it took, so the gateway pipeline needs no second hook.
 *
 * <ul>
 *   <li>{@code openkms_requests_total{gateway,action,code,status}}: one per API call;</li>
 *   <li>{@code openkms_request_duration_seconds{gateway,action}}: a histogram with fixed buckets (below);</li>
 *   <li>{@code openkms_scheduled_rotations_total{result}}: secret rotations run by the maintenance job, which
 *       are audited but are not requests.</li>
 * </ul>
 *
 * Meters are looked up in a map of their own rather than through the registry's builder on every call: the builder
 * makes a new meter ID each time, which costs more than the update.
 */
public final class RequestMetrics {
    /** The gateway label of the shared (OpenAPI) endpoint. */
    public static final String SHARED = "shared";
    /** The gateway label of the instance listener (KMS Instance API, and the OpenAPI calls made there). */
    public static final String INSTANCE = "instance";

    /**
     * Fixed histogram buckets from 100 µs to 10 s: Encrypt takes tens of microseconds to a millisecond, an RSA key
     * generation or a rotation that calls a database seconds. Fixed buckets (not Micrometer's percentile histogram,
     * ~70 buckets) keep each action's histogram at 17 series; p50/p99 come from histogram_quantile
     * (https://prometheus.io/docs/practices/histograms/).
     */
    static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000),
        Duration.ofNanos(250_000),
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofNanos(2_500_000),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final MeterRegistry registry;
    private final BoundedLabels labels;
    private final String gateway;
    private final ConcurrentHashMap<CounterKey, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final Counter rotationsOk;
    private final Counter rotationsFailed;

    private record CounterKey(String action, String code, int status) {}

    public RequestMetrics(MeterRegistry registry, BoundedLabels labels, String gateway) {
        this.registry = registry;
        this.labels = labels;
        this.gateway = gateway;
        this.rotationsOk = rotations("success");
        this.rotationsFailed = rotations("failure");
    }

    private Counter rotations(String result) {
        return Counter.builder("openkms.scheduled.rotations")
                .description("Secret rotations run by the maintenance job")
                .tag("result", result)
                .register(registry);
    }

    /** Counts one audited call. */
    public void observe(AuditRecord r) {
        if (r.principal().startsWith("system:")) {
            // Written by a scheduled job (OpenKmsServer.auditRotation), not by a request.
            ("OK".equals(r.resultCode()) ? rotationsOk : rotationsFailed).increment();
            return;
        }
        String action = labels.action(r.action());
        String code = labels.code(r.resultCode());
        int status = r.httpStatus() >= 100 && r.httpStatus() <= 599 ? r.httpStatus() : 0;
        CounterKey key = new CounterKey(action, code, status);
        Counter counter = counters.get(key); // a plain read first: computeIfAbsent may lock the bin even on a hit
        if (counter == null) {
            counter = counters.computeIfAbsent(key, this::counter);
        }
        counter.increment();
        Timer timer = timers.get(action);
        if (timer == null) {
            timer = timers.computeIfAbsent(action, this::timer);
        }
        timer.record(Math.max(0, r.latencyMicros()), TimeUnit.MICROSECONDS);
    }

    private Counter counter(CounterKey k) {
        return Counter.builder("openkms.requests")
                .description("API calls by action, result code and HTTP status")
                .tag("gateway", gateway)
                .tag("action", k.action())
                .tag("code", k.code())
                .tag("status", Integer.toString(k.status()))
                .register(registry);
    }

    private Timer timer(String action) {
        return Timer.builder("openkms.request.duration")
                .description("Time from reading the request to encoding the answer, by action")
                .tag("gateway", gateway)
                .tag("action", action)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
