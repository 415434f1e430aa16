package org.openkms.conformance;

import com.aliyuncs.auth.SignatureVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * An in-process OpenKMS server on free loopback ports (HTTP and HTTPS), plus official-SDK clients pointed at it.
 * Built only from the public server API: {@code OpenKmsServer.start(ServerConfig)}.
 */
public final class ConformanceServer implements AutoCloseable {
    public static final String ACCESS_KEY_ID = "LTAI5tConformance0000";
    public static final String ACCESS_KEY_SECRET = "Conformance0Secret0For0OpenKMS0";
    public static final String REGION = "cn-hangzhou";
    /** The account ID the server puts in ARNs (the default of {@link ServerConfig}). */
    public static final String ACCOUNT_ID = ServerConfig.defaults().accountId();

    private final Path dataDir;
    private final OpenKmsServer server;
    private final String caPem;
    private final Map<String, KmsApi> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private ConformanceServer(Path dataDir, OpenKmsServer server, String caPem) {
        this.dataDir = dataDir;
        this.server = server;
        this.caPem = caPem;
    }

    /**
     * The configuration every conformance server uses: fresh ports, fixed root AccessKey, no waiting for versions,
     * and the storage of this JVM's {@link ConformanceBackend} (SQLite in the data dir, or its own PostgreSQL
     * database).
     */
    public static ServerConfig config(Path dataDir) {
        return ConformanceBackend.apply(ServerConfig.defaults()
                .withDataDir(dataDir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
                .withMinKeyVersionInterval(Duration.ZERO)
                // The tests trigger maintenance explicitly (kms().maintenance().runOnce()); keep the timer out of the
                // way.
                .withMaintenanceInterval(Duration.ofHours(6)));
    }

    public static ConformanceServer start(Path dataDir) throws Exception {
        return start(config(dataDir));
    }

    /** A server with a configuration derived from {@link #config} (e.g. to keep a production default). */
    public static ConformanceServer start(ServerConfig config) throws Exception {
        Path dataDir = config.dataDir();
        OpenKmsServer server = OpenKmsServer.start(config);
        String pem = Files.readString(server.tlsCertificate());
        TrustedCertificates.INSTANCE.trust(pem);
        return new ConformanceServer(dataDir, server, pem);
    }

    public OpenKmsServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int httpPort() {
        return server.httpPort();
    }

    public int httpsPort() {
        return server.httpsPort();
    }

    /** PEM text of the HTTPS certificate (self-signed, SAN IP:127.0.0.1), as clients must trust it. */
    public String caPem() {
        return caPem;
    }

    /** Runs the deletion/rotation job once; returns how many keys it destroyed or rotated. */
    public int runMaintenance() {
        return server.kms().maintenance().runOnce();
    }

    // ---- clients with the root AccessKey (cached per server) -----------------------------------------------

    /** V2 SDK, default ACS3-HMAC-SHA256 signing, plain HTTP. */
    public V2Api v2() {
        return v2(V2Api.Signing.ACS3, false);
    }

    public V2Api v2(V2Api.Signing signing, boolean https) {
        return (V2Api) clients.computeIfAbsent(
                "v2/" + signing + "/" + https, k -> v2(signing, https, ACCESS_KEY_ID, ACCESS_KEY_SECRET));
    }

    /** V1 SDK, RPC HMAC-SHA1, plain HTTP. */
    public V1Api v1() {
        return v1(false);
    }

    public V1Api v1(boolean https) {
        return (V1Api) clients.computeIfAbsent("v1/" + https, k -> v1(https, ACCESS_KEY_ID, ACCESS_KEY_SECRET, null));
    }

    /**
     * The SDK configurations every parameterised conformance test runs through: V2 ACS3 (HTTP and HTTPS), V2 RPC
     * HMAC-SHA1, V1 HMAC-SHA1 (HTTP and HTTPS).
     */
    public List<KmsApi> matrix() {
        return List.of(
                v2(V2Api.Signing.ACS3, false),
                v2(V2Api.Signing.ACS3, true),
                v2(V2Api.Signing.RPC, false),
                v1(false),
                v1(true));
    }

    // ---- clients with arbitrary credentials (not cached) ---------------------------------------------------

    public V2Api v2(V2Api.Signing signing, boolean https, String accessKeyId, String accessKeySecret) {
        return V2Api.create(
                https ? httpsPort() : httpPort(), https ? caPem : null, signing, accessKeyId, accessKeySecret);
    }

    public V1Api v1(boolean https, String accessKeyId, String accessKeySecret, SignatureVersion signatureVersion) {
        return V1Api.create(https ? httpsPort() : httpPort(), https, accessKeyId, accessKeySecret, signatureVersion);
    }

    /** Stops the server; the data directory stays (a restart test reopens it). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.close();
        }
    }

    /** Best-effort recursive delete of a temporary data directory. */
    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // leave it for the OS temp cleaner
                }
            });
        } catch (IOException e) {
            // ignore
        }
    }
}
