package org.openkms.jdbc;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.PutSecretValueRequest;
import com.aliyun.kms20160120.models.RotateSecretRequest;
import com.aliyun.teaopenapi.models.Config;
import com.google.gson.Gson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * One real OpenKMS server in-process for the module's tests (HTTPS on a free loopback port, a root AccessKey), the
 * driver configured for it the way an application is ({@code secretsmanager.properties}: ak credentials and a region
 * whose endpoint is that port, with the server's certificate as caFilePath), an official V2 SDK client to manage
 * secrets, and the real PostgreSQL (5432) and MariaDB (3306) on loopback.
 */
final class JdbcTestEnv {
    static final String AK = "LTAIjdbcTest0000";
    static final String SECRET = "jdbc-test-secret-0000";
    static final String PG_URL = "127.0.0.1:5432/postgres";
    static final String MARIADB_URL = "127.0.0.1:3306/";

    private static OpenKmsServer server;
    private static Client admin;

    private JdbcTestEnv() {}

    static synchronized OpenKmsServer start() throws Exception {
        if (server != null) {
            return server;
        }
        Path dir = Files.createTempDirectory("openkms-jdbc-");
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey(AK, SECRET)
                .withMinKeyVersionInterval(Duration.ZERO));
        OpenKmsServer started = server;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            started.close();
                            deleteRecursively(dir);
                        },
                        "openkms-jdbc-test-stop"));
        String region = "[{\"regionId\":\"cn-hangzhou\",\"endpoint\":\"127.0.0.1:" + server.httpsPort()
                + "\",\"caFilePath\":\"" + server.tlsCertificate().toAbsolutePath() + "\"}]";
        Path props = dir.resolve("secretsmanager.properties");
        Properties p = new Properties();
        p.setProperty("credentials_type", "ak");
        p.setProperty("credentials_access_key_id", AK);
        p.setProperty("credentials_access_secret", SECRET);
        p.setProperty("cache_client_region_id", region);
        try (var w = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
            p.store(w, "written by JdbcTestEnv");
        }
        System.setProperty(SecretsManagerDriver.CONFIG.configFileProperty(), props.toString());
        SecretsManagerDriver.reset();
        admin = new Client(new Config()
                .setAccessKeyId(AK)
                .setAccessKeySecret(SECRET)
                .setEndpoint("127.0.0.1:" + server.httpsPort())
                .setProtocol("https")
                .setCa(Files.readString(server.tlsCertificate()))
                .setRegionId("cn-hangzhou"));
        return server;
    }

    private static void deleteRecursively(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // left for the OS temp cleaner
        }
    }

    static String unique(String prefix) {
        return prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    static String account(String name, String password) {
        return new Gson().toJson(Map.of("AccountName", name, "AccountPassword", password));
    }

    static void createGeneric(String secretName, String data) throws Exception {
        admin.createSecret(new CreateSecretRequest()
                .setSecretName(secretName)
                .setVersionId("v1")
                .setSecretData(data));
    }

    /** An Rds secret the server rotates itself (single account: the account changes its own password). */
    static void createRotatedRds(String secretName, String instance, String user, String password) throws Exception {
        admin.createSecret(new CreateSecretRequest()
                .setSecretName(secretName)
                .setVersionId("v1")
                .setSecretType("Rds")
                .setExtendedConfig(Map.of("SecretSubType", "SingleUser", "DBInstanceId", instance))
                .setSecretData("{\"Accounts\":[" + account(user, password) + "]}"));
    }

    static void put(String secretName, String versionId, String data) throws Exception {
        admin.putSecretValue(new PutSecretValueRequest()
                .setSecretName(secretName)
                .setVersionId(versionId)
                .setSecretData(data));
    }

    static void rotate(String secretName, String versionId) throws Exception {
        admin.rotateSecret(new RotateSecretRequest().setSecretName(secretName).setVersionId(versionId));
    }

    static String currentPassword(String secretName) throws Exception {
        String data = admin.getSecretValue(
                        new com.aliyun.kms20160120.models.GetSecretValueRequest().setSecretName(secretName))
                .getBody()
                .getSecretData();
        return new Gson().fromJson(data, Map.class).get("AccountPassword").toString();
    }

    // ---------------------------------------------------------------- the databases

    static void mariaAdmin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + MARIADB_URL, "root", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static void mariaCreateUser(String user, String password) throws SQLException {
        mariaAdmin("DROP USER IF EXISTS '" + user + "'@'%'");
        mariaAdmin("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
    }

    static void mariaDropUser(String user) throws SQLException {
        mariaAdmin("DROP USER IF EXISTS '" + user + "'@'%'");
    }

    static boolean mariaCanLogIn(String user, String password) {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + MARIADB_URL, user, password)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    static void pgAdmin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_URL, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
