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

/** Per-source connection limit and the header/request deadlines, on a server started with small limits. */
class ConnectionLimitsTest {
    @TempDir
    static Path dir;

    static OpenKmsServer server;

    @BeforeAll
    static void start() throws Exception {
        HttpLimits limits = HttpLimits.defaults()
                .withMaxConnectionsPerSource(8)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
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
