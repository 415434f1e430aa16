package org.openkms.conformance.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.openkms.conformance.Conformance.unique;

import com.aliyun.dkms.gcs.openapi.models.Config;
import com.aliyun.dkms.gcs.sdk.Client;
import com.aliyun.dkms.gcs.sdk.models.AdvanceDecryptRequest;
import com.aliyun.dkms.gcs.sdk.models.AdvanceEncryptRequest;
import com.aliyun.dkms.gcs.sdk.models.AdvanceGenerateDataKeyRequest;
import com.aliyun.dkms.gcs.sdk.models.DecryptRequest;
import com.aliyun.dkms.gcs.sdk.models.EncryptRequest;
import com.aliyun.dkms.gcs.sdk.models.GenerateDataKeyRequest;
import com.aliyun.dkms.gcs.sdk.models.GenerateRandomRequest;
import com.aliyun.dkms.gcs.sdk.models.GetPublicKeyRequest;
import com.aliyun.dkms.gcs.sdk.models.GetSecretValueRequest;
import com.aliyun.dkms.gcs.sdk.models.SignRequest;
import com.aliyun.dkms.gcs.sdk.models.VerifyRequest;
import com.aliyun.kms20160120.models.CreateApplicationAccessPointRequest;
import com.aliyun.kms20160120.models.CreateClientKeyRequest;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.CreateNetworkRuleRequest;
import com.aliyun.kms20160120.models.CreatePolicyRequest;
import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.GetKmsInstanceRequest;
import com.aliyun.kms20160120.models.ListKeysRequest;
import com.aliyun.kms20160120.models.ListKmsInstancesRequest;
import com.aliyun.tea.TeaException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.V2Api;
import org.openkms.wire.InstanceSignature;
import org.openkms.wire.ProtoWire;

/**
 * The official KMS Instance SDK ({@code com.aliyun:alibabacloud-dkms-gcs-sdk} 0.5.2), unchanged, against the
 * instance gateway over TLS with the instance CA ({@code caFilePath}), authenticated by a ClientKey made through
 * the V2 SDK (network rule → policy → application access point → client key).
 */
class InstanceSdkConformanceTest {
    private static final String PASSWORD = "Inst4nce-pw";

    @TempDir
    static Path dir;

    static ConformanceServer server;
    static V2Api root;
    static Path caFile;
    static String symmetricKey;
    static String otherKey;
    static String rsaKey;
    static String secretName;
    /** A default key (of no instance) and a secret of no instance, both granted by the access point's policy. */
    static String defaultKey;

    static String defaultSecret;
    /**
     * A key of another KMS instance. The server has one instance and the API creates keys only in an existing one, so
     * this key is made through the server's core, as a second instance's key would be stored.
     */
    static String foreignKey;

    static String clientKeyJson;
    static String clientKeyId;
    static PrivateKey clientPrivateKey;
    static Client sdk;
    /** The body of the last {@link #raw} answer. */
    static byte[] lastAnswer;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(
                ConformanceServer.config(dir.resolve("data")).withInstanceListen("127.0.0.1:0"));
        root = server.v2();
        var c = root.client();
        // The CA comes from the KMS API, as an operator gets it for a real instance.
        String instanceId = root.call(() -> c.listKmsInstances(new ListKmsInstancesRequest()))
                .getBody()
                .getKmsInstances()
                .getKmsInstance()
                .get(0)
                .getKmsInstanceId();
        assertThat(instanceId).isEqualTo(server.server().instanceId()).matches("kst-hzz[a-z0-9]{18}");
        var instance = root.call(() -> c.getKmsInstance(new GetKmsInstanceRequest().setKmsInstanceId(instanceId)))
                .getBody()
                .getKmsInstance();
        assertThat(instance.getStatus()).isEqualTo("InUse");
        caFile = dir.resolve("instance-ca.pem");
        Files.writeString(caFile, instance.getCaCertificateChainPem());

        // The gateway serves the keys and secrets of its instance: they are created in it (DKMSInstanceId).
        symmetricKey = root.call(() -> c.createKey(new CreateKeyRequest()
                        .setKeySpec("Aliyun_AES_256")
                        .setKeyUsage("ENCRYPT/DECRYPT")
                        .setDKMSInstanceId(instanceId)))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        otherKey = root.call(() -> c.createKey(new CreateKeyRequest()
                        .setKeySpec("Aliyun_AES_256")
                        .setKeyUsage("ENCRYPT/DECRYPT")
                        .setDKMSInstanceId(instanceId)))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        rsaKey = root.call(() -> c.createKey(new CreateKeyRequest()
                        .setKeySpec("RSA_2048")
                        .setKeyUsage("SIGN/VERIFY")
                        .setDKMSInstanceId(instanceId)))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        secretName = unique("inst-secret");
        root.call(() -> c.createSecret(new CreateSecretRequest()
                .setSecretName(secretName)
                .setSecretData("s3cr3t value")
                .setVersionId("v1")
                .setDKMSInstanceId(instanceId)));
        defaultKey = root.call(() -> c.createKey(
                        new CreateKeyRequest().setKeySpec("Aliyun_AES_256").setKeyUsage("ENCRYPT/DECRYPT")))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        foreignKey = server.server()
                .kms()
                .keys()
                .createKey(new org.openkms.core.key.CreateKeyRequest(
                        "",
                        org.openkms.core.key.KeySpec.Aliyun_AES_256,
                        null,
                        org.openkms.core.key.Origin.Aliyun_KMS,
                        "SOFTWARE",
                        0,
                        Map.of(),
                        "kst-hzzotherinstance000000"))
                .keyId();
        defaultSecret = unique("shared-secret");
        root.call(() -> c.createSecret(new CreateSecretRequest()
                .setSecretName(defaultSecret)
                .setSecretData("shared value")
                .setVersionId("v1")));

