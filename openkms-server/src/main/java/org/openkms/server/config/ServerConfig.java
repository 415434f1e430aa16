package org.openkms.server.config;

import java.nio.file.Path;
import java.time.Duration;
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
        ThrottleConfig throttle) {

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
                ThrottleConfig.off());
    }

    /**
     * The KMS instance gateway's listener. {@link #defaults()} leaves it off, so that in-process servers (tests,
     * embedders) bind no fixed port; {@link ConfigLoader}, which configures {@code openkms server}, turns it on at
     * 127.0.0.1:8444.
     */
    public ServerConfig withInstanceListen(String v) {
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
                v,
                throttle);
    }

    public ServerConfig withCacheSyncInterval(Duration v) {
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
                v,
                cacheListen,
                audit,
                http,
                metricsEnabled,
                instanceListen,
                throttle);
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

    /**
     * Whether to LISTEN for other nodes' writes, which drops caches within milliseconds instead of at the next poll.
     * Off is for a connection pooler in transaction mode (PgBouncer), whose server connections cannot hold a
     * LISTEN; the poll then does all the work. Only PostgreSQL has the feed (an SQLite file has no other nodes).
     */
    public ServerConfig withCacheListen(boolean v) {
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
                v,
                audit,
                http,
                metricsEnabled,
                instanceListen,
                throttle);
    }

    public ServerConfig withAudit(AuditConfig v) {
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
                v,
                http,
                metricsEnabled,
                instanceListen,
                throttle);
    }

    public ServerConfig withHttp(HttpLimits v) {
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
                v,
                metricsEnabled,
                instanceListen,
                throttle);
    }

    public ServerConfig withListen(String v) {
        return new ServerConfig(
                v,
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
                throttle);
    }

    public ServerConfig withHttpsListen(String v) {
        return new ServerConfig(
                listen,
                v,
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
                throttle);
    }

    public ServerConfig withDataDir(Path v) {
        return new ServerConfig(
                listen,
                httpsListen,
                v,
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
                throttle);
    }

    public ServerConfig withRegion(String v) {
        return new ServerConfig(
                listen,
                httpsListen,
                dataDir,
                v,
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
                throttle);
    }

    public ServerConfig withRootAccessKey(String id, String secret) {
        return new ServerConfig(
                listen,
                httpsListen,
                dataDir,
                region,
                accountId,
                tlsCertificate,
                tlsKey,
                storageUrl,
                id,
                secret,
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
                throttle);
    }

    public ServerConfig withTls(Path certificate, Path key) {
        return new ServerConfig(
                listen,
                httpsListen,
                dataDir,
                region,
                accountId,
                certificate,
                key,
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
                throttle);
    }

    public ServerConfig withStorageUrl(String v) {
        return new ServerConfig(
                listen,
                httpsListen,
                dataDir,
                region,
                accountId,
                tlsCertificate,
                tlsKey,
                v,
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
                throttle);
    }

    public ServerConfig withAccountId(String v) {
        return new ServerConfig(
                listen,
                httpsListen,
                dataDir,
                region,
                v,
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
                throttle);
    }

    public ServerConfig withMaintenanceInterval(Duration v) {
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
                v,
                minKeyVersionInterval,
                minRotationInterval,
                ramSecretOverlap,
                cacheSyncInterval,
                cacheListen,
                audit,
                http,
                metricsEnabled,
                instanceListen,
                throttle);
    }

    public ServerConfig withMinKeyVersionInterval(Duration v) {
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
                v,
                minRotationInterval,
                ramSecretOverlap,
                cacheSyncInterval,
                cacheListen,
                audit,
                http,
                metricsEnabled,
                instanceListen);
    }

    /**
     * How long the AccessKey a RAMCredentials secret rotated out keeps working before the maintenance job deletes it
     * (default 24h; 0 deletes it as part of the rotation).
     */
    public ServerConfig withRamSecretOverlap(Duration v) {
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
                v,
                cacheSyncInterval,
                cacheListen,
                audit,
                http,
                metricsEnabled,
                instanceListen,
                throttle);
    }

    public ServerConfig withMinRotationInterval(Duration v) {
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
                v,
                ramSecretOverlap,
                cacheSyncInterval,
                cacheListen,
                audit,
                http,
                metricsEnabled,
                instanceListen,
                throttle);
    }

    /** Whether {@code GET /metrics} answers; when off it answers 404 like any unknown path. */
    public ServerConfig withMetricsEnabled(boolean v) {
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
                v,
                instanceListen,
                throttle);
    }

    /** Request rate limits (docs/throttling.md). */
    public ServerConfig withThrottle(ThrottleConfig v) {
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
                cacheSyncInterval,
                cacheListen,
                audit,
                http,
                metricsEnabled,
                instanceListen,
                v);
    }
}
