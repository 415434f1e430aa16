package org.openkms.clientconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.teaopenapi.models.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@link ClientConfig.Source} changes, and the KMS client configuration built from a region. */
class ClientConfigTest {
    static final ClientConfig.Source PLUGIN = new ClientConfig.Source(
            "managed_credentials_providers.properties", "test.config", "rotation_interval", "test-client");

    @TempDir
    Path dir;

    private static Properties file(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void theSourceNamesTheFileAndTheRefreshKey() {
        ClientConfig c = ClientConfig.from(
                PLUGIN,
                file("cache_client_region_id", "[{\"regionId\":\"cn-hangzhou\"}]", "rotation_interval", "600000"),
                Map.of("refresh_secret_ttl", "1"));
        assertThat(c.refreshTtlMillis).isEqualTo(600_000L);
        assertThat(c.regions.get(0).endpoint).isEqualTo("kms.cn-hangzhou.aliyuncs.com");
        assertThatThrownBy(() -> ClientConfig.from(PLUGIN, file("rotation_interval", "x"), Map.of()))
                .hasMessageEndingWith(" in managed_credentials_providers.properties or the environment");
        assertThatThrownBy(() -> ClientConfig.from(
                        PLUGIN,
                        file("cache_client_region_id", "[{\"regionId\":\"r\"}]", "rotation_interval", "x"),
                        Map.of()))
                .hasMessage("rotation_interval must be a number of milliseconds, got 'x'");
    }

    @Test
    void theSystemPropertyMustNameAFile() {
        System.setProperty("test.config", dir.resolve("missing.properties").toString());
        try {
            assertThatThrownBy(() -> ClientConfig.load(PLUGIN))
                    .hasMessageStartingWith("system property test.config names ")
                    .hasMessageEndingWith("missing.properties, which is not a file");
        } finally {
            System.clearProperty("test.config");
        }
    }

    @Test
    void kmsConfigCarriesTheRegionAndItsCa() throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        ClientConfig c = ClientConfig.from(
                PLUGIN,
                file(
                        "credentials_type",
                        "ak",
                        "credentials_access_key_id",
                        "LTAIid",
                        "credentials_access_secret",
                        "secret",
                        "cache_client_region_id",
                        "[{\"regionId\":\"cn-shanghai\",\"endpoint\":\"http://127.0.0.1:8080\",\"caFilePath\":\"" + ca
                                + "\"}]"),
                Map.of());
        var credentials = c.credentialsClient();
        assertThat(credentials.getAccessKeyId()).isEqualTo("LTAIid");
        Config k = c.kmsConfig(c.regions.get(0), credentials);
        assertThat(k.getEndpoint()).isEqualTo("127.0.0.1:8080");
        assertThat(k.getProtocol()).isEqualTo("http");
        assertThat(k.getRegionId()).isEqualTo("cn-shanghai");
        assertThat(k.getUserAgent()).isEqualTo("test-client");
        assertThat(k.getCa()).startsWith("-----BEGIN CERTIFICATE-----");

        ClientConfig missingCa = ClientConfig.from(
                PLUGIN,
                file(
                        "cache_client_region_id",
                        "[{\"regionId\":\"r\",\"caFilePath\":\"" + dir.resolve("no.pem") + "\"}]"),
                Map.of());
        assertThatThrownBy(() -> missingCa.kmsConfig(missingCa.regions.get(0), credentials))
                .hasMessageStartingWith("cache_client_region_id: caFilePath ")
                .hasMessageEndingWith("no.pem cannot be read (NoSuchFileException)");
    }
}
