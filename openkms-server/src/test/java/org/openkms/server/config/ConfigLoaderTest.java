package org.openkms.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every configuration mistake is a ConfigException naming where it is (file and key, or variable) on one line. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("openkms-" + System.nanoTime() + ".yaml");
        Files.writeString(f, text);
        return f;
    }

    private static ConfigException refusal(Runnable r) {
        try {
            r.run();
        } catch (ConfigException e) {
            assertThat(e.line()).startsWith("openkms: ").doesNotContain("\n").doesNotContain("Exception");
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void everyDocumentedKeyIsAccepted() throws Exception {
        Path f = yaml("""
                listen: 127.0.0.1:9080
                httpsListen: ""
                dataDir: /tmp/x
                region: cn-shanghai
                accountId: "1234567890123456"
                storage: { url: "jdbc:sqlite:/tmp/x.db", cacheSyncInterval: 2s, cacheListen: false }
                tls: { certificate: a.crt, key: a.key }
                keys: { maintenanceInterval: 60s, minKeyVersionInterval: 0s, minRotationInterval: PT1H, ramSecretOverlap: 0s }
                """);
        ServerConfig c = ConfigLoader.load(f, Map.of());
        assertThat(c.listen()).isEqualTo("127.0.0.1:9080");
        assertThat(c.httpsListen()).isEmpty();
        assertThat(c.region()).isEqualTo("cn-shanghai");
        assertThat(c.cacheSyncInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.cacheListen()).isFalse();
        assertThat(c.minRotationInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.ramSecretOverlap()).isEqualTo(Duration.ZERO);
        assertThat(ConfigLoader.load(f, Map.of("OPENKMS_RAM_SECRET_OVERLAP", "2h"))
                        .ramSecretOverlap())
                .isEqualTo(Duration.ofHours(2));
        assertThat(c.tlsKey()).isEqualTo(Path.of("a.key"));
    }

    @Test
    void anEmptyFileMeansDefaults() throws Exception {
        // ServerConfig.defaults() leaves the instance gateway off for in-process servers; `openkms server` has it on.
        assertThat(ConfigLoader.load(yaml(""), Map.of()))
                .isEqualTo(ServerConfig.defaults().withInstanceListen("127.0.0.1:8444"));
    }

    @Test
    void instanceListenFromYamlThenEnvironment() throws Exception {
        Path f = yaml("instanceListen: 127.0.0.1:9444\n");
        assertThat(ConfigLoader.load(f, Map.of()).instanceListen()).isEqualTo("127.0.0.1:9444");
        assertThat(ConfigLoader.load(f, Map.of("OPENKMS_INSTANCE_LISTEN", "")).instanceListen())
                .isEmpty();
        assertThat(refusal(() -> ConfigChecks.validate(ServerConfig.defaults().withInstanceListen("nope")))
                        .line())
                .startsWith("openkms: --instance-listen nope: must be host:port");
    }

    @Test
    void instanceNamesFromYamlListOrTextThenEnvironment() throws Exception {
        assertThat(ConfigLoader.load(yaml("instanceNames: [kms.example.internal, 10.0.0.5]\n"), Map.of())
                        .instanceNames())
                .containsExactly("kms.example.internal", "10.0.0.5");
        Path text = yaml("instanceNames: \"kms.example.internal, ::1\"\n");
        assertThat(ConfigLoader.load(text, Map.of()).instanceNames()).containsExactly("kms.example.internal", "::1");
        assertThat(ConfigLoader.load(text, Map.of("OPENKMS_INSTANCE_NAMES", "a.internal"))
                        .instanceNames())
                .containsExactly("a.internal");
        assertThat(ServerConfig.defaults().instanceNames()).isEmpty();
        assertThat(refusal(() -> ConfigLoader.load(text, Map.of("OPENKMS_INSTANCE_NAMES", "bad name/x")))
                        .line())
                .contains("OPENKMS_INSTANCE_NAMES")
                .contains("is not a DNS name or an IP address");
    }

    @Test
    void unknownOrMisplacedKeysAreRefusedWithTheirPath() throws Exception {
        Path typo = yaml("listen: 127.0.0.1:0\nkeys:\n  maintenanceIntervl: 5s\n");
        assertThat(refusal(() -> ConfigLoader.load(typo, Map.of())).line())
                .isEqualTo("openkms: --config " + typo + ": unknown setting 'keys.maintenanceIntervl'"
                        + " (the Configuration table of README.md lists the YAML keys)");
        Path misplaced = yaml("url: jdbc:sqlite:/tmp/x.db\n");
        assertThat(refusal(() -> ConfigLoader.load(misplaced, Map.of())).getMessage())
                .contains("unknown setting 'url'");
        Path nested = yaml("listen:\n  host: 127.0.0.1\n");
        assertThat(refusal(() -> ConfigLoader.load(nested, Map.of())).getMessage())
                .contains("unknown setting 'listen.host'");
    }

    @Test
    void badYamlIsOneLineWithItsPosition() throws Exception {
        Path f = yaml("listen: 127.0.0.1:0\nkeys: [\n");
        ConfigException e = refusal(() -> ConfigLoader.load(f, Map.of()));
        assertThat(e.option()).isEqualTo("--config " + f);
        assertThat(e.getMessage()).contains("not valid YAML at line 3");
        assertThat(refusal(() -> ConfigLoader.load(yamlUnchecked("a: 1\na: 2\n"), Map.of()))
                        .getMessage())
                .contains("Duplicate field 'a'");
        assertThat(refusal(() -> ConfigLoader.load(yamlUnchecked("- a\n- b\n"), Map.of()))
                        .getMessage())
                .contains("expected settings as \"key: value\" lines, found a list");
    }

    private Path yamlUnchecked(String text) {
        try {
            return yaml(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMissingConfigFileNamesTheOption() {
        Path f = dir.resolve("missing.yaml");
        assertThat(refusal(() -> ConfigLoader.load(f, Map.of())).line())
                .isEqualTo("openkms: --config " + f + ": no such file (check the path)");
    }

    @Test
    void badDurationsNameTheirKeyOrVariable() throws Exception {
        Path f = yaml("keys:\n  minKeyVersionInterval: 7x\n");
        assertThat(refusal(() -> ConfigLoader.load(f, Map.of())).line())
                .isEqualTo("openkms: --config " + f
                        + ": keys.minKeyVersionInterval: not a duration: '7x' (use e.g. 90s, 5m, 2h, 7d or PT90S)");
        assertThat(refusal(() -> ConfigLoader.load(null, Map.of("OPENKMS_MAINTENANCE_INTERVAL", "soon")))
                        .line())
                .isEqualTo(
                        "openkms: OPENKMS_MAINTENANCE_INTERVAL=soon: not a duration: 'soon' (use e.g. 90s, 5m, 2h, 7d or PT90S)");
        assertThat(refusal(() -> ConfigLoader.load(null, Map.of("OPENKMS_CACHE_SYNC_INTERVAL", "-5s")))
                        .getMessage())
                .isEqualTo("OPENKMS_CACHE_SYNC_INTERVAL=-5s: a duration cannot be negative: '-5s'");
    }

    @Test
    void requestThreadsFollowTheCoresUnlessConfigured() throws Exception {
        assertThat(ServerConfig.defaults().http().threadsFor(2)).isEqualTo(16);
        assertThat(ServerConfig.defaults().http().threadsFor(8)).isEqualTo(64);
        assertThat(ConfigLoader.load(yaml("http: { maxThreads: 40 }\n"), Map.of())
                        .http()
                        .threadsFor(2))
                .isEqualTo(40);
        assertThat(ConfigLoader.load(null, Map.of("OPENKMS_HTTP_MAX_THREADS", "24"))
                        .http()
                        .threadsFor(2))
                .isEqualTo(24);
        assertThat(refusal(() -> ConfigLoader.load(null, Map.of("OPENKMS_HTTP_MAX_THREADS", "0")))
                        .getMessage())
                .contains("OPENKMS_HTTP_MAX_THREADS");
    }

    @Test
    void theConsoleIsOnByDefaultAndSwitchedOffByYamlOrEnvironment() throws Exception {
        assertThat(ServerConfig.defaults().consoleEnabled()).isTrue();
        assertThat(ConfigLoader.load(null, Map.of()).consoleEnabled()).isTrue();
        assertThat(ConfigLoader.load(yaml("console: { enabled: false }\n"), Map.of())
                        .consoleEnabled())
                .isFalse();
        assertThat(ConfigLoader.load(null, Map.of("OPENKMS_CONSOLE_ENABLED", "false"))
                        .consoleEnabled())
                .isFalse();
        // The environment wins over the file.
        assertThat(ConfigLoader.load(yaml("console: { enabled: false }\n"), Map.of("OPENKMS_CONSOLE_ENABLED", "true"))
                        .consoleEnabled())
                .isTrue();
        assertThat(refusal(() -> ConfigLoader.load(null, Map.of("OPENKMS_CONSOLE_ENABLED", "off")))
                        .getMessage())
                .isEqualTo("OPENKMS_CONSOLE_ENABLED=off: not true or false: off");
        Path bad = yaml("console: { enabled: maybe }\n");
        assertThat(refusal(() -> ConfigLoader.load(bad, Map.of())).getMessage())
                .contains("console.enabled")
                .contains("not true or false: maybe");
    }

    @Test
    void http2IsOnByDefaultAndSwitchedOffByYamlOrEnvironment() throws Exception {
        assertThat(ServerConfig.defaults().http2Enabled()).isTrue();
        assertThat(ConfigLoader.load(yaml("http2: { enabled: false }\n"), Map.of())
                        .http2Enabled())
                .isFalse();
        assertThat(ConfigLoader.load(null, Map.of("OPENKMS_HTTP2_ENABLED", "false"))
                        .http2Enabled())
                .isFalse();
        assertThat(ConfigLoader.load(yaml("http2: { enabled: false }\n"), Map.of("OPENKMS_HTTP2_ENABLED", "true"))
                        .http2Enabled())
                .isTrue();
        Path bad = yaml("http2: { enabled: maybe }\n");
        assertThat(refusal(() -> ConfigLoader.load(bad, Map.of())).getMessage())
                .contains("http2.enabled")
                .contains("not true or false: maybe");
    }

    @Test
    void metricsAreOnByDefaultAndSwitchedOffByYamlOrEnvironment() throws Exception {
        assertThat(ServerConfig.defaults().metricsEnabled()).isTrue();
        assertThat(ConfigLoader.load(yaml("metrics: { enabled: false }\n"), Map.of())
                        .metricsEnabled())
                .isFalse();
        assertThat(ConfigLoader.load(null, Map.of("OPENKMS_METRICS_ENABLED", "false"))
                        .metricsEnabled())
                .isFalse();
        // The environment wins over the file.
        assertThat(ConfigLoader.load(yaml("metrics: { enabled: false }\n"), Map.of("OPENKMS_METRICS_ENABLED", "true"))
                        .metricsEnabled())
                .isTrue();
        assertThat(refusal(() -> ConfigLoader.load(null, Map.of("OPENKMS_METRICS_ENABLED", "no")))
                        .getMessage())
                .isEqualTo("OPENKMS_METRICS_ENABLED=no: not true or false: no");
        Path bad = yaml("metrics: { enabled: maybe }\n");
        assertThat(refusal(() -> ConfigLoader.load(bad, Map.of())).getMessage())
                .contains("metrics.enabled")
                .contains("not true or false: maybe");
        Path typo = yaml("metrics: { enable: false }\n");
        assertThat(refusal(() -> ConfigLoader.load(typo, Map.of())).getMessage())
                .contains("unknown setting 'metrics.enable'");
    }

    @Test
    void cacheListenIsOnByDefaultAndSwitchedOffByEnvironment() {
        assertThat(ServerConfig.defaults().cacheListen()).isTrue();
        assertThat(ConfigLoader.load(null, Map.of("OPENKMS_CACHE_LISTEN", "false"))
                        .cacheListen())
                .isFalse();
        assertThat(refusal(() -> ConfigLoader.load(null, Map.of("OPENKMS_CACHE_LISTEN", "no")))
                        .getMessage())
                .isEqualTo("OPENKMS_CACHE_LISTEN=no: not true or false: no");
    }

    @Test
    void durationsParse() {
        assertThat(ConfigLoader.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ConfigLoader.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigLoader.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ConfigLoader.duration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ConfigLoader.duration("PT90S")).isEqualTo(Duration.ofSeconds(90));
        for (String bad : new String[] {"", "s", "7", "7x", "x7s", "PTx", "99999999999999999999s"}) {
            assertThatThrownBy(() -> ConfigLoader.duration(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a duration");
        }
    }
}
