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
import org.openkms.bench.stages.NonceCache;
import org.openkms.bench.stages.ResponseEncoder;

/** A real JFR recording of a thread named like the server's request threads, split by the stages on its stacks. */
class StageSplitTest {
    @Test
    void samplesCountForTheFirstStageOnTheirStack(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("load.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            r.start();
            Thread http = new Thread(
                    () -> {
                        long until = System.nanoTime() + 600_000_000L;
                        while (System.nanoTime() < until) {
                            ResponseEncoder.work(); // 3 ms encoding, of which 1 ms in a nested nonce check
                            NonceCache.work(); // 1 ms more in the nonce check: about 60 % encoding, 40 % nonce
                        }
                    },
                    "openkms-http-7");
            Thread other = new Thread(() -> ResponseEncoder.spin(300), "not-a-request-thread");
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
        assertThat(encoding).isGreaterThan(nonce);
        long total = split.values().stream().mapToLong(Long::longValue).sum();
        assertThat(encoding + nonce).isGreaterThan(total * 8 / 10); // the other thread's samples are not counted
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StageSplit.print(split, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("response encoding (JSON)")
                .contains(" %  ");
    }
}
