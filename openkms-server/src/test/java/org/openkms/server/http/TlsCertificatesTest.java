package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ConfigException;
import org.openkms.server.config.ServerConfig;

/**
 * The operator's --tls-cert/--tls-key: RSA (2048, 3072) and EC (P-256, P-384) server certificates with an
 * intermediate, keys in PKCS#8, PKCS#1 and SEC1 PEM, as BouncyCastle and the openssl command write them, are
 * served by the real server to the JDK's HttpClient trusting only the test root; unusable files stop the
 * start with one line naming the option; and the running server picks up renewed files by itself.
 */
class TlsCertificatesTest {
    @TempDir
    Path dir;

    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create();
    }

    private OpenKmsServer start(Path cert, Path key) throws Exception {
        return start(cert, key, dir.resolve("data"));
    }

    private OpenKmsServer start(Path cert, Path key, Path dataDir) throws Exception {
        return OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dataDir)
                .withListen("")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey("LTAItlscert", "tls-cert-secret")
                .withTls(cert, key));
    }

    private static HttpResponse<String> healthz(OpenKmsServer server, SSLContext trust, String host, String protocol)
            throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10));
        if (protocol != null) {
            SSLParameters p = new SSLParameters();
            p.setProtocols(new String[] {protocol});
            b.sslParameters(p);
        }
        HttpResponse<String> r = b.build()
                .send(
                        HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.httpsPort() + "/healthz"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    @ParameterizedTest(name = "{0} key as {1}")
    @CsvSource({
        "RSA-2048,PKCS#1",
        "RSA-2048,PKCS#8",
        "RSA-3072,PKCS#8",
        "P-256,SEC1",
        "P-256,PKCS#8",
        "P-384,SEC1",
        "P-384,PKCS#8"
    })
    void rsaAndEcdsaChainsAreServed(String type, String encoding) throws Exception {
        TestPki.Leaf leaf = pki.leaf(type);
        String keyPem = encoding.equals("PKCS#8") ? TestPki.pkcs8(leaf.key()) : TestPki.traditional(leaf.keyPair());
        assertThat(keyPem)
                .startsWith(
                        switch (encoding) {
                            case "PKCS#8" -> "-----BEGIN PRIVATE KEY-----";
                            case "PKCS#1" -> "-----BEGIN RSA PRIVATE KEY-----";
                            default -> "-----BEGIN EC PRIVATE KEY-----";
                        });
        Path cert = TestPki.write(dir.resolve("fullchain.pem"), pki.chainPem(leaf));
        Path key = TestPki.write(dir.resolve("privkey.pem"), keyPem);
        boolean rsa = type.startsWith("RSA");
        try (OpenKmsServer server = start(cert, key)) {
            SSLContext trust = pki.clientContext();
            for (String host : List.of("127.0.0.1", "localhost")) { // hostname verification against the SANs included
                SSLSession s = healthz(server, trust, host, null).sslSession().orElseThrow();
                assertThat(s.getProtocol()).isEqualTo("TLSv1.3");
                Certificate[] chain = s.getPeerCertificates();
                assertThat(chain)
                        .containsExactly(leaf.certificate(), pki.intermediate); // the intermediate is sent along
                if (rsa) {
                    assertThat(((RSAPublicKey) chain[0].getPublicKey())
                                    .getModulus()
                                    .bitLength())
                            .isEqualTo(Integer.parseInt(type.substring(4)));
                } else {
                    assertThat(((ECPublicKey) chain[0].getPublicKey())
                                    .getParams()
                                    .getCurve()
                                    .getField()
                                    .getFieldSize())
                            .isEqualTo(type.equals("P-256") ? 256 : 384);
                }
            }
            // With TLS 1.2 the suite names the certificate type.
            SSLSession s12 =
                    healthz(server, trust, "127.0.0.1", "TLSv1.2").sslSession().orElseThrow();
            assertThat(s12.getCipherSuite())
                    .isEqualTo(
                            rsa ? "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Test
    void filesMadeByTheOpensslCommandAreServed() throws Exception {
        Assumptions.assumeTrue(
                TestPki.openSslAvailable(), "openssl is not installed (scripts/ensure-services.sh installs it)");
        String san = "subjectAltName=IP:127.0.0.1,DNS:localhost";
        // openssl ecparam -genkey writes an "EC PARAMETERS" block before the SEC1 key; genrsa -traditional writes
        // PKCS#1.
        openssl("ecparam", "-name", "secp384r1", "-genkey", "-out", "ec.key");
        openssl(
                "req",
                "-x509",
                "-key",
                "ec.key",
                "-out",
                "ec.crt",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                san);
        openssl("genrsa", "-traditional", "-out", "rsa.key", "3072");
        openssl(
                "req",
                "-x509",
                "-key",
                "rsa.key",
                "-out",
                "rsa.crt",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                san);
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "p8.key",
                "-out",
                "p8.crt",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                san);
        assertThat(Files.readString(dir.resolve("ec.key")))
                .contains("-----BEGIN EC PARAMETERS-----", "-----BEGIN EC PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("rsa.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("p8.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(TlsMaterial.load(dir.resolve("rsa.crt"), dir.resolve("rsa.key"))
                        .describe())
                .contains("RSA 3072");
        assertThat(TlsMaterial.load(dir.resolve("p8.crt"), dir.resolve("p8.key"))
                        .describe())
                .contains("EC P-256");
        try (OpenKmsServer server = start(dir.resolve("ec.crt"), dir.resolve("ec.key"))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            try (var in = Files.newInputStream(dir.resolve("ec.crt"))) {
                ks.setCertificateEntry(
                        "self", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext trust = SSLContext.getInstance("TLS");
            trust.init(null, tmf.getTrustManagers(), null);
            SSLSession s =
                    healthz(server, trust, "localhost", "TLSv1.2").sslSession().orElseThrow();
            assertThat(s.getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
        // Encrypted keys, as openssl writes them: refused with the way out.
        openssl("pkey", "-in", "p8.key", "-aes256", "-passout", "pass:secret", "-out", "p8-encrypted.key");
        openssl(
                "rsa",
                "-in",
                "rsa.key",
                "-aes128",
                "-traditional",
                "-passout",
                "pass:secret",
                "-out",
                "rsa-encrypted.key");
        assertThat(Files.readString(dir.resolve("p8-encrypted.key")))
                .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("rsa-encrypted.key"))).contains("Proc-Type: 4,ENCRYPTED");
        assertThat(refusal(dir.resolve("p8.crt"), dir.resolve("p8-encrypted.key")))
                .startsWith("openkms: --tls-key " + dir.resolve("p8-encrypted.key") + ": the private key is encrypted");
        assertThat(refusal(dir.resolve("rsa.crt"), dir.resolve("rsa-encrypted.key")))
                .startsWith(
                        "openkms: --tls-key " + dir.resolve("rsa-encrypted.key") + ": the private key is encrypted");
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    /** The one-line refusal of a start with these files; nothing was written. */
    private String refusal(Path cert, Path key) {
        Path dataDir = dir.resolve("refused-data");
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> start(cert, key, dataDir).close());
        assertThat(e).as("the start was refused").isNotNull();
        assertThat(dataDir).doesNotExist();
        return e.line();
    }

    @Test
    void unusableFilesStopTheStartWithOneLineNamingTheOption() throws Exception {
        TestPki.Leaf leaf = pki.leaf("P-256");
        TestPki.Leaf other = pki.leaf("P-256");
        TestPki.Leaf rsa = pki.leaf("RSA-2048");
        Path cert = TestPki.write(dir.resolve("server.crt"), pki.chainPem(leaf));
        Path key = TestPki.write(dir.resolve("server.key"), TestPki.pkcs8(leaf.key()));
        String hex = leaf.certificate().getSerialNumber().toString(16);

        // A key that is not the certificate's: another EC key, an RSA key.
        Path otherKey = TestPki.write(dir.resolve("other.key"), TestPki.pkcs8(other.key()));
        assertThat(refusal(cert, otherKey))
                .isEqualTo("openkms: --tls-cert " + cert + " --tls-key " + otherKey
                        + ": the private key does not belong to the certificate CN=localhost (serial " + hex + ")");
        Path rsaKey = TestPki.write(dir.resolve("rsa.key"), TestPki.traditional(rsa.keyPair()));
        assertThat(refusal(cert, rsaKey))
                .isEqualTo("openkms: --tls-cert " + cert + " --tls-key " + rsaKey
                        + ": the private key does not belong to the certificate CN=localhost (serial " + hex + ")");

        // Expired, and not yet valid.
        TestPki.Leaf old =
                pki.leaf(leaf.keyPair(), Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z"));
        Path expired = TestPki.write(dir.resolve("expired.crt"), pki.chainPem(old));
        assertThat(refusal(expired, key))
                .isEqualTo("openkms: --tls-cert " + expired
                        + ": the server certificate CN=localhost expired on 2021-01-01T00:00:00Z (renew it)");
        TestPki.Leaf future = pki.leaf(
                leaf.keyPair(),
                Instant.now().plus(Duration.ofDays(2)),
                Instant.now().plus(Duration.ofDays(30)));
        Path early = TestPki.write(dir.resolve("future.crt"), pki.chainPem(future));
        assertThat(refusal(early, key))
                .startsWith(
                        "openkms: --tls-cert " + early + ": the server certificate CN=localhost is not valid before ")
                .endsWith("(check the clock)");

        // No certificate in the certificate file: text, or the key given twice.
        Path text = TestPki.write(dir.resolve("text.crt"), "not a certificate\n");
        assertThat(refusal(text, key))
                .isEqualTo("openkms: --tls-cert " + text
                        + ": no certificate in it (expected PEM: -----BEGIN CERTIFICATE-----"
                        + " blocks, the server certificate first, then its intermediates)");
        Path garbled = TestPki.write(
                dir.resolve("garbled.crt"), "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n");
        assertThat(refusal(garbled, key))
                .startsWith("openkms: --tls-cert " + garbled + ": not a valid PEM certificate file (");
        Path garbledKey = TestPki.write(
                dir.resolve("garbled.key"), "-----BEGIN PRIVATE KEY-----\nMIIBAAAA\n-----END PRIVATE KEY-----\n");
        assertThat(refusal(cert, garbledKey))
                .startsWith("openkms: --tls-key " + garbledKey + ": not a valid PEM private key file (");
        assertThat(refusal(key, key))
                .isEqualTo("openkms: --tls-cert " + key
                        + ": holds a private key but no certificate (were --tls-cert and --tls-key swapped?)");
        assertThat(refusal(cert, cert))
                .isEqualTo("openkms: --tls-key " + cert
                        + ": holds a certificate but no private key (were --tls-cert and --tls-key swapped?)");

        // Encrypted keys (PKCS#8 and OpenSSL's traditional form).
        for (String pem : List.of(TestPki.encryptedPkcs8(leaf.key()), TestPki.encryptedTraditional(leaf.key()))) {
            Path encrypted = TestPki.write(dir.resolve("encrypted.key"), pem);
            assertThat(refusal(cert, encrypted))
                    .isEqualTo("openkms: --tls-key " + encrypted + ": the private key is encrypted;"
                            + " the server reads only unencrypted keys (decrypt it with: openssl pkey -in KEY -out KEY.plain,"
                            + " and keep that file readable by the server's user only)");
        }

        // The intermediate first: clients would be sent the wrong certificate.
        Path reversed = TestPki.write(
                dir.resolve("reversed.crt"), TestPki.pem(pki.intermediate) + TestPki.pem(leaf.certificate()));
        assertThat(refusal(reversed, key))
                .isEqualTo(
                        "openkms: --tls-cert " + reversed + ": the private key belongs to certificate 2 in the file"
                                + " (CN=localhost), not to the first; put the server certificate first, then its intermediates");

        // Certificates not meant for a TLS server: no digitalSignature (RSA key transport only), client authentication
        // only.
        TestPki.Leaf encipherOnly = pki.leaf(
                rsa.keyPair(),
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(9)),
                org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment,
                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth);
        Path encipherCert = TestPki.write(dir.resolve("encipher.crt"), pki.chainPem(encipherOnly));
        assertThat(refusal(encipherCert, rsaKey))
                .isEqualTo(
                        "openkms: --tls-cert " + encipherCert + ": the server certificate's key usage lacks"
                                + " digitalSignature, which every TLS 1.3 and ECDHE handshake needs (RFC 8446 section 4.4.2.2); issue one with digitalSignature");
        TestPki.Leaf clientOnly = pki.leaf(
                leaf.keyPair(),
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(9)),
                org.bouncycastle.asn1.x509.KeyUsage.digitalSignature,
                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth);
        Path clientCert = TestPki.write(dir.resolve("client.crt"), pki.chainPem(clientOnly));
        assertThat(refusal(clientCert, key))
                .isEqualTo(
                        "openkms: --tls-cert " + clientCert + ": the server certificate's extended key usage"
                                + " does not include serverAuth, so clients would refuse it (RFC 5280 section 4.2.1.12); issue one for TLS Web Server Authentication");

        // Keys clients refuse.
        TestPki.Leaf weak = pki.leaf("RSA-1024");
        Path weakCert = TestPki.write(dir.resolve("weak.crt"), pki.chainPem(weak));
        Path weakKey = TestPki.write(dir.resolve("weak.key"), TestPki.pkcs8(weak.key()));
        assertThat(refusal(weakCert, weakKey))
                .isEqualTo(
                        "openkms: --tls-cert " + weakCert
                                + ": the server certificate has a 1024-bit RSA key, too short; use RSA (2048 bits or more) or EC P-256, P-384 or P-521");
        TestPki.Leaf k1 = pki.leaf("secp256k1");
        Path k1Cert = TestPki.write(dir.resolve("k1.crt"), pki.chainPem(k1));
        Path k1Key = TestPki.write(dir.resolve("k1.key"), TestPki.pkcs8(k1.key()));
        assertThat(refusal(k1Cert, k1Key))
                .isEqualTo(
                        "openkms: --tls-cert " + k1Cert + ": the server certificate's EC key is on a curve"
                                + " TLS clients do not accept for signatures; use RSA (2048 bits or more) or EC P-256, P-384 or P-521");
    }

    @Test
    void theServerPicksUpRenewedFilesByItself() throws Exception {
        TestPki.Leaf a = pki.leaf("P-256");
        Path cert = TestPki.write(dir.resolve("fullchain.pem"), pki.chainPem(a));
        Path key = TestPki.write(dir.resolve("privkey.pem"), TestPki.pkcs8(a.key()));
        try (OpenKmsServer server = start(cert, key)) {
            SSLContext trust = pki.clientContext();
            assertThat(served(server, trust)).isEqualTo(a.certificate().getSerialNumber());
            TestPki.Leaf b = pki.leaf("RSA-3072");
            TestPki.write(key, TestPki.pkcs8(b.key()));
            TestPki.write(cert, pki.chainPem(b));
            // Polled every TlsReloader.DEFAULT_INTERVAL (5 s).
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> served(server, trust).equals(b.certificate().getSerialNumber()));
            assertThat(server.tlsCertificate()).isEqualTo(cert);
        }
    }

    private static BigInteger served(OpenKmsServer server, SSLContext trust) throws Exception {
        SSLSession s = healthz(server, trust, "127.0.0.1", null).sslSession().orElseThrow();
        return ((X509Certificate) s.getPeerCertificates()[0]).getSerialNumber();
    }
}
