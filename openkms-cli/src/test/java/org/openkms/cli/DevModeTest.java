package org.openkms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;
import org.openkms.server.dev.DevActions;
import org.openkms.server.dev.DevClock;

/**
 * A dev server's clock, moved by {@code openkms dev clock}: a key scheduled for deletion is gone after the window,
 * a key's rotation schedule fires, and nobody but the administrator moves the clock.
 */
class DevModeTest {
    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        // What `openkms server --dev` configures (Main.runDev), on free ports.
        server = OpenKmsServer.start(
                ServerConfig.defaults()
                        .withDataDir(dir.resolve("data"))
                        .withListen("127.0.0.1:0")
                        .withHttpsListen("")
                        .withRootAccessKey(DevActions.DEV_ACCESS_KEY_ID, DevActions.DEV_ACCESS_KEY_SECRET)
                        .withMinKeyVersionInterval(Duration.ZERO)
                        .withMinRotationInterval(Duration.ZERO)
                        .withMaintenanceInterval(Duration.ofHours(6)),
                new DevClock());
        env = new HashMap<>();
        env.put("OPENKMS_ENDPOINT", "http://127.0.0.1:" + server.httpPort());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", DevActions.DEV_ACCESS_KEY_ID);
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DevActions.DEV_ACCESS_KEY_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CliTest.Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CliMain.run(
                args,
                env,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliTest.Result(
                status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), out.toByteArray());
    }

    static String createKey() {
        CliTest.Result r =
                run("kms", "CreateKey", "--Description", "dev", "--output", "cols=KeyId", "rows=KeyMetadata");
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().trim().split("\n");
        return lines[lines.length - 1].trim();
    }

    @Test
    void aKeyScheduledForDeletionIsGoneAfterTheClockMovesPastItsWindow() {
        String key = createKey();
        assertThat(run("kms", "ScheduleKeyDeletion", "--KeyId", key, "--PendingWindowInDays", "7")
                        .status())
                .isZero();
        assertThat(run("kms", "DescribeKey", "--KeyId", key).out()).contains("PendingDeletion");

        CliTest.Result moved = run("dev", "clock", "+8d");
        assertThat(moved.status()).as(moved.err()).isZero();
        assertThat(Instant.parse(moved.out().trim())).isAfter(Instant.now().plus(Duration.ofDays(7)));

        CliTest.Result gone = run("kms", "DescribeKey", "--KeyId", key);
        assertThat(gone.status()).isEqualTo(1);
        assertThat(gone.err()).contains("Forbidden.KeyNotFound");
    }

    @Test
    void aKeyRotationScheduleFiresAfterTheClockMoves() {
        String key = createKey();
        assertThat(run(
                                "kms",
                                "UpdateRotationPolicy",
                                "--KeyId",
                                key,
                                "--EnableAutomaticRotation",
                                "true",
                                "--RotationInterval",
                                "604800s")
                        .status())
                .isZero();
        assertThat(run("kms", "ListKeyVersions", "--KeyId", key).out()).containsOnlyOnce("KeyVersionId");
        assertThat(run("dev", "clock", "+8d").status()).isZero();
        assertThat(run("kms", "ListKeyVersions", "--KeyId", key).out()).contains("KeyVersionId");
        String versions = run("kms", "ListKeyVersions", "--KeyId", key).out();
        assertThat(versions.split("KeyVersionId", -1).length - 1).isEqualTo(2);
    }

    @Test
    void onlyTheAdministratorMovesTheClockAndOnlyForward() {
        CliTest.Result wrongKey =
                run("dev", "clock", "+1d", "--access-key-id", "LTAInotthedevkey000000", "--access-key-secret", "nope");
        assertThat(wrongKey.status()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("InvalidAccessKeyId");
        CliTest.Result back = run("dev", "clock", "-1d");
        assertThat(back.status()).isNotZero();
        CliTest.Result now = run("dev", "clock");
        assertThat(now.status()).as(now.err()).isZero();
        assertThat(Instant.parse(now.out().trim())).isNotNull();
    }
}
