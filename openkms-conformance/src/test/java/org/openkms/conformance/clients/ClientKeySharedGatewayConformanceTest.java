package org.openkms.conformance.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.openkms.conformance.Conformance.unique;

import com.aliyun.kms20160120.models.CreateApplicationAccessPointRequest;
import com.aliyun.kms20160120.models.CreateClientKeyRequest;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.CreatePolicyRequest;
import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyuncs.kms.secretsmanager.client.SecretCacheClient;
import com.aliyuncs.kms.secretsmanager.client.SecretCacheClientBuilder;
import com.aliyuncs.kms.secretsmanager.client.service.BaseSecretManagerClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.RawRpc;
import org.openkms.conformance.V2Api;
import org.openkms.conformance.instance.AccessPointFixture;

/**
 * {@code client_key} credentials on the shared gateway: the Secrets Manager client 1.3.7 signs GetSecretValue
 * (RPC) with the ClientKey's RSA private key ({@code SignatureType=PRIVATEKEY}, {@code SignatureMethod=SHA256withRSA},
 * {@code AccessKeyId=KAAP.…}); the server checks it with the ClientKey's certificate and authorises the call by the
 * access point's policies. The refusals are hand-signed requests.
 */
class ClientKeySharedGatewayConformanceTest {
    private static final String PASSWORD = "Sh4red-gw-pw";

    @TempDir
    static Path dir;

    static ConformanceServer server;
    static V2Api root;
    static String granted;
    static String notGranted;
    static String clientKeyId;
    static PrivateKey privateKey;
    static Path clientKeyFile;
    static Path passwordFile;
    static SecretCacheClient client;
    static RawRpc raw;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(ConformanceServer.config(dir.resolve("data")));
        root = server.v2();
        raw = new RawRpc(server.httpPort());
        var c = root.client();
        // The secret is encrypted under a customer key that the policy does not name: as on the instance gateway,
        // the access point's grant of the secret is enough.
        String key = root.call(() -> c.createKey(new CreateKeyRequest()))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        granted = unique("ck-granted");
        root.call(() -> c.createSecret(new CreateSecretRequest()
                .setSecretName(granted)
                .setSecretData("{\"user\":\"app\",\"password\":\"s3cr3t\"}")
                .setVersionId("v1")
                .setEncryptionKeyId(key)));
        notGranted = unique("ck-other");
        root.call(() -> c.createSecret(new CreateSecretRequest()
                .setSecretName(notGranted)
                .setSecretData("x")
                .setVersionId("v1")));

        var ck = AccessPointFixture.issue(
                root,
                server.server().instanceId(),
                List.of(AccessPointFixture.SECRET_USER),
                List.of("secret/" + granted),
                PASSWORD);
        clientKeyId = ck.clientKeyId();
        privateKey = privateKey(ck.privateKeyData());
        // The two files the console hands out: clientKey_<id>.json and its password.
        clientKeyFile = dir.resolve("clientKey_" + clientKeyId + ".json");
        Files.writeString(
                clientKeyFile,
                "{\"KeyId\":\"" + clientKeyId + "\",\"PrivateKeyData\":\"" + ck.privateKeyData() + "\"}");
        passwordFile = dir.resolve("clientKey_" + clientKeyId + "_Password.txt");
        Files.writeString(passwordFile, PASSWORD + "\n");

