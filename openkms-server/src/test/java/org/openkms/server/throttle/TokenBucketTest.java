package org.openkms.server.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openkms.core.error.KmsException;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void admitsTheBurstThenOneTokenPerInterval() {
        long t = 1_000 * SECOND;
        TokenBucket b = new TokenBucket(10, 5, t);
        for (int i = 0; i < 5; i++) {
            assertThat(b.tryAcquire(t)).as("burst call %d", i).isTrue();
        }
        assertThat(b.tryAcquire(t)).isFalse();
        assertThat(b.nanosUntilToken(t)).isEqualTo(SECOND / 10);
        assertThat(b.tryAcquire(t + SECOND / 10 - 1)).isFalse();
        assertThat(b.tryAcquire(t + SECOND / 10)).isTrue();
        assertThat(b.tryAcquire(t + SECOND / 10)).isFalse();
        // Quiet for a second: full again, and never more than the burst.
        long later = t + 5 * SECOND;
        int admitted = 0;
        while (b.tryAcquire(later)) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(5);
    }

    @Test
    void sustainedRateIsTheConfiguredRate() {
        long t = 0;
        TokenBucket b = new TokenBucket(100, 1, t);
        int admitted = 0;
        // 10 seconds of calls every millisecond: 100 per second get through, plus the burst of one.
        for (long now = t; now < t + 10 * SECOND; now += SECOND / 1000) {
            if (b.tryAcquire(now)) {
                admitted++;
            }
        }
        assertThat(admitted).isBetween(1000, 1001);
    }

    @Test
    void fractionalRates() {
        TokenBucket b = new TokenBucket(0.5, 1, 0);
        assertThat(b.tryAcquire(0)).isTrue();
        assertThat(b.tryAcquire(SECOND)).isFalse();
        assertThat(b.tryAcquire(2 * SECOND)).isTrue();
    }

    @Test
    void concurrentCallersNeverGetMoreThanTheBurst() throws Exception {
        TokenBucket b = new TokenBucket(1, 1000, 0);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < 1000; k++) {
                    if (b.tryAcquire(0)) {
                        admitted.incrementAndGet();
                    }
                }
            });
            threads[i].start();
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(admitted.get()).isEqualTo(1000);
    }

    @Test
    void throttlePerCredentialThenPerInstance() {
        AtomicLong now = new AtomicLong(0);
        Throttle t = new Throttle(
                ThrottleConfig.off()
                        .withPerCredential(ThrottleConfig.parse("crypto=1:2"))
                        .withPerInstance(ThrottleConfig.parse("crypto=1:3")),
                now::get);
        t.admit("ak-1", "Encrypt");
        t.admit("ak-1", "Decrypt");
        assertThatThrownBy(() -> t.admit("ak-1", "Encrypt")).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.code()).isEqualTo("Rejected.Throttling");
            assertThat(e.httpStatus()).isEqualTo(429);
        });
        // Another credential has its own bucket, but the instance's is shared: one left there.
        t.admit("ak-2", "Encrypt");
        assertThatThrownBy(() -> t.admit("ak-2", "Encrypt")).isInstanceOf(KmsException.class);
        assertThat(t.throttledByCredential(OperationClass.CRYPTO)).isEqualTo(1);
        assertThat(t.throttledByInstance(OperationClass.CRYPTO)).isEqualTo(1);
        // Other classes are not limited.
        for (int i = 0; i < 100; i++) {
            t.admit("ak-1", "CreateKey");
            t.admit("ak-1", "GetSecretValue");
        }
    }

    @Test
    void bucketsAreBoundedAndIdleOnesForgotten() {
        AtomicLong now = new AtomicLong(0);
        Throttle t = new Throttle(
                ThrottleConfig.off()
                        .withPerCredential(ThrottleConfig.parse("management=1:1"))
                        .withMaxBuckets(100),
                now::get);
        for (int i = 0; i < 100; i++) {
            t.admit("ak-" + i, "ListKeys");
        }
        assertThat(t.buckets()).isEqualTo(100);
        // Full: newcomers share the overflow bucket (one token).
        t.admit("ak-new-1", "ListKeys");
        assertThatThrownBy(() -> t.admit("ak-new-2", "ListKeys")).isInstanceOf(KmsException.class);
        assertThat(t.buckets()).isEqualTo(100);
        // Later every bucket is full again and idle: they are forgotten, and a newcomer gets its own.
        now.addAndGet(3 * SECOND);
        t.admit("ak-new-3", "ListKeys");
        assertThat(t.buckets()).isEqualTo(1);
        // The periodic sweep forgets idle buckets too.
        now.addAndGet(Throttle.SWEEP_EVERY_NANOS + SECOND);
        t.admit("ak-new-4", "ListKeys");
        assertThat(t.buckets()).isLessThanOrEqualTo(1);
    }

    @Test
    void configSyntax() {
        assertThat(ThrottleConfig.parse("crypto=100:200, secretRead=0.5,management=10"))
                .isEqualTo(Map.of(
                        OperationClass.CRYPTO, new ThrottleConfig.Limit(100, 200),
                        OperationClass.SECRET_READ, new ThrottleConfig.Limit(0.5, 1),
                        OperationClass.MANAGEMENT, new ThrottleConfig.Limit(10, 10)));
        assertThat(ThrottleConfig.parse("off")).isEmpty();
        assertThat(ThrottleConfig.format(ThrottleConfig.parse("crypto=100:200,secretRead=0.5")))
                .isEqualTo("crypto=100:200,secretRead=0.5:1");
        assertThatThrownBy(() -> ThrottleConfig.parse("cryto=1"))
                .hasMessageContaining("crypto, secretRead, management");
        assertThatThrownBy(() -> ThrottleConfig.parse("crypto=0")).hasMessageContaining("above 0");
        assertThatThrownBy(() -> ThrottleConfig.parse("crypto=1:0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ThrottleConfig.parse("crypto=x")).hasMessageContaining("calls per second");
        assertThatThrownBy(() -> ThrottleConfig.parse("crypto=1,crypto=2")).hasMessageContaining("twice");
        assertThat(OperationClass.of("AdvanceEncrypt")).isEqualTo(OperationClass.CRYPTO);
        assertThat(OperationClass.of("DescribeSecret")).isEqualTo(OperationClass.SECRET_READ);
        assertThat(OperationClass.of("CreateUser")).isEqualTo(OperationClass.MANAGEMENT);
    }
}
