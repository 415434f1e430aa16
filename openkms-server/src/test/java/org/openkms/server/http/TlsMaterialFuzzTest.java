package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * The PEM import of --tls-cert/--tls-key ({@link TlsMaterial#load}: certificate chains, PKCS#8, PKCS#1 and SEC1 keys,
 * through BouncyCastle's PEMParser, into a PKCS#12 KeyStore). Contract fuzzed: only the declared IOException and
 * GeneralSecurityException, which the server turns into a one-line configuration error; no runtime exception, hang
 * or memory blow-up from a malformed file.
 *
 * <p>Input: the certificate file, then a line {@code %%} and the key file; without that line both files hold the
 * whole input (a combined PEM file).
 */
class TlsMaterialFuzzTest {
    private static final byte[] SEPARATOR = {'\n', '%', '%', '\n'};
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("openkms-tls-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DIR.resolve("cert.pem").toFile().delete();
            DIR.resolve("key.pem").toFile().delete();
            DIR.toFile().delete();
        }));
    }

    @FuzzTest
    @Timeout(10)
    void load(byte[] input) throws IOException {
        int split = indexOf(input, SEPARATOR);
        byte[] cert = split < 0 ? input : Arrays.copyOfRange(input, 0, split);
        byte[] key = split < 0 ? input : Arrays.copyOfRange(input, split + SEPARATOR.length, input.length);
        Path certFile = Files.write(DIR.resolve("cert.pem"), cert);
        Path keyFile = Files.write(DIR.resolve("key.pem"), key);
        TlsMaterial tls;
        try {
            tls = TlsMaterial.load(certFile, keyFile);
        } catch (IOException | GeneralSecurityException e) {
            return; // documented
        }
        assertThat(tls.keyStore()).isNotNull();
        assertThat(tls.certificateFile()).isEqualTo(certFile);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
