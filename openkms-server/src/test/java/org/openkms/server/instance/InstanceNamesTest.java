package org.openkms.server.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * The instanceNames option: the gateway's certificate answers to the configured names and addresses too, still
 * chains to the CA GetKmsInstance publishes (the CA does not change), and a restart without the option serves the
 * stored certificate again.
 */
class InstanceNamesTest {
    @TempDir
    Path dir;

    private OpenKmsServer start(List<String> names) throws Exception {
        return OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withInstanceListen("127.0.0.1:0")
                .withInstanceNames(names)
                .withRootAccessKey("LTAInamesTest", "names-test-secret"));
    }

    @Test
    void certificateCarriesTheConfiguredNamesAndChainsToTheSameCa() throws Exception {
        String ca;
        try (OpenKmsServer first = start(List.of())) { // the instance is created without extra names
            ca = first.instanceCaPem();
            assertThat(served(first, ca)).doesNotContain("kms.example.internal").contains("127.0.0.1");
        }
        try (OpenKmsServer named = start(List.of("kms.example.internal", "10.9.8.7"))) {
            assertThat(named.instanceCaPem()).isEqualTo(ca);
            assertThat(served(named, ca))
                    .contains("kms.example.internal", "10.9.8.7", "127.0.0.1", "localhost")
                    .contains(named.instanceId() + ".cryptoservice.kms.aliyuncs.com");
        }
        try (OpenKmsServer again = start(List.of())) { // the issued certificate was for that run only
            assertThat(served(again, ca)).doesNotContain("kms.example.internal");
        }
    }

    /** The subject alternative names of the certificate the instance port serves, verified against {@code caPem}. */
    private static List<String> served(OpenKmsServer server, String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (var c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.instancePort())) {
            s.startHandshake(); // fails unless the chain verifies against the instance CA
            X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
            List<String> names = new ArrayList<>();
            for (List<?> n : leaf.getSubjectAlternativeNames()) {
                String v = String.valueOf(n.get(1));
                names.add(v.indexOf(':') >= 0 ? InetAddress.getByName(v).getHostAddress() : v);
            }
            return names;
        }
    }
}
