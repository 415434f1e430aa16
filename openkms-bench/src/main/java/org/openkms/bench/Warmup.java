package org.openkms.bench;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * How long a load is sent unmeasured before measuring. A fixed time ({@code --warmup 10s}), or {@code auto}: at least
 * {@link #AUTO_MIN}, then until the server's CPU per request is steady, at most {@link #AUTO_MAX}. The server's JIT
 * compilers keep working for 20–30 s into a load on a 2-core machine (C2 took 13 % of the server's CPU 11–21 s into an
 * Encrypt load, none after 40 s), so a short fixed warm-up charges compilation to every request it measures.
 *
 * @param min the least warm-up
 * @param max the most; equal to {@code min} for a fixed warm-up
 */
record Warmup(Duration min, Duration max) {
    static final Duration AUTO_MIN = Duration.ofSeconds(5);
    static final Duration AUTO_MAX = Duration.ofSeconds(60);
    /** Steady: the mean of the last {@value #WINDOW} one-second samples is within this of the {@value #WINDOW} before. */
    static final double STEADY_WITHIN = 0.05;

    static final int WINDOW = 3;

    static Warmup auto() {
        return new Warmup(AUTO_MIN, AUTO_MAX);
    }

    static Warmup fixed(Duration d) {
        return new Warmup(d, d);
    }

    boolean adaptive() {
        return max.compareTo(min) > 0;
    }

    boolean none() {
        return max.isZero();
    }

    /**
     * Whether the per-second samples (server CPU per request, or req/s when the server's CPU cannot be read) have
     * settled: the last {@value #WINDOW} against the {@value #WINDOW} before them.
     */
    static boolean steady(double[] samples, int count) {
        if (count < 2 * WINDOW) {
            return false;
        }
        double last = 0;
        double before = 0;
        for (int i = 0; i < WINDOW; i++) {
            last += samples[count - 1 - i];
            before += samples[count - 1 - WINDOW - i];
        }
        return before > 0 && Math.abs(last - before) <= STEADY_WITHIN * before;
    }

    String describe() {
        return adaptive()
                ? String.format(
                        Locale.ROOT,
                        "%s-%s warmup (until steady)",
                        BenchMain.DurationText.of(min),
                        BenchMain.DurationText.of(max))
                : BenchMain.DurationText.of(min) + " warmup";
    }

    /** {@code auto} or a duration ({@link DurationConverter}). */
    static final class Converter implements CommandLine.ITypeConverter<Warmup> {
        @Override
        public Warmup convert(String value) {
            return "auto".equalsIgnoreCase(value.trim()) ? auto() : fixed(DurationConverter.parse(value));
        }
    }
}
