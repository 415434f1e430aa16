package org.openkms.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SecureRandomsTest {

    @Test
    void eachThreadHasItsOwnDrbg() throws InterruptedException {
        SecureRandom mine = SecureRandoms.current();
        AtomicReference<SecureRandom> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(SecureRandoms.current()));
        t.start();
        t.join();
        assertThat(mine.getAlgorithm()).isEqualTo("DRBG");
        assertThat(other.get()).isNotNull().isNotSameAs(mine);
        assertThat(SecureRandoms.current()).isSameAs(mine);
    }

    @Test
    void ivsFromManyThreadsDoNotRepeat() throws InterruptedException {
        Set<String> seen = java.util.Collections.synchronizedSet(new HashSet<>());
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int j = 0; j < 2_000; j++) {
                    seen.add(java.util.HexFormat.of().formatHex(SecureRandoms.bytes(12)));
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(threads.length * 2_000);
    }

    @Test
    void noncesFromManyThreadsDoNotRepeatAcrossRefills() throws InterruptedException {
        Set<String> seen = java.util.Collections.synchronizedSet(new HashSet<>());
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int j = 0; j < 2_000; j++) { // 24 KB a thread: the 1 KiB buffer is refilled many times
                    seen.add(java.util.HexFormat.of().formatHex(SecureRandoms.nonce(12)));
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(threads.length * 2_000);
        assertThat(SecureRandoms.nonce(12)).hasSize(12);
        assertThat(SecureRandoms.nonce(1000)).hasSize(1000); // larger than the buffer serves: straight from the DRBG
    }
}
