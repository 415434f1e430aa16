package org.openkms.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit.* options: defaults, YAML, environment (which wins), sizes, and errors that name the option. */
class AuditConfigLoaderTest {
    private static ServerConfig yaml(String text) throws Exception {
        return ConfigLoader.applyYaml(ServerConfig.defaults(), new ObjectMapper(new YAMLFactory()).readTree(text));
    }

    @Test
    void defaults() {
        AuditConfig a = ServerConfig.defaults().audit();
        assertThat(a.maxFileSize()).isEqualTo(100L * 1024 * 1024);
        assertThat(a.maxFiles()).isEqualTo(10);
        assertThat(a.maxTotalSize()).isZero();
        assertThat(a.rotateInterval()).isZero();
        assertThat(a.failClosed()).isFalse();
    }

    @Test
    void readsYamlAndTheEnvironmentWins() throws Exception {
        ServerConfig c = yaml(
                "audit: { maxFileSize: 10MB, maxFiles: 3, maxTotalSize: 1GiB, rotateInterval: 1d, failClosed: true }");
        assertThat(c.audit()).isEqualTo(new AuditConfig(10_000_000, 3, 1L << 30, Duration.ofDays(1), true));
        c = ConfigLoader.applyEnv(
                c,
                Map.of(
                        "OPENKMS_AUDIT_MAX_FILE_SIZE",
                        "64KiB",
                        "OPENKMS_AUDIT_MAX_FILES",
                        "7",
                        "OPENKMS_AUDIT_MAX_TOTAL_SIZE",
                        "0",
                        "OPENKMS_AUDIT_ROTATE_INTERVAL",
                        "0s",
                        "OPENKMS_AUDIT_FAIL_CLOSED",
                        "false"));
        assertThat(c.audit()).isEqualTo(new AuditConfig(64 * 1024, 7, 0, Duration.ZERO, false));
        // Other options survive the audit section, and the audit section survives the other with-ers.
        assertThat(c.withRegion("cn-beijing").audit().maxFiles()).isEqualTo(7);
    }

    @Test
    void sizes() {
        assertThat(ConfigLoader.size("1048576")).isEqualTo(1 << 20);
        assertThat(ConfigLoader.size("100MiB")).isEqualTo(100L << 20);
        assertThat(ConfigLoader.size("10MB")).isEqualTo(10_000_000);
        assertThat(ConfigLoader.size("4 kib")).isEqualTo(4096);
        assertThat(ConfigLoader.size("2G")).isEqualTo(2_000_000_000);
        assertThat(ConfigLoader.size("1TiB")).isEqualTo(1L << 40);
        assertThatThrownBy(() -> ConfigLoader.size("10XB")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> ConfigLoader.size("MiB")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> ConfigLoader.size("99999999999TiB")).hasMessageContaining("too large");
    }

    @Test
    void errorsNameTheOption() {
        assertThatThrownBy(() -> yaml("audit: { maxFileSize: 10 furlongs }"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("audit.maxFileSize=10 furlongs: not a size");
        assertThatThrownBy(() -> yaml("audit: { maxFileSize: 1000 }"))
                .hasMessageContaining("audit.maxFileSize must be at least 4KiB");
        assertThatThrownBy(() -> yaml("audit: { maxFiles: 0 }"))
                .hasMessageContaining("audit.maxFiles must be between 1 and");
        assertThatThrownBy(() -> yaml("audit: { maxFiles: many }"))
                .hasMessageStartingWith("audit.maxFiles=many: not a whole number");
        assertThatThrownBy(() -> yaml("audit: { rotateInterval: 10s }"))
                .hasMessageContaining("audit.rotateInterval must be 0s (off) or at least 1m");
        assertThatThrownBy(() -> yaml("audit: { rotateInterval: daily }"))
                .hasMessageStartingWith("audit.rotateInterval=daily:");
        assertThatThrownBy(() -> yaml("audit: { failClosed: yes please }"))
                .hasMessageStartingWith("audit.failClosed=yes please: not true or false");
        assertThatThrownBy(() -> ConfigLoader.applyEnv(
                        ServerConfig.defaults(), Map.of("OPENKMS_AUDIT_MAX_FILE_SIZE", "12 parsecs")))
                .hasMessageStartingWith("OPENKMS_AUDIT_MAX_FILE_SIZE=12 parsecs: not a size");
        assertThatThrownBy(() ->
                        ConfigLoader.applyEnv(ServerConfig.defaults(), Map.of("OPENKMS_AUDIT_MAX_TOTAL_SIZE", "-1")))
                .hasMessageStartingWith("OPENKMS_AUDIT_MAX_TOTAL_SIZE=-1:");
        assertThatThrownBy(
                        () -> ConfigLoader.applyEnv(ServerConfig.defaults(), Map.of("OPENKMS_AUDIT_FAIL_CLOSED", "1")))
                .hasMessageStartingWith("OPENKMS_AUDIT_FAIL_CLOSED=1: not true or false");
    }
}
