package org.openkms.wire.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.openkms.wire.PercentEncoding;

/**
 * {@link PercentEncoding}: the decoder of every query string and form body the server receives.
 *
 * <p>Contract fuzzed: {@code decodeForm} throws nothing but IllegalArgumentException; re-encoding what it decoded and
 * decoding again gives the same parameters; {@code decodeComponent(encode(s)) == s} for any text that has a UTF-8
 * form (an unpaired surrogate has none and is documented to encode as '?').
 *
 * <p>{@code @Timeout}: per input in regression runs; while fuzzing, Jazzer turns it into libFuzzer's per-input
 * {@code -timeout} (docs/fuzzing.md).
 */
class PercentEncodingFuzzTest {

    @FuzzTest
    @Timeout(10)
    void decodeForm(byte[] input) {
        String raw = FuzzText.decode(input);
        Map<String, String> params;
        try {
            params = PercentEncoding.decodeForm(raw);
        } catch (IllegalArgumentException e) {
            return; // documented: malformed escape or invalid UTF-8
        }
        if (FuzzText.hasLoneSurrogate(raw)) {
            return; // unescaped lone surrogates pass through the fast path as they are; they have no encoding
        }
        StringBuilder canonical = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (canonical.length() > 0) {
                canonical.append('&');
            }
            canonical
                    .append(PercentEncoding.encode(e.getKey()))
                    .append('=')
                    .append(PercentEncoding.encode(e.getValue()));
        }
        Map<String, String> again = PercentEncoding.decodeForm(canonical.toString());
        assertThat(again).isEqualTo(params);
    }

    @FuzzTest
    @Timeout(10)
    void encodeThenDecode(byte[] input) {
        String s = FuzzText.decode(input);
        String encoded = PercentEncoding.encode(s);
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || c == '%';
            assertThat(ok).as("unescaped %s in %s", c, encoded).isTrue();
        }
        String decoded = PercentEncoding.decodeComponent(encoded, 0, encoded.length());
        if (FuzzText.hasLoneSurrogate(s)) {
            assertThat(decoded).isEqualTo(withLoneSurrogatesAsQuestionMarks(s));
        } else {
            assertThat(decoded).isEqualTo(s);
        }
        StringBuilder appended = new StringBuilder("x");
        PercentEncoding.encode(s, appended);
        assertThat(appended.substring(1)).isEqualTo(encoded);
    }

    private static String withLoneSurrogatesAsQuestionMarks(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '?' : c);
            }
        }
        return sb.toString();
    }
}
