package org.openkms.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.openkms.server.http.HttpLimits;
import org.openkms.server.throttle.ThrottleConfig;

/**
 * Everything the server needs to start. Built by {@link ConfigLoader} from defaults, a YAML file, environment
 * variables and command-line flags, in that order of precedence (later wins).
 *
 * @param listen         host:port of the plain HTTP listener ("" disables it)
 * @param httpsListen    host:port of the HTTPS listener ("" disables it)
 * @param tlsCertificate PEM certificate chain for HTTPS; with tlsKey; both null → self-signed in the data dir
 * @param storageUrl     JDBC URL; null → SQLite file in the data dir
 * @param cacheListen    LISTEN for other nodes' writes (PostgreSQL only; default true), see {@link #withCacheListen}
 * @param audit          rotation, caps and fail-closed behaviour of the audit log
 * @param http           what one client may cost the HTTP layer (connections, sizes, deadlines)
 * @param metricsEnabled whether {@code GET /metrics} answers (Prometheus text format, docs/metrics.md); default true
 * @param instanceListen host:port of the KMS instance gateway (TLS with the instance's certificate; "" disables it)
 * @param throttle       request rate limits per credential and per instance (off by default)
 * @param instanceNames  further DNS names and IP addresses the instance gateway's certificate answers to
 * @param instances      further KMS instances, each with its own gateway listener (none by default)
 * @param consoleEnabled whether the web console is served at {@code /console} (docs/console.md); default true
 * @param http2Enabled   whether the OpenAPI listeners also speak HTTP/2 (h2 over TLS, h2c on HTTP); default true
 */
