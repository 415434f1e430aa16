package org.openkms.server.asymmetric;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;

/**
 * The new operations over HTTP: response shapes (JSON types included), DryRun, and every kind of bad input
 * getting its API error code and status — never a 500.
 */
class AsymmetricHttpTest {
    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SignedClient client;
    static String[] rsaSign;
    static String[] rsaEncrypt;
    static String hmac;
    static String aes;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIasym", "asym-secret"));
        client = new SignedClient("http://127.0.0.1:" + server.httpPort(), "LTAIasym", "asym-secret");
        rsaSign = create("RSA_2048", "SIGN/VERIFY");
        rsaEncrypt = create("RSA_2048", "ENCRYPT/DECRYPT");
        hmac = create("HMAC_SHA_256", null)[0];
        aes = create("Aliyun_AES_256", null)[0];
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String[] create(String spec, String usage) throws Exception {
        Map<String, String> p = new HashMap<>(Map.of("KeySpec", spec));
        if (usage != null) {
            p.put("KeyUsage", usage);
        }
        SignedClient.Reply r = client.call("CreateKey", p);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode m = r.body().path("KeyMetadata");
        return new String[] {
            m.path("KeyId").asText(), m.path("PrimaryKeyVersion").asText()
        };
    }

    private static String digest() throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest("m".getBytes()));
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    private static void expect(String action, Map<String, String> params, int status, String code) throws Exception {
        SignedClient.Reply r = client.call(action, params);
        assertThat(r.status()).as(action + " " + params + " → " + r.raw()).isEqualTo(status);
        assertThat(r.code()).as(action + " " + params).isEqualTo(code);
    }

    @Test
    void signVerifyAndMacAnswerWithTheApiShapes() throws Exception {
        Map<String, String> sign = Map.of(
                "KeyId", rsaSign[0], "KeyVersionId", rsaSign[1], "Algorithm", "RSA_PSS_SHA_256", "Digest", digest());
        SignedClient.Reply s = client.call("AsymmetricSign", sign);
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.body().path("KeyId").asText()).isEqualTo(rsaSign[0]);
        assertThat(s.body().path("KeyVersionId").asText()).isEqualTo(rsaSign[1]);
        SignedClient.Reply v = client.call(
                "AsymmetricVerify", with(sign, "Value", s.body().path("Value").asText()));
        assertThat(v.body().path("Value").isBoolean()).isTrue();
        assertThat(v.body().path("Value").asBoolean()).isTrue();
        SignedClient.Reply bad = client.call("AsymmetricVerify", with(sign, "Value", "AAAA"));
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.body().path("Value").asBoolean()).isFalse();

        SignedClient.Reply mac = client.call(
                "GenerateMac", Map.of("KeyId", hmac, "Algorithm", "HMAC_SHA_256", "Message", "bWVzc2FnZQ=="));
        assertThat(mac.status()).as(mac.raw()).isEqualTo(200);
        assertThat(mac.body().path("Algorithm").asText()).isEqualTo("HMAC_SHA_256");
        SignedClient.Reply vm = client.call(
                "VerifyMac",
                Map.of(
                        "KeyId",
                        hmac,
                        "Algorithm",
                        "HMAC_SHA_256",
                        "Message",
                        "bWVzc2FnZQ==",
                        "Mac",
                        mac.body().path("Mac").asText()));
        assertThat(vm.body().path("Value").isBoolean()).isTrue();
        assertThat(vm.body().path("Value").asBoolean()).isTrue();
        SignedClient.Reply pk = client.call("GetPublicKey", Map.of("KeyId", rsaSign[0], "KeyVersionId", rsaSign[1]));
        assertThat(pk.body().path("PublicKey").asText()).startsWith("-----BEGIN PUBLIC KEY-----\nMIIBIjAN");
    }

    @Test
    void dryRunChecksEverythingAndPerformsNothing() throws Exception {
        expect(
                "AsymmetricSign",
                Map.of(
                        "KeyId",
                        rsaSign[0],
                        "KeyVersionId",
                        rsaSign[1],
                        "Algorithm",
                        "RSA_PKCS1_SHA_256",
                        "Digest",
                        digest(),
                        "DryRun",
                        "true"),
                400,
                "DryRunOperationError");
        expect(
                "AsymmetricSign",
                Map.of(
                        "KeyId",
                        rsaSign[0],
                        "KeyVersionId",
                        rsaSign[1],
                        "Algorithm",
                        "RSA_PKCS1_SHA_256",
                        "Digest",
                        "AAAA",
                        "DryRun",
                        "true"),
                400,
                "ValidationError");
        expect(
                "AsymmetricEncrypt",
                Map.of(
                        "KeyId",
                        rsaEncrypt[0],
                        "KeyVersionId",
                        rsaEncrypt[1],
                        "Algorithm",
                        "RSAES_OAEP_SHA_256",
                        "Plaintext",
                        "aGk=",
                        "DryRun",
                        "true"),
                400,
                "DryRunOperationError");
        expect(
                "GenerateMac",
                Map.of("KeyId", hmac, "Algorithm", "HMAC_SHA_256", "Message", "aGk=", "DryRun", "true"),
                400,
                "DryRunOperationError");
        expect(
                "GetPublicKey",
                Map.of("KeyId", rsaSign[0], "KeyVersionId", rsaSign[1], "DryRun", "true"),
                400,
                "DryRunOperationError");
    }

    @Test
    void badInputsGetOfficialErrorCodes() throws Exception {
        Map<String, String> sign = Map.of(
                "KeyId", rsaSign[0], "KeyVersionId", rsaSign[1], "Algorithm", "RSA_PKCS1_SHA_256", "Digest", digest());
        // wrong usage for the key
        expect(
                "AsymmetricSign",
                with(sign, "KeyId", rsaEncrypt[0], "KeyVersionId", rsaEncrypt[1]),
                400,
                "Rejected.UnsupportedOperation");
        expect("AsymmetricSign", with(sign, "KeyId", aes), 400, "Rejected.UnsupportedOperation");
        expect("Encrypt", Map.of("KeyId", rsaEncrypt[0], "Plaintext", "aGk="), 400, "Rejected.UnsupportedOperation");
        expect(
                "GenerateMac",
                Map.of("KeyId", aes, "Algorithm", "HMAC_SHA_256", "Message", "aGk="),
                400,
                "Rejected.UnsupportedOperation");
        // unknown or mismatched algorithm
        expect("AsymmetricSign", with(sign, "Algorithm", "RSA_PSS_SHA_512"), 400, "InvalidParameter");
        expect("AsymmetricSign", with(sign, "Algorithm", "ECDSA_SHA_256"), 400, "InvalidParameter");
        expect(
                "AsymmetricEncrypt",
                Map.of(
                        "KeyId",
                        rsaEncrypt[0],
                        "KeyVersionId",
                        rsaEncrypt[1],
                        "Algorithm",
                        "RSAES_PKCS1_V1_5",
                        "Plaintext",
                        "aGk="),
                400,
                "InvalidParameter");
        expect(
                "GenerateMac",
                Map.of("KeyId", hmac, "Algorithm", "HMAC_SM3", "Message", "aGk="),
                400,
                "InvalidParameter");
        // malformed digest length, missing and bad parameters
        expect(
                "AsymmetricSign",
                with(sign, "Digest", Base64.getEncoder().encodeToString(new byte[31])),
                400,
                "InvalidParameter");
        expect("AsymmetricSign", with(sign, "Digest", "not base64!"), 400, "InvalidParameter");
        expect("AsymmetricSign", with(sign, "KeyVersionId", null), 400, "MissingParameter");
        expect("AsymmetricSign", with(sign, "Algorithm", null), 400, "MissingParameter");
        expect(
                "AsymmetricSign",
                with(sign, "KeyVersionId", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
                404,
                "Forbidden.KeyVersionNotFound");
        expect("AsymmetricSign", with(sign, "KeyId", "key-hzzmissing"), 404, "Forbidden.KeyNotFound");
        expect("AsymmetricSign", with(sign, "KeyId", "alias/missing"), 404, "Forbidden.AliasNotFound");
        // oversize plaintext, garbage ciphertext
        expect(
                "AsymmetricEncrypt",
                Map.of(
                        "KeyId",
                        rsaEncrypt[0],
                        "KeyVersionId",
                        rsaEncrypt[1],
                        "Algorithm",
                        "RSAES_OAEP_SHA_256",
                        "Plaintext",
                        Base64.getEncoder().encodeToString(new byte[191])),
                400,
                "InvalidParameter");
        expect(
                "AsymmetricDecrypt",
                Map.of(
                        "KeyId",
                        rsaEncrypt[0],
                        "KeyVersionId",
                        rsaEncrypt[1],
                        "Algorithm",
                        "RSAES_OAEP_SHA_256",
                        "CiphertextBlob",
                        "AAAA"),
                400,
                "InvalidParameter");
        // BYOK
        String external = client.call("CreateKey", Map.of("Origin", "EXTERNAL"))
                .body()
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
        expect(
                "GetParametersForImport",
                Map.of("KeyId", aes, "WrappingAlgorithm", "RSAES_OAEP_SHA_256", "WrappingKeySpec", "RSA_2048"),
                400,
                "Unsupported.Origin");
        expect(
                "GetParametersForImport",
                Map.of("KeyId", external, "WrappingAlgorithm", "RSAES_OAEP_SHA_512", "WrappingKeySpec", "RSA_2048"),
                400,
                "InvalidParameter");
        expect(
                "GetParametersForImport",
                Map.of("KeyId", external, "WrappingAlgorithm", "RSAES_OAEP_SHA_256", "WrappingKeySpec", "RSA_4096"),
                400,
                "InvalidParameter");
        JsonNode p = client.call(
                        "GetParametersForImport",
                        Map.of(
                                "KeyId",
                                external,
                                "WrappingAlgorithm",
                                "RSAES_OAEP_SHA_256",
                                "WrappingKeySpec",
                                "RSA_2048"))
                .body();
        assertThat(p.path("TokenExpireTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        expect(
                "ImportKeyMaterial",
                Map.of(
                        "KeyId",
                        external,
                        "ImportToken",
                        p.path("ImportToken").asText(),
                        "EncryptedKeyMaterial",
                        Base64.getEncoder().encodeToString(new byte[256])),
                400,
                "InvalidKeyMaterial");
        expect(
                "ImportKeyMaterial",
                Map.of("KeyId", external, "ImportToken", "AAAA", "EncryptedKeyMaterial", "AAAA"),
                400,
                "InvalidImportToken");
        expect(
                "ImportKeyMaterial",
                Map.of("KeyId", aes, "ImportToken", "AAAA", "EncryptedKeyMaterial", "AAAA"),
                400,
                "Unsupported.Origin");
        expect("DeleteKeyMaterial", Map.of("KeyId", aes), 400, "Unsupported.Origin");
        expect("Encrypt", Map.of("KeyId", external, "Plaintext", "aGk="), 409, "Rejected.PendingImport");
        // export
        expect(
                "GenerateAndExportDataKey",
                Map.of(
                        "KeyId",
                        aes,
                        "PublicKeyBlob",
                        "AAAA",
                        "WrappingAlgorithm",
                        "RSAES_OAEP_SHA_256",
                        "WrappingKeySpec",
                        "RSA_2048"),
                400,
                "InvalidParameter");
        expect(
                "ReEncrypt",
                Map.of(
                        "CiphertextBlob",
                        "AAAA",
                        "DestinationKeyId",
                        aes,
                        "SourceEncryptionAlgorithm",
                        "RSAES_OAEP_SHA_256",
                        "SourceKeyId",
                        rsaEncrypt[0]),
                400,
                "MissingParameter");
        // key creation
        expect("CreateKey", Map.of("KeySpec", "RSA_4096"), 400, "InvalidParameter");
        expect("CreateKey", Map.of("KeySpec", "EC_P256", "KeyUsage", "ENCRYPT/DECRYPT"), 400, "InvalidParameter");
        expect(
                "CreateKey",
                Map.of("KeySpec", "RSA_2048", "EnableAutomaticRotation", "true", "RotationInterval", "30d"),
                400,
                "Rejected.UnsupportedOperation");
    }
}
