package org.openkms.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The label bounds and the storage cache of the metrics, without a server. */
class BoundedLabelsTest {
    @Test
    void onlyRegisteredActionsAreLabels() {
        BoundedLabels l = new BoundedLabels(List.of("Encrypt", "CreateKey"));
        assertThat(l.action("Encrypt")).isEqualTo("Encrypt");
        assertThat(l.action("encrypt")).isEqualTo("other");
        assertThat(l.action("")).isEqualTo("other");
        assertThat(l.action(null)).isEqualTo("other");
        assertThat(l.action("Encrypt\"} 1\nfake_metric 2")).isEqualTo("other");
    }

    @Test
    void codesMustLookLikeCodesAndAreCapped() {
        BoundedLabels l = new BoundedLabels(List.of());
        assertThat(l.code("OK")).isEqualTo("OK");
        assertThat(l.code("Forbidden.KeyNotFound")).isEqualTo("Forbidden.KeyNotFound");
        assertThat(l.code("InvalidAccessKeyId.NotFound")).isEqualTo("InvalidAccessKeyId.NotFound");
        assertThat(l.code("has space")).isEqualTo("other");
        assertThat(l.code("quote\"")).isEqualTo("other");
        assertThat(l.code("a.b.c.d.e.f")).isEqualTo("other");
        assertThat(l.code("x".repeat(200))).isEqualTo("other");
        assertThat(l.code(null)).isEqualTo("other");
        for (int i = 0; i < 1000; i++) {
            l.code("Code" + i);
        }
        assertThat(l.code("Code999")).isEqualTo("other");
        // Admitted codes stay labels after the cap is reached.
        assertThat(l.code("Forbidden.KeyNotFound")).isEqualTo("Forbidden.KeyNotFound");
        long distinct = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> l.code("Code" + i))
                .distinct()
                .count();
        assertThat(distinct).isLessThanOrEqualTo(BoundedLabels.MAX_CODES + 1);
    }

    @Test
    void stateCountsAreReadFromStorageAtMostOncePerTtl() {
        AtomicInteger reads = new AtomicInteger();
        AtomicLong now = new AtomicLong(1_000);
        CachedCounts c = new CachedCounts(
                "keys", () -> Map.of("Enabled", (long) reads.incrementAndGet()), Duration.ofSeconds(15), now::get);
        for (int i = 0; i < 100; i++) {
            assertThat(c.count("Enabled")).isEqualTo(1.0);
        }
        assertThat(reads).hasValue(1);
        now.addAndGet(Duration.ofSeconds(15).toNanos());
        assertThat(c.count("Enabled")).isEqualTo(2.0);
        assertThat(c.count("Disabled")).isZero();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedReadKeepsTheLastCountsAndWaitsATtl() {
        AtomicInteger reads = new AtomicInteger();
        AtomicLong now = new AtomicLong(0);
        CachedCounts c = new CachedCounts(
                "secrets",
                () -> {
                    if (reads.incrementAndGet() > 1) {
                        throw new IllegalStateException("database away");
                    }
                    return Map.of("Active", 3L);
                },
                Duration.ofSeconds(15),
                now::get);
        assertThat(c.count("Active")).isEqualTo(3.0);
        now.addAndGet(Duration.ofSeconds(16).toNanos());
        assertThat(c.count("Active")).isEqualTo(3.0);
        assertThat(c.count("Active")).isEqualTo(3.0);
        assertThat(reads).hasValue(2);
    }
}