public record ServerConfig(
        String listen,
        String httpsListen,
        Path dataDir,
        String region,
        String accountId,
        Path tlsCertificate,
        Path tlsKey,
        String storageUrl,
        String rootAccessKeyId,
        String rootAccessKeySecret,
        Duration maintenanceInterval,
        Duration minKeyVersionInterval,
        Duration minRotationInterval,
        Duration ramSecretOverlap,
        Duration cacheSyncInterval,
        boolean cacheListen,
        AuditConfig audit,
        HttpLimits http,
        boolean metricsEnabled,
        String instanceListen,
        ThrottleConfig throttle,
        List<String> instanceNames,
        List<InstanceListener> instances,
        boolean consoleEnabled,
        boolean http2Enabled) {

    public static ServerConfig defaults() {
        return new ServerConfig(
                "127.0.0.1:8080",
                "127.0.0.1:8443",
                Path.of("openkms-data"),
                "cn-hangzhou",
                "1234567890123456",
                null,
                null,
                null,
                null,
                null,
                Duration.ofMinutes(1),
                Duration.ofDays(7),
                Duration.ofDays(7),
                Duration.ofHours(24),
                null,
                true,
                AuditConfig.defaults(),
                HttpLimits.defaults(),
                true,
                "",
                ThrottleConfig.off(),
                List.of(),
                List.of(),
                true,
                true);
    }

    /**
     * The KMS instance gateway's listener. {@link #defaults()} leaves it off, so that in-process servers (tests,
     * embedders) bind no fixed port; {@link ConfigLoader}, which configures {@code openkms server}, turns it on at
     * 127.0.0.1:8444.
     */
    public ServerConfig withInstanceListen(String v) {
        return with(b -> b.instanceListen = v);
    }

    public ServerConfig withCacheSyncInterval(Duration v) {
        return with(b -> b.cacheSyncInterval = v);
    }

    /**
     * Whether to LISTEN for other nodes' writes, which drops caches within milliseconds instead of at the next poll.
     * Off is for a connection pooler in transaction mode (PgBouncer), whose server connections cannot hold a
     * LISTEN; the poll then does all the work. Only PostgreSQL has the feed (an SQLite file has no other nodes).
     */
    public ServerConfig withCacheListen(boolean v) {
        return with(b -> b.cacheListen = v);
    }

    public ServerConfig withAudit(AuditConfig v) {
        return with(b -> b.audit = v);
    }

    public ServerConfig withHttp(HttpLimits v) {
        return with(b -> b.http = v);
    }

    public ServerConfig withListen(String v) {
        return with(b -> b.listen = v);
    }

    public ServerConfig withHttpsListen(String v) {
        return with(b -> b.httpsListen = v);
    }

    public ServerConfig withDataDir(Path v) {
        return with(b -> b.dataDir = v);
    }

    public ServerConfig withRegion(String v) {
        return with(b -> b.region = v);
    }

    public ServerConfig withRootAccessKey(String id, String secret) {
        return with(b -> {
            b.rootAccessKeyId = id;
            b.rootAccessKeySecret = secret;
        });
    }

    public ServerConfig withTls(Path certificate, Path key) {
        return with(b -> {
            b.tlsCertificate = certificate;
            b.tlsKey = key;
        });
    }

    public ServerConfig withStorageUrl(String v) {
        return with(b -> b.storageUrl = v);
    }

    public ServerConfig withAccountId(String v) {
        return with(b -> b.accountId = v);
    }

    public ServerConfig withMaintenanceInterval(Duration v) {
        return with(b -> b.maintenanceInterval = v);
    }

    public ServerConfig withMinKeyVersionInterval(Duration v) {
        return with(b -> b.minKeyVersionInterval = v);
    }

    public ServerConfig withMinRotationInterval(Duration v) {
        return with(b -> b.minRotationInterval = v);
    }

    /**
     * How long the AccessKey a RAMCredentials secret rotated out keeps working before the maintenance job deletes it
     * (default 24h; 0 deletes it as part of the rotation).
     */
    public ServerConfig withRamSecretOverlap(Duration v) {
        return with(b -> b.ramSecretOverlap = v);
    }

    /** Whether {@code GET /metrics} answers; when off it answers 404 like any unknown path. */
    public ServerConfig withMetricsEnabled(boolean v) {
        return with(b -> b.metricsEnabled = v);
    }

    /** Whether the web console is served at {@code /console}; when off that path answers 404. */
    public ServerConfig withConsoleEnabled(boolean v) {
        return with(b -> b.consoleEnabled = v);
    }

    /**
     * Whether the HTTP and HTTPS listeners also speak HTTP/2 (h2 through ALPN, h2c by prior knowledge or Upgrade);
     * off, they speak HTTP/1.1 only, as before. The instance listener speaks HTTP/1.1 either way.
     */
    public ServerConfig withHttp2Enabled(boolean v) {
        return with(b -> b.http2Enabled = v);
    }

    /**
     * Names and addresses (beyond loopback and {@code <instanceId>.cryptoservice.kms.aliyuncs.com}) that clients use
     * to reach the instance gateway; its certificate is issued for them at start when the stored one lacks one.
     */
    public ServerConfig withInstanceNames(List<String> v) {
        return with(b -> b.instanceNames = List.copyOf(v));
    }

    /**
     * Further KMS instances, each served on its own listener with its own CA; the default instance stays the one
     * {@link #withInstanceListen} serves. A label seen for the first time creates its instance.
     */
    public ServerConfig withInstances(List<InstanceListener> v) {
        return with(b -> b.instances = List.copyOf(v));
    }

    /** Request rate limits (docs/throttling.md). */
    public ServerConfig withThrottle(ThrottleConfig v) {
        return with(b -> b.throttle = v);
    }

    /**
     * How often to look for other nodes' writes (CacheCoherence). Unset: every second on PostgreSQL, which
     * several nodes may share, and never on SQLite, whose file belongs to this process alone.
     */
    public Duration effectiveCacheSyncInterval() {
        if (cacheSyncInterval != null) {
            return cacheSyncInterval;
        }
        return storageUrl != null && storageUrl.startsWith("jdbc:postgresql:") ? Duration.ofSeconds(1) : Duration.ZERO;
    }

    /** A copy with {@code change} applied: each wither names only what it changes. */
    private ServerConfig with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The components as mutable fields, for {@link #with}. */
    private static final class Builder {
        String listen;
        String httpsListen;
        Path dataDir;
        String region;
        String accountId;
        Path tlsCertificate;
        Path tlsKey;
        String storageUrl;
        String rootAccessKeyId;
        String rootAccessKeySecret;
        Duration maintenanceInterval;
        Duration minKeyVersionInterval;
        Duration minRotationInterval;
        Duration ramSecretOverlap;
        Duration cacheSyncInterval;
        boolean cacheListen;
        AuditConfig audit;
        HttpLimits http;
        boolean metricsEnabled;
        String instanceListen;
        ThrottleConfig throttle;
        List<String> instanceNames;
        List<InstanceListener> instances;
        boolean consoleEnabled;
        boolean http2Enabled;

        Builder(ServerConfig c) {
            listen = c.listen;
            httpsListen = c.httpsListen;
            dataDir = c.dataDir;
            region = c.region;
            accountId = c.accountId;
            tlsCertificate = c.tlsCertificate;
            tlsKey = c.tlsKey;
            storageUrl = c.storageUrl;
            rootAccessKeyId = c.rootAccessKeyId;
            rootAccessKeySecret = c.rootAccessKeySecret;
            maintenanceInterval = c.maintenanceInterval;
            minKeyVersionInterval = c.minKeyVersionInterval;
            minRotationInterval = c.minRotationInterval;
            ramSecretOverlap = c.ramSecretOverlap;
            cacheSyncInterval = c.cacheSyncInterval;
            cacheListen = c.cacheListen;
            audit = c.audit;
            http = c.http;
            metricsEnabled = c.metricsEnabled;
            instanceListen = c.instanceListen;
            throttle = c.throttle;
            instanceNames = c.instanceNames;
            instances = c.instances;
            consoleEnabled = c.consoleEnabled;
            http2Enabled = c.http2Enabled;
        }

        ServerConfig build() {
            return new ServerConfig(
                    listen,
                    httpsListen,
                    dataDir,
                    region,
                    accountId,
                    tlsCertificate,
                    tlsKey,
                    storageUrl,
                    rootAccessKeyId,
                    rootAccessKeySecret,
                    maintenanceInterval,
                    minKeyVersionInterval,
                    minRotationInterval,
                    ramSecretOverlap,
                    cacheSyncInterval,
                    cacheListen,
                    audit,
                    http,
                    metricsEnabled,
                    instanceListen,
                    throttle,
                    instanceNames,
                    instances,
                    consoleEnabled,
                    http2Enabled);
        }
    }
}
