package org.openkms.crypto.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncryptionContextsTest {
    @Test
    void orderOfPairsDoesNotMatter() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("purpose", "demo");
        a.put("k e*y~", "v+/=é");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("k e*y~", "v+/=é");
        b.put("purpose", "demo");
        assertThat(EncryptionContexts.canonical(a)).isEqualTo(EncryptionContexts.canonical(b));
    }

    @Test
    void differentContextsNeverCollide() {
        // Naive concatenation would map both of these to "abc".
        assertThat(EncryptionContexts.canonical(Map.of("a", "bc")))
                .isNotEqualTo(EncryptionContexts.canonical(Map.of("ab", "c")));
        assertThat(EncryptionContexts.canonical(Map.of("a", "b")))
                .isNotEqualTo(EncryptionContexts.canonical(Map.of("a", "B")));
    }

    @Test
    void absentAndEmptyContextsAreTheSame() {
        assertThat(EncryptionContexts.canonical(null)).isEmpty();
        assertThat(EncryptionContexts.canonical(Map.of())).isEmpty();
    }
}
