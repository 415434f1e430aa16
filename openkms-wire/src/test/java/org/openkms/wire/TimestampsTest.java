package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Test
    void knownValues() {
        assertThat(Timestamps.format(0)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(Timestamps.format(1_459_134_788_999L)).isEqualTo("2016-03-28T03:13:08Z");
        assertThat(Timestamps.parse("2016-03-28T03:13:08Z")).isEqualTo(1_459_134_788_000L);
        assertThat(Timestamps.parse("2024-02-29T23:59:59Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59Z").toEpochMilli());
        assertThat(Timestamps.format(-1)).isEqualTo("1969-12-31T23:59:59Z");
    }

    @Test
    void agreesWithJavaTime() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long millis = (long) (random.nextDouble() * 253_402_300_799_000L) - 62_135_596_800_000L / 2;
            String expected = REFERENCE.format(Instant.ofEpochMilli(millis));
            assertThat(Timestamps.format(millis)).isEqualTo(expected);
            assertThat(Timestamps.parse(expected)).isEqualTo(Math.floorDiv(millis, 1000) * 1000);
        }
    }

    @Test
    void rejectsAnythingElse() {
        String[] bad = {
            null,
            "",
            "2026-11-22T23:45:21",
            "2026-11-22T23:45:21.000Z",
            "2026-11-22 23:45:21Z",
            "2026-11-22t23:45:21z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T23:60:00Z",
            "2026-11-22T23:45:60Z",
            "2026-11-22T23:45:2aZ",
            "+026-11-22T23:45:21Z",
            "2026-11-22T23:45:21+00:00"
        };
        for (String s : bad) {
            assertThatThrownBy(() -> Timestamps.parse(s))
                    .as(String.valueOf(s))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Timestamps.parse("2000-02-29T00:00:00Z"))
                .isEqualTo(Instant.parse("2000-02-29T00:00:00Z").toEpochMilli());
    }

    @Test
    void noncesAre32LowerHexAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String n = Nonces.newNonce();
            assertThat(n).matches("[0-9a-f]{32}");
            seen.add(n);
        }
        assertThat(seen).hasSize(1000);
    }
}
