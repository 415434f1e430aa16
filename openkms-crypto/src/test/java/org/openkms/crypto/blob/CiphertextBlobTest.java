package org.openkms.crypto.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openkms.crypto.CryptoException;

class CiphertextBlobTest {
    private final String versionId = UUID.randomUUID().toString();

    @Test
    void roundTripsAndStartsWithTheVersionIdLikeAlibabasBlobs() throws Exception {
        byte[] iv = new byte[12];
        Arrays.fill(iv, (byte) 7);
        byte[] ct = new byte[20];
        byte[] encoded = new CiphertextBlob(versionId, iv, ct).encode();
        assertThat(new String(encoded, 0, 36, StandardCharsets.US_ASCII)).isEqualTo(versionId);
        CiphertextBlob back = CiphertextBlob.decode(encoded);
        assertThat(back.keyVersionId()).isEqualTo(versionId);
        assertThat(back.iv()).isEqualTo(iv);
        assertThat(back.ciphertext()).isEqualTo(ct);
    }

    @Test
    void documentedExampleHeaderDecodesToItsVersionId() throws Exception {
        // The GenerateDataKey documentation example starts with these Base64 characters
        // (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-generatedatakey).
        byte[] prefix = Base64.getDecoder().decode("ODZhOWVmZDktM2QxNi00ODk0LWJkNGYtMWZjNDNmM2YyYWJm");
        assertThat(new String(prefix, StandardCharsets.US_ASCII)).isEqualTo("86a9efd9-3d16-4894-bd4f-1fc43f3f2abf");
        byte[] blob = Arrays.copyOf(prefix, 36 + 12 + 16);
        assertThat(CiphertextBlob.decode(blob).keyVersionId()).isEqualTo("86a9efd9-3d16-4894-bd4f-1fc43f3f2abf");
    }

    @Test
    void rejectsTruncatedAndHeaderlessBlobs() {
        assertThatThrownBy(() -> CiphertextBlob.decode(new byte[63])).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> CiphertextBlob.decode(null)).isInstanceOf(CryptoException.class);
        byte[] binary = new byte[100];
        assertThatThrownBy(() -> CiphertextBlob.decode(binary)).isInstanceOf(CryptoException.class);
    }
}
