package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A start that cannot work says why in ONE line naming the option and the fix, exits with status 2, and leaves
 * nothing behind: the checks and the port binding come before the data dir, root key, database and
 * administrator AccessKey are made. Runs {@link Main}'s command in-process with captured streams; the child-JVM
 * variant ({@link StartupRefusalProcessTest}) checks that the real entry point prints no stack trace either.
 */
class StartupRefusalTest {
    @TempDir
    Path dir;

    private Path dataDir() {
        return dir.resolve("data");
    }

    private record Outcome(int exit, String err) {}

    private Outcome main(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--data-dir")) {
            all.addAll(List.of("--data-dir", dataDir().toString()));
        }
        if (!all.contains("--instance-listen")) {
            all.addAll(List.of("--instance-listen", "")); // its default port 8444 may be taken on a test machine
        }
        int exit = Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> cmd.execute(all.toArray(new String[0])));
        return new Outcome(exit, err.toString());
    }

    /** One line, "openkms: <option>: <what and how to fix>", exit 2, no stack trace, no data dir. */
    private void assertRefused(Outcome o, String expectedLine) {
        assertThat(o.err()).isEqualTo(expectedLine + System.lineSeparator());
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(dataDir()).doesNotExist();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aPortInUseIsOneLineAndLeavesNothingBehind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            assertRefused(
                    main("--listen", listen, "--https-listen", ""),
                    "openkms: --listen " + listen
                            + ": address already in use (choose another port or stop the other process)");
            // The HTTP listener was bound before the HTTPS one failed: it must have been released again.
            int http = freePort();
            assertRefused(
                    main("--listen", "127.0.0.1:" + http, "--https-listen", listen),
                    "openkms: --https-listen " + listen
                            + ": address already in use (choose another port or stop the other process)");
            try (ServerSocket again = new ServerSocket(http, 1, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(http);
            }
        }
    }

    @Test
    void theInstanceGatewaysPortInUseIsOneLineToo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            assertRefused(
                    main("--listen", "127.0.0.1:" + freePort(), "--https-listen", "", "--instance-listen", listen),
                    "openkms: --instance-listen " + listen
                            + ": address already in use (choose another port or stop the other process)");
        }
        assertRefused(
                main("--instance-listen", "8444"),
                "openkms: --instance-listen 8444: must be host:port, e.g. 127.0.0.1:8080, [::1]:8080 or 0.0.0.0:8080 (\"\" disables it)");
    }

    @Test
    void malformedListenAddresses() {
        assertRefused(
                main("--listen", "8080"),
                "openkms: --listen 8080: must be host:port, e.g. 127.0.0.1:8080, [::1]:8080 or 0.0.0.0:8080 (\"\" disables it)");
        assertRefused(
                main("--https-listen", "127.0.0.1:70000"),
                "openkms: --https-listen 127.0.0.1:70000: the port must be a number from 0 to 65535 (0 picks a free one)");
    }

    @Test
    void configFileProblems() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        assertRefused(
                main("--config", missing.toString()),
                "openkms: --config " + missing + ": no such file (check the path)");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "listen: [\n");
        assertRefused(
                main("--config", bad.toString()),
                "openkms: --config " + bad
                        + ": not valid YAML at line 2, column 1: expected the node content, but found '<stream end>' (while parsing a flow node)");
        Path unknown = Files.writeString(dir.resolve("unknown.yaml"), "listn: 127.0.0.1:0\n");
        assertRefused(
                main("--config", unknown.toString()),
                "openkms: --config " + unknown
                        + ": unknown setting 'listn' (the Configuration table of README.md lists the YAML keys)");
        Path duration = Files.writeString(dir.resolve("duration.yaml"), "keys:\n  maintenanceInterval: 1 minute\n");
        assertRefused(
                main("--config", duration.toString()),
                "openkms: --config " + duration
                        + ": keys.maintenanceInterval: not a duration: '1 minute' (use e.g. 90s, 5m, 2h, 7d or PT90S)");
    }

    @Test
    void tlsFileProblems() throws Exception {
        Path crt = dir.resolve("missing.crt");
        Path key = dir.resolve("missing.key");
        assertRefused(
                main("--tls-cert", crt.toString(), "--tls-key", key.toString()),
                "openkms: --tls-cert " + crt + ": no such file (check the path)");
        Files.writeString(crt, "not a certificate\n");
        assertRefused(
                main("--tls-cert", crt.toString(), "--tls-key", key.toString()),
                "openkms: --tls-key " + key + ": no such file (check the path)");
        assertRefused(
                main("--tls-cert", crt.toString()),
                "openkms: --tls-cert " + crt
                        + ": --tls-cert and --tls-key go together (give both, or neither for a self-signed certificate)");
        Files.writeString(key, "not a key\n");
        assertRefused(
                main(
                        "--tls-cert",
                        crt.toString(),
                        "--tls-key",
                        key.toString(),
                        "--listen",
                        "127.0.0.1:0",
                        "--https-listen",
                        "127.0.0.1:0"),
                "openkms: --tls-cert " + crt
                        + ": no certificate in it (expected PEM: -----BEGIN CERTIFICATE----- blocks,"
                        + " the server certificate first, then its intermediates)");
    }

    @Test
    void storageUrlProblems() {
        assertRefused(
                main("--storage-url", "jdbc:mysql://db/kms?user=u&password=hunter2"),
                "openkms: --storage-url jdbc:mysql://db/kms?user=u&password=***: unsupported JDBC URL (expected jdbc:sqlite: or jdbc:postgresql:):"
                        + " jdbc:mysql://db/kms?user=u&password=*** (e.g. jdbc:postgresql://127.0.0.1:5432/openkms?user=openkms&password=..."
                        + " or jdbc:sqlite:/var/lib/openkms/openkms.db)");
        // Reached after the ports are bound but before the data dir is made.
        Outcome o = main(
                "--storage-url",
                "jdbc:postgresql://127.0.0.1:1/kms?user=u&password=hunter2",
                "--listen",
                "127.0.0.1:0",
                "--https-listen",
                "127.0.0.1:0");
        assertThat(o.err())
                .startsWith(
                        "openkms: --storage-url jdbc:postgresql://127.0.0.1:1/kms?user=u&password=***: Connection to 127.0.0.1:1 refused")
                .doesNotContain("hunter2")
                .hasLineCount(1);
        assertThat(o.exit()).isEqualTo(2);
        assertThat(dataDir()).doesNotExist();
    }

    @Test
    void aDataDirThatCannotBeMade() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        Outcome o = main("--data-dir", file.resolve("data").toString());
        assertThat(o.err())
                .isEqualTo("openkms: --data-dir " + file.resolve("data") + ": cannot be created: " + file
                        + " is not a directory (choose another --data-dir)" + System.lineSeparator());
        assertThat(o.exit()).isEqualTo(2);
        Outcome notDir = main("--data-dir", file.toString());
        assertThat(notDir.err())
                .isEqualTo("openkms: --data-dir " + file + ": exists but is not a directory (choose another --data-dir)"
                        + System.lineSeparator());
    }

    @Test
    void aDamagedDatabaseFileIsOneLine() throws Exception {
        Path data = Files.createDirectories(dir.resolve("existing"));
        Files.writeString(data.resolve("openkms.db"), "not a database, not even close\n");
        Outcome o = main("--data-dir", data.toString(), "--listen", "127.0.0.1:0", "--https-listen", "127.0.0.1:0");
        assertThat(o.err())
                .isEqualTo("openkms: --data-dir " + data + ": cannot open SQLite database " + data.resolve("openkms.db")
                        + ": [SQLITE_NOTADB] File opened that is not a database file (file is not a database)"
                        + System.lineSeparator());
        assertThat(o.exit()).isEqualTo(2);
        assertThat(data.resolve("root.key")).doesNotExist();
    }

    /** Skipped as root, who may read and write anything. */
    @Test
    void aDataDirTheServerCannotWrite() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root can write any directory");
        Path locked = Files.createDirectory(
                dir.resolve("locked"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")));
        Outcome o = main("--data-dir", locked.toString());
        assertThat(o.err())
                .isEqualTo("openkms: --data-dir " + locked + ": the server's user (" + System.getProperty("user.name")
                        + ") cannot read and write it (fix its owner or mode, or choose another --data-dir)"
                        + System.lineSeparator());
        Outcome below = main("--data-dir", locked.resolve("data").toString());
        assertThat(below.err()).startsWith("openkms: --data-dir " + locked.resolve("data") + ": cannot be created:");
        assertThat(below.exit()).isEqualTo(2);
    }

    @Test
    void commandLineSyntaxErrorsAreOneLineToo() {
        assertRefused(
                main("--listn", "x"),
                "openkms: Unknown options: '--listn', 'x' (openkms server --help lists the options)");
    }
}
