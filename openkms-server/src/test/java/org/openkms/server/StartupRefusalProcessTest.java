package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.config.ServerConfig;

/**
 * The real entry point ({@code openkms server} = {@link Main} in its own JVM) refusing to start: exactly one
 * line on stderr, no stack trace anywhere in its output, exit status 2, and no data dir left behind.
 */
class StartupRefusalProcessTest {
    @TempDir
    Path dir;

    private record Run(int exit, String stdout, String stderr) {}

    private Run openkmsServer(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "org.openkms.server.Main"));
        cmd.addAll(List.of(args));
        if (!cmd.contains("--instance-listen")) {
            cmd.addAll(List.of("--instance-listen", "")); // its default port 8444 may be taken on a test machine
        }
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("OPENKMS_"));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the server started instead of refusing: " + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void assertOneLine(Run r, String expected) {
        assertThat(r.stderr()).isEqualTo(expected + System.lineSeparator());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stdout() + r.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void portInUse() throws Exception {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            assertOneLine(
                    openkmsServer("--data-dir", data.toString(), "--listen", listen),
                    "openkms: --listen " + listen
                            + ": address already in use (choose another port or stop the other process)");
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void badYaml() throws Exception {
        Path data = dir.resolve("data");
        Path yaml = Files.writeString(dir.resolve("openkms.yaml"), "listen: 127.0.0.1:0\n  httpsListen: 127.0.0.1:0\n");
        assertOneLine(
                openkmsServer("--data-dir", data.toString(), "--config", yaml.toString()),
                "openkms: --config " + yaml
                        + ": not valid YAML at line 2, column 14: mapping values are not allowed here");
        assertThat(data).doesNotExist();
    }

    @Test
    void dataDirInUseAndRootKeyMissing() throws Exception {
        Path data = dir.resolve("data");
        ServerConfig config = ServerConfig.defaults()
                .withDataDir(data)
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey("LTAIprocess", "process-secret");
        try (OpenKmsServer running = OpenKmsServer.start(config)) {
            assertOneLine(
                    openkmsServer(
                            "--data-dir", data.toString(), "--listen", "127.0.0.1:0", "--https-listen", "127.0.0.1:0"),
                    "openkms: another OpenKMS server (pid "
                            + ProcessHandle.current().pid() + ") is using data dir " + data
                            + " (stop it first, or give this server its own --data-dir)");
        }
        Files.delete(data.resolve("root.key"));
        Run r = openkmsServer(
                "--data-dir", data.toString(), "--listen", "127.0.0.1:0", "--https-listen", "127.0.0.1:0");
        assertOneLine(
                r,
                "openkms: root key " + data.resolve("root.key")
                        + " is missing, but the database already holds data sealed under"
                        + " a root key; restore root.key from a backup (a further node of a cluster: copy it from the first node's data dir)."
                        + " A new root key could not open that data, so none is made");
        assertThat(data.resolve("root.key")).doesNotExist();
        assertThat(data.resolve("root-credentials")).doesNotExist();
    }
}
