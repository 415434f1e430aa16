package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener speaks TLS 1.2 and 1.3 with exactly the suites of {@link TlsPolicy}, which README.md
 * lists: the JDK's own client, forced onto one protocol and one suite at a time, is refused for TLS 1.1, for
 * CBC and for static-RSA suites, and served for ECDHE with AES-GCM or ChaCha20-Poly1305 and for TLS 1.3, with
 * an RSA and with an ECDSA certificate. (That TLS 1.0/1.1 are refused by this configuration and not merely by
 * the JDK's jdk.tls.disabledAlgorithms is shown in a JVM that allows them: {@link TlsProtocolProcessTest}.)
 */
class TlsPolicyTest {
    @TempDir
    static Path dir;

    static TestPki pki;
    static SSLContext client;
    static Server rsa;
    static Server ec;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create();
        client = pki.clientContext();
        rsa = TlsTestServers.start(material("rsa", pki.leaf("RSA-2048")), Duration.ZERO);
        ec = TlsTestServers.start(material("ec", pki.leaf("P-256")), Duration.ZERO);
    }

    static TlsMaterial material(String name, TestPki.Leaf leaf) throws Exception {
        return TlsMaterial.load(
                TestPki.write(dir.resolve(name + ".crt"), pki.chainPem(leaf)),
                TestPki.write(dir.resolve(name + ".key"), TestPki.pkcs8(leaf.key())));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Server s : new Server[] {rsa, ec}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    @Test
    void theListenerIsConfiguredWithExactlyTheDocumentedVersionsAndSuites() throws Exception {
        for (Server s : List.of(rsa, ec)) {
            SslContextFactory.Server ssl = TlsTestServers.sslContextFactory(s);
            assertThat(ssl.getSelectedProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(ssl.getSelectedCipherSuites()).containsExactlyElementsOf(TlsPolicy.CIPHER_SUITES);
            assertThat(ssl.getExcludeProtocols()).contains("SSLv3", "TLSv1", "TLSv1.1");
        }
        // README.md's TLS subsection lists the same suites and versions.
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("\n### TLS\n");
        assertThat(start).as("README.md has a '### TLS' subsection").isPositive();
        String section = readme.substring(start, readme.indexOf("\n#", start + 5));
        for (String suite : TlsPolicy.CIPHER_SUITES) {
            assertThat(section).contains("`" + suite + "`");
        }
        assertThat(section).contains("TLS 1.2", "TLS 1.3");
    }

    @Test
    void tls11IsRefused() {
        for (Server s : List.of(rsa, ec)) {
            assertRefused(s, "TLSv1.1", null, "protocol_version");
            assertRefused(s, "TLSv1", null, "protocol_version");
        }
    }

    @Test
    void cbcAndStaticRsaSuitesAreRefused() {
        for (String suite : List.of(
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")) {
            assertRefused(rsa, "TLSv1.2", suite, "handshake_failure");
        }
        for (String suite : List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")) {
            assertRefused(ec, "TLSv1.2", suite, "handshake_failure");
        }
    }

    @Test
    void ecdheAeadSuitesAndTls13AreServed() throws Exception {
        for (String suite : List.of(
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")) {
            assertServed(rsa, "TLSv1.2", suite, "RSA");
        }
        for (String suite : List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")) {
            assertServed(ec, "TLSv1.2", suite, "EC");
        }
        for (String suite :
                List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")) {
            assertServed(rsa, "TLSv1.3", suite, "RSA");
            assertServed(ec, "TLSv1.3", suite, "EC");
        }
        // A client offering everything gets TLS 1.3 and the server's first choice.
        SSLSession s = TlsTestServers.session(TlsTestServers.port(ec), client, null, null);
        assertThat(s.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(s.getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        // Forced onto TLS 1.2 with the JDK's default suites (CBC ones included), it gets the server's first TLS 1.2
        // choice.
        assertThat(TlsTestServers.session(TlsTestServers.port(rsa), client, "TLSv1.2", null)
                        .getCipherSuite())
                .isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(TlsTestServers.session(TlsTestServers.port(ec), client, "TLSv1.2", null)
                        .getCipherSuite())
                .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    private static void assertServed(Server server, String protocol, String suite, String keyType) throws Exception {
        SSLSession s = TlsTestServers.session(TlsTestServers.port(server), client, protocol, suite);
        assertThat(s.getProtocol()).as(suite).isEqualTo(protocol);
        assertThat(s.getCipherSuite()).isEqualTo(suite);
        assertThat(s.getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo(keyType);
    }

    /**
     * The handshake fails. When this JVM's client is willing to offer the protocol and suite (it is not for
     * TLS 1.0/1.1, which the JDK disables by default, nor for suites it disables), the failure must be the
     * server's alert, so the refusal is the server's.
     */
    private static void assertRefused(Server server, String protocol, String suite, String alert) {
        Throwable t = catchThrowable(() -> TlsTestServers.connect(TlsTestServers.port(server), client, protocol, suite)
                .close());
        assertThat(t).as(protocol + " " + suite).isInstanceOf(SSLHandshakeException.class);
        boolean clientOffers = Arrays.asList(client.getDefaultSSLParameters().getProtocols())
                        .contains(protocol)
                && (suite == null
                        || Arrays.asList(client.getDefaultSSLParameters().getCipherSuites())
                                .contains(suite));
        if (clientOffers) {
            assertThat(t).as(protocol + " " + suite).hasMessageContaining("Received fatal alert: " + alert);
        }
    }
}
