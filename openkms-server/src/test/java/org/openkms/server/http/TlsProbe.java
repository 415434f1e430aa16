package org.openkms.server.http;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.Server;

/**
 * Run by {@link TlsProtocolProcessTest} in a JVM whose java.security allows TLS 1.0 and 1.1: starts the HTTPS
 * listener with the given PEM files, shows that this JVM does speak TLS 1.1 (against a bare JDK server socket),
 * then tries each "protocol suite" argument against the listener. Prints lines starting with "PROBE|", then
 * "PORT|n" and keeps the listener up (for openssl s_client) until its standard input closes.
 *
 * <p>Arguments: certificate.pem key.pem root-ca.pem protocol:suite...
 */
public final class TlsProbe {
    private TlsProbe() {}

    public static void main(String[] args) throws Exception {
        TlsMaterial tls = TlsMaterial.load(Path.of(args[0]), Path.of(args[1]));
        X509Certificate root;
        try (var in = java.nio.file.Files.newInputStream(Path.of(args[2]))) {
            root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        System.out.println("PROBE|control TLSv1.1|" + control(tls, client));
        Server server = TlsTestServers.start(tls, Duration.ZERO);
        int port = TlsTestServers.port(server);
        for (int i = 3; i < args.length; i++) {
            String[] p = args[i].split(":");
            String outcome;
            try {
                SSLSession s = TlsTestServers.session(port, client, p[0], p[1]);
                outcome = "OK " + s.getProtocol() + " " + s.getCipherSuite();
            } catch (IOException e) {
                outcome = "REFUSED " + e.getMessage();
            }
            System.out.println("PROBE|" + args[i] + "|" + outcome);
        }
        System.out.println("PORT|" + port);
        System.out.flush();
        System.in.readAllBytes(); // until the test closes our stdin
        server.stop();
    }

    /** A TLS 1.1 handshake between this JVM's client and a bare JDK server socket that enables TLS 1.1. */
    private static String control(TlsMaterial tls, SSLContext client) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(tls.keyStore(), new char[0]);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket ss = (SSLServerSocket) serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ss.setEnabledProtocols(new String[] {"TLSv1.1"});
            Thread accept = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the client's outcome is what is reported
                }
            });
            accept.start();
            try {
                SSLSession s = TlsTestServers.session(ss.getLocalPort(), client, "TLSv1.1", null);
                return "OK " + s.getProtocol();
            } catch (IOException e) {
                return "REFUSED " + e.getMessage();
            } finally {
                accept.join(10_000);
            }
        }
    }
}
