package org.openkms.wire.fuzz;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns fuzzer bytes into the text the targets take. Shared by the fuzz tests of every module (the server's use this
 * module's test-jar).
 *
 * <p>Valid UTF-8 decodes as usual, so corpus files are readable text; every byte that is not part of valid UTF-8
 * becomes the lone surrogate {@code U+DC00 + byte} (the "surrogateescape" convention of Python's PEP 383,
 * https://peps.python.org/pep-0383/). So every byte string maps to some Java string, and the fuzzer also reaches
 * strings with unpaired surrogates, which a Java caller can pass but UTF-8 cannot carry.
 */
public final class FuzzText {

    private FuzzText() {}

    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public static String decode(byte[] bytes, int from, int to) {
        CharsetDecoder d = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from + 1);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isUnderflow()) {
                d.flush(out);
                break;
            }
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    out.put((char) (0xDC00 | (in.get() & 0xFF)));
                }
            }
        }
        out.flip();
        return out.toString();
    }

    /** True if {@code s} has a surrogate that is not half of a pair (such text has no UTF-8 form). */
    public static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The lines of {@code s} split at '\n' (a trailing '\r' is kept: it is data). */
    public static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int nl = s.indexOf('\n', start);
            if (nl < 0) {
                out.add(s.substring(start));
                return out;
            }
            out.add(s.substring(start, nl));
            start = nl + 1;
        }
    }

    /**
     * {@code name=value} lines (split at the first '='; a line without '=' is a name with the value ""), in order;
     * a repeated name keeps its first value (a map has one per name; {@link org.openkms.wire.PercentEncoding#decodeForm}
     * refuses a repeated name instead). Names and
     * values are taken literally, so they may hold any character but '\n' (and names no '=').
     */
    public static Map<String, String> params(List<String> lines, int from) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i);
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq);
            String value = eq < 0 ? "" : line.substring(eq + 1);
            if (!out.containsKey(name)) {
                out.put(name, value);
            }
        }
        return out;
    }

    /** Line {@code i}, or {@code fallback} when the input has fewer lines. */
    public static String line(List<String> lines, int i, String fallback) {
        return i < lines.size() ? lines.get(i) : fallback;
    }
}
