package org.openkms.bench.stages;

/** Stands in for the server's class of the same simple name: StageSplit matches stages by class and method. */
public final class NonceCache {
    private NonceCache() {}

    public static void work() {
        ResponseEncoder.spin(1);
    }
}
