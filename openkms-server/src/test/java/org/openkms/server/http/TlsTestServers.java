package org.openkms.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS listener exactly as the server builds it ({@link HttpServerFactory}), with a handler that answers
 * "ok" instead of the gateway, for tests that are about TLS only; and raw TLS clients for them.
 */
final class TlsTestServers {
    private TlsTestServers() {}

    static Server start(TlsMaterial tls, Duration reloadInterval) throws Exception {
        Server server = HttpServerFactory.create("", "127.0.0.1:0", tls, HttpLimits.defaults(), reloadInterval);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 2L);
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
        return server;
    }

    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    static SslContextFactory.Server sslContextFactory(Server server) {
        return (SslContextFactory.Server) ((ServerConnector) server.getConnectors()[0])
                .getConnectionFactory(SslConnectionFactory.class)
                .getSslContextFactory();
    }

    /** A handshake with only {@code protocol} and (unless null) only {@code suite} enabled; the socket is left open. */
    static SSLSocket connect(int port, SSLContext client, String protocol, String suite) throws IOException {
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        if (protocol != null) {
            s.setEnabledProtocols(new String[] {protocol});
        }
        if (suite != null) {
            s.setEnabledCipherSuites(new String[] {suite});
        }
        try {
            s.startHandshake();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The session of a new connection (default protocols and suites), closed afterwards. */
    static SSLSession session(int port, SSLContext client, String protocol, String suite) throws IOException {
        try (SSLSocket s = connect(port, client, protocol, suite)) {
            return s.getSession();
        }
    }

    /** The serial number of the certificate a new connection is served. */
    static BigInteger servedSerial(int port, SSLContext client) throws IOException {
        return ((X509Certificate) session(port, client, null, null).getPeerCertificates()[0]).getSerialNumber();
    }

    /** One HTTP/1.1 request on an open (kept-alive) connection; the status code. */
    static int get(SSLSocket s) throws IOException {
        s.getOutputStream()
                .write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        String status = line(in);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(status.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
