package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WarmupTest {
    @Test
    void autoIsTheDefaultAndAdaptsBetween5And60Seconds() {
        BenchMain m = new BenchMain();
        new CommandLine(m).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--endpoint", "http://127.0.0.1:1");
        assertThat(m.warmup).isEqualTo(Warmup.auto());
        assertThat(m.warmup.adaptive()).isTrue();
        assertThat(m.warmup.min()).isEqualTo(Duration.ofSeconds(5));
        assertThat(m.warmup.max()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aTimeIsAFixedWarmup() {
        Warmup w = new Warmup.Converter().convert("10s");
        assertThat(w.adaptive()).isFalse();
        assertThat(w.min()).isEqualTo(Duration.ofSeconds(10)).isEqualTo(w.max());
        assertThat(new Warmup.Converter().convert("0").none()).isTrue();
    }

    @Test
    void steadyWhenTheLastThreeSecondsAgreeWithTheThreeBefore() {
        // Compilation still running: the server's CPU per request falls from second to second.
        double[] falling = {180, 150, 120, 100, 90, 80};
        assertThat(Warmup.steady(falling, falling.length)).isFalse();
        double[] settled = {180, 120, 71, 70, 72, 70, 71, 69};
        assertThat(Warmup.steady(settled, settled.length)).isTrue();
        assertThat(Warmup.steady(settled, 5)).isFalse(); // fewer than two windows
    }
}
