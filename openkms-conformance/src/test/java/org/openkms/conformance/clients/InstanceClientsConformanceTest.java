package org.openkms.conformance.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.openkms.conformance.Conformance.unique;

import com.aliyun.kms.KmsTransferAcsClient;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.GetKmsInstanceRequest;
import com.aliyun.kms20160120.models.PutSecretValueRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.kms.model.v20160120.DecryptRequest;
import com.aliyuncs.kms.model.v20160120.EncryptRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyWithoutPlaintextRequest;
import com.aliyuncs.kms.model.v20160120.GetSecretValueRequest;
import com.aliyuncs.kms.secretsmanager.client.SecretCacheClient;
import com.aliyuncs.kms.secretsmanager.client.SecretCacheClientBuilder;
import com.aliyuncs.kms.secretsmanager.client.model.DKmsConfig;
import com.aliyuncs.kms.secretsmanager.client.model.SecretInfo;
import com.aliyuncs.kms.secretsmanager.client.service.BaseSecretManagerClientBuilder;
import com.aliyuncs.profile.DefaultProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.V2Api;
import org.openkms.conformance.instance.AccessPointFixture;

/**
 * The clients that reach a KMS instance through its gateway, unchanged, against the instance listener (TLS with
 * the instance CA, ClientKey signatures): the Secrets Manager client 1.3.7 in DKMS mode
 * ({@code cache_client_dkms_config_info}, and the builder's {@code addDKmsConfig}), and the kms-transfer-client
 * 0.2.2 it uses, which turns aliyun-java-sdk-kms requests (Encrypt, Decrypt, GenerateDataKey, GetSecretValue) into
 * instance API calls (https://github.com/aliyun/alibabacloud-dkms-transfer-java-sdk). Keys and secrets belong to the
 * server's instance (DKMSInstanceId), as on Alibaba Cloud, where an instance serves only its own.
 */
class InstanceClientsConformanceTest {
    private static final String PASSWORD = "Dkms-cl1ent-pw";

    @TempDir
    static Path dir;

    static ConformanceServer server;
    static V2Api root;
    static String instanceId;
    static String key;
    static String textSecret;
    static String jsonSecret;
    static Path caFile;
    static Path clientKeyFile;
    static Path passwordFile;
    static KmsTransferAcsClient transfer;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(
                ConformanceServer.config(dir.resolve("data")).withInstanceListen("127.0.0.1:0"));
        root = server.v2();
        var c = root.client();
        instanceId = server.server().instanceId();
        // The instance CA, as an operator downloads it (GetKmsInstance's CaCertificateChainPem).
        caFile = dir.resolve("PrivateKmsCA_" + instanceId + ".pem");
        Files.writeString(
                caFile,
                root.call(() -> c.getKmsInstance(new GetKmsInstanceRequest().setKmsInstanceId(instanceId)))
                        .getBody()
                        .getKmsInstance()
                        .getCaCertificateChainPem());
        key = root.call(() -> c.createKey(new CreateKeyRequest()
                        .setKeySpec("Aliyun_AES_256")
                        .setKeyUsage("ENCRYPT/DECRYPT")
                        .setDKMSInstanceId(instanceId)))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        textSecret = createSecret("dkms-text", "instance value");
        jsonSecret = createSecret("dkms-json", "{\"AccountName\":\"app\",\"AccountPassword\":\"p@ss\"}");

        var ck = AccessPointFixture.issue(
                root,
                instanceId,
                List.of(AccessPointFixture.KEY_USER, AccessPointFixture.SECRET_USER),
                List.of("key/" + key, "secret/*"),
                PASSWORD);
        clientKeyFile = dir.resolve("clientKey_" + ck.clientKeyId() + ".json");
        Files.writeString(
                clientKeyFile,
                "{\"KeyId\":\"" + ck.clientKeyId() + "\",\"PrivateKeyData\":\"" + ck.privateKeyData() + "\"}");
        passwordFile = dir.resolve("clientKey_" + ck.clientKeyId() + "_Password.txt");
        Files.writeString(passwordFile, PASSWORD + "\n");

