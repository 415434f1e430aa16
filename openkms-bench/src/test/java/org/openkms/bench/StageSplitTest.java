package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.bench.stages.ResponseEncoder;

/** A real JFR recording of a thread named like the server's request threads, split by the stages on its stacks. */
class StageSplitTest {
    @Test
    void samplesCountForTheFirstStageOnTheirStack(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("load.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.start();
            Thread http = new Thread(
                    () -> {
                        long until = System.nanoTime() + 1_500_000_000L;
                        while (System.nanoTime() < until) {
                            // 4 ms encoding, then 1 ms in a nonce check nested inside it: the inner stage wins
                            ResponseEncoder.work();
                        }
                    },
                    "openkms-http-7");
            Thread other = new Thread(() -> ResponseEncoder.spin(1_000), "not-a-request-thread");
            http.start();
            other.start();
            http.join();
            other.join();
            r.stop();
            r.dump(jfr);
        }
        assertThat(Files.size(jfr)).isPositive();

        Map<String, Long> split = StageSplit.split(jfr);

        long encoding = split.get("response encoding (JSON)");
        long nonce = split.get("nonce cache (replay check)");
        assertThat(encoding).isPositive();
        assertThat(nonce).isPositive();
        assertThat(encoding).isGreaterThan(2 * nonce); // about 4:1
        long total = split.values().stream().mapToLong(Long::longValue).sum();
        assertThat(encoding + nonce).isGreaterThan(total * 8 / 10); // the other thread's samples are not counted
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StageSplit.print(split, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("response encoding (JSON)")
                .contains(" %  ");
    }
}
