package org.openkms.bench.stages;

/** Stands in for the server's class of the same simple name: StageSplit matches stages by class and method. */
public final class ResponseEncoder {
    private static volatile long sink;

    private ResponseEncoder() {}

    public static void work() {
        spin(4);
        NonceCache.work();
    }

    /** Computes for about {@code millis} ms, in Java code (where the execution sampler sees it). */
    public static void spin(long millis) {
        long until = System.nanoTime() + millis * 1_000_000L;
        long x = sink;
        do {
            for (int i = 0; i < 20_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                x ^= x >>> 29;
            }
        } while (System.nanoTime() < until);
        sink = x;
    }
}
