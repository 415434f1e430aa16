package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LoadRun against a tiny local HTTP server whose answers and stalls the test controls. */
class LoadRunTest {
    private ServerSocket listener;
    private final AtomicReference<String> body = new AtomicReference<>("{\"CiphertextBlob\":\"x\"}");
    private final AtomicBoolean stallOnce = new AtomicBoolean();

    /**
     * A keep-alive HTTP/1.1 server of a few lines: each response goes out in one write with TCP_NODELAY, so the
     * test measures the load generator, not Nagle's algorithm meeting delayed ACKs.
     */
    @BeforeEach
    void start() throws IOException {
        listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    s.setTcpNoDelay(true);
                    Thread t = new Thread(() -> serve(s));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (; ; ) {
                int matched = 0;
                while (matched < 4) { // the requests are GETs without a body: read up to the blank line
                    int c = in.read();
                    if (c < 0) {
                        return;
                    }
                    matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
                }
                if (stallOnce.compareAndSet(true, false)) {
                    Thread.sleep(600);
                }
                byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
                String head =
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
                byte[] h = head.getBytes(StandardCharsets.US_ASCII);
                byte[] all = new byte[h.length + b.length];
                System.arraycopy(h, 0, all, 0, h.length);
                System.arraycopy(b, 0, all, h.length, b.length);
                out.write(all);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the connection is done
        }
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
    }

    private BenchResult run(int connections, Duration duration, double rate, String expect) throws Exception {
        Endpoint endpoint = Endpoint.parse("http://127.0.0.1:" + listener.getLocalPort(), false);
        byte[] request =
                ("GET / HTTP/1.1\r\nHost: " + endpoint.hostHeader() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return new LoadRun(
                        (n, out) -> out.reset().bytes(request, 0, request.length),
                        null,
                        endpoint,
                        connections,
                        10_000,
                        Warmup.fixed(Duration.ZERO),
                        duration,
                        0,
                        null,
                        rate,
                        expect)
                .run();
    }

    @Test
    void openLoopSendsAtTheAskedRate() throws Exception {
        BenchResult r = run(2, Duration.ofSeconds(2), 100, "\"CiphertextBlob\"");
        assertThat(r.errors()).isZero();
        assertThat(r.requests()).isBetween(150L, 230L);
    }

    @Test
    void openLoopCountsAStallAgainstEveryRequestThatShouldHaveBeenSentDuringIt() throws Exception {
        // One 600 ms stall at 200 req/s: about 120 requests were due while the server was stuck. Measured from their
        // intended send time they are all late, so more than 10 % of the run is slower than 100 ms. Closed loop, only
        // the one stalled request (out of many) is slow.
        stallOnce.set(true);
        BenchResult open = run(1, Duration.ofSeconds(2), 200, null);
        assertThat(open.latency().p90Ms()).isGreaterThan(100);

        stallOnce.set(true);
        BenchResult closed = run(1, Duration.ofSeconds(2), 0, null);
        assertThat(closed.ok()).isGreaterThan(20);
        assertThat(closed.latency().p50Ms()).isLessThan(100);
    }

    @Test
    void aTwoHundredWithoutTheExpectedFieldIsAnError() throws Exception {
        body.set("{\"Code\":\"Oops\"}");
        BenchResult r = run(2, Duration.ofMillis(500), 0, "\"CiphertextBlob\"");
        assertThat(r.ok()).isZero();
        assertThat(r.httpErrors()).isPositive();
        assertThat(r.firstError())
                .contains("HTTP 200 without \"CiphertextBlob\"")
                .contains("Oops");
    }

    @Test
    void rateOption() {
        assertThat(Pacing.parse(null)).isEqualTo(new Pacing(0, 0));
        assertThat(Pacing.parse("5000")).isEqualTo(new Pacing(5000, 0));
        assertThat(Pacing.parse("70%")).isEqualTo(new Pacing(0, 0.7));
        for (String bad : new String[] {"0", "-1", "abc", "150%", "0%"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pacing.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--rate " + bad);
        }
    }
}
