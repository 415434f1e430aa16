package org.openkms.server.http;

import java.time.Duration;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.WindowRateControl;
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
 * Jetty with a plain HTTP connector and an HTTPS (TLS 1.2+, {@link TlsPolicy}) connector whose operator certificate
 * is reloaded when its files change ({@link TlsReloader}). Both speak HTTP/1.1 and, unless switched off, HTTP/2: h2
 * chosen through ALPN on HTTPS (RFC 9113 §3.2), and h2c on HTTP, by prior knowledge (§3.3) or by an
 * {@code Upgrade: h2c} request (RFC 7540 §3.2, which the JDK's HttpClient still sends). The V2 SDK's OkHttp offers h2
 * through ALPN and takes it; HTTP/2 carries the signed host as {@code :authority}, which {@link GatewayHandler} reads
 * back as {@code host}. Every HTTP/1.1 protection holds per stream or per connection on HTTP/2 too: header size
 * (the HPACK-decoded header list is bounded by the same requestHeaderSize), body size and minimum rate
 * ({@link BodyReader}), connections per source and in total, deadlines ({@link ConnectionGuard}) and idle timeouts;
 * see {@link #http2} for what only HTTP/2 needs bounding. Idle timeout 60 s: SDK pools keep sockets 5–10 s idle,
 * and a server that closes first makes tea 1.4 (no silent retry) surface an IOException.
 */
public final class HttpServerFactory {
    private HttpServerFactory() {}

    public static Server create(String listen, String httpsListen, TlsMaterial tls) {
        return create(listen, httpsListen, tls, HttpLimits.defaults());
    }

    public static Server create(String listen, String httpsListen, TlsMaterial tls, HttpLimits limits) {
        return create(listen, httpsListen, tls, limits, TlsReloader.DEFAULT_INTERVAL);
    }

    /** @param http2 whether the listeners also speak HTTP/2 (h2 on HTTPS, h2c on HTTP) */
    public static Server create(String listen, String httpsListen, TlsMaterial tls, HttpLimits limits, boolean http2) {
        return create(listen, httpsListen, tls, limits, TlsReloader.DEFAULT_INTERVAL, http2);
    }

    /**
     * @param tlsReloadInterval how often the operator's certificate and key files are checked for a renewal
     *                          (ignored for the self-signed material); zero turns the check off
     */
    public static Server create(
            String listen, String httpsListen, TlsMaterial tls, HttpLimits limits, Duration tlsReloadInterval) {
        return create(listen, httpsListen, tls, limits, tlsReloadInterval, true);
    }

    /**
     * @param tlsReloadInterval how often the operator's certificate and key files are checked for a renewal
     *                          (ignored for the self-signed material); zero turns the check off
     * @param http2             whether the listeners also speak HTTP/2 (h2 on HTTPS, h2c on HTTP)
     */
    public static Server create(
            String listen,
            String httpsListen,
            TlsMaterial tls,
            HttpLimits limits,
            Duration tlsReloadInterval,
            boolean http2) {
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
            // HTTP/1.1 first: it is what a connection starts with; its parser hands a "PRI * HTTP/2.0" preface or an
            // Upgrade: h2c request over to the h2c factory.
            ServerConnector c = http2
                    ? new ServerConnector(
                            server,
                            new HttpConnectionFactory(http),
                            http2(new HTTP2CServerConnectionFactory(http), limits))
                    : new ServerConnector(server, new HttpConnectionFactory(http));
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
            ServerConnector c;
            if (http2) {
                // h2 first in the server's preference; a client that offers no ALPN, or only http/1.1, gets HTTP/1.1.
                // Jetty refuses h2 on a TLS 1.2 suite that RFC 9113 §9.2.2 forbids; TlsPolicy offers none of them.
                ALPNServerConnectionFactory alpn =
                        new ALPNServerConnectionFactory("h2", HttpVersion.HTTP_1_1.asString());
                alpn.setDefaultProtocol(HttpVersion.HTTP_1_1.asString());
                c = new ServerConnector(
                        server,
                        new SslConnectionFactory(ssl, alpn.getProtocol()),
                        alpn,
                        http2(new HTTP2ServerConnectionFactory(https), limits),
                        new HttpConnectionFactory(https));
            } else {
                c = new ServerConnector(
                        server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
            }
            bind(c, httpsListen, limits, guard);
            server.addConnector(c);
        }
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
        return server;
    }

    /** Concurrent streams one HTTP/2 connection may have open (RFC 9113 §5.1.2); beyond it a stream is refused. */
    public static final int MAX_CONCURRENT_STREAMS = 128;

    /** The HPACK dynamic table, in bytes, each way: RFC 7541's default SETTINGS_HEADER_TABLE_SIZE. */
    public static final int HPACK_TABLE_SIZE = 4096;

    /**
     * Suspicious frames a second one HTTP/2 connection may cause before it is closed with GOAWAY ENHANCE_YOUR_CALM:
     * Jetty's rate control counts every RST_STREAM received (the "rapid reset" attack, CVE-2023-44487, opens and
     * cancels streams faster than the concurrent-stream limit can see) and every reset the server sends (CVE-2025-8671,
     * "MadeYouReset"), PING, SETTINGS and PRIORITY frames and frames no request needs (empty DATA, tiny CONTINUATION).
     * Set explicitly at Jetty's own default: a legitimate client refused an over-large body has a window's worth of
     * DATA frames in flight (up to 32 of 16 KiB), each answered with a reset, and 50 closed such a connection.
     */
    public static final int MAX_HTTP2_EVENTS_PER_SECOND = 128;

    /**
     * What only HTTP/2 needs bounded, besides what the shared {@link HttpConfiguration} already bounds (the decoded
     * header list at requestHeaderSize): streams per connection, the HPACK tables, the rate of frames that do no
     * work, and a stream's idle time, as the connection's.
     */
    private static AbstractHTTP2ServerConnectionFactory http2(
            AbstractHTTP2ServerConnectionFactory h2, HttpLimits limits) {
        h2.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
        h2.setMaxDecoderTableCapacity(HPACK_TABLE_SIZE);
        h2.setMaxEncoderTableCapacity(HPACK_TABLE_SIZE);
        h2.setRateControlFactory(new WindowRateControl.Factory(MAX_HTTP2_EVENTS_PER_SECOND));
        h2.setStreamIdleTimeout(limits.idleTimeout().toMillis());
        return h2;
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
