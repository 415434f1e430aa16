package org.openkms.server.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;
import org.openkms.storage.TestPostgres;

/**
 * Rotation for real: RotateSecret through the API changes the password of a throwaway account on the
 * PostgreSQL, MariaDB and Redis servers running on loopback. After each rotation a client re-reads the secret
 * and connects with what it got; the old password stops working (single account) or keeps working until the
 * next rotation (dual account). The PostgreSQL cases are skipped when OPENKMS_SKIP_PG=1, like every test that needs
 * PostgreSQL (see TestPostgres); MariaDB and Redis are always needed.
 */
@Tag("services")
class RealRotationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SignedClient client;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIrotation", "rotation-secret"));
        client = new SignedClient("http://127.0.0.1:" + server.httpPort(), "LTAIrotation", "rotation-secret");
        // Administrator secrets: superuser postgres (trusted on loopback), MariaDB root, Redis default user.
        put("master/pg", "{\"AccountName\":\"postgres\",\"AccountPassword\":\"\"}");
        put("master/maria", "{\"AccountName\":\"root\",\"AccountPassword\":\"\"}");
        put("master/redis", "{\"AccountName\":\"default\",\"AccountPassword\":\"\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @FunctionalInterface
    interface Login {
        boolean canLogIn(String user, String password);
    }

    record Account(String name, String password) {}

    // ---------------------------------------------------------------- single account

    @Test
    void postgresSingleAccountOldPasswordStopsWorking() throws Exception {
        TestPostgres.assumeEnabled();
        String role = unique("rot_pg_single");
        RealServers.pgCreateRole(role, "initial-pw-1");
        try {
            singleAccount(
                    "pg-single",
                    role,
                    "initial-pw-1",
                    "Rds",
                    "{\"SecretSubType\":\"SingleUser\",\"DBInstanceId\":\"" + RealServers.PG + "\"}",
                    RealServers::pgCanLogIn);
        } finally {
            RealServers.pgAdmin("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void mariadbSingleAccountOldPasswordStopsWorking() throws Exception {
        String user = unique("rot_my_single");
        RealServers.mariaCreateUser(user, "initial-pw-1");
        try {
            singleAccount(
                    "maria-single",
                    user,
                    "initial-pw-1",
                    "Rds",
                    "{\"SecretSubType\":\"SingleUser\",\"DBInstanceId\":\"" + RealServers.MARIADB + "\"}",
                    RealServers::mariaCanLogIn);
        } finally {
            RealServers.mariaAdmin("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    @Test
    void redisSingleAccountOldPasswordStopsWorking() throws Exception {
        String user = unique("rot_redis_single");
        RealServers.redisCreateUser(user, "initial-pw-1");
        try {
            singleAccount(
                    "redis-single",
                    user,
                    "initial-pw-1",
                    "Redis",
                    "{\"SecretSubType\":\"SingleUser\",\"InstanceId\":\"" + RealServers.REDIS
                            + "\",\"MasterSecretName\":\"master/redis\"}",
                    RealServers::redisCanLogIn);
        } finally {
            RealServers.redisDeleteUser(user);
        }
    }

    private void singleAccount(String secret, String user, String initial, String type, String config, Login login)
            throws Exception {
        ok(
                "CreateSecret",
                "SecretName",
                secret,
                "VersionId",
                "v1",
                "SecretType",
                type,
                "ExtendedConfig",
                config,
                "SecretData",
                "{\"Accounts\":[{\"AccountName\":\"" + user + "\",\"AccountPassword\":\"" + initial + "\"}]}");
        JsonNode r = ok("RotateSecret", "SecretName", secret, "VersionId", "r1");
        assertThat(r.path("VersionId").asText()).isEqualTo("r1");
        Account now = current(secret);
        assertThat(now.name()).isEqualTo(user);
        assertThat(now.password()).isNotEqualTo(initial).hasSize(32);
        assertThat(login.canLogIn(user, now.password()))
                .as("new password works")
                .isTrue();
        assertThat(login.canLogIn(user, initial))
                .as("old password stopped working")
                .isFalse();
        assertThat(previous(secret).password()).isEqualTo(initial);
        JsonNode d = ok("DescribeSecret", "SecretName", secret);
        assertThat(d.path("LastRotationDate").asText()).isNotEmpty();
        // Same VersionId again: success, nothing rotated.
        ok("RotateSecret", "SecretName", secret, "VersionId", "r1");
        assertThat(current(secret)).isEqualTo(now);
        // A second rotation authenticates with the rotated password.
        ok("RotateSecret", "SecretName", secret, "VersionId", "r2");
        Account next = current(secret);
        assertThat(login.canLogIn(user, next.password())).isTrue();
        assertThat(login.canLogIn(user, now.password())).isFalse();
        JsonNode versions = ok("ListSecretVersionIds", "SecretName", secret, "IncludeDeprecated", "true");
        assertThat(versions.path("TotalCount").asInt()).isEqualTo(2); // ACSCurrent + ACSPrevious, nothing else kept
    }

    // ---------------------------------------------------------------- dual account

    @Test
    void postgresDualAccountPreviousKeepsWorkingUntilTheNextRotation() throws Exception {
        TestPostgres.assumeEnabled();
        String a = unique("rot_pg_a");
        String b = a + "_clone";
        RealServers.pgCreateRole(a, "initial-a");
        RealServers.pgCreateRole(b, "unknown-b");
        try {
            dualAccount(
                    "pg-dual",
                    a,
                    b,
                    "initial-a",
                    "{\"SecretSubType\":\"DoubleUsers\",\"DBInstanceId\":\"" + RealServers.PG
                            + "\",\"MasterSecretName\":\"master/pg\"}",
                    "Rds",
                    RealServers::pgCanLogIn);
        } finally {
            RealServers.pgAdmin("DROP ROLE IF EXISTS " + a);
            RealServers.pgAdmin("DROP ROLE IF EXISTS " + b);
        }
    }

    @Test
    void polardbSecretsRotateLikeRdsOnTheirCluster() throws Exception {
        TestPostgres.assumeEnabled();
        String a = unique("rot_polar_a");
        String b = a + "_clone";
        RealServers.pgCreateRole(a, "initial-a");
        RealServers.pgCreateRole(b, "unknown-b");
        try {
            dualAccount(
                    "polar-dual",
                    a,
                    b,
                    "initial-a",
                    "{\"SecretSubType\":\"DoubleUsers\",\"DBType\":\"PostgreSQL\",\"DBClusterId\":\"" + RealServers.PG
                            + "\",\"MasterSecretName\":\"master/pg\"}",
                    "PolarDB",
                    RealServers::pgCanLogIn);
        } finally {
            RealServers.pgAdmin("DROP ROLE IF EXISTS " + a);
            RealServers.pgAdmin("DROP ROLE IF EXISTS " + b);
        }
    }

    @Test
    void mariadbDualAccountPreviousKeepsWorkingUntilTheNextRotation() throws Exception {
        String a = unique("rot_my_a");
        String b = a + "_clone";
        RealServers.mariaCreateUser(a, "initial-a");
        RealServers.mariaCreateUser(b, "unknown-b");
        try {
            dualAccount(
                    "maria-dual",
                    a,
                    b,
                    "initial-a",
                    "{\"SecretSubType\":\"DoubleUsers\",\"DBInstanceId\":\"" + RealServers.MARIADB
                            + "\",\"MasterSecretName\":\"master/maria\"}",
                    "Rds",
                    RealServers::mariaCanLogIn);
        } finally {
            RealServers.mariaAdmin("DROP USER IF EXISTS '" + a + "'@'%'");
            RealServers.mariaAdmin("DROP USER IF EXISTS '" + b + "'@'%'");
        }
    }

    @Test
    void redisDualAccountPreviousKeepsWorkingUntilTheNextRotation() throws Exception {
        String a = unique("rot_redis_a");
        String b = a + "_clone";
        RealServers.redisCreateUser(a, "initial-a");
        RealServers.redisCreateUser(b, "unknown-b");
        try {
            dualAccount(
                    "redis-dual",
                    a,
                    b,
                    "initial-a",
                    "{\"SecretSubType\":\"DoubleUsers\",\"InstanceId\":\"" + RealServers.REDIS
                            + "\",\"MasterSecretName\":\"master/redis\"}",
                    "Redis",
                    RealServers::redisCanLogIn);
        } finally {
            RealServers.redisDeleteUser(a);
            RealServers.redisDeleteUser(b);
        }
    }

    private void dualAccount(
            String secret, String a, String b, String initialA, String config, String type, Login login)
            throws Exception {
        ok(
                "CreateSecret",
                "SecretName",
                secret,
                "VersionId",
                "v1",
                "SecretType",
                type,
                "ExtendedConfig",
                config,
                "SecretData",
                "{\"Accounts\":[{\"AccountName\":\"" + a + "\",\"AccountPassword\":\"" + initialA + "\"}]}");
        assertThat(ok("DescribeSecret", "SecretName", secret)
                        .path("ExtendedConfig")
                        .asText())
                .contains("\"CloneAccountName\":\"" + b + "\"");

        ok("RotateSecret", "SecretName", secret, "VersionId", "r1");
        Account first = current(secret);
        assertThat(first.name()).as("the clone becomes current").isEqualTo(b);
        assertThat(login.canLogIn(b, first.password())).isTrue();
        assertThat(previous(secret)).isEqualTo(new Account(a, initialA));
        assertThat(login.canLogIn(a, initialA))
                .as("the previous account keeps working")
                .isTrue();

        ok("RotateSecret", "SecretName", secret, "VersionId", "r2");
        Account second = current(secret);
        assertThat(second.name()).isEqualTo(a);
        assertThat(login.canLogIn(a, second.password())).isTrue();
        assertThat(login.canLogIn(a, initialA))
                .as("the next rotation reset the old password")
                .isFalse();
        assertThat(previous(secret)).isEqualTo(first);
        assertThat(login.canLogIn(b, first.password()))
                .as("now-previous account still works")
                .isTrue();
    }

    // ---------------------------------------------------------------- failure

    @Test
    void aFailedRotationKeepsTheOldValueAndSaysWhy() throws Exception {
        TestPostgres.assumeEnabled();
        String role = unique("rot_pg_fail");
        RealServers.pgCreateRole(role, "real-pw");
        try {
            ok(
                    "CreateSecret",
                    "SecretName",
                    "pg-fail",
                    "VersionId",
                    "v1",
                    "SecretType",
                    "Rds",
                    "ExtendedConfig",
                    "{\"SecretSubType\":\"SingleUser\",\"DBInstanceId\":\"" + RealServers.PG + "\"}",
                    "EnableAutomaticRotation",
                    "true",
                    "RotationInterval",
                    "7d",
                    "SecretData",
                    "{\"Accounts\":[{\"AccountName\":\"" + role + "\",\"AccountPassword\":\"stale-pw\"}]}");
            SignedClient.Reply r = call("RotateSecret", "SecretName", "pg-fail", "VersionId", "r1");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.code()).isEqualTo("Rejected.RotationFailed");
            assertThat(r.body().path("Message").asText()).contains("28P01").doesNotContain("stale-pw");
            assertThat(current("pg-fail")).isEqualTo(new Account(role, "stale-pw"));
            assertThat(RealServers.pgCanLogIn(role, "real-pw")).isTrue();
            JsonNode d = ok("DescribeSecret", "SecretName", "pg-fail");
            assertThat(d.path("AutomaticRotation").asText()).isEqualTo("Invalid");
            assertThat(d.path("LastRotationFailure").asText()).contains("password authentication failed");
            assertThat(ok("ListSecretVersionIds", "SecretName", "pg-fail", "IncludeDeprecated", "true")
                            .path("TotalCount")
                            .asInt())
                    .isEqualTo(1);
            server.close(); // flush the audit log
            String audit = Files.readString(dir.resolve("audit").resolve("audit.log"));
            assertThat(audit)
                    .contains("Rejected.RotationFailed")
                    .contains("password authentication failed")
                    .doesNotContain("stale-pw");
        } finally {
            RealServers.pgAdmin("DROP ROLE IF EXISTS " + role);
            server = OpenKmsServer.start(ServerConfig.defaults()
                    .withDataDir(dir)
                    .withListen("127.0.0.1:0")
                    .withHttpsListen("")
                    .withRootAccessKey("LTAIrotation", "rotation-secret"));
            client = new SignedClient("http://127.0.0.1:" + server.httpPort(), "LTAIrotation", "rotation-secret");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String unique(String prefix) {
        return prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    private static Account current(String secret) throws Exception {
        return account(ok("GetSecretValue", "SecretName", secret));
    }

    private static Account previous(String secret) throws Exception {
        return account(ok("GetSecretValue", "SecretName", secret, "VersionStage", "ACSPrevious"));
    }

    private static Account account(JsonNode value) throws Exception {
        JsonNode data = JSON.readTree(value.path("SecretData").asText());
        return new Account(
                data.path("AccountName").asText(), data.path("AccountPassword").asText());
    }

    private static void put(String name, String value) throws Exception {
        ok("CreateSecret", "SecretName", name, "VersionId", "v1", "SecretData", value);
    }

    static SignedClient.Reply call(String action, String... kv) throws Exception {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return client.call(action, p);
    }

    static JsonNode ok(String action, String... kv) throws Exception {
        SignedClient.Reply r = call(action, kv);
        assertThat(r.status()).as(action + " " + r.raw()).isEqualTo(200);
        return r.body();
    }
}
