package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --instance NAME=HOST:PORT} refusals: one line naming the flag as written, exit 2, no data dir. */
class InstanceFlagRefusalTest {
    @TempDir
    Path dir;

    private String refused(String... instanceArgs) {
        CommandLine cmd = Main.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        String[] args = new String[6 + instanceArgs.length];
        System.arraycopy(
                new String[] {
                    "--data-dir", dir.resolve("data").toString(), "--https-listen", "", "--instance-listen", ""
                },
                0,
                args,
                0,
                6);
        System.arraycopy(instanceArgs, 0, args, 6, instanceArgs.length);
        int exit = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> cmd.execute(args));
        assertThat(exit).isEqualTo(2);
        assertThat(dir.resolve("data")).doesNotExist();
        assertThat(err.toString()).doesNotContain("Exception").endsWith(System.lineSeparator());
        return err.toString().strip();
    }

    @Test
    void aBadFlagOrABusyPortIsOneLine() throws Exception {
        assertThat(refused("--listen", "127.0.0.1:0", "--instance", "team-a"))
                .isEqualTo("openkms: --instance team-a: 'team-a' is not NAME=HOST:PORT (use e.g."
                        + " team-a=127.0.0.1:8445; several separated by commas)");
        assertThat(refused("--listen", "127.0.0.1:0", "--instance", "a=127.0.0.1:0", "--instance", "a=127.0.0.1:0"))
                .isEqualTo("openkms: --instance a=127.0.0.1:0: the label a is given twice (give each instance one"
                        + " entry)");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            assertThat(refused("--listen", "127.0.0.1:0", "--instance", "a=127.0.0.1:0", "--instance", "b=" + listen))
                    .isEqualTo("openkms: --instance b=" + listen
                            + ": address already in use (choose another port or stop the other process)");
        }
    }
}