        com.aliyun.dkms.gcs.openapi.models.Config config = new com.aliyun.dkms.gcs.openapi.models.Config()
                .setProtocol("https")
                .setEndpoint(endpoint())
                .setClientKeyFile(clientKeyFile.toString())
                .setPassword(PASSWORD)
                .setCaFilePath(caFile.toString());
        // The V1 SDK's profile: only its region is used, every call goes to the instance.
        transfer = new KmsTransferAcsClient(DefaultProfile.getProfile(ConformanceServer.REGION), config);
    }

    @AfterAll
    static void stop() throws Exception {
        // The clients are not closed: SecretCacheClient.close() shuts down its DefaultAcsClient, and with it the one
        // HTTP client aliyun-java-sdk-core keeps for the whole JVM, which every later V1 test would then find closed.
        if (server != null) {
            server.close();
        }
    }

    static String endpoint() {
        return "127.0.0.1:" + server.server().instancePort();
    }

    static String createSecret(String prefix, String value) {
        String name = unique(prefix);
        var c = root.client();
        root.call(() -> c.createSecret(new CreateSecretRequest()
                .setSecretName(name)
                .setSecretData(value)
                .setVersionId("v1")
                .setEncryptionKeyId(key)
                .setDKMSInstanceId(instanceId)));
        return name;
    }

    /** The DKMS configuration exactly as docs/dedicated-gateway.md shows it. */
    static String dkmsConfig() {
        return "cache_client_dkms_config_info=[{\"regionId\":\"" + ConformanceServer.REGION + "\",\"endpoint\":\""
                + endpoint() + "\",\"clientKeyFile\":\"" + clientKeyFile + "\",\"passwordFromFilePath\":\""
                + passwordFile + "\",\"ignoreSslCerts\":false,\"caFilePath\":\"" + caFile + "\"}]\n";
    }

    static SecretCacheClient fromProperties(String stage) throws Exception {
        Path file = Files.createTempFile(dir, "secretsmanager", ".properties");
        Files.writeString(file, dkmsConfig());
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

    // ---- the Secrets Manager client in DKMS mode

    @Test
    void dkmsConfigInfoReadsTextAndJsonSecrets() throws Exception {
        SecretCacheClient client = fromProperties(null);
        SecretInfo info = client.getSecretInfo(textSecret);
        assertThat(info.getSecretValue()).isEqualTo("instance value");
        assertThat(info.getSecretName()).isEqualTo(textSecret);
        assertThat(info.getVersionId()).isEqualTo("v1");
        assertThat(info.getSecretDataType()).isEqualTo("text");
        assertThat(info.getSecretType()).isEqualTo("Generic");
        assertThat(client.getStringValue(jsonSecret))
                .isEqualTo("{\"AccountName\":\"app\",\"AccountPassword\":\"p@ss\"}");
    }

    @Test
    void builderDkmsConfigRefreshesAndServesStages() throws Exception {
        DKmsConfig config = new DKmsConfig();
        config.setRegionId(ConformanceServer.REGION);
        config.setEndpoint(endpoint());
        config.setClientKeyFile(clientKeyFile.toString());
        // The builder takes the password itself (the password-file options are read only from a properties file).
        config.setPassword(PASSWORD);
        config.setCaFilePath(caFile.toString());
        SecretCacheClient client = SecretCacheClientBuilder.newCacheClientBuilder(
                        BaseSecretManagerClientBuilder.standard()
                                .addDKmsConfig(config)
                                .build())
                .build();
        String name = createSecret("dkms-rot", "old");
        assertThat(client.getStringValue(name)).isEqualTo("old");
        var c = root.client();
        root.call(() -> c.putSecretValue(new PutSecretValueRequest()
                .setSecretName(name)
                .setSecretData("new")
                .setVersionId("v2")));
        assertThat(client.getStringValue(name)).isEqualTo("old"); // cached
        assertThat(client.refreshNow(name)).isTrue();
        assertThat(client.getStringValue(name)).isEqualTo("new");
        assertThat(client.getSecretInfo(name).getVersionId()).isEqualTo("v2");

        SecretInfo previous = fromProperties("ACSPrevious").getSecretInfo(name);
        assertThat(previous.getSecretValue()).isEqualTo("old");
        assertThat(previous.getVersionId()).isEqualTo("v1");
    }

    @Test
    void missingSecretIsResourceNotFound() throws Exception {
        SecretCacheClient client = fromProperties(null);
        Throwable t = catchThrowable(() -> client.getSecretInfo(unique("absent")));
        assertThat(SecretsManagerClientConformanceTest.chain(t)).contains("Forbidden.ResourceNotFound");
    }

    // ---- the transfer client

    @Test
    void transferEncryptThenDecryptWithEncryptionContext() throws Exception {
        EncryptRequest enc = new EncryptRequest();
        enc.setKeyId(key);
        enc.setPlaintext("hello transfer");
        enc.setEncryptionContext("{\"app\":\"billing\",\"n\":1}");
        var encrypted = transfer.getAcsResponse(enc);
        assertThat(encrypted.getKeyId()).isEqualTo(key);
        assertThat(encrypted.getKeyVersionId()).hasSize(36);
        byte[] blob = Base64.getDecoder().decode(encrypted.getCiphertextBlob());
        // keyVersionId (36 ASCII bytes) ‖ IV (12) ‖ ciphertext: the transfer client's own blob.
        assertThat(new String(blob, 0, 36, StandardCharsets.US_ASCII)).isEqualTo(encrypted.getKeyVersionId());

        DecryptRequest dec = new DecryptRequest();
        dec.setCiphertextBlob(encrypted.getCiphertextBlob());
        dec.setEncryptionContext("{\"n\":1,\"app\":\"billing\"}");
        var decrypted = transfer.getAcsResponse(dec);
        assertThat(decrypted.getPlaintext()).isEqualTo("hello transfer");
        assertThat(decrypted.getKeyId()).isEqualTo(key);
        assertThat(decrypted.getKeyVersionId()).isEqualTo(encrypted.getKeyVersionId());

        // Another context: the ciphertext does not open, and the error is not mistaken for a credential problem.
        DecryptRequest wrong = new DecryptRequest();
        wrong.setCiphertextBlob(encrypted.getCiphertextBlob());
        wrong.setEncryptionContext("{\"app\":\"other\"}");
        // (the transfer client turns an InvalidParam it does not know into InvalidAccessKeyId.NotFound).
        assertThat(code(() -> transfer.getAcsResponse(wrong))).isEqualTo("InvalidParameter");
    }

    @Test
    void transferGenerateDataKeyAndWithoutPlaintext() throws Exception {
        GenerateDataKeyRequest gen = new GenerateDataKeyRequest();
        gen.setKeyId(key);
        gen.setKeySpec("AES_128");
        var dk = transfer.getAcsResponse(gen);
        assertThat(Base64.getDecoder().decode(dk.getPlaintext())).hasSize(16);
        assertThat(dk.getKeyVersionId()).hasSize(36);
        DecryptRequest dec = new DecryptRequest();
        dec.setCiphertextBlob(dk.getCiphertextBlob());
        // The transfer client encrypts the Base64 text of the data key, as the shared gateway's GenerateDataKey does.
        assertThat(transfer.getAcsResponse(dec).getPlaintext()).isEqualTo(dk.getPlaintext());

        GenerateDataKeyWithoutPlaintextRequest without = new GenerateDataKeyWithoutPlaintextRequest();
        without.setKeyId(key);
        without.setNumberOfBytes(32);
        without.setEncryptionContext("{\"k\":\"v\"}");
        var sealed = transfer.getAcsResponse(without);
        DecryptRequest open = new DecryptRequest();
        open.setCiphertextBlob(sealed.getCiphertextBlob());
        open.setEncryptionContext("{\"k\":\"v\"}");
        assertThat(Base64.getDecoder().decode(transfer.getAcsResponse(open).getPlaintext()))
                .hasSize(32);
    }

    @Test
    void transferGetSecretValue() throws Exception {
        GetSecretValueRequest req = new GetSecretValueRequest();
        req.setSecretName(textSecret);
        req.setFetchExtendedConfig(true);
        var v = transfer.getAcsResponse(req);
        assertThat(v.getSecretData()).isEqualTo("instance value");
        assertThat(v.getSecretName()).isEqualTo(textSecret);
        assertThat(v.getVersionId()).isEqualTo("v1");
        assertThat(v.getVersionStages()).containsExactly("ACSCurrent");
        assertThat(v.getSecretDataType()).isEqualTo("text");
    }

    @Test
    void transferErrorsKeepTheirCodes() {
        EncryptRequest other = new EncryptRequest();
        other.setKeyId("key-hzz000000000000000000");
        other.setPlaintext("x");
        assertThat(code(() -> transfer.getAcsResponse(other))).isEqualTo("Forbidden.NoPermission");
        GetSecretValueRequest missing = new GetSecretValueRequest();
        missing.setSecretName(unique("absent"));
        assertThat(code(() -> transfer.getAcsResponse(missing))).isEqualTo("Forbidden.ResourceNotFound");
        EncryptRequest tooLong = new EncryptRequest();
        tooLong.setKeyId(key);
        tooLong.setPlaintext("x".repeat(7 * 1024));
        assertThat(code(() -> transfer.getAcsResponse(tooLong))).isEqualTo("InvalidParameter");
    }

    // ---- kms-transfer-client 0.1.0 (Instance SDK 0.2.8), in a class loader of its own

    /**
     * A 0.1.0 transfer client: its classes and the Instance SDK 0.2.8 it was built on (copied to
     * target/transfer-client-0.1.0 by the pom) are loaded first by a child class loader; everything else,
     * aliyun-java-sdk-core/-kms (the request and response types) and tea, is the test class path's.
     */
    static com.aliyuncs.IAcsClient transfer010() throws Exception {
        Path jars = Path.of("target", "transfer-client-0.1.0");
        List<java.net.URL> urls = new ArrayList<>();
        try (var files = Files.list(jars)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        assertThat(urls).as("the jars in " + jars.toAbsolutePath()).hasSize(5);
        ClassLoader parent = InstanceClientsConformanceTest.class.getClassLoader();
        ClassLoader loader = new java.net.URLClassLoader(urls.toArray(new java.net.URL[0]), parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith("com.aliyun.kms.") && !name.startsWith("com.aliyun.dkms.")) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        c = findClass(name);
                    }
                    if (resolve) {
                        resolveClass(c);
                    }
                    return c;
                }
            }
        };
        Class<?> configClass = loader.loadClass("com.aliyun.dkms.gcs.openapi.models.Config");
        Object config = configClass.getConstructor().newInstance();
        configClass.getMethod("setProtocol", String.class).invoke(config, "https");
        configClass.getMethod("setEndpoint", String.class).invoke(config, endpoint());
        configClass.getMethod("setClientKeyFile", String.class).invoke(config, clientKeyFile.toString());
        configClass.getMethod("setPassword", String.class).invoke(config, PASSWORD);
        // The same CA file as 0.5.2: the Instance SDK 0.2.x pins the chain's sub CA and refuses a file without one.
        configClass.getMethod("setCaFilePath", String.class).invoke(config, caFile.toString());
        Class<?> clientClass = loader.loadClass("com.aliyun.kms.KmsTransferAcsClient");
        assertThat(clientClass
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toString())
                .contains("kms-transfer-client-0.1.0");
        return (com.aliyuncs.IAcsClient) clientClass
                .getConstructor(com.aliyuncs.profile.IClientProfile.class, configClass)
                .newInstance(DefaultProfile.getProfile(ConformanceServer.REGION), config);
    }

    @Test
    void transfer010EncryptDecryptGenerateDataKeyAndGetSecretValue() throws Exception {
        com.aliyuncs.IAcsClient old = transfer010();
        EncryptRequest enc = new EncryptRequest();
        enc.setKeyId(key);
        enc.setPlaintext("hello 0.1.0");
        enc.setEncryptionContext("{\"app\":\"legacy\"}");
        var encrypted = old.getAcsResponse(enc);
        assertThat(encrypted.getKeyId()).isEqualTo(key);
        DecryptRequest dec = new DecryptRequest();
        dec.setCiphertextBlob(encrypted.getCiphertextBlob());
        dec.setEncryptionContext("{\"app\":\"legacy\"}");
        assertThat(old.getAcsResponse(dec).getPlaintext()).isEqualTo("hello 0.1.0");
        // Either version's ciphertext opens with the other: the blob layout is the same.
        DecryptRequest across = new DecryptRequest();
        across.setCiphertextBlob(encrypted.getCiphertextBlob());
        across.setEncryptionContext("{\"app\":\"legacy\"}");
        assertThat(transfer.getAcsResponse(across).getPlaintext()).isEqualTo("hello 0.1.0");

        GenerateDataKeyRequest gen = new GenerateDataKeyRequest();
        gen.setKeyId(key);
        gen.setNumberOfBytes(32);
        var dk = old.getAcsResponse(gen);
        assertThat(Base64.getDecoder().decode(dk.getPlaintext())).hasSize(32);
        DecryptRequest open = new DecryptRequest();
        open.setCiphertextBlob(dk.getCiphertextBlob());
        assertThat(old.getAcsResponse(open).getPlaintext()).isEqualTo(dk.getPlaintext());

        GetSecretValueRequest secret = new GetSecretValueRequest();
        secret.setSecretName(jsonSecret);
        var v = old.getAcsResponse(secret);
        assertThat(v.getSecretData()).contains("AccountPassword");
        assertThat(v.getVersionId()).isEqualTo("v1");

        EncryptRequest denied = new EncryptRequest();
        denied.setKeyId("key-hzz000000000000000000");
        denied.setPlaintext("x");
        assertThat(code(() -> old.getAcsResponse(denied))).isEqualTo("Forbidden.NoPermission");
        DecryptRequest wrong = new DecryptRequest();
        wrong.setCiphertextBlob(encrypted.getCiphertextBlob());
        wrong.setEncryptionContext("{\"app\":\"other\"}");
        assertThat(code(() -> old.getAcsResponse(wrong))).isEqualTo("InvalidParameter");
    }

    static String code(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof ClientException ce) {
                return ce.getErrCode();
            }
        }
        throw new AssertionError("expected a ClientException, got " + t, t);
    }
}
