package org.openkms.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable, growable byte buffer holding one HTTP request, written to the socket with a single {@code write}.
 * Request lines and headers are ASCII (the query is percent-encoded, signatures are hex/base64), so chars are stored
 * as bytes directly instead of going through {@code String.getBytes} (one array per call); a non-ASCII string falls
 * back to UTF-8. Not thread-safe: one per connection.
 */
final class RequestBuffer {
    private byte[] buf;
    private int length;

    RequestBuffer() {
        this(2048);
    }

    RequestBuffer(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    RequestBuffer reset() {
        length = 0;
        return this;
    }

    byte[] array() {
        return buf;
    }

    int length() {
        return length;
    }

    RequestBuffer ascii(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return utf8(s);
            }
            b[at++] = (byte) c;
        }
        length = at;
        return this;
    }

    RequestBuffer ascii(char c) {
        if (c >= 0x80) {
            return utf8(String.valueOf(c));
        }
        ensure(1);
        buf[length++] = (byte) c;
        return this;
    }

    RequestBuffer crlf() {
        ensure(2);
        buf[length++] = '\r';
        buf[length++] = '\n';
        return this;
    }

    /** {@code name: value\r\n}. */
    RequestBuffer header(String name, String value) {
        return ascii(name).ascii(": ").ascii(value).crlf();
    }

    RequestBuffer bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, length, len);
        length += len;
        return this;
    }

    private RequestBuffer utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return bytes(b, 0, b.length);
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }

    @Override
    public String toString() {
        return new String(buf, 0, length, StandardCharsets.UTF_8);
    }
}
