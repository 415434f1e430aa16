package org.openkms.server.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.openkms.wire.fuzz.FuzzText;

/**
 * The whole pipeline (HTTP adapter decoding, product and action lookup, authentication, authorisation, actions,
 * encoding) with arbitrary method, path, query, headers and body. Property: {@link AlibabaAnswers#check}.
 *
 * <p>Input: an HTTP/1.1-like text (FuzzText) — {@code METHOD /path?query}, then {@code name: value} header lines, an
 * empty line, and the body bytes as they are. {@code ${NAME}} in the head is replaced by a live resource of
 * {@link FuzzServer} (placeholders). Most inputs fail authentication; the signed variant is
 * {@link SignedGatewayFuzzTest}.
 */
class GatewayFuzzTest {

    @FuzzTest
    @Timeout(30)
    void request(byte[] input) {
        FuzzServer server = FuzzServers.get();
        int split = indexOf(input, new byte[] {'\n', '\n'});
        byte[] body = split < 0 ? new byte[0] : Arrays.copyOfRange(input, split + 2, input.length);
        List<String> head = FuzzText.lines(server.expand(FuzzText.decode(input, 0, split < 0 ? input.length : split)));
        String requestLine = head.get(0);
        int space = requestLine.indexOf(' ');
        String method = space < 0 ? requestLine : requestLine.substring(0, space);
        String target = space < 0 ? "/" : requestLine.substring(space + 1);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String rawQuery = q < 0 ? null : target.substring(q + 1);
        Map<String, String> headers = new HashMap<>();
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            String name = (colon < 0 ? line : line.substring(0, colon)).toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            headers.putIfAbsent(name, value);
        }
        AlibabaAnswers.check(server.send(method, path, rawQuery, headers, body));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
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
