package org.openkms.conformance.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.openkms.conformance.Conformance.unique;

import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.PutSecretValueRequest;
import com.aliyun.ram20150501.models.AttachPolicyToRoleRequest;
import com.aliyun.ram20150501.models.CreateRoleRequest;
import com.aliyuncs.kms.secretsmanager.client.SecretCacheClient;
import com.aliyuncs.kms.secretsmanager.client.SecretCacheClientBuilder;
import com.aliyuncs.kms.secretsmanager.client.model.SecretInfo;
import com.aliyuncs.kms.secretsmanager.client.service.BaseSecretManagerClientBuilder;
import com.aliyuncs.profile.DefaultProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.V2Api;

/**
 * The official Secrets Manager client for Java ({@code com.aliyun:alibabacloud-secretsmanager-client} 1.3.7),
 * unchanged, against the shared gateway: it calls the POP GetSecretValue (RPC, Format=XML) over HTTPS, always
 * ignoring the certificate, configured as its README shows
 * (https://github.com/aliyun/alibabacloud-secretsmanager-client-java/blob/master/README_config.md) with
 * {@code ak}, {@code sts} and {@code ram_role} credentials.
 */
class SecretsManagerClientConformanceTest {
    @TempDir
    static Path dir;

    static ConformanceServer server;
    static V2Api root;
    static String roleArn;
    static String textSecret;
    static String jsonSecret;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(ConformanceServer.config(dir.resolve("data")));
        root = server.v2();
        // aliyun-java-sdk-core keeps one HTTP client per JVM, built by the first V1 client: make it the harness's,
        // which trusts every conformance server's certificate, so that the STS provider's AssumeRole (HTTPS with
        // certificate checks) works whichever test class runs first.
        server.v1(true).listKeys(null, null, null);
        var c = root.client();
        textSecret = unique("sm-text");
        root.call(() -> c.createSecret(new CreateSecretRequest()
                .setSecretName(textSecret)
                .setSecretData("first value")
                .setVersionId("v1")));
        jsonSecret = unique("sm-json");
        root.call(() -> c.createSecret(new CreateSecretRequest()
                .setSecretName(jsonSecret)
                .setSecretData("{\"AccountName\":\"app\",\"AccountPassword\":\"p@ss\"}")
                .setVersionId("v1")));

