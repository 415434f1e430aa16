package org.openkms.conformance.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the examples of one Markdown file run, in order: a scratch directory that plays the repository checkout
 * (the reader's working directory), a stand-in for the {@code ./openkms} launcher, free ports, and the file's
 * server.
 *
 * <p>The stand-in runs the same main classes as the real launcher, from this test's class path with this JVM's
 * {@code java}, so it never builds (the real launcher runs {@code mvn install} when its jars are missing or older
 * than the sources, which inside this Maven build would recurse). {@code ./openkms build} is therefore a no-op.
 *
 * <p>Examples name the documented fixed ports; the test must not take those (another server may hold them), so
 * {@link #rewrite} replaces {@code 127.0.0.1:} (or {@code localhost:}) {@code 8080}, {@code 8443}, {@code 8444} and
 * {@code 2025} with this workspace's ports,
 * {@code OPENKMS_ENDPOINT} carries the HTTP port to the CLI (whose default is {@code http://127.0.0.1:8080}), and the
 * stand-in gives {@code ./openkms server} and {@code ./openkms agent} their listen ports. Nothing else of an example
 * is changed.
 */
final class ExampleWorkspace implements AutoCloseable {
    private static final Duration SERVER_START = Duration.ofSeconds(90);
    /** Short-lived JVMs (one per CLI call): C1 only and a small heap start fastest and leave room for the build. */
    private static final String JVM_OPTS =
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xmx256m -Xshare:auto";

    private final Path dir;
    private final int httpPort;
    private final int httpsPort;
    private final int instancePort;
    private final int agentPort;
    private final Map<String, String> env;
    private final List<Process> servers = new ArrayList<>();

    ExampleWorkspace(Path dir) throws IOException {
        this.dir = dir;
        this.httpPort = freePort();
        this.httpsPort = freePort();
        this.instancePort = freePort();
        this.agentPort = freePort();
        Files.createDirectories(dir.resolve("home"));
        writeLauncher();
        linkClassPathAs(dir.resolve("openkms-agent/target/lib"));
        this.env = environment();
    }

    Path dir() {
        return dir;
    }

    Map<String, String> env() {
        return env;
    }

    /** The example's text with the documented ports replaced by this workspace's. */
    String rewrite(String text) {
        String t = text;
        for (String host : new String[] {"127.0.0.1:", "localhost:"}) {
            t = t.replace(host + "8080", host + httpPort)
                    .replace(host + "8443", host + httpsPort)
                    .replace(host + "8444", host + instancePort)
                    .replace(host + "2025", host + agentPort);
        }
        return t;
    }

    /**
     * Starts the server the README's Quick start starts ({@code ./openkms server}, here through the stand-in) in
     * the scratch directory, so it makes {@code openkms-data/} there, and waits until it answers.
     */
    void startServer() throws IOException, InterruptedException {
        Path log = dir.resolve("server-" + servers.size() + ".log");
        ProcessBuilder pb = new ProcessBuilder(dir.resolve("openkms").toString(), "server")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        servers.add(p);
        Instant deadline = Instant.now().plus(SERVER_START);
        while (!healthy()) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the server did not start:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    boolean healthy() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + "/healthz")
                    .toURL()
                    .openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the servers this workspace started (their data stays for the next start). */
    void stopServers() {
        servers.forEach(p -> ExampleProcess.stop(p.toHandle()));
        servers.clear();
    }

    @Override
    public void close() {
        stopServers();
    }

    private Map<String, String> environment() {
        Map<String, String> e = new LinkedHashMap<>();
        // The reader's shell, minus anything that would point the examples at another KMS or identity.
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("ALIBABA_CLOUD_")
                    && !k.startsWith("OPENKMS_")
                    && !k.startsWith("KMS_")
                    && !k.equals("JAVA_OPTS")
                    && !k.equals("XDG_RUNTIME_DIR")) {
                e.put(k, v);
            }
        });
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        e.put("PATH", javaBin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        e.put("HOME", dir.resolve("home").toString());
        e.put("OPENKMS_ENDPOINT", "http://127.0.0.1:" + httpPort);
        e.put("OPENKMS_EXAMPLES_JAVA", Path.of(javaBin, "java").toString());
        e.put("OPENKMS_EXAMPLES_JVM_OPTS", JVM_OPTS);
        e.put("OPENKMS_EXAMPLES_CLASSPATH", classPath());
        e.put("OPENKMS_EXAMPLES_HTTP_PORT", Integer.toString(httpPort));
        e.put("OPENKMS_EXAMPLES_HTTPS_PORT", Integer.toString(httpsPort));
        e.put("OPENKMS_EXAMPLES_INSTANCE_PORT", Integer.toString(instancePort));
        e.put("OPENKMS_EXAMPLES_AGENT_PORT", Integer.toString(agentPort));
        return e;
    }

    /** This test JVM's class path (surefire sets {@code java.class.path} to it also in a forked JVM). */
    static String classPath() {
        return System.getProperty("java.class.path");
    }

    private void writeLauncher() throws IOException {
        String script = """
                #!/usr/bin/env bash
                # Stand-in for the repository's ./openkms, written by DocumentedExamplesTest: the same subcommands and
                # main classes, run from the test's class path (nothing is built), on the ports the test chose.
                set -euo pipefail
                cmd="${1:-help}"
                [[ $# -gt 0 ]] && shift
                run() { exec "$OPENKMS_EXAMPLES_JAVA" $OPENKMS_EXAMPLES_JVM_OPTS -cp "$OPENKMS_EXAMPLES_CLASSPATH" "$@"; }
                case "$cmd" in
                  build) ;;
                  server) run org.openkms.server.Main --listen "127.0.0.1:$OPENKMS_EXAMPLES_HTTP_PORT" \\
                            --https-listen "127.0.0.1:$OPENKMS_EXAMPLES_HTTPS_PORT" \\
                            --instance-listen "127.0.0.1:$OPENKMS_EXAMPLES_INSTANCE_PORT" "$@" ;;
                  kms|encrypt|decrypt|secret|key|dev|generate-completion) run org.openkms.cli.CliMain "$cmd" "$@" ;;
                  admin) run org.openkms.server.admin.AdminMain "$@" ;;
                  agent) run org.openkms.agent.AgentMain --port "$OPENKMS_EXAMPLES_AGENT_PORT" "$@" ;;
                  *) echo "openkms (test stand-in): '$cmd' is not available in DocumentedExamplesTest" >&2; exit 2 ;;
                esac
                """;
        Path launcher = dir.resolve("openkms");
        Files.writeString(launcher, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * docs/agent.md puts {@code openkms-agent/target/lib/*.jar} on jshell's class path (the launcher's layout); here
     * that directory links the test class path's jars.
     */
    private static void linkClassPathAs(Path lib) throws IOException {
        Files.createDirectories(lib);
        Map<String, Integer> seen = new HashMap<>();
        for (String entry : classPath().split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                continue;
            }
            String name = jar.getFileName().toString();
            int n = seen.merge(name, 1, Integer::sum);
            try {
                Files.createSymbolicLink(lib.resolve(n == 1 ? name : n + "-" + name), jar.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
