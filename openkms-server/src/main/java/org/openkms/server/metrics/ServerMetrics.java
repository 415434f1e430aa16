package org.openkms.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.openkms.core.audit.AuditSink;
import org.openkms.core.key.KeyCache;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeyState;
import org.openkms.core.secret.SecretRecord;
import org.openkms.core.store.Storage;
import org.openkms.server.audit.JsonLinesAuditLog;
import org.openkms.server.throttle.OperationClass;
import org.openkms.server.throttle.Throttle;

/**
 * The server's metrics registry and what {@code GET /metrics} answers (docs/metrics.md lists every metric). One
 * Prometheus registry (https://docs.micrometer.io/micrometer/reference/implementations/prometheus.html) with:
 * request counters and latency histograms ({@link RequestMetrics}, fed by {@link #instrument}), the audit queue,
 * the key cache, keys and secrets by state (read from storage at most every {@link #STATE_TTL}), Jetty's threads
 * and connections, and Micrometer's JVM binders.
 *
 * <p>The endpoint is unauthenticated (as Prometheus scrapes it, and like Vault's
 * {@code unauthenticated_metrics_access}), so its cost is bounded: the rendered text is reused for
 * {@link #SCRAPE_TTL}, and nothing in it is read from storage more often than every {@link #STATE_TTL}. It carries
 * no secret: labels are action names, result codes, states and pool names, never request input.
 */
public final class ServerMetrics implements AutoCloseable {
    /** How long keys and secrets by state are cached. */
    public static final Duration STATE_TTL = Duration.ofSeconds(15);
    /**
     * How long one rendering of the text is served again. Prometheus scrapes every 15 s or more by default
     * (https://prometheus.io/docs/prometheus/latest/configuration/configuration/), so a second loses nothing and
     * makes a flood of scrapes cost no more than one per second.
     */
    public static final Duration SCRAPE_TTL = Duration.ofSeconds(1);
    /** The Prometheus text format 0.0.4, which every Prometheus version reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final long scrapeTtlNanos;
    private String lastScrape;
    private long lastScrapeAt;

    public ServerMetrics() {
        this(SCRAPE_TTL);
    }

    ServerMetrics(Duration scrapeTtl) {
        this.scrapeTtlNanos = scrapeTtl.toNanos();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * {@code sink}, counting every record it receives as a request of the shared gateway.
     *
     * @param actionNames every registered action name: the only values the action label takes besides "other"
     */
    public AuditSink instrument(AuditSink sink, Collection<String> actionNames) {
        return instrument(sink, actionNames, RequestMetrics.SHARED);
    }

    /** {@code sink}, counting every record it receives as a request of {@code gateway} (shared or instance). */
    public AuditSink instrument(AuditSink sink, Collection<String> actionNames, String gateway) {
        return new MetricsAuditSink(sink, new RequestMetrics(registry, new BoundedLabels(actionNames), gateway));
    }

    /** The audit queue: depth, capacity and records dropped because it was full. */
    public void bindAuditLog(JsonLinesAuditLog log) {
        Gauge.builder("openkms.audit.queue.depth", log, JsonLinesAuditLog::queueDepth)
                .description("Audit records waiting to be written")
                .register(registry);
        Gauge.builder("openkms.audit.queue.capacity", log, JsonLinesAuditLog::queueCapacity)
                .description("Audit records the queue holds before it drops")
                .register(registry);
        FunctionCounter.builder("openkms.audit.dropped", log, JsonLinesAuditLog::dropped)
                .description("Audit records lost because the queue was full")
                .register(registry);
        Gauge.builder("openkms.audit.healthy", log, l -> l.healthy() ? 1 : 0)
                .description("1 while the audit log can be written, 0 while its writes fail")
                .register(registry);
    }

    /**
     * Calls refused with Rejected.Throttling, by the bucket that refused them (a credential's or the instance's)
     * and the class of operation: six series at most, whatever the callers send.
     */
    public void bindThrottle(Throttle throttle) {
        for (OperationClass c : OperationClass.values()) {
            FunctionCounter.builder("openkms.throttled.requests", throttle, t -> t.throttledByCredential(c))
                    .description("Calls refused with Rejected.Throttling (429), by bucket and class of operation")
                    .tag("bucket", "credential")
                    .tag("class", c.label())
                    .register(registry);
            FunctionCounter.builder("openkms.throttled.requests", throttle, t -> t.throttledByInstance(c))
                    .description("Calls refused with Rejected.Throttling (429), by bucket and class of operation")
                    .tag("bucket", "instance")
                    .tag("class", c.label())
                    .register(registry);
        }
        Gauge.builder("openkms.throttle.buckets", throttle, Throttle::buckets)
                .description("Per-credential rate-limit buckets held in memory")
                .register(registry);
    }

