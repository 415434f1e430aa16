package org.openkms.server.fuzz;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link FuzzServer} the fuzz tests of this JVM share (setup creates keys and users: once per JVM in a regression
 * run). While fuzzing, the server is replaced every {@value #FUZZING_GENERATION} inputs: the fuzzer disables, deletes
 * and re-policies the shared resources, and a bounded history keeps a finding close to reproducible from its input.
 * The heap is logged after a GC every {@value #HEAP_LOG_EVERY} inputs, to see it stay flat.
 */
final class FuzzServers {
    private static final int FUZZING_GENERATION = 2_000;
    private static final int HEAP_LOG_EVERY = 10_000;
    private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null
            && !System.getenv("JAZZER_FUZZ").isEmpty();
    private static final AtomicLong EXECUTIONS = new AtomicLong();
    private static FuzzServer current;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(FuzzServers::closeCurrent, "fuzz-server-cleanup"));
        if (FUZZING) {
            // The gateway logs every internal failure at ERROR, which is what a finding needs; the rest is noise at
            // fuzzing speed. (Not in regression runs: the logging of the other tests in this JVM stays as it was.)
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private FuzzServers() {}

    /** The server for the next input. */
    static synchronized FuzzServer get() {
        long n = EXECUTIONS.incrementAndGet();
        if (current != null && FUZZING && n % FUZZING_GENERATION == 0) {
            closeCurrent();
        }
        if (current == null) {
            current = FuzzServer.start();
        }
        if (FUZZING && n % HEAP_LOG_EVERY == 0) {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.err.printf(
                    "[fuzz] %d inputs, heap after GC %d MiB of %d MiB%n",
                    n, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
        }
        return current;
    }

    private static synchronized void closeCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
