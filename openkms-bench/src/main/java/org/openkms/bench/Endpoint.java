package org.openkms.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Where the server is ({@code http://host:port} or {@code https://host:port}) and how to open a socket to it. The
 * {@link #hostHeader() Host header} is what the SDKs send and sign: the host, plus the port when it is not the
 * scheme's default.
 */
final class Endpoint {
    private final String scheme;
    private final String host; // for connecting: no IPv6 brackets
    private final int port;
    private final String hostHeader;
    private final SSLSocketFactory tls; // null for http
    private final boolean trustsAll; // --insecure
    private final boolean http2; // --http2: h2 (ALPN) on https, h2c (prior knowledge) on http

    private Endpoint(
            String scheme,
            String host,
            int port,
            String hostHeader,
            SSLSocketFactory tls,
            boolean trustsAll,
            boolean http2) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.hostHeader = hostHeader;
        this.tls = tls;
        this.trustsAll = trustsAll;
        this.http2 = http2;
    }

    /**
     * @param insecure for https: accept any server certificate (the server's default certificate is self-signed)
     * @throws IllegalArgumentException for anything but an http(s) URL with a host and at most the path "/"
     */
    static Endpoint parse(String url, boolean insecure) {
        Endpoint e = parse(url, insecure ? tlsFactory(true) : null);
        return new Endpoint(e.scheme, e.host, e.port, e.hostHeader, e.tls, insecure, false);
    }

    /** The same endpoint, spoken to over HTTP/2 by the load ({@link Http2Connection}). */
    Endpoint withHttp2() {
        return new Endpoint(scheme, host, port, hostHeader, tls, trustsAll, true);
    }

    boolean http2() {
        return http2;
    }

    /** Whether any server certificate is accepted ({@code --insecure}). */
    boolean trustsAll() {
        return trustsAll;
    }

    /**
     * @param tls for https: the socket factory (e.g. trusting a KMS instance's own CA); null for the JVM's default
     *     trust
     */
    static Endpoint parse(String url, SSLSocketFactory tls) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid endpoint URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the endpoint must be an http:// or https:// URL: " + url);
        }
        String rawHost = uri.getHost();
        if (rawHost == null || rawHost.isEmpty()) {
            throw new IllegalArgumentException("the endpoint has no host: " + url);
        }
        if (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()
                        && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(
                    "the endpoint must not have a path or query (KMS calls go to /): " + url);
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String hostHeader = port == defaultPort ? rawHost : rawHost + ":" + port;
        String host =
                rawHost.startsWith("[") && rawHost.endsWith("]") ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
        SSLSocketFactory factory = !scheme.equals("https") ? null : tls != null ? tls : tlsFactory(false);
        return new Endpoint(scheme, host, port, hostHeader, factory, false, false);
    }

    /** The host to connect to (IPv6 without brackets). */
    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String hostHeader() {
        return hostHeader;
    }

    boolean isTls() {
        return tls != null;
    }

    /** A connected socket with TCP_NODELAY (requests are written whole; Nagle would only add latency). */
    Socket connect(int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            if (tls == null) {
                return s;
            }
            SSLSocket ssl = (SSLSocket) tls.createSocket(s, host, port, true);
            ssl.setSoTimeout(timeoutMillis);
            ssl.startHandshake();
            return ssl;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static SSLSocketFactory tlsFactory(boolean insecure) {
        if (!insecure) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }

    @Override
    public String toString() {
        return scheme + "://" + hostHeader + (http2 ? (tls != null ? " (h2)" : " (h2c)") : "");
    }

    /** Only with --insecure: a bench against a local server with its self-signed certificate. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
