package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * The self-signed certificate is a TLS server leaf, not a CA: basicConstraints CA:FALSE (critical), keyUsage
 * digitalSignature (critical), extendedKeyUsage serverAuth, a subject key identifier, SANs 127.0.0.1, ::1 and
 * localhost. And clients that trust exactly server.crt still connect: Java's PKIX trust manager (which the V1
 * SDK and OkHttp in the V2 SDK use) and OpenSSL (curl, Node).
 */
class TlsMaterialTest {
    @TempDir
    Path dir;

    private static X509Certificate read(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    @Test
    void theSelfSignedCertificateIsANonCaServerLeaf() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(dir.resolve("tls"));
        X509Certificate cert = read(tls.certificateFile());
        assertThat(cert.getBasicConstraints()).isEqualTo(-1); // not a CA
        assertThat(cert.getCriticalExtensionOIDs())
                .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        boolean[] keyUsage = cert.getKeyUsage();
        assertThat(keyUsage[0]).as("digitalSignature").isTrue();
        for (int i = 1; i < keyUsage.length; i++) {
            assertThat(keyUsage[i]).as("key usage bit " + i).isFalse(); // in particular no keyCertSign (5)
        }
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // id-kp-serverAuth
        assertThat(cert.getSubjectAlternativeNames().stream()
                        .map(n -> String.valueOf(n.get(1)))
                        .toList())
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        X509CertificateHolder holder = new X509CertificateHolder(cert.getEncoded());
        assertThat(holder.getExtension(Extension.subjectKeyIdentifier)).isNotNull();
        cert.verify(cert.getPublicKey()); // self-signed
        assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
    }

    @Test
    void preparedMaterialIsWrittenOnlyOnSaveWithPrivateModes() throws Exception {
        Path tlsDir = dir.resolve("data").resolve("tls");
        Files.createDirectories(tlsDir.getParent());
        TlsMaterial tls = TlsMaterial.prepareSelfSigned(tlsDir);
        assertThat(tlsDir).doesNotExist();
        tls.save();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tlsDir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tlsDir.resolve("server.key"))))
                .isEqualTo("rw-------");
        // Saved material is what the next start reads, unchanged.
        assertThat(read(TlsMaterial.prepareSelfSigned(tlsDir).certificateFile()))
                .isEqualTo(read(tls.certificateFile()));
    }

    @Test
    void clientsTrustingOnlyServerCrtConnect() throws Exception {
        try (OpenKmsServer server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withListen("")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey("LTAItls", "tls-secret"))) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("openkms", read(server.tlsCertificate()));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();
            for (String host : List.of("127.0.0.1", "localhost")) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.httpsPort() + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(host).isEqualTo(200); // hostname verification included (SAN)
            }
            // OpenSSL, which Node and curl use, takes the leaf as its own trust anchor too.
            Assumptions.assumeTrue(
                    new ProcessBuilder("openssl", "version").start().waitFor() == 0, "openssl is not installed");
            Process verify = new ProcessBuilder(
                            "openssl",
                            "verify",
                            "-purpose",
                            "sslserver",
                            "-verify_ip",
                            "127.0.0.1",
                            "-CAfile",
                            server.tlsCertificate().toString(),
                            server.tlsCertificate().toString())
                    .redirectErrorStream(true)
                    .start();
            assertThat(verify.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(verify.getInputStream().readAllBytes());
            assertThat(verify.exitValue()).as(out).isZero();
            assertThat(out).contains(": OK");
        }
    }
}
