package org.openkms.ramplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.EncryptRequest;
import com.aliyun.kms20160120.models.ListKeysRequest;
import com.aliyun.kms20160120.models.RotateSecretRequest;
import com.aliyun.ram20150501.models.AttachPolicyToUserRequest;
import com.aliyun.ram20150501.models.CreateAccessKeyRequest;
import com.aliyun.ram20150501.models.CreateUserRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * The plug-in against a real OpenKMS server in-process (HTTPS with its own certificate, {@code ramSecretOverlap} 0 so
 * RotateSecret retires the old AccessKey at once): the official RAM SDK creates a user with AliyunKMSFullAccess and
 * an AccessKey, the V2 KMS SDK stores it as a RAM secret, and KMS clients of both SDK generations sign with the
 * plug-in's providers. After RotateSecret the next call is refused once with InvalidAccessKeyId.NotFound inside the
 * wrapper, which re-reads the secret and retries: the caller sees no failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RamSecretPluginTest {
    private static final String AK = "LTAIramPluginTest0";
    private static final String SECRET = "ram-plugin-test-secret-0";
    private static final String REGION = "cn-hangzhou";

    @TempDir
    static Path dir;

    private OpenKmsServer server;
    private String ca;
    private Client admin;
    private com.aliyun.ram20150501.Client ram;
    private String keyId;

    @BeforeAll
    void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey(AK, SECRET)
                .withMinKeyVersionInterval(Duration.ZERO)
                .withRamSecretOverlap(Duration.ZERO));
        ca = Files.readString(server.tlsCertificate());
        admin = new Client(https().setAccessKeyId(AK).setAccessKeySecret(SECRET));
        ram = new com.aliyun.ram20150501.Client(https().setAccessKeyId(AK).setAccessKeySecret(SECRET));
        keyId = admin.createKey(new CreateKeyRequest())
                .getBody()
                .getKeyMetadata()
                .getKeyId();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Config https() {
        return new Config()
                .setEndpoint("127.0.0.1:" + server.httpsPort())
                .setProtocol("https")
                .setCa(ca)
                .setRegionId(REGION);
    }

    /** A RAM user with KMS permissions, its AccessKey, and the RAM secret holding it; returns the secret name. */
    private String ramSecret() throws Exception {
        String user = "plugin" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        ram.createUser(new CreateUserRequest().setUserName(user));
        ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                .setUserName(user)
                .setPolicyType("System")
                .setPolicyName("AliyunKMSFullAccess"));
        var ak = ram.createAccessKey(new CreateAccessKeyRequest().setUserName(user))
                .getBody()
                .getAccessKey();
        String data = "{\"AccessKeys\":[{\"AccessKeyId\":\"" + ak.getAccessKeyId() + "\",\"AccessKeySecret\":\""
                + ak.getAccessKeySecret() + "\"}]}";
        return admin.createSecret(new CreateSecretRequest()
                        .setSecretName("$Auto")
                        .setVersionId("v1")
                        .setSecretData(data)
                        .setSecretType("RAMCredentials")
                        .setExtendedConfig(Map.of("SecretSubType", "RamUserAccessKey", "UserName", user))
                        .setEnableAutomaticRotation(true)
                        .setRotationInterval("604800s"))
                .getBody()
                .getSecretName();
    }

    private void rotate(String name) throws Exception {
        admin.rotateSecret(new RotateSecretRequest().setSecretName(name).setVersionId("r1"));
    }

    private static String plaintext() {
        return Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void v2ClientSurvivesRotationWithOneRetry() throws Exception {
        String name = ramSecret();
        assertThat(name).startsWith("acs/ram/user/plugin");
        // The plug-in reads the secret with the application's own identity (here the root AccessKey).
        RamSecret secret = RamSecret.open(https().setAccessKeyId(AK).setAccessKeySecret(SECRET), name);
        String id1 = secret.accessKey().accessKeyId();
        Client app = new Client(
                https().setCredential(new com.aliyun.credentials.Client(new RamSecretCredentialsProvider(secret))));
        RamSecretRetry retry = new RamSecretRetry(secret);

        assertThat(retry.call(() -> app.listKeys(new ListKeysRequest()))
                        .getBody()
                        .getTotalCount())
                .isPositive();
        assertThat(retry.call(() ->
                                app.encrypt(new EncryptRequest().setKeyId(keyId).setPlaintext(plaintext())))
                        .getBody()
                        .getCiphertextBlob())
                .isNotBlank();

        rotate(name);
        // Without the wrapper the retired AccessKey is refused: that is what the wrapper absorbs.
        assertThatThrownBy(() -> app.listKeys(new ListKeysRequest()))
                .isInstanceOfSatisfying(
                        TeaException.class, e -> assertThat(e.getCode()).isEqualTo("InvalidAccessKeyId.NotFound"));
        assertThat(secret.accessKey().accessKeyId()).isEqualTo(id1);

        assertThat(retry.call(() ->
                                app.encrypt(new EncryptRequest().setKeyId(keyId).setPlaintext(plaintext())))
                        .getBody()
                        .getCiphertextBlob())
                .isNotBlank();
        String id2 = secret.accessKey().accessKeyId();
        assertThat(id2).isNotEqualTo(id1);
        assertThat(retry.call(() -> app.listKeys(new ListKeysRequest()))
                        .getBody()
                        .getTotalCount())
                .isPositive();
        assertThat(secret.accessKey().accessKeyId()).isEqualTo(id2);
    }

    @Test
    void v1ClientSurvivesRotationWithOneRetry() throws Exception {
        String name = ramSecret();
        RamSecret secret = RamSecret.open(https().setAccessKeyId(AK).setAccessKeySecret(SECRET), name);
        String id1 = secret.accessKey().accessKeyId();
        DefaultAcsClient app =
                new DefaultAcsClient(DefaultProfile.getProfile(REGION), new RamSecretV1CredentialsProvider(secret));
        RamSecretV1Retry retry = new RamSecretV1Retry(secret);

        assertThat(retry.getAcsResponse(app, v1ListKeys()).getTotalCount()).isPositive();
        rotate(name);
        assertThatThrownBy(() -> app.getAcsResponse(v1ListKeys()))
                .isInstanceOfSatisfying(
                        ClientException.class,
                        e -> assertThat(e.getErrCode()).isEqualTo("InvalidAccessKeyId.NotFound"));

        com.aliyuncs.kms.model.v20160120.EncryptRequest encrypt = new com.aliyuncs.kms.model.v20160120.EncryptRequest();
        encrypt.setKeyId(keyId);
        encrypt.setPlaintext(plaintext());
        v1Endpoint(encrypt);
        assertThat(retry.getAcsResponse(app, encrypt).getCiphertextBlob()).isNotBlank();
        assertThat(secret.accessKey().accessKeyId()).isNotEqualTo(id1);
        assertThat(retry.getAcsResponse(app, v1ListKeys()).getTotalCount()).isPositive();
    }

    private com.aliyuncs.kms.model.v20160120.ListKeysRequest v1ListKeys() {
        com.aliyuncs.kms.model.v20160120.ListKeysRequest r = new com.aliyuncs.kms.model.v20160120.ListKeysRequest();
        v1Endpoint(r);
        return r;
    }

    /** V1 request constructors force HTTPS; the server's plain-HTTP port is set per request (loopback only). */
    private void v1Endpoint(com.aliyuncs.AcsRequest<?> r) {
        r.setSysEndpoint("127.0.0.1:" + server.httpPort());
        r.setSysProtocol(ProtocolType.HTTP);
    }

    @Test
    void configuredByManagedCredentialsProvidersProperties() throws Exception {
        String name = ramSecret();
        Path props = dir.resolve("managed_credentials_providers.properties");
        java.util.Properties p = new java.util.Properties();
        p.setProperty("credentials_type", "ak");
        p.setProperty("credentials_access_key_id", AK);
        p.setProperty("credentials_access_secret", SECRET);
        p.setProperty(
                "cache_client_region_id",
                "[{\"regionId\":\"" + REGION + "\",\"endpoint\":\"127.0.0.1:" + server.httpsPort()
                        + "\",\"caFilePath\":\"" + server.tlsCertificate().toAbsolutePath() + "\"}]");
        try (var w = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        System.setProperty(RamSecret.CONFIG.configFileProperty(), props.toString());
        try {
            RamSecret secret = RamSecret.open(name);
            String id1 = secret.accessKey().accessKeyId();
            Client app = new Client(
                    https().setCredential(new com.aliyun.credentials.Client(new RamSecretCredentialsProvider(secret))));
            RamSecretRetry retry = new RamSecretRetry(secret);
            rotate(name);
            assertThat(retry.call(() -> app.listKeys(new ListKeysRequest()))
                            .getBody()
                            .getTotalCount())
                    .isPositive();
            assertThat(secret.accessKey().accessKeyId()).isNotEqualTo(id1);
        } finally {
            System.clearProperty(RamSecret.CONFIG.configFileProperty());
        }
    }

    @Test
    void threadsRefusedTogetherSpendOneRefresh() throws Exception {
        String name = ramSecret();
        RamSecret secret = RamSecret.open(https().setAccessKeyId(AK).setAccessKeySecret(SECRET), name);
        Client app = new Client(
                https().setCredential(new com.aliyun.credentials.Client(new RamSecretCredentialsProvider(secret))));
        RamSecretRetry retry = new RamSecretRetry(secret);
        rotate(name);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> retry.call(() -> app.listKeys(new ListKeysRequest()))
                        .getBody()
                        .getTotalCount()));
            }
            for (var f : results) {
                assertThat(f.get()).isPositive();
            }
        } finally {
            pool.shutdown();
        }
        // One of the 5 refreshes was spent; the other threads retried with the key it fetched.
        for (int i = 0; i < 4; i++) {
            assertThat(secret.refreshNow()).isTrue();
        }
    }

    @Test
    void otherErrorsAreNotRetriedAndRefreshesAreRateLimited() throws Exception {
        String name = ramSecret();
        RamSecret secret = RamSecret.open(https().setAccessKeyId(AK).setAccessKeySecret(SECRET), name);
        RamSecretRetry retry = new RamSecretRetry(secret);
        int[] calls = {0};
        assertThatThrownBy(() -> retry.call(() -> {
                    calls[0]++;
                    throw new TeaException(Map.of("code", "Forbidden.KeyNotFound", "message", "no such key"));
                }))
                .isInstanceOf(TeaException.class);
        assertThat(calls[0]).isEqualTo(1);

        // Alibaba's plug-in: 5 refreshes per 10 minutes per secret, then the caller sees the error itself.
        for (int i = 0; i < 5; i++) {
            assertThat(secret.refreshNow()).isTrue();
        }
        assertThat(secret.refreshNow()).isFalse();
        calls[0] = 0;
        assertThatThrownBy(() -> retry.call(() -> {
                    calls[0]++;
                    throw new TeaException(Map.of("code", "InvalidAccessKeyId.NotFound", "message", "gone"));
                }))
                .isInstanceOf(TeaException.class);
        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void aSecretThatIsNoRamSecretIsRefusedWithoutItsValue() throws Exception {
        admin.createSecret(new CreateSecretRequest()
                .setSecretName("plain-plugin-test")
                .setVersionId("v1")
                .setSecretData("not-json-s3cr3t"));
        assertThatThrownBy(() ->
                        RamSecret.open(https().setAccessKeyId(AK).setAccessKeySecret(SECRET), "plain-plugin-test"))
                .isInstanceOfSatisfying(RamSecretException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidSecretValue");
                    assertThat(e.getMessage()).doesNotContain("s3cr3t");
                });
        assertThatThrownBy(() ->
                        RamSecret.open(https().setAccessKeyId(AK).setAccessKeySecret(SECRET), "acs/ram/user/none"))
                .isInstanceOfSatisfying(
                        RamSecretException.class, e -> assertThat(e.code()).isEqualTo("Forbidden.ResourceNotFound"));
    }
}
