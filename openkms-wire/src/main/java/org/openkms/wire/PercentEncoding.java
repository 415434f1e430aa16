package org.openkms.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two text transformations of the Alibaba OpenAPI wire format.
 *
 * <p>{@link #encode} is the canonical encoding every signature scheme uses
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature). It is NOT what the
 * clients put on the wire: Java V2 sends space as '+' and '*' raw, Node leaves {@code !'()*} raw (observed with the
 * official SDKs). So a verifier must {@link #decodeForm decode} the received query first and re-encode with
 * {@link #encode}; signing the raw URL text would fail for half of the clients.
 */
public final class PercentEncoding {

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    /** ASCII characters that stay literal: RFC 3986 unreserved. */
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        UNRESERVED['-'] = true;
        UNRESERVED['_'] = true;
        UNRESERVED['.'] = true;
        UNRESERVED['~'] = true;
    }

    /** Strict UTF-8: two different byte strings must never decode to the same parameter value. */
    private static final ThreadLocal<CharsetDecoder> UTF8_DECODER = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));

    private PercentEncoding() {}

    /**
     * Alibaba percent-encoding: UTF-8, only {@code A-Z a-z 0-9 - _ . ~} literal, space {@code %20}, '*' {@code %2A},
     * upper-case hex. Returns {@code s} itself when nothing needs encoding (the common case for names and ids).
     */
    public static String encode(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && isUnreserved(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 16);
        sb.append(s, 0, i);
        encodeFrom(s, i, sb);
        return sb.toString();
    }

    /** Appends {@code encode(s)} to {@code out} without an intermediate String. */
    public static void encode(String s, StringBuilder out) {
        encodeFrom(s, 0, out);
    }

    private static boolean isUnreserved(char c) {
        return c < 128 && UNRESERVED[c];
    }

    private static void encodeFrom(String s, int start, StringBuilder out) {
        int n = s.length();
        for (int i = start; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (UNRESERVED[c]) {
                    // Copy a whole run of literal characters at once: Base64 payloads are mostly such runs,
                    // and char-by-char appends showed up as the largest cost in the bench profile.
                    int end = i + 1;
                    while (end < n && isUnreserved(s.charAt(end))) {
                        end++;
                    }
                    out.append(s, i, end);
                    i = end - 1;
                } else {
                    appendByte(out, c);
                }
            } else if (c < 0x800) {
                appendByte(out, 0xC0 | (c >> 6));
                appendByte(out, 0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                appendByte(out, 0xF0 | (cp >> 18));
                appendByte(out, 0x80 | ((cp >> 12) & 0x3F));
                appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
                appendByte(out, 0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // Unpaired surrogate: String.getBytes(UTF_8), and so URLEncoder in the Java SDKs, writes '?'.
                appendByte(out, '?');
            } else {
                appendByte(out, 0xE0 | (c >> 12));
                appendByte(out, 0x80 | ((c >> 6) & 0x3F));
                appendByte(out, 0x80 | (c & 0x3F));
            }
        }
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('%').append(HEX_UPPER[(b >> 4) & 0x0F]).append(HEX_UPPER[b & 0x0F]);
    }

    /**
     * Decodes {@code application/x-www-form-urlencoded} text ('+' = space, {@code %XX} UTF-8) into an insertion-ordered
     * map. A pair without '=' gets the value "" (what a client sends for an empty value is {@code name=}; both mean the
     * same). Empty segments ({@code a=1&&b=2}) are skipped. A name that occurs twice (after decoding: {@code a} and
     * {@code %61} are the same name) is refused: keeping either value silently would let a layer that reads the raw
     * text (a proxy, a WAF, another signer) act on a different value than this server. No official SDK sends a
     * name twice; flattened lists use distinct names ({@code Name.1}, {@code Name.2}).
     *
     * @throws DuplicateParameterException when a name occurs more than once
     * @throws IllegalArgumentException on a malformed {@code %} escape or bytes that are not valid UTF-8
     */
    public static Map<String, String> decodeForm(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        int n = raw.length();
        int start = 0;
        while (start <= n) {
            int amp = raw.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            if (end > start) {
                int eq = start;
                while (eq < end && raw.charAt(eq) != '=') {
                    eq++;
                }
                String name;
                String value;
                if (eq == end) {
                    name = decodeComponent(raw, start, end);
                    value = "";
                } else {
                    name = decodeComponent(raw, start, eq);
                    value = decodeComponent(raw, eq + 1, end);
                }
                if (out.putIfAbsent(name, value) != null) {
                    throw new DuplicateParameterException(name);
                }
            }
            start = end + 1;
        }
        return out;
    }

    /** Decodes one form-encoded component {@code raw[from, to)}. */
    public static String decodeComponent(String raw, int from, int to) {
        // Fast path: most names and values (ids, base64 without padding, numbers) contain neither '%' nor '+'.
        int i = from;
        while (i < to) {
            char c = raw.charAt(i);
            if (c == '%' || c == '+') {
                break;
            }
            i++;
        }
        if (i == to) {
            return raw.substring(from, to);
        }
        return decodeSlow(raw, from, to);
    }

    private static String decodeSlow(String raw, int from, int to) {
        // Non-ASCII characters that arrive unescaped (a lenient client) are kept as their UTF-8 bytes, so mixed
        // escaped/unescaped text decodes consistently. Decoded bytes are never more than the text's characters unless
        // such characters occur, so the array is sized for them only then.
        int capacity = to - from;
        for (int i = from; i < to; i++) {
            if (raw.charAt(i) >= 0x80) {
                capacity = (to - from) * 3;
                break;
            }
        }
        byte[] bytes = new byte[capacity];
        int n = 0;
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '+') {
                bytes[n++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= to) {
                    throw new IllegalArgumentException("truncated % escape at offset " + i);
                }
                int hi = hexValue(raw.charAt(i + 1));
                int lo = hexValue(raw.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("malformed % escape at offset " + i);
                }
                int b = (hi << 4) | lo;
                ascii &= b < 0x80;
                bytes[n++] = (byte) b;
                i += 2;
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                ascii = false;
                int end = i + 1;
                if (Character.isHighSurrogate(c) && end < to && Character.isLowSurrogate(raw.charAt(end))) {
                    end++;
                }
                byte[] utf8 = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(utf8, 0, bytes, n, utf8.length);
                n += utf8.length;
                i = end - 1;
            }
        }
        if (ascii) {
            // Every byte below 0x80 is valid UTF-8 and means its ASCII character: no decoder needed (the common case,
            // Base64 with its escaped '+', '/' and '=').
            return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder decoder = UTF8_DECODER.get();
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, n)); // decode() resets the decoder first
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-escapes are not valid UTF-8", e);
        }
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
