package org.openkms.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The closing table: one row per measured load, with its rate as a share of the HTTP floor and CPU per request. */
final class SummaryTable {
    private SummaryTable() {}

    static void print(PrintStream out, List<BenchMain.Measured> runs, BenchResult floor, boolean serverCpuKnown) {
        int width = Math.max(
                24, runs.stream().mapToInt(m -> m.label().length()).max().orElse(0));
        String head = "%-" + width + "s %10s %8s %8s %8s %14s %13s%n";
        out.println();
        out.printf(Locale.ROOT, head, "load", "req/s", "p50 ms", "p99 ms", "x floor", "server us/req", "bench us/req");
        for (BenchMain.Measured m : runs) {
            BenchResult r = m.result();
            LatencyStats l = r.latency();
            String ratio = floor == null || floor.throughput() <= 0
                    ? "-"
                    : String.format(Locale.ROOT, "%.2f", r.throughput() / floor.throughput());
            out.printf(
                    Locale.ROOT,
                    "%-" + width + "s %10s %8.3f %8.3f %8s %14s %13s%n",
                    m.label(),
                    String.format(Locale.ROOT, "%,.0f", r.throughput()),
                    l.p50Ms(),
                    l.p99Ms(),
                    ratio,
                    micros(r.serverCpuMicrosPerRequest()),
                    micros(r.benchCpuMicrosPerRequest()));
        }
        for (BenchMain.Measured m : runs) {
            String line = rootComparison(m);
            if (line != null) {
                out.println(line);
            }
        }
        if (!serverCpuKnown) {
            out.println(
                    "server CPU not measured: the endpoint is not a local process this user can read (see --server-pid)");
        }
        out.printf(
                Locale.ROOT,
                "load average %s, %d cores, bench JDK %s%n",
                LoadAverage.read(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        out.flush();
    }

    /**
     * For a RAM user's load that followed the root's load of the same scenario: {@code Encrypt (256-byte
     * plaintext) as RAM user: 0.97 x the root's req/s (29,667 vs 30,512), server CPU per request 1.04 x the
     * root's (80.1 vs 77.0 us)}; null for any other load.
     */
    static String rootComparison(BenchMain.Measured m) {
        if (Double.isNaN(m.xRoot())) {
            return null;
        }
        BenchResult r = m.result();
        BenchResult root = m.root().result();
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "%s: %.2f x the root's req/s (%,.0f vs %,.0f)",
                m.label(),
                m.xRoot(),
                r.throughput(),
                root.throughput()));
        double cpu = r.serverCpuMicrosPerRequest();
        double rootCpu = root.serverCpuMicrosPerRequest();
        if (cpu >= 0 && rootCpu > 0) {
            line.append(String.format(
                    Locale.ROOT,
                    ", server CPU per request %.2f x the root's (%.1f vs %.1f us)",
                    cpu / rootCpu,
                    cpu,
                    rootCpu));
        }
        return line.toString();
    }

    private static String micros(double v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** /proc/loadavg's first three fields, or "unknown": a busy neighbour explains a bad run. */
    static final class LoadAverage {
        private LoadAverage() {}

        static String read() {
            try {
                String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                        .trim()
                        .split(" ");
                return f[0] + " " + f[1] + " " + f[2];
            } catch (java.io.IOException | RuntimeException e) {
                return "unknown";
            }
        }
    }
}