    /** The in-memory cache of unsealed keys (sizes and counters only; nothing of a key). */
    public void bindKeyCache(KeyCache cache) {
        Gauge.builder("openkms.key.cache.size", cache, KeyCache::size)
                .description("Keys held unsealed in memory")
                .register(registry);
        FunctionCounter.builder("openkms.key.cache.requests", cache, KeyCache::hits)
                .description("Key lookups by result")
                .tag("result", "hit")
                .register(registry);
        FunctionCounter.builder("openkms.key.cache.requests", cache, KeyCache::misses)
                .description("Key lookups by result")
                .tag("result", "miss")
                .register(registry);
    }

    /** Keys by KeyState and secrets by state (Active, PendingDeletion), listed from storage at most every STATE_TTL. */
    /**
     * HikariCP's metrics of the PostgreSQL connection pool ({@code hikaricp_connections_active}, {@code _idle},
     * {@code _pending}, {@code _acquire_seconds}, {@code _usage_seconds}, {@code _timeout_total}, … with the label
     * {@code pool="openkms-storage"}), through HikariCP's own Micrometer tracker; give it to
     * {@code StorageFactory.open} before the pool starts.
     */
    public com.zaxxer.hikari.metrics.MetricsTrackerFactory poolMetrics() {
        return new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry);
    }

    /**
     * {@code storage} with every repository call timed ({@code openkms_storage_operation_seconds}, {@link TimedStorage});
     * give the result to everything that uses storage.
     */
    public Storage timeStorage(Storage storage) {
        return TimedStorage.wrap(storage, registry);
    }

    public void bindStorage(Storage storage) {
        CachedCounts keys = new CachedCounts("keys", () -> keyStates(storage), STATE_TTL, System::nanoTime);
        for (KeyState s : KeyState.values()) {
            Gauge.builder("openkms.keys", keys, k -> k.count(s.name()))
                    .description("Customer master keys by state (cached up to 15 s)")
                    // Gauges hold their object weakly; nothing else holds this one.
                    .strongReference(true)
                    .tag("state", s.name())
                    .register(registry);
        }
        CachedCounts secrets = new CachedCounts("secrets", () -> secretStates(storage), STATE_TTL, System::nanoTime);
        for (String s : List.of("Active", "PendingDeletion")) {
            Gauge.builder("openkms.secrets", secrets, k -> k.count(s))
                    .description("Secrets by state (cached up to 15 s)")
                    .strongReference(true)
                    .tag("state", s)
                    .register(registry);
        }
    }

    private static Map<String, Long> keyStates(Storage storage) {
        Map<KeyState, Long> n = new EnumMap<>(KeyState.class);
        for (KeyRecord k : storage.keys().list()) {
            n.merge(k.state(), 1L, Long::sum);
        }
        Map<String, Long> out = new HashMap<>();
        n.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    private static Map<String, Long> secretStates(Storage storage) {
        Map<String, Long> out = new HashMap<>();
        for (SecretRecord s : storage.secrets().list()) {
            out.merge(s.pendingDeletion() ? "PendingDeletion" : "Active", 1L, Long::sum);
        }
        return out;
    }

    /**
     * Jetty's request thread pool and connections of every listener. Call before the server starts: the
     * connection statistics are a listener each connector hands to the connections it opens.
     */
    public void bindJetty(Server jetty) {
        new JettyServerThreadPoolMetrics(jetty.getThreadPool(), Tags.empty()).bindTo(registry);
        for (Connector c : jetty.getConnectors()) {
            ConnectionStatistics stats = new ConnectionStatistics();
            c.addBean(stats); // started and stopped with the connector, which adds it as a connection listener
            // The instance gateway's listener is TLS too: named connectors keep their own series.
            String name = c.getName() != null
                    ? c.getName()
                    : c.getDefaultConnectionFactory().getProtocol().startsWith("SSL") ? "https" : "http";
            Tags tags = Tags.of("connector", name);
            Gauge.builder("openkms.http.connections.open", stats, ConnectionStatistics::getConnections)
                    .description("Open client connections")
                    .tags(tags)
                    .register(registry);
            FunctionCounter.builder("openkms.http.connections", stats, ConnectionStatistics::getConnectionsTotal)
                    .description("Client connections accepted")
                    .tags(tags)
                    .register(registry);
        }
    }

    /** The Prometheus text, rendered at most once per SCRAPE_TTL. */
    public synchronized String scrape() {
        long now = System.nanoTime();
        if (lastScrape == null || now - lastScrapeAt >= scrapeTtlNanos) {
            lastScrape = registry.scrape();
            lastScrapeAt = now;
        }
        return lastScrape;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
