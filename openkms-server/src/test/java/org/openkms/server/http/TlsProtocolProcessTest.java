package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.0 and 1.1 are refused by the listener's own configuration ({@link TlsPolicy}), not only by the JDK's
 * default jdk.tls.disabledAlgorithms: in a JVM whose java.security re-enables them (as an operator's might),
 * a JDK client that does speak TLS 1.1 (shown against a bare JDK server socket) gets the listener's
 * protocol_version alert. The same listener is then probed with OpenSSL's s_client, an independent client:
 * TLS 1.0/1.1, static RSA (AES128-SHA) and ECDHE-CBC are refused; ECDHE-GCM, ECDHE-ChaCha20 and TLS 1.3 are
 * served, with the full chain verifying against the test root.
 */
class TlsProtocolProcessTest {
    /** The JDK 17 default (conf/security/java.security) without TLSv1 and TLSv1.1. */
    private static final String RELAXED =
            "jdk.tls.disabledAlgorithms=SSLv3, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, "
                    + "EC keySize < 224, 3DES_EDE_CBC, anon, NULL, ECDH\n";

    @TempDir
    Path dir;

    @Test
    void oldProtocolsAndWeakSuitesAreRefusedEvenWhereTheJdkWouldAllowThem() throws Exception {
        TestPki pki = TestPki.create();
        TestPki.Leaf leaf = pki.leaf("RSA-2048");
        Path cert = TestPki.write(dir.resolve("server.crt"), pki.chainPem(leaf));
        Path key = TestPki.write(dir.resolve("server.key"), TestPki.traditional(leaf.keyPair()));
        Path root = TestPki.write(dir.resolve("root.pem"), TestPki.pem(pki.root));
        Path security = Files.writeString(dir.resolve("relaxed.security"), RELAXED);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + security,
                "-cp",
                System.getProperty("java.class.path"),
                TlsProbe.class.getName(),
                cert.toString(),
                key.toString(),
                root.toString(),
                "TLSv1.1:TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLSv1:TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLSv1.2:TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                "TLSv1.2:TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLSv1.2:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLSv1.3:TLS_AES_256_GCM_SHA384"));
        Process p = new ProcessBuilder(cmd)
                .redirectError(dir.resolve("probe.err").toFile())
                .start();
        try {
            Map<String, String> probes = new LinkedHashMap<>();
            int port = -1;
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                String[] f = line.split("\\|", 3);
                if (f[0].equals("PROBE")) {
                    probes.put(f[1], f[2]);
                } else if (f[0].equals("PORT")) {
                    port = Integer.parseInt(f[1]);
                    break;
                }
            }
            assertThat(port)
                    .as("probe output %s, stderr %s", probes, Files.readString(dir.resolve("probe.err")))
                    .isPositive();
            // This JVM speaks TLS 1.1 ...
            assertThat(probes.get("control TLSv1.1")).isEqualTo("OK TLSv1.1");
            // ... and the listener refuses it with its own alert.
            assertThat(probes.get("TLSv1.1:TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"))
                    .startsWith("REFUSED")
                    .contains("protocol_version");
            assertThat(probes.get("TLSv1:TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"))
                    .startsWith("REFUSED")
                    .contains("protocol_version");
            assertThat(probes.get("TLSv1.2:TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"))
                    .startsWith("REFUSED")
                    .contains("handshake_failure");
            assertThat(probes.get("TLSv1.2:TLS_RSA_WITH_AES_128_CBC_SHA"))
                    .startsWith("REFUSED")
                    .contains("handshake_failure");
            assertThat(probes.get("TLSv1.2:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"))
                    .isEqualTo("OK TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
            assertThat(probes.get("TLSv1.3:TLS_AES_256_GCM_SHA384")).isEqualTo("OK TLSv1.3 TLS_AES_256_GCM_SHA384");

            Assumptions.assumeTrue(
                    TestPki.openSslAvailable(), "openssl is not installed (scripts/ensure-services.sh installs it)");
            // SECLEVEL=0 lets OpenSSL 3 offer TLS 1.0/1.1 at all, so the refusal seen is the server's alert.
            assertThat(sClient(port, root, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"))
                    .startsWith("FAILED")
                    .contains("alert protocol version");
            assertThat(sClient(port, root, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0"))
                    .startsWith("FAILED")
                    .contains("alert protocol version");
            assertThat(sClient(port, root, "-tls1_2", "-cipher", "AES128-SHA"))
                    .startsWith("FAILED")
                    .contains("alert handshake failure");
            assertThat(sClient(port, root, "-tls1_2", "-cipher", "AES128-GCM-SHA256"))
                    .startsWith("FAILED")
                    .contains("alert handshake failure");
            assertThat(sClient(port, root, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"))
                    .startsWith("FAILED")
                    .contains("alert handshake failure");
            assertThat(sClient(port, root, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"))
                    .startsWith("OK")
                    .contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256")
                    .contains("Verify return code: 0 (ok)");
            assertThat(sClient(port, root, "-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"))
                    .startsWith("OK")
                    .contains("Cipher is ECDHE-RSA-CHACHA20-POLY1305");
            assertThat(sClient(port, root, "-tls1_3"))
                    .startsWith("OK")
                    .contains("TLSv1.3")
                    .contains("Verify return code: 0 (ok)");
            assertThat(sClient(port, root, "-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"))
                    .startsWith("OK")
                    .contains("Cipher is TLS_CHACHA20_POLY1305_SHA256");
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** "OK" or "FAILED", then s_client's output: a handshake with an empty request (stdin at end of file). */
    private static String sClient(int port, Path root, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + port,
                "-CAfile",
                root.toString(),
                "-verify_ip",
                "127.0.0.1",
                "-verify_return_error"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl s_client did not finish: " + out);
        }
        return (p.exitValue() == 0 ? "OK\n" : "FAILED\n") + out;
    }
}
