package org.openkms.conformance.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one command of an example to its end (or its timeout), output merged, and leaves no process behind. */
final class ExampleProcess {
    record Result(int exitStatus, String output, boolean timedOut) {}

    private ExampleProcess() {}

    static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "output-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        // Background jobs an example started (an agent, a server) must not outlive it, whatever its traps did.
        stop(p.toHandle());
        int status = finished ? p.exitValue() : -1;
        return new Result(status, Files.readString(log, StandardCharsets.UTF_8), !finished);
    }

    /** Ends a process and everything it started: SIGTERM first, SIGKILL after 10 s. */
    static void stop(ProcessHandle root) {
        List<ProcessHandle> all = new java.util.ArrayList<>(root.descendants().toList());
        all.add(root);
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }
}
