package org.openkms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.openkms.clientconfig.ClientConfig;

/** The configuration keys and the rotation-aware refresh rule, without a server. */
class ConfigAndRefreshTest {
    private static final long NOW = Instant.parse("2026-12-03T12:00:00Z").toEpochMilli();

    private static Properties file(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static ClientConfig config(Properties file) {
        return ClientConfig.from(SecretsManagerDriver.CONFIG, file, Map.of());
    }

    @Test
    void fileThenEnvironmentLikeAlibabasClient() {
        ClientConfig c = ClientConfig.from(
                SecretsManagerDriver.CONFIG,
                file(
                        "credentials_type", "ak",
                        "credentials_access_key_id", "LTAIfile",
                        "credentials_access_secret", "file-secret",
                        "cache_client_region_id", "[{\"regionId\":\"cn-hangzhou\",\"endpoint\":\"kms.local:8443\"}]",
                        "refresh_secret_ttl", "1000"),
                Map.of(
                        "credentials_type", "ak",
                        "credentials_access_key_id", "LTAIenv",
                        "credentials_access_secret", "env-secret",
                        "cache_client_region_id", "[{\"regionId\":\"cn-shanghai\",\"vpc\":true}]"));
        assertThat(c.credentials).containsEntry("credentials_access_key_id", "LTAIenv");
        assertThat(c.regions)
                .extracting(r -> r.endpoint)
                .containsExactly("kms.local:8443", "kms-vpc.cn-shanghai.aliyuncs.com");
        assertThat(c.regions).extracting(r -> r.protocol).containsOnly("https");
        assertThat(c.refreshTtlMillis).as("at least 5 minutes").isEqualTo(ClientConfig.MIN_TTL_MILLIS);
        ClientConfig d = ClientConfig.from(
                SecretsManagerDriver.CONFIG,
                file("cache_client_region_id", "[{\"regionId\":\"r\",\"endpoint\":\"http://127.0.0.1:8080\"}]"),
                Map.of());
        assertThat(d.regions.get(0).protocol).isEqualTo("http");
        assertThat(d.regions.get(0).endpoint).isEqualTo("127.0.0.1:8080");
        assertThat(d.refreshTtlMillis).isEqualTo(ClientConfig.DEFAULT_TTL_MILLIS);
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertThatThrownBy(() -> ClientConfig.from(SecretsManagerDriver.CONFIG, file(), Map.of()))
                .hasMessageStartingWith("cache_client_region_id is not set");
        assertThatThrownBy(() -> ClientConfig.from(
                        SecretsManagerDriver.CONFIG, file("cache_client_region_id", "{oops"), Map.of()))
                .hasMessageStartingWith("cache_client_region_id must be a JSON array");
        String region = "[{\"regionId\":\"cn-hangzhou\"}]";
        assertThatThrownBy(() -> config(file("cache_client_region_id", region, "credentials_type", "ak"))
                        .credentialsClient())
                .hasMessage("credentials_type=ak needs credentials_access_key_id (in secretsmanager.properties or the"
                        + " environment)");
        assertThatThrownBy(() -> config(file("cache_client_region_id", region, "credentials_type", "client_key"))
                        .credentialsClient())
                .hasMessageStartingWith("credentials_type=client_key is not supported by openkms-jdbc");
    }

    @Test
    void refreshFollowsRotation() {
        long ttl = ClientConfig.DEFAULT_TTL_MILLIS;
        // Due to rotate in an hour: read again five minutes after the rotation.
        SecretFetcher.Value rotating = new SecretFetcher.Value("{}", "Rds", null, "604800s", "2026-12-03T13:00:00Z");
        assertThat(SecretCache.nextRefresh(rotating, NOW, ttl))
                .isEqualTo(Instant.parse("2026-12-03T13:05:00Z").toEpochMilli());
        // The rotation date has passed: the rotation interval.
        SecretFetcher.Value passed = new SecretFetcher.Value("{}", "Rds", null, "3600s", "2026-12-03T11:00:00Z");
        assertThat(SecretCache.nextRefresh(passed, NOW, ttl)).isEqualTo(NOW + 3600_000L);
        // No rotation: refresh_secret_ttl.
        SecretFetcher.Value generic = new SecretFetcher.Value("{}", "Generic", null, null, null);
        assertThat(SecretCache.nextRefresh(generic, NOW, ttl)).isEqualTo(NOW + ttl);
    }
}
