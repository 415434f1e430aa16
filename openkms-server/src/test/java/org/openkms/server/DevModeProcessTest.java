package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.dev.DevActions;

/** {@code openkms server --dev} from its command line: what it prints, what it refuses, what it leaves behind. */
class DevModeProcessTest {
    @TempDir
    Path dir;

    private ProcessBuilder openkmsServer(Path out, Path err, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Djava.io.tmpdir=" + dir,
                "-cp",
                System.getProperty("java.class.path"),
                "org.openkms.server.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--instance-listen", ""));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("OPENKMS_"));
        return pb;
    }

    private int refused(String... args) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        Process p = openkmsServer(out, err, args).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("refused without starting")
                .isTrue();
        assertThat(Files.readString(err)).hasLineCount(1).startsWith("openkms: --dev ");
        return p.exitValue();
    }

    @Test
    void refusedWithADataDirOrAStorageUrl() throws Exception {
        assertThat(refused("--dev", "--data-dir", dir.resolve("data").toString()))
                .isEqualTo(2);
        assertThat(dir.resolve("data")).doesNotExist();
        assertThat(refused("--dev", "--storage-url", "jdbc:postgresql://127.0.0.1:5432/openkms?user=u&password=p"))
                .isEqualTo(2);
    }

    @Test
    void printsItsCredentialsServesHttpOnlyAndDeletesItsDataOnExit() throws Exception {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = openkmsServer(out, err, "--dev", "--listen", "127.0.0.1:0").start();
        try {
            Pattern endpoint = Pattern.compile("endpoint: +http://127\\.0\\.0\\.1:(\\d+)");
            Pattern data = Pattern.compile("data dir: +(\\S+)");
            long deadline = System.nanoTime() + 60_000_000_000L;
            String printed = "";
            while (!printed.contains("move time forward") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(200);
                printed = Files.readString(out);
            }
            assertThat(printed)
                    .as(Files.readString(err))
                    .contains(DevActions.DEV_ACCESS_KEY_ID)
                    .contains(DevActions.DEV_ACCESS_KEY_SECRET)
                    .doesNotContain("https://");
            Matcher m = endpoint.matcher(printed);
            assertThat(m.find()).isTrue();
            Matcher d = data.matcher(printed);
            assertThat(d.find()).isTrue();
            Path dataDir = Path.of(d.group(1));
            assertThat(dataDir).startsWith(dir).isDirectory();
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/healthz"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("ok");
            p.destroy(); // SIGTERM: the shutdown hook stops the server and deletes the data dir
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(dataDir).doesNotExist();
        } finally {
            p.destroyForcibly();
        }
    }
}
