package org.openkms.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NonceCacheTest {
    private static final long WINDOW = 15 * 60_000L;
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void aNonceIsRefusedAgainWhateverTimestampComesWithIt() {
        NonceCache c = new NonceCache(WINDOW, 1000);
        assertThat(c.firstUse("ak", "n1", NOW, NOW)).isEqualTo(NonceCache.Outcome.FIRST_USE);
        assertThat(c.firstUse("ak", "n1", NOW, NOW)).isEqualTo(NonceCache.Outcome.REUSED);
        assertThat(c.firstUse("ak", "n1", NOW - 10 * 60_000, NOW)).isEqualTo(NonceCache.Outcome.REUSED);
        assertThat(c.firstUse("ak", "n1", NOW + 10 * 60_000, NOW)).isEqualTo(NonceCache.Outcome.REUSED);
        // Nonces are per AccessKey.
        assertThat(c.firstUse("other", "n1", NOW, NOW)).isEqualTo(NonceCache.Outcome.FIRST_USE);
    }

    @Test
    void whenFullNewNoncesAreRefusedNotAcceptedUnchecked() {
        NonceCache c = new NonceCache(WINDOW, 100);
        for (int i = 0; i < 100; i++) {
            assertThat(c.firstUse("ak", "n" + i, NOW, NOW)).isEqualTo(NonceCache.Outcome.FIRST_USE);
        }
        assertThat(c.firstUse("ak", "one-more", NOW, NOW)).isEqualTo(NonceCache.Outcome.FULL);
        assertThat(c.firstUse("ak", "n7", NOW, NOW)).isEqualTo(NonceCache.Outcome.REUSED);
        assertThat(c.size()).isEqualTo(100);
    }

    @Test
    void entriesOutsideTheWindowAreReclaimed() {
        NonceCache c = new NonceCache(WINDOW, 100_000);
        for (int i = 0; i < 50_000; i++) {
            c.firstUse("ak", "n" + i, NOW, NOW);
        }
        assertThat(c.size()).isEqualTo(50_000);
        long later = NOW + WINDOW + 3 * 60_000;
        // Each stripe sweeps when next touched: touch them all with fresh nonces.
        for (int i = 0; i < 5_000; i++) {
            c.firstUse("ak", "m" + i, later, later);
        }
        assertThat(c.size()).isEqualTo(5_000);
        assertThat(c.firstUse("ak", "n1", later, later)).isEqualTo(NonceCache.Outcome.FIRST_USE);
    }
}