        String rule = unique("net");
        root.call(() -> c.createNetworkRule(new CreateNetworkRuleRequest()
                .setName(rule)
                .setType("Private")
                .setSourcePrivateIp("[\"127.0.0.1/32\"]")));
        String policy = unique("pol");
        root.call(() -> c.createPolicy(new CreatePolicyRequest()
                .setName(policy)
                .setKmsInstance(server.server().instanceId())
                .setPermissions("[\"RbacPermission/Template/CryptoServiceKeyUser\","
                        + "\"RbacPermission/Template/CryptoServiceSecretUser\"]")
                .setResources("[\"key/" + symmetricKey + "\",\"key/" + rsaKey + "\",\"secret/" + secretName
                        + "\",\"key/" + defaultKey + "\",\"key/" + foreignKey + "\",\"secret/" + defaultSecret
                        + "\"]")
                .setAccessControlRules("{\"NetworkRules\":[\"" + rule + "\"]}")));
        String aap = unique("aap");
        root.call(() -> c.createApplicationAccessPoint(new CreateApplicationAccessPointRequest()
                .setName(aap)
                .setAuthenticationMethod("ClientKey")
                .setPolicies("[\"" + policy + "\"]")));
        var ck = root.call(() -> c.createClientKey(
                        new CreateClientKeyRequest().setAapName(aap).setPassword(PASSWORD)))
                .getBody();
        clientKeyId = ck.getClientKeyId();
        clientKeyJson = "{\"KeyId\":\"" + clientKeyId + "\",\"PrivateKeyData\":\"" + ck.getPrivateKeyData() + "\"}";
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(new ByteArrayInputStream(Base64.getDecoder().decode(ck.getPrivateKeyData())), PASSWORD.toCharArray());
        clientPrivateKey = (PrivateKey) p12.getKey(p12.aliases().nextElement(), PASSWORD.toCharArray());
        sdk = client(clientKeyJson, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Client client(String clientKeyContent, String password) throws Exception {
        return new Client(new Config()
                .setProtocol("https")
                .setEndpoint("127.0.0.1:" + server.server().instancePort())
                .setClientKeyContent(clientKeyContent)
                .setPassword(password)
                .setCaFilePath(caFile.toString()));
    }

    @Test
    void encryptThenDecryptWithAadAndIv() throws Exception {
        byte[] aad = "context".getBytes(StandardCharsets.UTF_8);
        var enc = sdk.encrypt(new EncryptRequest()
                .setKeyId(symmetricKey)
                .setPlaintext("hello instance".getBytes(StandardCharsets.UTF_8))
                .setAad(aad));
        assertThat(enc.getKeyId()).isEqualTo(symmetricKey);
        assertThat(enc.getIv()).hasSize(12);
        assertThat(enc.getAlgorithm()).isEqualTo("AES_GCM");
        assertThat(enc.getRequestId()).isNotEmpty();
        var dec = sdk.decrypt(new DecryptRequest()
                .setKeyId(symmetricKey)
                .setCiphertextBlob(enc.getCiphertextBlob())
                .setIv(enc.getIv())
                .setAad(aad));
        assertThat(new String(dec.getPlaintext(), StandardCharsets.UTF_8)).isEqualTo("hello instance");
        assertThat(dec.getKeyId()).isEqualTo(symmetricKey);

        // Wrong Aad: the ciphertext does not open.
        assertThat(code(() -> sdk.decrypt(new DecryptRequest()
                        .setKeyId(symmetricKey)
                        .setCiphertextBlob(enc.getCiphertextBlob())
                        .setIv(enc.getIv())
                        .setAad("other".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo("InvalidParameter");
    }

    @Test
    void advanceEncryptCarriesItsVersionInTheBlob() throws Exception {
        var enc = sdk.advanceEncrypt(new AdvanceEncryptRequest()
                .setKeyId(symmetricKey)
                .setPlaintext(new byte[] {1, 2, 3})
                .setAad(new byte[] {9}));
        assertThat(enc.getKeyVersionId()).hasSize(36);
        var dec = sdk.advanceDecrypt(new AdvanceDecryptRequest()
                .setCiphertextBlob(enc.getCiphertextBlob())
                .setAad(new byte[] {9}));
        assertThat(dec.getPlaintext()).containsExactly(1, 2, 3);
        assertThat(dec.getKeyVersionId()).isEqualTo(enc.getKeyVersionId());
        assertThat(dec.getKeyId()).isEqualTo(symmetricKey);
    }

    @Test
    void generateDataKeyAndAdvanceGenerateDataKey() throws Exception {
        var dk = sdk.generateDataKey(
                new GenerateDataKeyRequest().setKeyId(symmetricKey).setNumberOfBytes(16));
        assertThat(dk.getPlaintext()).hasSize(16);
        var opened = sdk.decrypt(new DecryptRequest()
                .setKeyId(symmetricKey)
                .setCiphertextBlob(dk.getCiphertextBlob())
                .setIv(dk.getIv()));
        assertThat(opened.getPlaintext()).isEqualTo(dk.getPlaintext());

        var adk = sdk.advanceGenerateDataKey(new AdvanceGenerateDataKeyRequest().setKeyId(symmetricKey));
        assertThat(adk.getPlaintext()).hasSize(32);
        assertThat(adk.getKeyVersionId()).hasSize(36);
        var back = sdk.advanceDecrypt(new AdvanceDecryptRequest().setCiphertextBlob(adk.getCiphertextBlob()));
        assertThat(back.getPlaintext()).isEqualTo(adk.getPlaintext());
    }

    @Test
    void dataKeyPairsInAllFourForms() throws Exception {
        var pair = sdk.generateDataKeyPair(new com.aliyun.dkms.gcs.sdk.models.GenerateDataKeyPairRequest()
                .setKeyId(symmetricKey)
                .setKeyPairSpec("EC_P256")
                .setKeyFormat("PEM")
                .setAad(new byte[] {7}));
        assertThat(new String(pair.getPrivateKeyPlaintext(), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(new String(pair.getPublicKey(), StandardCharsets.US_ASCII)).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(pair.getKeyPairSpec()).isEqualTo("EC_P256");
        var opened = sdk.decrypt(new DecryptRequest()
                .setKeyId(symmetricKey)
                .setCiphertextBlob(pair.getPrivateKeyCiphertextBlob())
                .setIv(pair.getIv())
                .setAad(new byte[] {7}));
        assertThat(opened.getPlaintext()).isEqualTo(pair.getPrivateKeyPlaintext());

        var without = sdk.generateDataKeyPairWithoutPlaintext(
                new com.aliyun.dkms.gcs.sdk.models.GenerateDataKeyPairWithoutPlaintextRequest()
                        .setKeyId(symmetricKey)
                        .setKeyPairSpec("RSA_2048")
                        .setKeyFormat("DER"));
        byte[] der = sdk.decrypt(new DecryptRequest()
                        .setKeyId(symmetricKey)
                        .setCiphertextBlob(without.getPrivateKeyCiphertextBlob())
                        .setIv(without.getIv()))
                .getPlaintext();
        java.security.KeyFactory.getInstance("RSA").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
        java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(without.getPublicKey()));

        var advanced =
                sdk.advanceGenerateDataKeyPair(new com.aliyun.dkms.gcs.sdk.models.AdvanceGenerateDataKeyPairRequest()
                        .setKeyId(symmetricKey)
                        .setKeyPairSpec("EC_P256")
                        .setKeyFormat("DER"));
        assertThat(advanced.getKeyVersionId()).hasSize(36);
        assertThat(sdk.advanceDecrypt(
                                new AdvanceDecryptRequest().setCiphertextBlob(advanced.getPrivateKeyCiphertextBlob()))
                        .getPlaintext())
                .isEqualTo(advanced.getPrivateKeyPlaintext());
        var advancedWithout = sdk.advanceGenerateDataKeyPairWithoutPlaintext(
                new com.aliyun.dkms.gcs.sdk.models.AdvanceGenerateDataKeyPairWithoutPlaintextRequest()
                        .setKeyId(symmetricKey)
                        .setKeyPairSpec("EC_P256"));
        assertThat(advancedWithout.getKeyVersionId()).hasSize(36);
        assertThat(new String(
                        sdk.advanceDecrypt(new AdvanceDecryptRequest()
                                        .setCiphertextBlob(advancedWithout.getPrivateKeyCiphertextBlob()))
                                .getPlaintext(),
                        StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(code(() -> sdk.generateDataKeyPair(new com.aliyun.dkms.gcs.sdk.models.GenerateDataKeyPairRequest()
                        .setKeyId(symmetricKey)
                        .setKeyPairSpec("RSA_1024"))))
                .isEqualTo("InvalidParameter");
    }

    @Test
    void getSecretValue() throws Exception {
        var v = sdk.getSecretValue(new GetSecretValueRequest()
                .setSecretName(secretName)
                .setVersionStage("ACSCurrent")
                .setFetchExtendedConfig(true));
        assertThat(v.getSecretData()).isEqualTo("s3cr3t value");
        assertThat(v.getSecretName()).isEqualTo(secretName);
        assertThat(v.getVersionId()).isEqualTo("v1");
        assertThat(v.getVersionStages()).containsExactly("ACSCurrent");
        assertThat(v.getSecretDataType()).isEqualTo("text");
        assertThat(v.getSecretType()).isEqualTo("Generic");
    }

    @Test
    void everyCallIsAuditedWithItsClientKeyAndAccessPoint() throws Exception {
        sdk.getSecretValue(new GetSecretValueRequest().setSecretName(secretName));
        Path log = server.dataDir().resolve("audit").resolve("audit.log");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                Files.exists(log)
                                        ? Files.readAllLines(log).stream()
                                                .filter(l -> l.contains("\"GetSecretValue\"")
                                                        && l.contains("secret/" + secretName + "\""))
                                                .toList()
                                        : java.util.List.<String>of())
                        .isNotEmpty()
                        .allSatisfy(l -> assertThat(l)
                                .contains("\"accessKeyId\":\"" + clientKeyId + "\"")
                                .contains("\"principal\":\"client-key:")
                                .contains("\"result\":\"OK\"")));
        assertThat(Files.readString(log)).doesNotContain("s3cr3t value");
    }

    @Test
    void generateRandomWithAndWithoutLength() throws Exception {
        assertThat(sdk.generateRandom(new GenerateRandomRequest().setLength(24)).getRandom())
                .hasSize(24);
        // No Length: an empty body, which OkHttp sends chunked.
        assertThat(sdk.generateRandom(new GenerateRandomRequest()).getRandom()).hasSize(32);
    }

    @Test
    void getPublicKeySignAndVerify() throws Exception {
        var pk = sdk.getPublicKey(new GetPublicKeyRequest().setKeyId(rsaKey));
        assertThat(pk.getPublicKey()).startsWith("-----BEGIN PUBLIC KEY-----");
        byte[] message = "sign me".getBytes(StandardCharsets.UTF_8);
        var sig = sdk.sign(new SignRequest()
                .setKeyId(rsaKey)
                .setAlgorithm("RSA_PKCS1_SHA_256")
                .setMessage(message)
                .setMessageType("RAW"));
        assertThat(sig.getSignature()).hasSize(256);
        // The signature is a standard SHA256withRSA one over the message, checked with the published key.
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initVerify(java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(Base64.getMimeDecoder()
                        .decode(pk.getPublicKey()
                                .replace("-----BEGIN PUBLIC KEY-----", "")
                                .replace("-----END PUBLIC KEY-----", "")))));
        jdk.update(message);
        assertThat(jdk.verify(sig.getSignature())).isTrue();
        assertThat(sdk.verify(new VerifyRequest()
                                .setKeyId(rsaKey)
                                .setAlgorithm("RSA_PKCS1_SHA_256")
                                .setMessage(message)
                                .setMessageType("RAW")
                                .setSignature(sig.getSignature()))
                        .getValue())
                .isTrue();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(message);
        assertThat(sdk.verify(new VerifyRequest()
                                .setKeyId(rsaKey)
                                .setAlgorithm("RSA_PKCS1_SHA_256")
                                .setMessage(digest)
                                .setMessageType("DIGEST")
                                .setSignature(sig.getSignature()))
                        .getValue())
                .isTrue();
        assertThat(sdk.verify(new VerifyRequest()
                                .setKeyId(rsaKey)
                                .setAlgorithm("RSA_PKCS1_SHA_256")
                                .setMessage("other".getBytes(StandardCharsets.UTF_8))
                                .setSignature(sig.getSignature()))
                        .getValue())
                .isFalse();
    }

    @Test
    void instanceManagementThroughTheKmsApi() {
        var c = root.client();
        var got = root.call(() -> c.getKmsInstance(new GetKmsInstanceRequest()
                        .setKmsInstanceId(server.server().instanceId())))
                .getBody()
                .getKmsInstance();
        assertThat(got.getInstanceId()).isEqualTo(server.server().instanceId());
        assertThat(got.getCaCertificateChainPem()).startsWith("-----BEGIN CERTIFICATE-----");
        // The instance's own keys: the ones created in it, not the default keys of the shared KMS.
        assertThat(got.getKeyNum())
                .isEqualTo(root.call(() -> c.listKeys(new ListKeysRequest()
                                .setPageSize(1)
                                .setFilters("[{\"Key\":\"DKMSInstanceId\",\"Values\":[\""
                                        + server.server().instanceId() + "\"]}]")))
                        .getBody()
                        .getTotalCount()
                        .longValue())
                .isGreaterThanOrEqualTo(3L);
        org.openkms.conformance.Conformance.expectError(
                "Forbidden.DKMSInstanceNotFound",
                404,
                () -> root.call(() ->
                        c.getKmsInstance(new GetKmsInstanceRequest().setKmsInstanceId("kst-hzz000000000000000000"))));
        org.openkms.conformance.Conformance.expectError(
                "Forbidden.DKMSInstanceNotFound",
                404,
                () -> root.call(() -> c.createKey(new CreateKeyRequest()
                        .setKeySpec("Aliyun_AES_256")
                        .setDKMSInstanceId("kst-hzz000000000000000000"))));
        String inInstance = root.call(() -> c.createKey(new CreateKeyRequest()
                        .setKeySpec("Aliyun_AES_256")
                        .setDKMSInstanceId(server.server().instanceId())))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        assertThat(inInstance).startsWith("key-");
        org.openkms.conformance.Conformance.expectError(
                "Forbidden.DKMSInstanceNotFound",
                404,
                () -> root.call(() -> c.createSecret(new CreateSecretRequest()
                        .setSecretName(unique("s"))
                        .setSecretData("x")
                        .setVersionId("v1")
                        .setDKMSInstanceId("kst-hzz000000000000000000"))));
    }

    // ---- instance scope

    @Test
    void keysAndSecretsOfNoInstanceAreNotHeldByTheInstance() throws Exception {
        // Granted by the policy, but not the instance's: answered as a key or secret the gateway does not have.
        assertThat(code(() ->
                        sdk.encrypt(new EncryptRequest().setKeyId(defaultKey).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.KeyNotFound");
        assertThat(code(() -> sdk.advanceGenerateDataKey(new AdvanceGenerateDataKeyRequest().setKeyId(defaultKey))))
                .isEqualTo("Forbidden.KeyNotFound");
        assertThat(code(() -> sdk.getSecretValue(new GetSecretValueRequest().setSecretName(defaultSecret))))
                .isEqualTo("Forbidden.ResourceNotFound");
        // Nor a key of another instance.
        assertThat(code(() ->
                        sdk.encrypt(new EncryptRequest().setKeyId(foreignKey).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.KeyNotFound");
        // A ciphertext of the default key, made on the shared gateway, does not open on the instance either: the
        // key found through its version is not the instance's.
        var c = root.client();
        var shared = root.call(() -> c.encrypt(new com.aliyun.kms20160120.models.EncryptRequest()
                        .setKeyId(defaultKey)
                        .setPlaintext("aGk=")))
                .getBody();
        String version = shared.getKeyVersionId();
        var enc = sdk.encrypt(new EncryptRequest().setKeyId(symmetricKey).setPlaintext(new byte[] {4, 2}));
        assertThat(code(() -> sdk.decrypt(new DecryptRequest()
                        .setCiphertextBlob(enc.getCiphertextBlob())
                        .setIv(enc.getIv())
                        .setRequestHeaders(Map.of("x-kms-migrationkeyversionid", version)))))
                .isEqualTo("Forbidden.KeyNotFound");
        // The instance's own key and secret still work with the same ClientKey.
        assertThat(sdk.getSecretValue(new GetSecretValueRequest().setSecretName(secretName))
                        .getSecretData())
                .isEqualTo("s3cr3t value");
    }

    @Test
    void instanceKeysAndSecretsAlsoServeTheSharedGateway() {
        var c = root.client();
        String instanceId = server.server().instanceId();
        var enc = root.call(() -> c.encrypt(new com.aliyun.kms20160120.models.EncryptRequest()
                        .setKeyId(symmetricKey)
                        .setPlaintext("aGVsbG8=")))
                .getBody();
        assertThat(root.call(() -> c.decrypt(new com.aliyun.kms20160120.models.DecryptRequest()
                                .setCiphertextBlob(enc.getCiphertextBlob())))
                        .getBody()
                        .getPlaintext())
                .isEqualTo("aGVsbG8=");
        assertThat(root.call(() -> c.getSecretValue(
                                new com.aliyun.kms20160120.models.GetSecretValueRequest().setSecretName(secretName)))
                        .getBody()
                        .getSecretData())
                .isEqualTo("s3cr3t value");

        // DescribeKey and DescribeSecret show the instance; default ones show none.
        assertThat(root.call(() -> c.describeKey(
                                new com.aliyun.kms20160120.models.DescribeKeyRequest().setKeyId(symmetricKey)))
                        .getBody()
                        .getKeyMetadata()
                        .getDKMSInstanceId())
                .isEqualTo(instanceId);
        assertThat(root.call(() -> c.describeKey(
                                new com.aliyun.kms20160120.models.DescribeKeyRequest().setKeyId(defaultKey)))
                        .getBody()
                        .getKeyMetadata()
                        .getDKMSInstanceId())
                .isEmpty();
        assertThat(root.call(() -> c.describeSecret(
                                new com.aliyun.kms20160120.models.DescribeSecretRequest().setSecretName(secretName)))
                        .getBody()
                        .getDKMSInstanceId())
                .isEqualTo(instanceId);
        assertThat(root.call(() -> c.describeSecret(
                                new com.aliyun.kms20160120.models.DescribeSecretRequest().setSecretName(defaultSecret)))
                        .getBody()
                        .getDKMSInstanceId())
                .isEmpty();
        String created = unique("created-in-instance");
        assertThat(root.call(() -> c.createSecret(new CreateSecretRequest()
                                .setSecretName(created)
                                .setSecretData("x")
                                .setVersionId("v1")
                                .setDKMSInstanceId(instanceId)))
                        .getBody()
                        .getDKMSInstanceId())
                .isEqualTo(instanceId);

        // ListKeys and ListSecrets filter on the instance ("" = of no instance).
        String inInstance = "[{\"Key\":\"DKMSInstanceId\",\"Values\":[\"" + instanceId + "\"]}]";
        String ofNone = "[{\"Key\":\"DKMSInstanceId\",\"Values\":[\"\"]}]";
        assertThat(keyIds(inInstance)).contains(symmetricKey, rsaKey).doesNotContain(defaultKey);
        assertThat(keyIds(ofNone)).contains(defaultKey).doesNotContain(symmetricKey, rsaKey);
        assertThat(secretNames(inInstance)).contains(secretName, created).doesNotContain(defaultSecret);
        assertThat(secretNames(ofNone)).contains(defaultSecret).doesNotContain(secretName, created);
    }

    private static java.util.List<String> keyIds(String filters) {
        var c = root.client();
        return root
                .call(() -> c.listKeys(new ListKeysRequest().setPageSize(100).setFilters(filters)))
                .getBody()
                .getKeys()
                .getKey()
                .stream()
                .map(k -> k.getKeyId())
                .toList();
    }

    private static java.util.List<String> secretNames(String filters) {
        var c = root.client();
        return root
                .call(() -> c.listSecrets(new com.aliyun.kms20160120.models.ListSecretsRequest()
                        .setPageSize(100)
                        .setFilters(filters)))
                .getBody()
                .getSecretList()
                .getSecret()
                .stream()
                .map(x -> x.getSecretName())
                .toList();
    }

    // ---- refusals

    @Test
    void keyOutsideThePolicyIsForbidden() {
        assertThat(code(() ->
                        sdk.encrypt(new EncryptRequest().setKeyId(otherKey).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.NoPermission");
        assertThat(code(() -> sdk.getSecretValue(new GetSecretValueRequest().setSecretName("not-granted"))))
                .isEqualTo("Forbidden.NoPermission");
    }

    @Test
    void unknownKeyIsKeyNotFoundOnlyWhenThePolicyCoversIt() {
        // key/<id> grants name keys that exist; a missing key is outside every grant here.
        assertThat(code(() -> sdk.encrypt(new EncryptRequest()
                        .setKeyId("key-hzz000000000000000000")
                        .setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.NoPermission");
    }

    @Test
    void sourceAddressOutsideTheNetworkRuleIsForbidden() throws Exception {
        var c = root.client();
        String rule = unique("net-far");
        root.call(() -> c.createNetworkRule(new CreateNetworkRuleRequest()
                .setName(rule)
                .setType("Private")
                .setSourcePrivateIp("[\"10.0.0.0/8\"]")));
        String policy = unique("pol-far");
        root.call(() -> c.createPolicy(new CreatePolicyRequest()
                .setName(policy)
                .setKmsInstance(server.server().instanceId())
                .setPermissions("[\"RbacPermission/Template/CryptoServiceKeyUser\"]")
                .setResources("[\"key/*\"]")
                .setAccessControlRules("{\"NetworkRules\":[\"" + rule + "\"]}")));
        String aap = unique("aap-far");
        root.call(() -> c.createApplicationAccessPoint(new CreateApplicationAccessPointRequest()
                .setName(aap)
                .setAuthenticationMethod("ClientKey")
                .setPolicies("[\"" + policy + "\"]")));
        var ck = root.call(() -> c.createClientKey(
                        new CreateClientKeyRequest().setAapName(aap).setPassword(PASSWORD)))
                .getBody();
        Client far = client(
                "{\"KeyId\":\"" + ck.getClientKeyId() + "\",\"PrivateKeyData\":\"" + ck.getPrivateKeyData() + "\"}",
                PASSWORD);
        assertThat(code(() ->
                        far.encrypt(new EncryptRequest().setKeyId(symmetricKey).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.NoPermission");
    }

    @Test
    void policyScopedToAnotherInstanceGrantsNothing() throws Exception {
        var c = root.client();
        String policy = unique("pol-other");
        root.call(() -> c.createPolicy(new CreatePolicyRequest()
                .setName(policy)
                .setKmsInstance("kst-hzz000000000000000000")
                .setPermissions("[\"RbacPermission/Template/CryptoServiceKeyUser\"]")
                .setResources("[\"key/*\"]")));
        String aap = unique("aap-other");
        root.call(() -> c.createApplicationAccessPoint(new CreateApplicationAccessPointRequest()
                .setName(aap)
                .setAuthenticationMethod("ClientKey")
                .setPolicies("[\"" + policy + "\"]")));
        var ck = root.call(() -> c.createClientKey(
                        new CreateClientKeyRequest().setAapName(aap).setPassword(PASSWORD)))
                .getBody();
        Client other = client(
                "{\"KeyId\":\"" + ck.getClientKeyId() + "\",\"PrivateKeyData\":\"" + ck.getPrivateKeyData() + "\"}",
                PASSWORD);
        assertThat(code(() -> other.encrypt(
                        new EncryptRequest().setKeyId(symmetricKey).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.NoPermission");
    }

    @Test
    void decryptByTheMigrationKeyVersionHeaderWithoutKeyId() throws Exception {
        // The kms-transfer-client's Decrypt: no KeyId, the key version in x-kms-migrationkeyversionid.
        String version = sdk.advanceEncrypt(
                        new AdvanceEncryptRequest().setKeyId(symmetricKey).setPlaintext(new byte[] {0}))
                .getKeyVersionId();
        var enc = sdk.encrypt(new EncryptRequest().setKeyId(symmetricKey).setPlaintext(new byte[] {4, 2}));
        var dec = sdk.decrypt(new DecryptRequest()
                .setCiphertextBlob(enc.getCiphertextBlob())
                .setIv(enc.getIv())
                .setRequestHeaders(Map.of("x-kms-migrationkeyversionid", version)));
        assertThat(dec.getPlaintext()).containsExactly(4, 2);
        assertThat(dec.getKeyId()).isEqualTo(symmetricKey);
    }

    @Test
    void unknownClientKeyIsUnauthorized() throws Exception {
        String forged = clientKeyJson.replace(clientKeyId, "KAAP.00000000-0000-0000-0000-000000000000");
        Client other = client(forged, PASSWORD);
        assertThat(code(() -> other.generateRandom(new GenerateRandomRequest().setLength(8))))
                .isEqualTo("Unauthorized");
    }

    @Test
    void expiredClientKeyIsUnauthorized() throws Exception {
        var c = root.client();
        String aap = unique("aap-old");
        String policy = unique("pol-old");
        root.call(() -> c.createPolicy(new CreatePolicyRequest()
                .setName(policy)
                .setKmsInstance(server.server().instanceId())
                .setPermissions("[\"RbacPermission/Template/CryptoServiceKeyUser\"]")
                .setResources("[\"key/*\"]")));
        root.call(() -> c.createApplicationAccessPoint(new CreateApplicationAccessPointRequest()
                .setName(aap)
                .setAuthenticationMethod("ClientKey")
                .setPolicies("[\"" + policy + "\"]")));
        var ck = root.call(() -> c.createClientKey(new CreateClientKeyRequest()
                        .setAapName(aap)
                        .setPassword(PASSWORD)
                        .setNotBefore("2020-01-01T00:00:00Z")
                        .setNotAfter("2021-01-01T00:00:00Z")))
                .getBody();
        Client expired = client(
                "{\"KeyId\":\"" + ck.getClientKeyId() + "\",\"PrivateKeyData\":\"" + ck.getPrivateKeyData() + "\"}",
                PASSWORD);
        assertThat(code(() -> expired.encrypt(
                        new EncryptRequest().setKeyId(symmetricKey).setPlaintext(new byte[] {1}))))
                .isEqualTo("Unauthorized");
    }

    @Test
    void wrongPasswordCannotOpenTheClientKey() {
        // The SDK opens the PKCS#12 itself: a wrong password never reaches the server.
        Throwable t = catchThrowable(() -> client(clientKeyJson, "wrong-password"));
        assertThat(t).isNotNull();
        assertThat(t.toString() + (t.getCause() == null ? "" : t.getCause().toString()))
                .containsIgnoringCase("password");
    }

    @Test
    void tamperedBodyStaleDateAndBadSignatureAreRefused() throws Exception {
        byte[] body = new ProtoWire.Writer().int32(1, 16).toByteArray();
        String now =
                DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US).format(ZonedDateTime.now(ZoneOffset.UTC));
        assertThat(raw(body, body, now, true)).containsExactly("200", "");
        assertThat(raw(body, new ProtoWire.Writer().int32(1, 17).toByteArray(), now, true))
                .containsExactly("400", "InvalidParam", "The Param Content-SHA256 is invalid.");
        String stale = DateTimeFormatter.RFC_1123_DATE_TIME
                .withLocale(Locale.US)
                .format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(16));
        assertThat(raw(body, body, stale, true)).containsExactly("400", "InvalidParam", "The Param Date is invalid.");
        assertThat(raw(body, body, now, false))
                .containsExactly("400", "InvalidParam", "The Param Authorization is invalid.");
    }

    @Test
    void hashHmacKmsEncryptAndKmsDecryptWhichNoSdkMethodCalls() throws Exception {
        String now =
                DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US).format(ZonedDateTime.now(ZoneOffset.UTC));
        byte[] hash = new ProtoWire.Writer()
                .bytes(1, "abc".getBytes(StandardCharsets.UTF_8))
                .toByteArray();
        assertThat(raw("Hash", hash, hash, now, true)).containsExactly("200", "");
        assertThat(ProtoWire.decode(lastAnswer).bytes(1))
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256")
                        .digest("abc".getBytes(StandardCharsets.UTF_8)));

        byte[] enc = new ProtoWire.Writer()
                .string(1, symmetricKey)
                .bytes(2, new byte[] {5, 6})
                .bytes(3, new byte[] {1})
                .toByteArray();
        assertThat(raw("KmsEncrypt", enc, enc, now, true)).containsExactly("200", "");
        byte[] blob = ProtoWire.decode(lastAnswer).bytes(2);
        byte[] dec =
                new ProtoWire.Writer().bytes(1, blob).bytes(2, new byte[] {1}).toByteArray();
        assertThat(raw("KmsDecrypt", dec, dec, now, true)).containsExactly("200", "");
        assertThat(ProtoWire.decode(lastAnswer).bytes(2)).containsExactly(5, 6);
        assertThat(ProtoWire.decode(lastAnswer).string(1)).isEqualTo(symmetricKey);

        byte[] hmac = new ProtoWire.Writer()
                .string(1, symmetricKey)
                .bytes(2, new byte[] {1})
                .toByteArray();
        assertThat(raw("Hmac", hmac, hmac, now, true)[1]).isEqualTo("Rejected.UnsupportedOperation");
    }

    @Test
    void unknownApiNameAnswersAProtobufError() throws Exception {
        byte[] body = new byte[0];
        String now =
                DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US).format(ZonedDateTime.now(ZoneOffset.UTC));
        assertThat(raw("CreateKey", body, body, now, true))
                .containsExactly("400", "InvalidApiName", "The ApiName \"CreateKey\" is invalid.");
    }

    /**
     * A GenerateRandom request signed over {@code signedBody} and sending {@code sentBody}; answers {status, code,
     * message} (code and message empty on success).
     */
    private static String[] raw(byte[] signedBody, byte[] sentBody, String date, boolean validSignature)
            throws Exception {
        return raw("GenerateRandom", signedBody, sentBody, date, validSignature);
    }

    private static String[] raw(String apiName, byte[] signedBody, byte[] sentBody, String date, boolean validSignature)
            throws Exception {
        Map<String, String> h = new HashMap<>();
        h.put("content-sha256", InstanceSignature.contentSha256(signedBody));
        h.put("content-type", "application/x-protobuf");
        h.put("date", date);
        h.put("x-kms-apiname", apiName);
        h.put("x-kms-apiversion", "dkms-gcs-0.2");
        h.put("x-kms-signaturemethod", "RSA_PKCS1_SHA_256");
        h.put("x-kms-acccesskeyid", clientKeyId);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(clientPrivateKey);
        s.update(InstanceSignature.stringToSignBytes("POST", h));
        byte[] sig = s.sign();
        if (!validSignature) {
            sig[0] ^= 1;
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(
                "ca",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(
                                server.server().instanceCaPem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        javax.net.ssl.HttpsURLConnection conn = (javax.net.ssl.HttpsURLConnection)
                URI.create("https://127.0.0.1:" + server.server().instancePort() + "/")
                        .toURL()
                        .openConnection();
        conn.setSSLSocketFactory(ssl.getSocketFactory());
        conn.setRequestMethod("POST");
        conn.setDoOutput(true);
        h.forEach(conn::setRequestProperty);
        conn.setRequestProperty("authorization", "Bearer " + Base64.getEncoder().encodeToString(sig));
        conn.getOutputStream().write(sentBody);
        int status = conn.getResponseCode();
        byte[] answer;
        try (var in = status == 200 ? conn.getInputStream() : conn.getErrorStream()) {
            answer = in.readAllBytes();
        }
        lastAnswer = answer;
        if (status == 200) {
            if (apiName.equals("GenerateRandom")) {
                assertThat(ProtoWire.decode(answer).bytes(1)).hasSize(16);
            }
            return new String[] {"200", ""};
        }
        assertThat(conn.getContentType()).isEqualTo("application/x-protobuf");
        ProtoWire.Message e = ProtoWire.decode(answer);
        return new String[] {String.valueOf(status), e.string(2), e.string(3)};
    }
    /** The ErrorCode the SDK raised (TeaException, possibly wrapped by its retry loop). */
    private static String code(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof TeaException te) {
                return te.getCode();
            }
        }
        throw new AssertionError("expected an error from the server, got " + t, t);
    }
}
