package org.openkms.bench.stages;

/** Stands in for the server's class of the same simple name: StageSplit matches stages by class and method. */
public final class ResponseEncoder {
    private static volatile long sink;

    private ResponseEncoder() {}

    public static void work() {
        spin(3);
        NonceCache.work();
    }

    public static void spin(long millis) {
        long until = System.nanoTime() + millis * 1_000_000L;
        long x = 0;
        while (System.nanoTime() < until) {
            x += System.nanoTime() % 7;
        }
        sink = x;
    }
}
