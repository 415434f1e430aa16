package org.openkms.bench;

import org.HdrHistogram.Histogram;

/**
 * Latency summary in milliseconds from a histogram of microsecond values. The histogram keeps 3 significant digits
 * (0.1 % relative error), records in constant time without allocating, and merges per-connection histograms exactly,
 * which is why the workers each own one instead of sharing a structure or keeping samples.
 */
public final class LatencyStats {
    /** 3 significant digits: 1 µs resolution up to 1 ms, 1 ms resolution at 1 s. */
    static final int SIGNIFICANT_DIGITS = 3;
    /** Latencies above this (1 hour) are clamped; far beyond any socket timeout. */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    private final long count;
    private final double mean;
    private final double p50;
    private final double p90;
    private final double p99;
    private final double p999;
    private final double max;
    private final double min;

    private LatencyStats(Histogram h) {
        count = h.getTotalCount();
        if (count == 0) {
            mean = p50 = p90 = p99 = p999 = max = min = 0;
            return;
        }
        mean = h.getMean() / 1000.0;
        p50 = ms(h.getValueAtPercentile(50.0));
        p90 = ms(h.getValueAtPercentile(90.0));
        p99 = ms(h.getValueAtPercentile(99.0));
        p999 = ms(h.getValueAtPercentile(99.9));
        max = ms(h.getMaxValue());
        min = ms(h.getMinValue());
    }

    /** A histogram suited to {@link #record}. */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /** Records one latency given in nanoseconds (rounded to microseconds, at least 1). */
    public static void record(Histogram h, long nanos) {
        long micros = (nanos + 500) / 1000;
        h.recordValue(micros < 1 ? 1 : Math.min(micros, HIGHEST_MICROS));
    }

    public static LatencyStats of(Histogram h) {
        return new LatencyStats(h);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    public long count() {
        return count;
    }

    public double meanMs() {
        return mean;
    }

    public double p50Ms() {
        return p50;
    }

    public double p90Ms() {
        return p90;
    }

    public double p99Ms() {
        return p99;
    }

    public double p999Ms() {
        return p999;
    }

    public double maxMs() {
        return max;
    }

    public double minMs() {
        return min;
    }
}
