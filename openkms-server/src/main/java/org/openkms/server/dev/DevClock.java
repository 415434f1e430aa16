package org.openkms.server.dev;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of a {@code --dev} server's domain (keys, secrets, their schedules): the system's time plus an offset
 * that only moves forward, so that rotation schedules and deletion windows can be tried in seconds. Signatures are
 * still checked against the real time (the SDKs stamp requests with it).
 */
public final class DevClock extends Clock {
    private final Clock base;
    private final AtomicLong offsetMillis = new AtomicLong();

    public DevClock() {
        this(Clock.systemUTC());
    }

    public DevClock(Clock base) {
        this.base = base;
    }

    /** Moves the clock forward by {@code d} (not negative: time that went back would break the schedules). */
    public Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward");
        }
        offsetMillis.addAndGet(d.toMillis());
        return instant();
    }

    public Duration offset() {
        return Duration.ofMillis(offsetMillis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public long millis() {
        return base.millis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
