package org.openkms.bench;

/**
 * What a measured run produced.
 *
 * @param ok              200 responses
 * @param httpErrors      non-200 responses
 * @param transportErrors failed connects, resets, timeouts, malformed responses
 * @param wallNanos       from the start of the measurement to the last response
 * @param latency         of the 200 responses
 * @param firstError      the first error seen (status and body, or the exception), or null
 * @param cpuNanos        CPU time the bench JVM used while measuring, or -1 if unknown
 * @param serverCpuNanos  CPU time the server process used while measuring (utime + stime), or -1 if not measured
 * @param connects        sockets opened by the workers (= connections unless the server closed some)
 * @param warmupNanos     how long the load ran unmeasured first
 * @param steady          whether an adaptive warm-up ended because the load was steady (false: fixed, or it hit its
 *                        maximum)
 */
public record BenchResult(
        long ok,
        long httpErrors,
        long transportErrors,
        long wallNanos,
        LatencyStats latency,
        String firstError,
        long cpuNanos,
        long serverCpuNanos,
        long connects,
        long warmupNanos,
        boolean steady) {

    public long requests() {
        return ok + httpErrors + transportErrors;
    }

    public long errors() {
        return httpErrors + transportErrors;
    }

    public double seconds() {
        return wallNanos / 1e9;
    }

    /** Successful requests per second: the headline number (a server answering errors quickly earns nothing). */
    public double throughput() {
        return ok / seconds();
    }

    /** Cores' worth of CPU the bench itself used, or -1. */
    public double benchCpuCores() {
        return cpuNanos < 0 ? -1 : cpuNanos / (double) wallNanos;
    }

    /** Cores' worth of CPU the server used, or -1. */
    public double serverCpuCores() {
        return serverCpuNanos < 0 ? -1 : serverCpuNanos / (double) wallNanos;
    }

    /** Server CPU per request in microseconds (over all requests: an error costs the server too), or -1. */
    public double serverCpuMicrosPerRequest() {
        return serverCpuNanos < 0 || requests() == 0 ? -1 : serverCpuNanos / 1000.0 / requests();
    }

    /** Bench CPU per request in microseconds, or -1. */
    public double benchCpuMicrosPerRequest() {
        return cpuNanos < 0 || requests() == 0 ? -1 : cpuNanos / 1000.0 / requests();
    }
}
