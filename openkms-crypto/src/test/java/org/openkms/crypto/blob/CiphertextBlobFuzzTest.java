package org.openkms.crypto.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;
import org.openkms.crypto.CryptoException;

/**
 * {@link CiphertextBlob#decode}: the parser of every Decrypt/ReEncrypt CiphertextBlob. Contract fuzzed: only
 * CryptoException; a decoded blob encodes back to the same bytes, and its parts never exceed the input (a blob has no
 * length field that could make it allocate more than it was given).
 *
 * <p>{@code @Timeout}: per input in regression runs; while fuzzing, Jazzer passes it to libFuzzer as the per-input
 * {@code -timeout} (docs/fuzzing.md).
 */
class CiphertextBlobFuzzTest {

    @FuzzTest
    @Timeout(10)
    void decode(byte[] input) {
        CiphertextBlob blob;
        try {
            blob = CiphertextBlob.decode(input);
        } catch (CryptoException e) {
            return;
        }
        assertThat(blob.keyVersionId()).hasSize(CiphertextBlob.VERSION_ID_LENGTH);
        assertThat(blob.iv()).hasSize(12);
        assertThat(blob.ciphertext().length).isGreaterThanOrEqualTo(16).isLessThan(input.length);
        assertThat(blob.encode()).isEqualTo(input);
    }
}
