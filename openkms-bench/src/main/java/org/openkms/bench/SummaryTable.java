package org.openkms.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The closing table: one row per measured load, with its rate as a share of the HTTP floor and CPU per request. */
final class SummaryTable {
    private SummaryTable() {}

    /**
     * One row per measured load, each with its rate as a share of the floor of its own round.
     *
     * @param noFloor whether the floor was left out (then no x floor)
     */
    static void print(PrintStream out, List<BenchMain.Measured> runs, boolean noFloor, boolean serverCpuKnown) {
        boolean rounds = runs.stream().anyMatch(m -> m.round() > 1);
        int width = Math.max(
                24, runs.stream().mapToInt(m -> label(m, rounds).length()).max().orElse(0));
        String head = "%-" + width + "s %10s %8s %8s %8s %14s %13s%n";
        out.println();
        out.printf(Locale.ROOT, head, "load", "req/s", "p50 ms", "p99 ms", "x floor", "server us/req", "bench us/req");
        for (BenchMain.Measured m : runs) {
            BenchResult r = m.result();
            LatencyStats l = r.latency();
            double ratio = xFloor(runs, m, noFloor);
            out.printf(
                    Locale.ROOT,
                    "%-" + width + "s %10s %8.3f %8.3f %8s %14s %13s%n",
                    label(m, rounds),
                    String.format(Locale.ROOT, "%,.0f", r.throughput()),
                    l.p50Ms(),
                    l.p99Ms(),
                    Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio),
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

    /**
     * With {@code --rounds}: each load's median over the rounds (the n-th load of every round is the same load), its
     * x floor taken against its own round's floor, and the lowest and highest x floor.
     */
    static void printMedians(PrintStream out, List<BenchMain.Measured> runs, boolean noFloor, int rounds) {
        List<BenchMain.Measured> first =
                runs.stream().filter(m -> m.round() == 1).toList();
        int width = Math.max(
                24, first.stream().mapToInt(m -> m.label().length()).max().orElse(0));
        out.println();
        out.printf(Locale.ROOT, "median of %d rounds%n", rounds);
        out.printf(
                Locale.ROOT,
                "%-" + width + "s %10s %8s %8s %8s %15s %14s %13s%n",
                "load",
                "req/s",
                "p50 ms",
                "p99 ms",
                "x floor",
                "x floor min-max",
                "server us/req",
                "bench us/req");
        for (int i = 0; i < first.size(); i++) {
            int index = i;
            List<BenchMain.Measured> same = java.util.stream.IntStream.rangeClosed(1, rounds)
                    .mapToObj(r -> runs.stream().filter(m -> m.round() == r).toList())
                    .filter(round -> round.size() > index)
                    .map(round -> round.get(index))
                    .toList();
            double[] ratios =
                    same.stream().mapToDouble(m -> xFloor(runs, m, noFloor)).toArray();
            boolean hasRatio = java.util.Arrays.stream(ratios).noneMatch(Double::isNaN);
            out.printf(
                    Locale.ROOT,
                    "%-" + width + "s %10s %8.3f %8.3f %8s %15s %14s %13s%n",
                    first.get(i).label(),
                    String.format(
                            Locale.ROOT, "%,.0f", median(same, m -> m.result().throughput())),
                    median(same, m -> m.result().latency().p50Ms()),
                    median(same, m -> m.result().latency().p99Ms()),
                    hasRatio ? String.format(Locale.ROOT, "%.2f", median(ratios)) : "-",
                    hasRatio
                            ? String.format(
                                    Locale.ROOT,
                                    "%.2f-%.2f",
                                    java.util.Arrays.stream(ratios).min().orElse(0),
                                    java.util.Arrays.stream(ratios).max().orElse(0))
                            : "-",
                    micros(median(same, m -> m.result().serverCpuMicrosPerRequest())),
                    micros(median(same, m -> m.result().benchCpuMicrosPerRequest())));
        }
        for (BenchMain.Measured m : first) {
            List<BenchMain.Measured> same = runs.stream()
                    .filter(r -> r.label().equals(m.label()) && !Double.isNaN(r.xRoot()))
                    .toList();
            if (same.isEmpty()) {
                continue;
            }
            double[] x = same.stream().mapToDouble(BenchMain.Measured::xRoot).toArray();
            double[] cpu = same.stream()
                    .filter(r -> r.result().serverCpuMicrosPerRequest() >= 0
                            && r.root().result().serverCpuMicrosPerRequest() > 0)
                    .mapToDouble(r -> r.result().serverCpuMicrosPerRequest()
                            / r.root().result().serverCpuMicrosPerRequest())
                    .toArray();
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%s: median %.2f x the root's req/s over %d rounds (%.2f-%.2f)",
                    m.label(),
                    median(x),
                    x.length,
                    java.util.Arrays.stream(x).min().orElse(0),
                    java.util.Arrays.stream(x).max().orElse(0)));
            if (cpu.length > 0) {
                line.append(String.format(
                        Locale.ROOT,
                        ", server CPU per request median %.2f x the root's (%.2f-%.2f)",
                        median(cpu),
                        java.util.Arrays.stream(cpu).min().orElse(0),
                        java.util.Arrays.stream(cpu).max().orElse(0)));
            }
            out.println(line);
        }
        out.flush();
    }

    /** The floor measured in {@code round}, or null without one. */
    static BenchResult floorOf(List<BenchMain.Measured> runs, int round, boolean noFloor) {
        if (noFloor) {
            return null;
        }
        return runs.stream()
                .filter(m -> m.round() == round)
                .findFirst()
                .map(BenchMain.Measured::result)
                .orElse(null);
    }

    /** The load's req/s over its own round's floor, or NaN without a floor. */
    static double xFloor(List<BenchMain.Measured> runs, BenchMain.Measured m, boolean noFloor) {
        BenchResult floor = floorOf(runs, m.round(), noFloor);
        return floor == null || floor.throughput() <= 0
                ? Double.NaN
                : m.result().throughput() / floor.throughput();
    }

    static double median(List<BenchMain.Measured> runs, java.util.function.ToDoubleFunction<BenchMain.Measured> f) {
        return median(runs.stream().mapToDouble(f).toArray());
    }

    /** The middle value (the mean of the two middle ones for an even count); -1 stays -1 (not measured). */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String label(BenchMain.Measured m, boolean rounds) {
        return rounds ? m.label() + " #" + m.round() : m.label();
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
