package org.openkms.wire.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;
import org.openkms.wire.Timestamps;

/**
 * {@link Timestamps}: the Timestamp / x-acs-date of every request. Contract fuzzed: parse throws only
 * IllegalArgumentException and whatever it accepts formats back to the same text; format accepts exactly the years
 * 0000-9999 and parse reads its output back to the second.
 */
class TimestampsFuzzTest {
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
    private static final long MIN = -62167219200000L;

    private static final long MAX = 253402300799999L;

    @FuzzTest
    @Timeout(10)
    void parse(byte[] input) {
        String s = FuzzText.decode(input);
        long millis;
        try {
            millis = Timestamps.parse(s);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertThat(millis % 1000).isZero();
        assertThat(Timestamps.format(millis)).isEqualTo(s);
    }

    @FuzzTest
    @Timeout(10)
    void format(FuzzedDataProvider data) {
        long millis = data.consumeBoolean() ? data.consumeLong(MIN - 1000, MAX + 1000) : data.consumeLong();
        String s;
        try {
            s = Timestamps.format(millis);
        } catch (IllegalArgumentException e) {
            assertThat(millis < MIN || millis > MAX).as("refused %d", millis).isTrue();
            return;
        }
        assertThat(millis).isBetween(MIN, MAX);
        assertThat(Timestamps.parse(s)).isEqualTo(Math.floorDiv(millis, 1000L) * 1000L);
    }
}
