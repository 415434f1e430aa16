package org.openkms.server.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;
import org.openkms.server.dev.DevActions;
import org.openkms.server.dev.DevClock;
import org.openkms.storage.TestPostgres;

/**
 * A dev server's rotation schedule, tried in seconds: a PostgreSQL secret set to rotate every 7 days is rotated for
 * (a new password is set on the role and stored) when the administrator moves the dev clock 8 days forward.
 */
@Tag("services")
class DevClockRotationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SignedClient client;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(
                ServerConfig.defaults()
                        .withDataDir(dir)
                        .withListen("127.0.0.1:0")
                        .withHttpsListen("")
                        .withRootAccessKey(DevActions.DEV_ACCESS_KEY_ID, DevActions.DEV_ACCESS_KEY_SECRET)
                        .withMinRotationInterval(Duration.ZERO)
                        .withMaintenanceInterval(Duration.ofHours(6)),
                new DevClock());
        client = new SignedClient(
                "http://127.0.0.1:" + server.httpPort(),
                DevActions.DEV_ACCESS_KEY_ID,
                DevActions.DEV_ACCESS_KEY_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aScheduledRotationRunsWhenTheClockPassesItsDate() throws Exception {
        TestPostgres.assumeEnabled();
        ok(
                "CreateSecret",
                "SecretName",
                "master/pg",
                "VersionId",
                "v1",
                "SecretData",
                "{\"AccountName\":\"postgres\"," + "\"AccountPassword\":\"\"}");
        String role = "rot_dev_" + Long.toHexString(System.nanoTime());
        // A plain login role: the test is about when the rotation runs (RealRotationTest proves what it does to logins,
        // with roles that must use their password).
        RealServers.pgAdmin("CREATE ROLE " + role + " LOGIN PASSWORD 'initial-pw-1'");
        try {
            ok(
                    "CreateSecret",
                    "SecretName",
                    "pg-dev",
                    "VersionId",
                    "v1",
                    "SecretType",
                    "Rds",
                    "ExtendedConfig",
                    "{\"SecretSubType\":\"SingleUser\",\"DBInstanceId\":\"" + RealServers.PG + "\"}",
                    "EnableAutomaticRotation",
                    "true",
                    "RotationInterval",
                    "604800s",
                    "SecretData",
                    "{\"Accounts\":[{\"AccountName\":\"" + role + "\",\"AccountPassword\":\"initial-pw-1\"}]}");
            assertThat(password()).isEqualTo("initial-pw-1");

            JsonNode moved = ok("AdvanceClock", "Version", DevActions.VERSION, "Duration", "+6d");
            assertThat(moved.path("OffsetSeconds").asLong()).isEqualTo(6 * 86_400L);
            assertThat(password()).as("not due yet").isEqualTo("initial-pw-1");

            ok("AdvanceClock", "Version", DevActions.VERSION, "Duration", "+2d");
            String rotated = password();
            assertThat(rotated).isNotEqualTo("initial-pw-1").hasSize(32);
            JsonNode d = ok("DescribeSecret", "SecretName", "pg-dev");
            assertThat(d.path("LastRotationDate").asText()).isNotEmpty();
        } finally {
            RealServers.pgAdmin("DROP ROLE IF EXISTS " + role);
        }
    }

    private static String password() throws Exception {
        JsonNode v = ok("GetSecretValue", "SecretName", "pg-dev");
        return JSON.readTree(v.path("SecretData").asText())
                .path("AccountPassword")
                .asText();
    }

    static JsonNode ok(String action, String... kv) throws Exception {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        SignedClient.Reply r = client.call(action, p);
        assertThat(r.status()).as(action + " " + r.raw()).isEqualTo(200);
        return r.body();
    }
}
