package org.openkms.server.http;

import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty with a plain HTTP/1.1 connector and an HTTPS (HTTP/1.1, TLS 1.2+, {@link TlsPolicy}) connector whose
 * operator certificate is reloaded when its files change ({@link TlsReloader}). HTTP/2 is not offered:
 * OkHttp (Java V2 SDK) would negotiate it through ALPN and sign :authority as host; HTTP/1.1 keeps every
 * client on the path the captures verified. Idle timeout 60 s: SDK pools keep sockets 5–10 s idle, and a
 * server that closes first makes tea 1.4 (no silent retry) surface an IOException.
 */
public final class HttpServerFactory {
    private HttpServerFactory() {}

    public static Server create(String listen, String httpsListen, TlsMaterial tls) {
        return create(listen, httpsListen, tls, HttpLimits.defaults());
    }

    public static Server create(String listen, String httpsListen, TlsMaterial tls, HttpLimits limits) {
        return create(listen, httpsListen, tls, limits, TlsReloader.DEFAULT_INTERVAL);
    }

    /**
     * @param tlsReloadInterval how often the operator's certificate and key files are checked for a renewal
     *                          (ignored for the self-signed material); zero turns the check off
     */
    public static Server create(
            String listen, String httpsListen, TlsMaterial tls, HttpLimits limits, Duration tlsReloadInterval) {
        int maxThreads = limits.threadsFor(Runtime.getRuntime().availableProcessors());
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        threads.setName("openkms-http");
        Server server = new Server(threads);
        server.setErrorHandler(new AlibabaErrorHandler());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        // The SDKs put every parameter in the query string (see HttpLimits): Jetty's 8 KiB default would answer 414
        // to documented-valid CreateSecret and Encrypt calls.
        http.setRequestHeaderSize(limits.requestHeaderSize());
        // HttpLimits.minRequestDataRate is enforced by GatewayHandler as it reads the body: Jetty's core server
        // ignores HttpConfiguration.setMinRequestDataRate (only its servlet layer reads it).
        // No header field cache: it pays off when clients repeat the same header values, but every signed request
        // carries a fresh date, nonce and signature, so the cache only churned; clearing its trie was 21% of the
        // CPU samples under Encrypt load (Arrays.fill in HttpParser$FieldCache.add). Known headers stay interned.
        http.setHeaderCacheSize(0);
        ConnectionGuard guard = new ConnectionGuard(
                limits.maxConnectionsPerSource(),
                limits.headerTimeout().toMillis(),
                limits.requestTimeout().toMillis(),
                limits.idleTimeout().toMillis(),
                server.getScheduler());
        server.addBean(guard);
        if (listen != null && !listen.isEmpty()) {
            ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
            bind(c, listen, limits, guard);
            server.addConnector(c);
        }
        if (httpsListen != null && !httpsListen.isEmpty() && tls != null) {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            src.setSniHostCheck(false); // clients dial 127.0.0.1; SNI is absent or an IP
            https.addCustomizer(src);
            SslContextFactory.Server ssl = TlsPolicy.sslContextFactory(tls.keyStore());
            if (tls.reloadable() && !tlsReloadInterval.isZero() && !tlsReloadInterval.isNegative()) {
                server.addBean(new TlsReloader(ssl, tls, tlsReloadInterval)); // started and stopped with the server
            }
            ServerConnector c = new ServerConnector(
                    server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
            bind(c, httpsListen, limits, guard);
            server.addConnector(c);
        }
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
        return server;
    }

    /** The name of the KMS instance gateway's connector ({@link ConnectorRouter} routes its requests). */
    public static final String INSTANCE_CONNECTOR = "instance";

    /** The connector of a configured (labelled) instance's gateway: {@code instance:<label>}. */
    public static String instanceConnector(String label) {
        return label == null ? INSTANCE_CONNECTOR : INSTANCE_CONNECTOR + ":" + label;
    }

    /** Whether a connector serves an instance gateway (the default one or a labelled one). */
    public static boolean isInstanceConnector(String connectorName) {
        return connectorName != null
                && (connectorName.equals(INSTANCE_CONNECTOR) || connectorName.startsWith(INSTANCE_CONNECTOR + ":"));
    }

    /**
     * Adds the KMS instance gateway's TLS listener (same HTTP/1.1 settings, TLS policy and connection guard as the
     * HTTPS one). Its certificate is set on the returned factory before the server starts: the instance's key is
     * unsealed only after the root key is open, while the port is bound (to fail early) before anything is written.
     */
    public static SslContextFactory.Server addInstanceConnector(Server server, String hostPort, HttpLimits limits) {
        return addInstanceConnector(server, hostPort, limits, INSTANCE_CONNECTOR);
    }

    /** As above, for the gateway of the instance whose connector is {@code connectorName} ({@link #instanceConnector}). */
    public static SslContextFactory.Server addInstanceConnector(
            Server server, String hostPort, HttpLimits limits, String connectorName) {
        HttpConfiguration https = new HttpConfiguration();
        https.setSendServerVersion(false);
        https.setSendDateHeader(false);
        https.setRequestHeaderSize(limits.requestHeaderSize());
        https.setMinRequestDataRate(limits.minRequestDataRate());
        https.setHeaderCacheSize(0);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false); // the SDK dials 127.0.0.1 or the instance's name; it checks no host name itself
        https.addCustomizer(src);
        SslContextFactory.Server ssl = TlsPolicy.sslContextFactory(null);
        ServerConnector c = new ServerConnector(
                server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        c.setName(connectorName);
        bind(c, hostPort, limits, server.getBean(ConnectionGuard.class));
        server.addConnector(c);
        return ssl;
    }

    private static void bind(ServerConnector c, String hostPort, HttpLimits limits, ConnectionGuard guard) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listen address must be host:port, got " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        c.setHost(host.isEmpty() ? null : host);
        c.setPort(Integer.parseInt(hostPort.substring(colon + 1)));
        c.setIdleTimeout(limits.idleTimeout().toMillis());
        c.addEventListener(guard); // a connector hands its Connection.Listeners to every connection it opens
        c.setAcceptQueueSize(1024);
    }
}
