package org.openkms.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Raw HTTP/1.1 exchanges for tests that send what no client would (malformed request lines, lying lengths, huge
 * headers): the bytes go out as given and the whole answer comes back as text.
 */
public final class RawHttp {
    private RawHttp() {}

    /**
     * Writes the request on an open socket (plain or TLS) and reads until the answer is complete or the server closes;
     * the server may answer and close before it has read everything, so write and read failures keep what arrived.
     */
    public static String exchange(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        try {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // the server may answer and close before it has read everything we send
        }
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) > 0) {
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                if (complete(sb)) {
                    break;
                }
            }
        } catch (IOException e) {
            // reset after the answer: keep what arrived
        }
        return sb.toString();
    }

    /** What a trickling client got back, and how long after its request head. */
    public record Trickled(String answer, Duration elapsed) {}

    /**
     * Sends a request head that announces a body, then trickles the body one byte every ~100 ms (10 B/s) until the
     * server answers, closes or 10 s have passed; returns what it answered and when.
     */
    public static Trickled trickle(Socket s, String head) throws IOException {
        s.setSoTimeout(100);
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long t0 = System.nanoTime();
        StringBuilder got = new StringBuilder();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        boolean ended = false;
        while (!ended && !complete(got) && System.nanoTime() - t0 < 10_000_000_000L) {
            try {
                out.write('a');
                out.flush();
            } catch (IOException closed) {
                ended = true; // the server answered and closed; read what it sent
            }
            try {
                int n = in.read(buf);
                if (n < 0) {
                    ended = true;
                } else {
                    got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException nothingYet) {
                // keep trickling
            } catch (SocketException reset) {
                ended = true;
            }
        }
        return new Trickled(got.toString(), Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Whether the text holds a whole answer: its head and a Content-Length body, or a last chunk. */
    public static boolean complete(StringBuilder sb) {
        int end = sb.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = sb.substring(0, end).toLowerCase(Locale.ROOT);
        int cl = head.indexOf("content-length:");
        if (cl >= 0) {
            int eol = head.indexOf("\r\n", cl);
            int len = Integer.parseInt(
                    head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
            return sb.length() >= end + 4 + len;
        }
        return sb.indexOf("0\r\n\r\n", end) > 0;
    }
}
