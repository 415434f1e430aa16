package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentilesOfAUniformSpread() {
        Histogram h = LatencyStats.newHistogram();
        for (int us = 1; us <= 10_000; us++) { // 1 µs … 10 ms
            LatencyStats.record(h, us * 1000L);
        }
        LatencyStats s = LatencyStats.of(h);
        assertThat(s.count()).isEqualTo(10_000);
        // 3 significant digits: values are exact to within 0.1 %
        assertThat(s.p50Ms()).isCloseTo(5.0, within(0.005));
        assertThat(s.p90Ms()).isCloseTo(9.0, within(0.009));
        assertThat(s.p99Ms()).isCloseTo(9.9, within(0.01));
        assertThat(s.p999Ms()).isCloseTo(9.99, within(0.01));
        assertThat(s.maxMs()).isCloseTo(10.0, within(0.01));
        assertThat(s.minMs()).isEqualTo(0.001);
        assertThat(s.meanMs()).isCloseTo(5.0005, within(0.005));
    }

    @Test
    void tailIsVisibleAndPerConnectionHistogramsMergeExactly() {
        Histogram a = LatencyStats.newHistogram();
        Histogram b = LatencyStats.newHistogram();
        for (int i = 0; i < 990; i++) {
            LatencyStats.record(a, 1_000_000); // 1 ms
        }
        for (int i = 0; i < 9; i++) {
            LatencyStats.record(b, 20_000_000); // 20 ms
        }
        LatencyStats.record(b, 250_000_000); // one 250 ms outlier
        Histogram all = LatencyStats.newHistogram();
        all.add(a);
        all.add(b);
        LatencyStats s = LatencyStats.of(all);
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50Ms()).isCloseTo(1.0, within(0.001));
        assertThat(s.p90Ms()).isCloseTo(1.0, within(0.001));
        assertThat(s.p99Ms()).isCloseTo(1.0, within(0.001)); // 990th of 1000 is still 1 ms
        assertThat(s.p999Ms()).isCloseTo(20.0, within(0.02));
        assertThat(s.maxMs()).isCloseTo(250.0, within(0.25));
    }

    @Test
    void roundsToMicrosecondsAndClampsExtremes() {
        Histogram h = LatencyStats.newHistogram();
        LatencyStats.record(h, 0); // below 1 µs -> 1 µs
        LatencyStats.record(h, 1_499); // 1.499 µs -> 1 µs
        LatencyStats.record(h, Long.MAX_VALUE / 2); // absurd -> clamped, not an exception
        LatencyStats s = LatencyStats.of(h);
        assertThat(s.minMs()).isEqualTo(0.001);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.maxMs()).isGreaterThan(3_000_000.0);
    }

    @Test
    void emptyHistogramGivesZeros() {
        LatencyStats s = LatencyStats.of(LatencyStats.newHistogram());
        assertThat(s.count()).isZero();
        assertThat(s.p99Ms()).isZero();
        assertThat(s.maxMs()).isZero();
    }
}
