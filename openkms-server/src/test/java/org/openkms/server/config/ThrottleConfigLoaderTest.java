package org.openkms.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.throttle.OperationClass;
import org.openkms.server.throttle.ThrottleConfig;

/** Rate limits from YAML and the environment; off unless set; mistakes named on one line. */
class ThrottleConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void offByDefault() {
        assertThat(ConfigLoader.load(null, Map.of()).throttle().enabled()).isFalse();
    }

    @Test
    void yamlThenEnvironment() throws Exception {
        Path f = dir.resolve("openkms.yaml");
        Files.writeString(f, """
                throttle: { perCredential: "crypto=100:200,secretRead=50", perInstance: "crypto=1000", maxBuckets: 500 }
                """);
        ThrottleConfig t = ConfigLoader.load(f, Map.of()).throttle();
        assertThat(t.perCredential())
                .containsEntry(OperationClass.CRYPTO, new ThrottleConfig.Limit(100, 200))
                .containsEntry(OperationClass.SECRET_READ, new ThrottleConfig.Limit(50, 50))
                .doesNotContainKey(OperationClass.MANAGEMENT);
        assertThat(t.perInstance()).containsOnlyKeys(OperationClass.CRYPTO);
        assertThat(t.maxBuckets()).isEqualTo(500);

        ThrottleConfig env = ConfigLoader.load(
                        f,
                        Map.of(
                                "OPENKMS_THROTTLE_PER_CREDENTIAL", "management=5",
                                "OPENKMS_THROTTLE_PER_INSTANCE", "off",
                                "OPENKMS_THROTTLE_MAX_BUCKETS", "7"))
                .throttle();
        assertThat(env.perCredential()).containsOnlyKeys(OperationClass.MANAGEMENT);
        assertThat(env.perInstance()).isEmpty();
        assertThat(env.maxBuckets()).isEqualTo(7);
    }

    @Test
    void mistakesNameTheOption() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("OPENKMS_THROTTLE_PER_CREDENTIAL", "crypto=fast")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.line())
                                .startsWith("openkms: OPENKMS_THROTTLE_PER_CREDENTIAL=crypto=fast")
                                .contains("calls per second")
                                .doesNotContain("\n"));
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "throttle: { perInstance: \"signing=1\" }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.line())
                                .contains("throttle.perInstance")
                                .contains("crypto, secretRead, management"));
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "throttle: { perCredentials: \"crypto=1\" }\n");
        assertThatThrownBy(() -> ConfigLoader.load(typo, Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.line()).contains("unknown setting 'throttle.perCredentials'"));
    }
}