        // A role the root account may assume, allowed to read secrets (the sts and ram_role credentials).
        var ram = new com.aliyun.ram20150501.Client(new com.aliyun.teaopenapi.models.Config()
                .setAccessKeyId(ConformanceServer.ACCESS_KEY_ID)
                .setAccessKeySecret(ConformanceServer.ACCESS_KEY_SECRET)
                .setEndpoint("127.0.0.1:" + server.httpPort())
                .setRegionId(ConformanceServer.REGION)
                .setProtocol("http"));
        String roleName = unique("sm-role");
        String trust = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                + "\"Principal\":{\"RAM\":[\"acs:ram::" + ConformanceServer.ACCOUNT_ID + ":root\"]}}]}";
        roleArn = ram.createRole(new CreateRoleRequest().setRoleName(roleName).setAssumeRolePolicyDocument(trust))
                .getBody()
                .getRole()
                .getArn();
        ram.attachPolicyToRole(new AttachPolicyToRoleRequest()
                .setRoleName(roleName)
                .setPolicyType("System")
                .setPolicyName("AliyunKMSSecretUserAccess"));
        // The sts/ram_role provider (aliyun-java-sdk-core STSAssumeRoleSessionCredentialsProvider) calls AssumeRole
        // on the region's STS endpoint: point it at the same server, as an operator's endpoint configuration would.
        DefaultProfile.addEndpoint(ConformanceServer.REGION, "Sts", "127.0.0.1:" + server.httpsPort());
    }

    @AfterAll
    static void stop() throws Exception {
        // The clients are not closed: SecretCacheClient.close() shuts down its DefaultAcsClient, and with it the one
        // HTTP client aliyun-java-sdk-core keeps for the whole JVM, which every later V1 test would then find closed.
        if (server != null) {
            server.close();
        }
    }

    /** A client configured from a secretsmanager.properties file, as applications configure it. */
    static SecretCacheClient client(String credentials, String stage) throws Exception {
        Path file = Files.createTempFile(dir, "secretsmanager", ".properties");
        Files.writeString(
                file,
                credentials + "\ncache_client_region_id=[{\"regionId\":\"" + ConformanceServer.REGION
                        + "\",\"endpoint\":\"127.0.0.1:" + server.httpsPort() + "\"}]\n");
        SecretCacheClientBuilder b =
                SecretCacheClientBuilder.newCacheClientBuilder(BaseSecretManagerClientBuilder.standard()
                        .withCustomConfigFile(file.toString())
                        .build());
        if (stage != null) {
            b.withCacheStage(stage);
        }
        SecretCacheClient client = b.build();
        return client;
    }

    static String ak() {
        return "credentials_type=ak\ncredentials_access_key_id=" + ConformanceServer.ACCESS_KEY_ID
                + "\ncredentials_access_secret=" + ConformanceServer.ACCESS_KEY_SECRET;
    }

    @Test
    void accessKeyReadsATextSecret() throws Exception {
        SecretCacheClient client = client(ak(), null);
        SecretInfo info = client.getSecretInfo(textSecret);
        assertThat(info.getSecretName()).isEqualTo(textSecret);
        assertThat(info.getSecretValue()).isEqualTo("first value");
        assertThat(info.getVersionId()).isEqualTo("v1");
        assertThat(info.getSecretDataType()).isEqualTo("text");
        assertThat(info.getSecretType()).isEqualTo("Generic");
        assertThat(client.getStringValue(textSecret)).isEqualTo("first value");
    }

    @Test
    void jsonSecret() throws Exception {
        SecretCacheClient client = client(ak(), null);
        String value = client.getStringValue(jsonSecret);
        assertThat(value).isEqualTo("{\"AccountName\":\"app\",\"AccountPassword\":\"p@ss\"}");
    }

    @Test
    void refreshNowPicksUpANewVersionAndStagesAreServed() throws Exception {
        String name = unique("sm-rot");
        var c = root.client();
        root.call(() -> c.createSecret(new CreateSecretRequest()
                .setSecretName(name)
                .setSecretData("old")
                .setVersionId("v1")));
        SecretCacheClient current = client(ak(), null);
        assertThat(current.getStringValue(name)).isEqualTo("old");
        root.call(() -> c.putSecretValue(new PutSecretValueRequest()
                .setSecretName(name)
                .setSecretData("new")
                .setVersionId("v2")));
        // Cached until refreshed (the default TTL is an hour).
        assertThat(current.getStringValue(name)).isEqualTo("old");
        assertThat(current.refreshNow(name)).isTrue();
        assertThat(current.getStringValue(name)).isEqualTo("new");
        assertThat(current.getSecretInfo(name).getVersionId()).isEqualTo("v2");

        SecretCacheClient previous = client(ak(), "ACSPrevious");
        SecretInfo old = previous.getSecretInfo(name);
        assertThat(old.getSecretValue()).isEqualTo("old");
        assertThat(old.getVersionId()).isEqualTo("v1");
    }

    @Test
    void missingSecretIsResourceNotFound() throws Exception {
        SecretCacheClient client = client(ak(), null);
        Throwable t = catchThrowable(() -> client.getSecretInfo(unique("absent")));
        assertThat(t).isNotNull();
        assertThat(chain(t)).contains("Forbidden.ResourceNotFound");
    }

    @Test
    void stsCredentialsAssumeTheRole() throws Exception {
        SecretCacheClient client = client(
                ak().replace("credentials_type=ak", "credentials_type=sts")
                        + "\ncredentials_role_arn=" + roleArn
                        + "\ncredentials_role_session_name=sm-sts",
                null);
        assertThat(client.getStringValue(textSecret)).isEqualTo("first value");
    }

    @Test
    void ramRoleCredentialsAssumeTheRole() throws Exception {
        SecretCacheClient client = client(
                ak().replace("credentials_type=ak", "credentials_type=ram_role")
                        + "\ncredentials_role_arn=" + roleArn
                        + "\ncredentials_role_session_name=sm-ram-role",
                null);
        assertThat(client.getStringValue(jsonSecret)).contains("AccountPassword");
    }

    static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) {
            b.append(x).append(" | ");
        }
        return b.toString();
    }
}
