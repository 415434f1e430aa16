package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PercentEncodingTest {

    @Test
    void encodesTheCharactersTheSdksDisagreeOn() {
        assertThat(PercentEncoding.encode(" ")).isEqualTo("%20");
        assertThat(PercentEncoding.encode("*")).isEqualTo("%2A");
        assertThat(PercentEncoding.encode("~")).isEqualTo("~");
        assertThat(PercentEncoding.encode("+")).isEqualTo("%2B");
        assertThat(PercentEncoding.encode("/")).isEqualTo("%2F");
        assertThat(PercentEncoding.encode("=")).isEqualTo("%3D");
        assertThat(PercentEncoding.encode("&")).isEqualTo("%26");
        assertThat(PercentEncoding.encode("%")).isEqualTo("%25");
        assertThat(PercentEncoding.encode("!'()")).isEqualTo("%21%27%28%29");
        assertThat(PercentEncoding.encode("é")).isEqualTo("%C3%A9");
        assertThat(PercentEncoding.encode("€")).isEqualTo("%E2%82%AC");
        assertThat(PercentEncoding.encode("\uD83D\uDE00")).isEqualTo("%F0%9F%98%80"); // U+1F600
        assertThat(PercentEncoding.encode("k e*y~")).isEqualTo("k%20e%2Ay~");
        assertThat(PercentEncoding.encode("")).isEmpty();
    }

    @Test
    void returnsTheSameInstanceWhenNothingNeedsEncoding() {
        String s = "AZaz09-_.~key-test";
        assertThat(PercentEncoding.encode(s)).isSameAs(s);
    }

    @Test
    void unpairedSurrogateEncodesAsQuestionMarkLikeStringGetBytes() {
        assertThat(PercentEncoding.encode("a\uD83Db")).isEqualTo("a%3Fb");
        assertThat(PercentEncoding.encode("\uDE00")).isEqualTo("%3F");
    }

    @Test
    void matchesTheJavaSdkRecipeOnRandomText() throws UnsupportedEncodingException {
        // openapiutil / AcsURLEncoder: URLEncoder, then + -> %20, * -> %2A, %7E -> ~
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(12);
            for (int i = 0; i < len; i++) {
                int pick = random.nextInt(10);
                if (pick < 6) {
                    sb.append((char) (32 + random.nextInt(95)));
                } else if (pick < 8) {
                    sb.append((char) (0xA0 + random.nextInt(0x700)));
                } else if (pick < 9) {
                    sb.append((char) (0x3000 + random.nextInt(0x5000)));
                } else {
                    sb.appendCodePoint(0x1F300 + random.nextInt(0x300));
                }
            }
            String s = sb.toString();
            String expected = URLEncoder.encode(s, "UTF-8")
                    .replace("+", "%20")
                    .replace("*", "%2A")
                    .replace("%7E", "~");
            assertThat(PercentEncoding.encode(s)).as("encode(%s)", s).isEqualTo(expected);
            StringBuilder appended = new StringBuilder("x");
            PercentEncoding.encode(s, appended);
            assertThat(appended.toString()).isEqualTo("x" + expected);
            // and the encoding round-trips through the form decoder
            assertThat(PercentEncoding.decodeForm("v=" + expected).get("v")).isEqualTo(s);
        }
    }

    @Test
    void decodesFormRulesPreservingOrder() {
        Map<String, String> m = PercentEncoding.decodeForm("b=1&a=x+y&c=%7e%7E&d=x%20y&e=%2B");
        assertThat(m)
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("b", "1"),
                        org.assertj.core.api.Assertions.entry("a", "x y"),
                        org.assertj.core.api.Assertions.entry("c", "~~"),
                        org.assertj.core.api.Assertions.entry("d", "x y"),
                        org.assertj.core.api.Assertions.entry("e", "+"));
    }

    @Test
    void decodesTheJavaV2WireExampleOfSection31() {
        Map<String, String> m = PercentEncoding.decodeForm("EncryptionContext=%7B%22purpose%22%3A%22demo%22%2C%22k+e*y"
                + "%7E%22%3A%22v%2B%2F%3D%C3%A9%22%7D&Plaintext=aGVs%2B%2FbG8%3D&KeyId=alias%2Fmy+key");
        assertThat(m.get("EncryptionContext")).isEqualTo("{\"purpose\":\"demo\",\"k e*y~\":\"v+/=\u00e9\"}");
        assertThat(m.get("Plaintext")).isEqualTo("aGVs+/bG8=");
        assertThat(m.get("KeyId")).isEqualTo("alias/my key");
    }

    @Test
    void aNameGivenTwiceIsRefusedWhateverItsEncodingOrValues() {
        for (String raw : Arrays.asList("a=1&a=2", "a=1&a=1", "a=1&%61=2", "Flag&Flag=", "=x&=y", "K+e=1&K%20e=2")) {
            assertThatThrownBy(() -> PercentEncoding.decodeForm(raw))
                    .as(raw)
                    .isInstanceOf(DuplicateParameterException.class);
        }
        assertThat(((DuplicateParameterException) catchThrowable(() -> PercentEncoding.decodeForm("x=1&K+e=1&K%20e=2")))
                        .name())
                .isEqualTo("K e");
        // Flattened members are distinct names.
        assertThat(PercentEncoding.decodeForm("Tag.1.TagKey=a&Tag.2.TagKey=b&Tag.1.TagValue=c"))
                .hasSize(3);
    }

    @Test
    void emptyValuesMissingEqualsAndEmptySegments() {
        Map<String, String> m = PercentEncoding.decodeForm("&Description=&Flag&a=1&&b=2&=v&");
        assertThat(m)
                .containsEntry("Description", "")
                .containsEntry("Flag", "")
                .containsEntry("a", "1")
                .containsEntry("b", "2")
                .containsEntry("", "v")
                .hasSize(5);
        assertThat(PercentEncoding.decodeForm("")).isEmpty();
        assertThat(PercentEncoding.decodeForm(null)).isEmpty();
        assertThat(PercentEncoding.decodeForm("a=b=c").get("a")).isEqualTo("b=c");
    }

    @Test
    void decodesRawNonAsciiAndEmoji() {
        assertThat(PercentEncoding.decodeForm("k=\u00e9%C3%A9\uD83D\uDE00%F0%9F%98%80")
                        .get("k"))
                .isEqualTo("\u00e9\u00e9\uD83D\uDE00\uD83D\uDE00");
    }

    @Test
    void rejectsMalformedEscapes() {
        for (String bad : new String[] {"a=%", "a=%4", "a=%zz", "a=%G0", "%=1", "a=x%2", "a=%-1"}) {
            assertThatThrownBy(() -> PercentEncoding.decodeForm(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsEscapesThatAreNotUtf8() {
        for (String bad : new String[] {"a=%E9", "a=%C3", "a=%FF", "a=%ED%A0%80", "a=%C0%AF"}) {
            assertThatThrownBy(() -> PercentEncoding.decodeForm(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
