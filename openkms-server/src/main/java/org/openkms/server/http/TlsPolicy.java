package org.openkms.server.http;

import java.security.KeyStore;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS listener's protocol versions and cipher suites, listed in README.md ("TLS") and asserted by
 * TlsPolicyTest.
 *
 * <p>TLS 1.2 and 1.3 only: RFC 8996 deprecates TLS 1.0 and 1.1. The suites are the AEAD ones with forward
 * secrecy that RFC 9325 (BCP 195) §4.2 recommends, as in Mozilla's "intermediate" configuration
 * (https://wiki.mozilla.org/Security/Server_Side_TLS) without the finite-field DHE ones: TLS 1.3's three
 * (RFC 8446 §B.4), and for TLS 1.2 ECDHE (RFC 8422) with AES-GCM (RFC 5289) or ChaCha20-Poly1305 (RFC 7905), for
 * ECDSA and for RSA certificates. Not offered: CBC suites (BEAST, padding oracles and Lucky Thirteen: RFC 7457 §2.3, §2.4),
 * static RSA key exchange (no forward secrecy, ROBOT), SHA-1 MACs, and everything else.
 *
 * <p>The list is exact, not a filter over the JDK's defaults, so a JDK update that enables a new suite does not
 * change what the server offers. Names are the JSSE standard names
 * (https://docs.oracle.com/en/java/javase/17/docs/specs/security/standard-names.html#jsse-cipher-suite-names).
 * The server's order is used (Jetty's default, SslContextFactory.setUseCipherSuitesOrder): AES-128-GCM first,
 * as it is the fastest with AES-NI and strong enough; ChaCha20 is there for clients without AES hardware.
 */
public final class TlsPolicy {
    /** The protocol versions offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Refused explicitly, not only through the JDK's jdk.tls.disabledAlgorithms: an operator's java.security
     * that re-enables them for some other program must not reach this listener. SSLv2Hello is the SSLv2-format
     * ClientHello that only SSLv3/TLS 1.0-era clients send.
     */
    public static final List<String> EXCLUDED_PROTOCOLS =
            List.of("SSL", "SSLv2", "SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1");

    /** The cipher suites offered, in the server's order of preference. */
    public static final List<String> CIPHER_SUITES = List.of(
            // TLS 1.3 (the certificate type does not enter into the suite)
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            // TLS 1.2, ECDSA certificates
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            // TLS 1.2, RSA certificates
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {}

    /** A Jetty SSL factory serving {@code keyStore}'s one key entry (empty password) under this policy. */
    public static SslContextFactory.Server sslContextFactory(KeyStore keyStore) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword("");
        ssl.setIncludeProtocols(PROTOCOLS.toArray(new String[0]));
        ssl.setExcludeProtocols(EXCLUDED_PROTOCOLS.toArray(new String[0]));
        // Jetty treats the entries as regular expressions; the standard names contain no metacharacters, so each
        // matches exactly itself. Jetty's own default exclusions (SSL_*, TLS_RSA_*, *_SHA, NULL, anon) stay set.
        ssl.setIncludeCipherSuites(CIPHER_SUITES.toArray(new String[0]));
        ssl.setUseCipherSuitesOrder(true);
        return ssl;
    }
}
