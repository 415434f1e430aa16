package org.openkms.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads HTTP/1.x responses off one keep-alive connection: status line, headers (only {@code Content-Length},
 * {@code Transfer-Encoding} and {@code Connection} are interpreted, by comparing bytes, so no String is made per
 * header), then the body framed by Content-Length, chunked transfer coding, or the end of the stream. Interim 1xx
 * responses are skipped. The input buffer and the body array are reused across responses, so a steady stream of
 * responses allocates nothing.
 *
 * <p>Not thread-safe: one per connection. Bytes read beyond the current response (pipelining) stay buffered for the
 * next {@link #read()}.
 */
public final class HttpResponseReader {
    /** Longest status or header line accepted. */
    static final int MAX_LINE = 64 * 1024;
    /** Largest body accepted (KMS responses are a few KiB). */
    static final int MAX_BODY = 64 * 1024 * 1024;

    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int lim;
    // the last line read by nextLine(), without CR LF: buf[lineStart, lineEnd)
    private int lineStart;
    private int lineEnd;

    private int status;
    private boolean keepAlive;
    private byte[] body = new byte[4096];
    private int bodyLength;

    public HttpResponseReader(InputStream in) {
        this(in, 16 * 1024);
    }

    HttpResponseReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /**
     * Reads one complete response.
     *
     * @return the status code
     * @throws EOFException if the stream ends before or inside the response (e.g. the server closed the connection)
     * @throws IOException  on a malformed response
     */
    public int read() throws IOException {
        for (; ; ) {
            nextLine(true);
            boolean http11 = parseStatusLine();
            long contentLength = -1;
            boolean chunked = false;
            Boolean connectionKeepAlive = null;
            for (; ; ) {
                nextLine(false);
                if (lineEnd == lineStart) {
                    break;
                }
                int colon = indexOf(':', lineStart, lineEnd);
                if (colon <= lineStart || buf[lineStart] == ' ' || buf[lineStart] == '\t') {
                    continue; // obsolete line folding or junk: nothing we interpret
                }
                int vs = skipSpace(colon + 1, lineEnd);
                int ve = trimEnd(vs, lineEnd);
                if (nameIs(CONTENT_LENGTH, lineStart, colon)) {
                    long n = parseDecimal(vs, ve);
                    if (contentLength >= 0 && contentLength != n) {
                        throw new IOException("conflicting Content-Length headers");
                    }
                    contentLength = n;
                } else if (nameIs(TRANSFER_ENCODING, lineStart, colon)) {
                    // the last coding must be chunked for a chunked body ("gzip, chunked")
                    chunked = endsWithToken(CHUNKED, vs, ve);
                } else if (nameIs(CONNECTION, lineStart, colon)) {
                    if (containsToken(CLOSE, vs, ve)) {
                        connectionKeepAlive = Boolean.FALSE;
                    } else if (containsToken(KEEP_ALIVE, vs, ve) && connectionKeepAlive == null) {
                        connectionKeepAlive = Boolean.TRUE;
                    }
                }
            }
            keepAlive = connectionKeepAlive != null ? connectionKeepAlive : http11;
            bodyLength = 0;
            if (status >= 100 && status < 200 && status != 101) {
                continue; // 100 Continue / 103 Early Hints: the real response follows
            }
            if (status == 204 || status == 304 || status == 101) {
                return status;
            }
            if (chunked) {
                readChunked();
            } else if (contentLength >= 0) {
                if (contentLength > MAX_BODY) {
                    throw new IOException("response body too large: " + contentLength);
                }
                readExactly((int) contentLength);
            } else {
                readToEnd();
                keepAlive = false;
            }
            return status;
        }
    }

    public int status() {
        return status;
    }

    /** Whether the connection may carry another request after this response. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** The body bytes are {@code body()[0, bodyLength())}; the array is reused by the next {@link #read()}. */
    public byte[] body() {
        return body;
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** The body as text (allocates; for errors and setup calls, not the hot path). */
    public String bodyString() {
        return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- framing

    private boolean parseStatusLine() throws IOException {
        int s = lineStart;
        int len = lineEnd - lineStart;
        // "HTTP/1.1 200" at least; the reason phrase may be absent
        if (len < 12
                || buf[s] != 'H'
                || buf[s + 1] != 'T'
                || buf[s + 2] != 'T'
                || buf[s + 3] != 'P'
                || buf[s + 4] != '/'
                || buf[s + 5] != '1'
                || buf[s + 6] != '.'
                || buf[s + 8] != ' '
                || (len > 12 && buf[s + 12] != ' ')) {
            throw new IOException("malformed status line: " + lineText());
        }
        int code = 0;
        for (int i = s + 9; i < s + 12; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw new IOException("malformed status line: " + lineText());
            }
            code = code * 10 + d;
        }
        status = code;
        return buf[s + 7] != '0'; // HTTP/1.0 closes by default, 1.1+ keeps alive
    }

    private void readChunked() throws IOException {
        for (; ; ) {
            nextLine(false);
            int end = lineEnd;
            int semi = indexOf(';', lineStart, end); // chunk extensions are ignored
            if (semi >= 0) {
                end = semi;
            }
            end = trimEnd(lineStart, end);
            if (end == lineStart) {
                throw new IOException("missing chunk size");
            }
            long size = 0;
            for (int i = lineStart; i < end; i++) {
                int d = Character.digit(buf[i], 16);
                if (d < 0) {
                    throw new IOException("malformed chunk size: " + lineText());
                }
                size = size * 16 + d;
                if (size > MAX_BODY) {
                    throw new IOException("chunk too large");
                }
            }
            if (size == 0) {
                do { // trailer section, ends with an empty line
                    nextLine(false);
                } while (lineEnd != lineStart);
                return;
            }
            if (bodyLength + size > MAX_BODY) {
                throw new IOException("response body too large");
            }
            readExactly((int) size);
            nextLine(false);
            if (lineEnd != lineStart) {
                throw new IOException("chunk data not followed by CRLF");
            }
        }
    }

    /** Appends exactly {@code n} body bytes: first what is buffered, then straight from the stream. */
    private void readExactly(int n) throws IOException {
        ensureBody(bodyLength + n);
        int buffered = Math.min(n, lim - pos);
        System.arraycopy(buf, pos, body, bodyLength, buffered);
        pos += buffered;
        bodyLength += buffered;
        int remaining = n - buffered;
        while (remaining > 0) {
            int r = in.read(body, bodyLength, remaining);
            if (r < 0) {
                throw new EOFException("connection closed inside the response body");
            }
            bodyLength += r;
            remaining -= r;
        }
    }

    private void readToEnd() throws IOException {
        int buffered = lim - pos;
        ensureBody(buffered);
        System.arraycopy(buf, pos, body, 0, buffered);
        bodyLength = buffered;
        pos = lim;
        for (; ; ) {
            if (bodyLength == body.length) {
                if (body.length >= MAX_BODY) {
                    throw new IOException("response body too large");
                }
                ensureBody(body.length * 2);
            }
            int r = in.read(body, bodyLength, body.length - bodyLength);
            if (r < 0) {
                return;
            }
            bodyLength += r;
        }
    }

    private void ensureBody(int capacity) {
        if (capacity > body.length) {
            body = Arrays.copyOf(body, Math.max(capacity, Math.min(MAX_BODY, body.length * 2)));
        }
    }

    /**
     * Sets {@code lineStart/lineEnd} to the next line (CRLF or bare LF terminated) and moves past it.
     *
     * @param first whether this is a status line: an EOF before any byte then means "connection closed"
     */
    private void nextLine(boolean first) throws IOException {
        int scan = pos;
        for (; ; ) {
            for (int i = scan; i < lim; i++) {
                if (buf[i] == '\n') {
                    lineStart = pos;
                    lineEnd = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    pos = i + 1;
                    return;
                }
            }
            // no LF yet: make room at the end and read more
            if (pos > 0) {
                int keep = lim - pos;
                System.arraycopy(buf, pos, buf, 0, keep);
                lim = keep;
                pos = 0;
            }
            scan = lim;
            if (lim == buf.length) {
                if (buf.length >= MAX_LINE) {
                    throw new IOException("response header line too long");
                }
                buf = Arrays.copyOf(buf, Math.min(MAX_LINE, buf.length * 2));
            }
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                throw new EOFException(
                        first && lim == 0
                                ? "connection closed by the server"
                                : "connection closed inside the response headers");
            }
            lim += r;
        }
    }

    // ---------------------------------------------------------------- byte helpers

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private int skipSpace(int from, int to) {
        while (from < to && (buf[from] == ' ' || buf[from] == '\t')) {
            from++;
        }
        return from;
    }

    private int trimEnd(int from, int to) {
        while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    /** Case-insensitive comparison of {@code buf[from, to)} with a lower-case ASCII name. */
    private boolean nameIs(byte[] lower, int from, int to) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            if ((buf[from + i] | 0x20) != lower[i]) { // '-' | 0x20 == '-' as well
                return false;
            }
        }
        return true;
    }

    private boolean regionIs(byte[] lower, int from, int to) {
        return nameIs(lower, skipSpace(from, to), trimEnd(from, to));
    }

    private boolean containsToken(byte[] lower, int from, int to) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || buf[i] == ',') {
                if (regionIs(lower, start, i)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private boolean endsWithToken(byte[] lower, int from, int to) {
        int comma = -1;
        for (int i = to - 1; i >= from; i--) {
            if (buf[i] == ',') {
                comma = i;
                break;
            }
        }
        return regionIs(lower, comma < 0 ? from : comma + 1, to);
    }

    private long parseDecimal(int from, int to) throws IOException {
        if (from == to || to - from > 18) {
            throw new IOException("malformed Content-Length: " + lineText());
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw new IOException("malformed Content-Length: " + lineText());
            }
            v = v * 10 + d;
        }
        return v;
    }

    private String lineText() {
        return new String(buf, lineStart, Math.min(lineEnd - lineStart, 200), StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
