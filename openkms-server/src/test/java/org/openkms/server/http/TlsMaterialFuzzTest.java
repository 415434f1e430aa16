package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * The PEM import of --tls-cert/--tls-key ({@link TlsMaterial#parse}: certificate chains, PKCS#8, PKCS#1 and SEC1 keys
 * through BouncyCastle's PEMParser, the pair's checks, a PKCS#12 KeyStore). Contract fuzzed: every problem is an
 * {@link TlsMaterial.InvalidMaterialException}, which the server turns into a one-line configuration error naming the
 * option; no runtime exception, hang or memory blow-up from a malformed file.
 *
 * <p>Input: the certificate file, then a line {@code %%} and the key file; without that line both files hold the
 * whole input (a combined PEM file). Checked at a fixed time, so that a finding replays.
 */
class TlsMaterialFuzzTest {
    private static final byte[] SEPARATOR = {'\n', '%', '%', '\n'};
    private static final Instant NOW = Instant.parse("2027-06-01T00:00:00Z");

    @FuzzTest
    @Timeout(10)
    void load(byte[] input) {
        int split = indexOf(input, SEPARATOR);
        byte[] cert = split < 0 ? input : Arrays.copyOfRange(input, 0, split);
        byte[] key = split < 0 ? input : Arrays.copyOfRange(input, split + SEPARATOR.length, input.length);
        TlsMaterial tls;
        try {
            tls = TlsMaterial.parse(cert, key, Path.of("cert.pem"), Path.of("key.pem"), NOW);
        } catch (TlsMaterial.InvalidMaterialException e) {
            assertThat(e.source()).isNotNull();
            return; // documented
        }
        assertThat(tls.keyStore()).isNotNull();
        assertThat(tls.describe()).isNotEmpty();
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
