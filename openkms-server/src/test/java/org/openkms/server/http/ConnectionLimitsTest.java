package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * Per-source connection limit, the header/request deadlines and the idle timeout, on a server started with small
 * limits.
 */
class ConnectionLimitsTest {
    @TempDir
    static Path dir;

    static OpenKmsServer server;

    @BeforeAll
    static void start() throws Exception {
        HttpLimits limits = HttpLimits.defaults()
                .withMaxConnectionsPerSource(8)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withIdleTimeout(Duration.ofSeconds(2));
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIlimits", "limits-secret")
                .withHttp(limits));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void connectionsBeyondThePerSourceLimitAreClosed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                held.add(new Socket("127.0.0.1", server.httpPort()));
            }
            Thread.sleep(200); // let the server register them
            try (Socket extra = new Socket("127.0.0.1", server.httpPort())) {
                extra.setSoTimeout(5_000);
                assertThat(closedByServer(extra)).isTrue();
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        Thread.sleep(300);
        assertThat(health()).startsWith("HTTP/1.1 200");
    }

    @Test
    void headersDrippedOneByteAtATimeAreCutOffAtTheDeadline() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - t0 < 6_000_000_000L) {
                try {
                    out.write('a');
                    out.flush();
                    closed = s.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // no answer yet: keep dripping
                } catch (SocketException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("slow headers were cut off").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void blankLinesInsteadOfARequestDoNotKeepAConnectionOpen() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(300);
            OutputStream out = s.getOutputStream();
            long t0 = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - t0 < 6_000_000_000L) {
                try {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    closed = s.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // keep sending blank lines
                } catch (SocketException reset) {
                    closed = true;
                }
            }
            assertThat(closed)
                    .as("a connection sending only blank lines was closed")
                    .isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void pingsInsteadOfAStreamDoNotKeepAnHttp2ConnectionOpen() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(300);
            Http2Test.H2 h2 = new Http2Test.H2(s);
            h2.preface(); // h2c by prior knowledge, then never a stream: only PINGs, which Jetty's idle timer counts
            long t0 = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - t0 < 6_000_000_000L) {
                try {
                    h2.write(0x6, 0, 0, new byte[8]); // PING
                    for (; ; ) {
                        h2.read();
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // keep pinging
                } catch (java.io.EOFException | SocketException gone) {
                    closed = true;
                }
            }
            assertThat(closed)
                    .as("an HTTP/2 connection sending only PINGs was closed")
                    .isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aBodyThatNeverArrivesIsCutOffAtTheRequestDeadline() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(6_000);
            s.getOutputStream()
                    .write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"
                            .getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            assertThat(closedByServer(s)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedAfterTheIdleTimeoutAndNotBefore() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(6_000);
            byte[] request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(request);
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 200");
            Thread.sleep(1_000); // half the idle timeout: the connection is still there for the next request
            s.getOutputStream().write(request);
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 200");
            long t0 = System.nanoTime();
            assertThat(closedByServer(s)).isTrue();
            Duration idle = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(idle).isGreaterThan(Duration.ofMillis(1_500)).isLessThan(Duration.ofSeconds(4));
        }
    }

    /** One whole answer with a Content-Length body, leaving the connection open. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int headEnd;
        while ((headEnd = sb.indexOf("\r\n\r\n")) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the answer's headers: " + sb);
            }
            sb.append((char) b);
        }
        String head = sb.toString().toLowerCase(java.util.Locale.ROOT);
        int cl = head.indexOf("content-length:");
        int length = Integer.parseInt(
                head.substring(cl + 15, head.indexOf("\r\n", cl)).trim());
        byte[] body = in.readNBytes(length);
        return sb + new String(body, StandardCharsets.US_ASCII);
    }

    /** True when the server ends the connection (EOF or reset), reading and discarding any answer it sends first. */
    private static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            byte[] buf = new byte[4096];
            while (in.read(buf) != -1) {
                // an error answer before the close is fine
            }
            return true;
        } catch (SocketException reset) {
            return true;
        } catch (java.net.SocketTimeoutException open) {
            return false;
        }
    }

    private static String health() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(5_000);
            s.getOutputStream()
                    .write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