        Path properties = dir.resolve("secretsmanager.properties");
        Files.writeString(
                properties,
                "credentials_type=client_key\n"
                        + "client_key_private_key_path=" + clientKeyFile + "\n"
                        + "client_key_password_from_file_path=" + passwordFile + "\n"
                        + "cache_client_region_id=[{\"regionId\":\"" + ConformanceServer.REGION
                        + "\",\"endpoint\":\"127.0.0.1:" + server.httpsPort() + "\"}]\n");
        // See SecretsManagerClientConformanceTest: the JVM's one V1 HTTP client must trust the harness's servers.
        server.v1(true).listKeys(null, null, null);
        client = SecretCacheClientBuilder.newCacheClientBuilder(BaseSecretManagerClientBuilder.standard()
                        .withCustomConfigFile(properties.toString())
                        .build())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        // The clients are not closed: SecretCacheClient.close() shuts down its DefaultAcsClient, and with it the one
        // HTTP client aliyun-java-sdk-core keeps for the whole JVM, which every later V1 test would then find closed.
        if (server != null) {
            server.close();
        }
    }

    static PrivateKey privateKey(String pkcs12Base64) throws Exception {
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(new ByteArrayInputStream(Base64.getDecoder().decode(pkcs12Base64)), PASSWORD.toCharArray());
        return (PrivateKey) p12.getKey(p12.aliases().nextElement(), PASSWORD.toCharArray());
    }

    @Test
    void secretsManagerClientReadsTheGrantedSecret() throws Exception {
        var info = client.getSecretInfo(granted);
        assertThat(info.getSecretValue()).isEqualTo("{\"user\":\"app\",\"password\":\"s3cr3t\"}");
        assertThat(info.getVersionId()).isEqualTo("v1");
        assertThat(info.getSecretDataType()).isEqualTo("text");
        assertThat(client.refreshNow(granted)).isTrue();
    }

    @Test
    void secretOutsideThePolicyIsForbidden() {
        Throwable t = catchThrowable(() -> client.getSecretInfo(notGranted));
        assertThat(SecretsManagerClientConformanceTest.chain(t)).contains("Forbidden.NoPermission");
        assertThat(code(send(params("GetSecretValue", notGranted), privateKey, null)))
                .isEqualTo("403 Forbidden.NoPermission");
    }

    @Test
    void handSignedRequestIsAcceptedAndAudited() throws Exception {
        var r = send(params("GetSecretValue", granted), privateKey, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(RawRpc.json(r).path("SecretData").asText()).contains("s3cr3t");
        Path log = server.dataDir().resolve("audit").resolve("audit.log");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.readAllLines(log))
                        .anyMatch(l -> l.contains(clientKeyId) && l.contains("\"GetSecretValue\"")));
    }

    @Test
    void badSignatureIsSignatureDoesNotMatch() {
        Map<String, String> p = params("GetSecretValue", granted);
        String query = signedQuery(p, privateKey);
        String sig = query.substring(query.indexOf("&Signature=") + 11);
        String broken =
                query.replace(sig, RawRpc.pe(flipFirstByte(java.net.URLDecoder.decode(sig, StandardCharsets.UTF_8))));
        assertThat(code(raw.post(broken))).isEqualTo("400 SignatureDoesNotMatch");
    }

    @Test
    void tamperedParameterIsSignatureDoesNotMatch() {
        Map<String, String> p = params("GetSecretValue", granted);
        String query = signedQuery(p, privateKey);
        String tampered = query.replace("SecretName=" + RawRpc.pe(granted), "SecretName=" + RawRpc.pe(notGranted));
        assertThat(tampered).isNotEqualTo(query);
        assertThat(code(raw.post(tampered))).isEqualTo("400 SignatureDoesNotMatch");
        // An added parameter is not signed either.
        assertThat(code(raw.post(query + "&VersionStage=ACSPrevious"))).isEqualTo("400 SignatureDoesNotMatch");
    }

    @Test
    void signatureByAnotherKeyIsSignatureDoesNotMatch() throws Exception {
        var kpg = java.security.KeyPairGenerator.getInstance("RSA");
        kpg.initialize(2048);
        assertThat(code(send(
                        params("GetSecretValue", granted), kpg.generateKeyPair().getPrivate(), null)))
                .isEqualTo("400 SignatureDoesNotMatch");
    }

    @Test
    void unknownClientKeyIsInvalidAccessKeyIdNotFound() {
        Map<String, String> p = params("GetSecretValue", granted);
        p.put("AccessKeyId", "KAAP.00000000-0000-0000-0000-000000000000");
        assertThat(code(send(p, privateKey, null))).isEqualTo("404 InvalidAccessKeyId.NotFound");
    }

    @Test
    void expiredClientKeyIsRefused() throws Exception {
        var c = root.client();
        String aap = unique("aap-old");
        String policy = unique("pol-old");
        root.call(() -> c.createPolicy(new CreatePolicyRequest()
                .setName(policy)
                .setKmsInstance(server.server().instanceId())
                .setPermissions("[\"RbacPermission/Template/CryptoServiceSecretUser\"]")
                .setResources("[\"secret/*\"]")));
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
        Map<String, String> p = params("GetSecretValue", granted);
        p.put("AccessKeyId", ck.getClientKeyId());
        assertThat(code(send(p, privateKey(ck.getPrivateKeyData()), null))).isEqualTo("403 Forbidden.AccessKey");
    }

    @Test
    void onlyGetSecretValueMayBeSignedWithAClientKey() {
        Map<String, String> p = params("ListSecrets", null);
        assertThat(code(send(p, privateKey, null))).isEqualTo("403 Forbidden.NoPermission");
    }

    @Test
    void clientKeySignatureNeedsSha256WithRsaAndNoToken() {
        Map<String, String> p = params("GetSecretValue", granted);
        p.put("SignatureMethod", "HMAC-SHA1");
        assertThat(code(send(p, privateKey, null))).isEqualTo("400 IncompleteSignature");
        Map<String, String> t = params("GetSecretValue", granted);
        t.put("SecurityToken", "CAIStoken");
        assertThat(code(send(t, privateKey, null))).isEqualTo("400 IncompleteSignature");
    }

    @Test
    void replayedNonceIsRefused() {
        String query = signedQuery(params("GetSecretValue", granted), privateKey);
        assertThat(raw.post(query).statusCode()).isEqualTo(200);
        assertThat(code(raw.post(query))).isEqualTo("400 SignatureNonceUsed");
    }

    // ---- hand-signed requests, as aliyun-java-sdk-core signs with KeyPairCredentials

    static Map<String, String> params(String action, String secretName) {
        Map<String, String> p = new TreeMap<>(RawRpc.params(action));
        p.put("AccessKeyId", clientKeyId);
        p.put("SignatureMethod", "SHA256withRSA");
        p.put("SignatureType", "PRIVATEKEY");
        if (secretName != null) {
            p.put("SecretName", secretName);
        }
        return p;
    }

    static String signedQuery(Map<String, String> params, PrivateKey key) {
        StringJoiner canonical = new StringJoiner("&");
        new TreeMap<>(params).forEach((k, v) -> canonical.add(RawRpc.pe(k) + "=" + RawRpc.pe(v)));
        String stringToSign = "POST&" + RawRpc.pe("/") + "&" + RawRpc.pe(canonical.toString());
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(stringToSign.getBytes(StandardCharsets.UTF_8));
            return canonical + "&Signature=" + RawRpc.pe(Base64.getEncoder().encodeToString(s.sign()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> send(Map<String, String> params, PrivateKey key, String extra) {
        return raw.post(signedQuery(params, key) + (extra == null ? "" : extra));
    }

    static String flipFirstByte(String base64) {
        byte[] b = Base64.getDecoder().decode(base64);
        b[0] ^= 1;
        return Base64.getEncoder().encodeToString(b);
    }

    static String code(HttpResponse<String> r) {
        JsonNode body = RawRpc.json(r);
        return r.statusCode() + " " + body.path("Code").asText();
    }
}
