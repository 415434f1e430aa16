package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Hands out at most {@code step} bytes per read, to exercise every split point of lines and bodies. */
    private static InputStream trickle(String s, int step) {
        byte[] data = s.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            int at;

            @Override
            public int read() {
                return at < data.length ? data[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, step), data.length - at);
                System.arraycopy(data, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    @Test
    void contentLengthBodyAndKeepAlive() throws IOException {
        String body = "{\"CiphertextBlob\":\"abc\",\"KeyId\":\"k\"}";
        HttpResponseReader r = new HttpResponseReader(stream("HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json;charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body));
        assertThat(r.read()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo(body);
        assertThat(r.bodyLength()).isEqualTo(body.length());
        assertThat(r.keepAlive()).isTrue();
    }

    @Test
    void severalResponsesOnOneConnectionReuseTheBuffers() throws IOException {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String body = "response-" + i;
            all.append("HTTP/1.1 ")
                    .append(i % 2 == 0 ? "200 OK" : "400 Bad Request")
                    .append("\r\n")
                    .append("content-length: ")
                    .append(body.length())
                    .append("\r\n")
                    .append("X-Other: x\r\n\r\n")
                    .append(body);
        }
        HttpResponseReader r = new HttpResponseReader(stream(all.toString()), 64);
        for (int i = 0; i < 50; i++) {
            assertThat(r.read()).isEqualTo(i % 2 == 0 ? 200 : 400);
            assertThat(r.bodyString()).isEqualTo("response-" + i);
        }
        assertThatThrownBy(r::read).isInstanceOf(EOFException.class).hasMessageContaining("closed by the server");
    }

    @Test
    void headerNamesAreCaseInsensitiveAndValuesTrimmed() throws IOException {
        HttpResponseReader r =
                new HttpResponseReader(stream("HTTP/1.1 200 OK\r\n" + "CONTENT-LENGTH:    5   \r\n\r\nhello"));
        assertThat(r.read()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("hello");
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws IOException {
        String response = "HTTP/1.1 200 OK\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + "5\r\nhello\r\n"
                + "1;name=value\r\n,\r\n"
                + "A\r\n 012345678\r\n"
                + "0\r\n"
                + "X-Trailer: t\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n";
        for (int step : new int[] {1, 2, 3, 7, 1 << 20}) {
            HttpResponseReader r = new HttpResponseReader(trickle(response, step), 32);
            assertThat(r.read()).as("step %d", step).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo("hello, 012345678");
            assertThat(r.keepAlive()).isTrue();
            assertThat(r.read()).isEqualTo(204); // the next response on the same stream is intact
            assertThat(r.bodyLength()).isZero();
        }
    }

    @Test
    void chunkedWinsOverContentLengthAndLastCodingCounts() throws IOException {
        HttpResponseReader r = new HttpResponseReader(stream("HTTP/1.1 200 OK\r\n"
                + "Content-Length: 999\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
        assertThat(r.read()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("abc");
    }

    @Test
    void largeChunkedBodyGrowsTheBodyBuffer() throws IOException {
        String chunk = "x".repeat(10_000);
        String response = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n";
        HttpResponseReader r = new HttpResponseReader(trickle(response, 1000), 128);
        assertThat(r.read()).isEqualTo(200);
        assertThat(r.bodyLength()).isEqualTo(20_000);
    }

    @Test
    void contentLengthBodySplitAcrossReads() throws IOException {
        String body = "y".repeat(5000);
        String response = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5000\r\n\r\n" + body
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        HttpResponseReader r = new HttpResponseReader(trickle(response, 333), 64);
        assertThat(r.read()).isEqualTo(503);
        assertThat(r.bodyString()).isEqualTo(body);
        assertThat(r.read()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("ok");
    }

    @Test
    void connectionCloseAndHttp10EndKeepAlive() throws IOException {
        HttpResponseReader close =
                new HttpResponseReader(stream("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
        close.read();
        assertThat(close.keepAlive()).isFalse();

        HttpResponseReader http10 = new HttpResponseReader(stream("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        http10.read();
        assertThat(http10.keepAlive()).isFalse();

        HttpResponseReader http10KeepAlive = new HttpResponseReader(
                stream("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok"));
        http10KeepAlive.read();
        assertThat(http10KeepAlive.keepAlive()).isTrue();
    }

    @Test
    void bodyUntilEndOfStreamWithoutFraming() throws IOException {
        HttpResponseReader r = new HttpResponseReader(trickle("HTTP/1.1 500 Oops\r\n\r\n" + "z".repeat(9000), 100), 64);
        assertThat(r.read()).isEqualTo(500);
        assertThat(r.bodyLength()).isEqualTo(9000);
        assertThat(r.keepAlive()).isFalse();
    }

    @Test
    void interimResponsesAreSkippedAndBareLfTolerated() throws IOException {
        HttpResponseReader r = new HttpResponseReader(
                stream("HTTP/1.1 100 Continue\r\n\r\n" + "HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"));
        assertThat(r.read()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("abc");
    }

    @Test
    void statusWithoutReasonPhrase() throws IOException {
        HttpResponseReader r = new HttpResponseReader(stream("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n"));
        assertThat(r.read()).isEqualTo(404);
        assertThat(r.bodyLength()).isZero();
    }

    @Test
    void malformedResponsesAreRejected() {
        assertThatThrownBy(() -> new HttpResponseReader(stream("SSH-2.0-OpenSSH\r\n\r\n")).read())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("status line");
        assertThatThrownBy(() -> new HttpResponseReader(stream("HTTP/1.1 2x0 OK\r\n\r\n")).read())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("status line");
        assertThatThrownBy(
                        () -> new HttpResponseReader(stream("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n")).read())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Content-Length");
        assertThatThrownBy(() -> new HttpResponseReader(
                                stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
                        .read())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("chunk size");
        assertThatThrownBy(() -> new HttpResponseReader(
                                stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n"))
                        .read())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("CRLF");
    }

    @Test
    void truncatedResponsesAreEofErrors() {
        assertThatThrownBy(
                        () -> new HttpResponseReader(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")).read())
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("body");
        assertThatThrownBy(() -> new HttpResponseReader(stream("HTTP/1.1 200 OK\r\nContent-Le")).read())
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("headers");
        assertThatThrownBy(() -> new HttpResponseReader(
                                stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"))
                        .read())
                .isInstanceOf(EOFException.class);
    }
}
