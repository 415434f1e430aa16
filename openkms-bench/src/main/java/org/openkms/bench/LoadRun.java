package org.openkms.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A load run: N worker threads, each with its own keep-alive connection (HTTP/1.1, or HTTP/2 with one stream at a
 * time). Closed loop (rate 0): each sends the next
 * request as soon as the previous response is read. Open loop (a fixed rate): each connection sends on a schedule
 * (rate / N per connection, wrk2-style, https://github.com/giltene/wrk2) and latency is measured from the
 * <em>intended</em> send time, so a server stall counts against every request that should have been sent during it
 * (no coordinated omission). A warmup phase (not counted) lets both JITs settle; then either a fixed duration
 * or a fixed number of requests is measured. The main thread prints the progress line once a second.
 *
 * <p>Closed loop, latency is the time from writing the request's first byte to reading the response's last byte
 * (signing and connecting are not included): the latencies of a saturated server with N requests in flight. Only 200
 * responses whose body holds the expected field are recorded; a 200 with a wrong body is an error.
 */
final class LoadRun {
    static final int WARMUP = 0;
    static final int MEASURE = 1;
    static final int STOP = 2;
    /** Pause after a failed connect, so a dead server is not hammered with SYNs in a tight loop. */
    private static final long CONNECT_RETRY_MILLIS = 100;

    private static final int MAX_ERROR_TEXT = 600;

    private final RequestWriter requests;
    private final ServerCpu server; // null: the server's CPU is not measured
    private final Endpoint endpoint;
    private final int connections;
    private final int timeoutMillis;
    private final Warmup warmup;
    private final Duration duration; // null when counting requests
    private final long requestLimit; // 0 when running for a duration
    private final PrintStream progress; // null: no progress line
    private final double ratePerSecond; // 0: closed loop
    private final byte[] expected; // null: any 200 body is accepted

    private volatile int phase = WARMUP;
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<Worker> workers = new ArrayList<>();

    /** Lays out the next request in the worker's buffer; called on the worker threads, so it must be thread-safe. */
    @FunctionalInterface
    interface RequestWriter {
        void write(NonceSource nonces, RequestBuffer out);
    }

    LoadRun(
            RequestWriter requests,
            ServerCpu server,
            Endpoint endpoint,
            int connections,
            int timeoutMillis,
            Warmup warmup,
            Duration duration,
            long requestLimit,
            PrintStream progress,
            double ratePerSecond,
            String bodyMustContain) {
        this.requests = requests;
        this.server = server;
        this.endpoint = endpoint;
        this.connections = connections;
        this.timeoutMillis = timeoutMillis;
        this.warmup = warmup;
        this.duration = duration;
        this.requestLimit = requestLimit;
        this.progress = progress;
        this.ratePerSecond = ratePerSecond;
        this.expected = bodyMustContain == null ? null : bodyMustContain.getBytes(StandardCharsets.UTF_8);
    }

    BenchResult run() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            workers.add(new Worker(i, done));
        }
        long runStart = System.nanoTime();
        boolean warming = !warmup.none();
        phase = warming ? WARMUP : MEASURE;
        for (Worker w : workers) {
            w.start();
        }
        Progress line = new Progress();
        boolean steady = false;
        if (warming) {
            steady = line.loop(runStart, runStart + warmup.max().toNanos(), done, true);
        }
        long measureStart = System.nanoTime();
        long warmedNanos = measureStart - runStart;
        long cpuStart = processCpuNanos();
        long serverCpuStart = server == null ? -1 : server.cpuNanos();
        phase = MEASURE;
        if (duration != null) {
            line.loop(measureStart, measureStart + duration.toNanos(), done, false);
        } else {
            line.loop(measureStart, Long.MAX_VALUE, done, false);
        }
        phase = STOP;
        done.await();
        long cpuEnd = processCpuNanos();
        long serverCpuEnd = server == null ? -1 : server.cpuNanos();
        long measureEnd = measureStart;
        for (Worker w : workers) {
            w.join();
            measureEnd = Math.max(measureEnd, w.lastCompletion);
        }
        line.finish();

        Histogram all = LatencyStats.newHistogram();
        long ok = 0;
        long httpErrors = 0;
        long transportErrors = 0;
        long connects = 0;
        for (Worker w : workers) {
            all.add(w.histogram);
            ok += w.ok;
            httpErrors += w.httpErrors;
            transportErrors += w.transportErrors;
            connects += w.connection.connects();
        }
        long wall = Math.max(1, measureEnd - measureStart);
        return new BenchResult(
                ok,
                httpErrors,
                transportErrors,
                wall,
                LatencyStats.of(all),
                firstError.get(),
                cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart,
                serverCpuStart < 0 || serverCpuEnd < 0 ? -1 : serverCpuEnd - serverCpuStart,
                connects,
                warming ? warmedNanos : 0,
                steady);
    }

    private void error(String text) {
        if (firstError.get() == null && phase == MEASURE) {
            firstError.compareAndSet(
                    null, text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text);
        }
    }

    private long totalCompleted() {
        long n = 0;
        for (Worker w : workers) {
            n += w.ok + w.httpErrors + w.transportErrors;
        }
        return n;
    }

    private long totalErrors() {
        long n = 0;
        for (Worker w : workers) {
            n += w.httpErrors + w.transportErrors;
        }
        return n;
    }

    /** CPU time of this JVM (all threads), or -1 where the platform does not say. */
    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** The once-a-second status line on stderr, rewritten in place with '\r'. */
    private final class Progress {
        private int width;

        /**
         * Prints a line every second until {@code deadline} or until every worker has finished; an adaptive warm-up
         * also ends once past its minimum and steady ({@link Warmup#steady}). Returns whether it ended steady.
         */
        boolean loop(long phaseStart, long deadline, CountDownLatch done, boolean warming) throws InterruptedException {
            long lastTotal = 0;
            long lastTick = phaseStart;
            long nextTick = phaseStart + TimeUnit.SECONDS.toNanos(1);
            boolean adaptive = warming && warmup.adaptive();
            long minEnd = phaseStart + warmup.min().toNanos();
            double[] samples = new double[(int) warmup.max().toSeconds() + 2];
            int count = 0;
            long lastCpu = adaptive && server != null ? server.cpuNanos() : -1;
            for (; ; ) {
                long now = System.nanoTime();
                long until = Math.min(nextTick, deadline);
                if (until > now && done.await(until - now, TimeUnit.NANOSECONDS)) {
                    return false;
                }
                now = System.nanoTime();
                if (now >= deadline) {
                    return false;
                }
                if (now >= nextTick) {
                    long total = totalCompleted();
                    if (total < lastTotal) {
                        lastTotal = 0; // workers reset their counters at the start of the measurement
                    }
                    double rps = (total - lastTotal) * 1e9 / Math.max(1, now - lastTick);
                    print(warming, now - phaseStart, total, rps, totalErrors());
                    if (adaptive && count < samples.length) {
                        // The server's CPU per request where it can be read (what compilation inflates), else req/s.
                        long cpu = lastCpu >= 0 ? server.cpuNanos() : -1;
                        samples[count++] = cpu >= 0 ? (cpu - lastCpu) / (double) Math.max(1, total - lastTotal) : rps;
                        lastCpu = cpu;
                        if (now >= minEnd && Warmup.steady(samples, count)) {
                            return true;
                        }
                    }
                    lastTotal = total;
                    lastTick = now;
                    nextTick += TimeUnit.SECONDS.toNanos(1);
                }
            }
        }

        private void print(boolean warming, long elapsedNanos, long total, double rps, long errors) {
            if (progress == null) {
                return;
            }
            String of = warming ? "/" + seconds(warmup.max()) : duration != null ? "/" + seconds(duration) : "";
            String count = !warming && requestLimit > 0
                    ? String.format(Locale.ROOT, "%,d/%,d", total, requestLimit)
                    : String.format(Locale.ROOT, "%,d", total);
            String text = String.format(
                    Locale.ROOT,
                    "%s %3.0fs%s  requests %s  %,.0f req/s  errors %,d",
                    warming ? "warmup " : "running",
                    elapsedNanos / 1e9,
                    of,
                    count,
                    rps,
                    errors);
            int pad = Math.max(0, width - text.length());
            width = text.length();
            progress.print("\r" + text + " ".repeat(pad));
            progress.flush();
        }

        void finish() {
            if (progress != null && width > 0) {
                progress.print("\r" + " ".repeat(width) + "\r");
                progress.flush();
            }
        }

        private String seconds(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.getSeconds() + "s" : d.toMillis() + "ms";
        }
    }

    /** One connection, one thread, one histogram: nothing is shared on the hot path but the phase flag. */
    private final class Worker extends Thread {
        final BenchConnection connection;
        private final CountDownLatch done;
        private final NonceSource nonces = new NonceSource();
        private final RequestBuffer request = new RequestBuffer();
        Histogram histogram = LatencyStats.newHistogram();
        // single writer (this thread), read by the progress line
        volatile long ok;
        volatile long httpErrors;
        volatile long transportErrors;
        long lastCompletion;

        private final int index;

        Worker(int index, CountDownLatch done) {
            super("bench-" + index);
            this.index = index;
            setDaemon(true);
            this.connection = BenchConnection.open(endpoint, timeoutMillis);
            this.done = done;
        }

        @Override
        public void run() {
            try {
                loop();
            } catch (RuntimeException | Error e) {
                error("bench worker failed: " + e);
                throw e;
            } finally {
                connection.close();
                done.countDown();
            }
        }

        private void loop() {
            int seen = -1;
            // Open loop: this connection's share of the rate, its first send staggered so the N connections
            // do not fire together.
            long interval = ratePerSecond > 0 ? (long) (connections * 1e9 / ratePerSecond) : 0;
            long intended = System.nanoTime() + (interval * index) / Math.max(1, connections);
            for (; ; ) {
                int p = phase;
                if (p == STOP) {
                    return;
                }
                if (p != seen) {
                    if (p == MEASURE) {
                        histogram.reset();
                        ok = 0;
                        httpErrors = 0;
                        transportErrors = 0;
                    }
                    seen = p;
                }
                if (p == MEASURE && requestLimit > 0 && claimed.getAndIncrement() >= requestLimit) {
                    return;
                }
                try {
                    connection.ensureOpen();
                } catch (IOException e) {
                    transportErrors++;
                    lastCompletion = System.nanoTime();
                    error("cannot connect to " + endpoint + ": " + e);
                    sleepQuietly(CONNECT_RETRY_MILLIS);
                    continue;
                }
                requests.write(nonces, request);
                long t0;
                if (interval > 0) {
                    for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                        if (phase == STOP) {
                            return;
                        }
                    }
                    t0 = intended; // behind schedule, the wait already spent counts as latency
                    intended += interval;
                } else {
                    t0 = System.nanoTime();
                }
                try {
                    int status = connection.exchange(request);
                    long t1 = System.nanoTime();
                    lastCompletion = t1;
                    if (status == 200 && !bodyHasExpected(connection)) {
                        httpErrors++;
                        error("HTTP 200 without " + new String(expected, StandardCharsets.UTF_8) + " in the body: "
                                + connection.bodyString());
                    } else if (status == 200) {
                        LatencyStats.record(histogram, t1 - t0);
                        ok++;
                    } else {
                        httpErrors++;
                        if (firstError.get() == null) {
                            error("HTTP " + status + ": " + connection.bodyString());
                        }
                    }
                } catch (IOException e) {
                    lastCompletion = System.nanoTime();
                    transportErrors++;
                    error("transport error: " + e);
                }
            }
        }
    }

    /** Whether the last response body holds {@link #expected} (always, when nothing is expected). */
    private boolean bodyHasExpected(BenchConnection c) {
        if (expected == null) {
            return true;
        }
        return indexOf(c.body(), c.bodyLength(), expected) >= 0;
    }

    static int indexOf(byte[] hay, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
