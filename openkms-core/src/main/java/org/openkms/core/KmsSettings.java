package org.openkms.core;

import java.time.Duration;

/**
 * Behaviour knobs of the domain core. Defaults follow Alibaba's documented limits; tests and CI may shorten
 * the waiting periods (e.g. the minimum time between manual key versions).
 */
public record KmsSettings(
        int maxKeys,
        int maxAliases,
        int maxVersionsPerKey,
        Duration minKeyVersionInterval,
        Duration minRotationInterval,
        Duration maxRotationInterval) {

    public static KmsSettings defaults() {
        return new KmsSettings(10_000, 10_000, 50, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(730));
    }

    public KmsSettings withMinKeyVersionInterval(Duration d) {
        return new KmsSettings(maxKeys, maxAliases, maxVersionsPerKey, d, minRotationInterval, maxRotationInterval);
    }

    public KmsSettings withMinRotationInterval(Duration d) {
        return new KmsSettings(maxKeys, maxAliases, maxVersionsPerKey, minKeyVersionInterval, d, maxRotationInterval);
    }
}
