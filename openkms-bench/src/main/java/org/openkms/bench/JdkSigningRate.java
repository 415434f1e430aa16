package org.openkms.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the JDK alone signs per second on this machine, in the bench's JVM: the ceiling an AsymmetricSign load is
 * compared with ("within 20 % of the JDK's raw signing rate"). The same algorithm over a 32-byte message, on as
 * many threads as the load could keep busy (its connections, at most the cores), for the same measuring time, run
 * right after the load so that both see the machine in the same state. Only the key specs the JDK signs itself
 * (RSA, P-256); secp256k1 and SM2 run on BouncyCastle in the server and have no JDK counterpart.
 */
final class JdkSigningRate {
    private JdkSigningRate() {}

    /** The JDK's algorithm name for a key spec, or null when the JDK does not sign with it. */
    static String algorithm(String spec) {
        return switch (spec) {
            case "RSA_2048", "RSA_3072" -> "SHA256withRSA";
            case "EC_P256" -> "SHA256withECDSA";
            default -> null;
        };
    }

    /** Signatures per second over {@code threads} threads for {@code duration}, after a short warm-up. */
    static double measure(String spec, int threads, Duration duration) throws GeneralSecurityException {
        String algorithm = algorithm(spec);
        if (algorithm == null) {
            throw new IllegalArgumentException("the JDK does not sign with " + spec);
        }
        KeyPair pair = keyPair(spec);
        byte[] message = new byte[32];
        // Warm-up: let the JIT compile the signing path before it is timed, as the load had its warm-up.
        run(algorithm, pair, message, threads, Duration.ofMillis(Math.min(2_000, duration.toMillis() / 2)));
        long start = System.nanoTime();
        long count = run(algorithm, pair, message, threads, duration);
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static long run(String algorithm, KeyPair pair, byte[] message, int threads, Duration duration)
            throws GeneralSecurityException {
        AtomicLong total = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long deadline = System.nanoTime() + duration.toNanos();
        List<GeneralSecurityException> failures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(pair.getPrivate());
            Thread t = new Thread(
                    () -> {
                        long n = 0;
                        try {
                            while (System.nanoTime() < deadline) {
                                s.update(message);
                                s.sign();
                                n++;
                            }
                        } catch (GeneralSecurityException e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                        }
                        total.addAndGet(n);
                    },
                    "jdk-sign-" + i);
            workers.add(t);
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GeneralSecurityException("interrupted", e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return total.get();
    }

    private static KeyPair keyPair(String spec) throws GeneralSecurityException {
        if (spec.startsWith("RSA_")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(Integer.parseInt(spec.substring(4)));
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** The report line: the load's rate as a share of the JDK's. */
    static String line(String describe, double loadRate, String spec, int threads, double jdkRate) {
        return String.format(
                Locale.ROOT,
                "%s: %,.0f req/s = %.2f x the JDK's own %s rate in the bench JVM (%,.0f/s on %d thread%s, JDK %s)",
                describe,
                loadRate,
                loadRate / jdkRate,
                algorithm(spec),
                jdkRate,
                threads,
                threads == 1 ? "" : "s",
                Runtime.version());
    }
}
