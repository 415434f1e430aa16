package org.openkms.server.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
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
 * Authorisation is decided on the resources the action really acts on, whatever other parameters the caller adds
 * (regressions for the bypasses an outside probe found: an extra KeyId on secret calls and ExportDataKey, the
 * SourceKeyId of ReEncrypt, ProtectedResourceArn, TagResources, BatchGetSecretValue).
 */
class ResourceResolutionHttpTest {
    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SignedClient root;
    static SignedClient onlyKa;
    static SignedClient allButKb;
    static String ka;
    static String kb;
    static String rsa;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIrootres", "root-secret"));
        String base = "http://127.0.0.1:" + server.httpPort();
        root = new SignedClient(base, "LTAIrootres", "root-secret");
        ka = keyId(root.call("CreateKey", Map.of()));
        kb = keyId(root.call("CreateKey", Map.of()));
        rsa = keyId(root.call("CreateKey", Map.of("KeySpec", "RSA_2048", "KeyUsage", "ENCRYPT/DECRYPT")));
        assertThat(root.call(
                                "CreateSecret",
                                Map.of(
                                        "SecretName",
                                        "prod-db",
                                        "SecretData",
                                        "s3cret",
                                        "VersionId",
                                        "v1",
                                        "EncryptionKeyId",
                                        kb))
                        .status())
                .isEqualTo(200);
        onlyKa = user(
                base,
                "alice",
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:*\"],"
                        + "\"Resource\":[\"acs:kms:*:*:key/" + ka + "\"]}]}");
        allButKb = user(
                base,
                "bob",
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:*\"],\"Resource\":[\"*\"]},"
                        + "{\"Effect\":\"Deny\",\"Action\":[\"kms:*\"],\"Resource\":[\"acs:kms:*:*:key/" + kb
                        + "\",\"acs:kms:*:*:key/" + rsa
                        + "\",\"acs:kms:*:*:secret/prod-*\"]}]}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String keyId(SignedClient.Reply r) {
        return r.body().path("KeyMetadata").path("KeyId").asText();
    }

    private static SignedClient user(String base, String name, String policy) throws Exception {
        ram("CreateUser", Map.of("UserName", name));
        ram("CreatePolicy", Map.of("PolicyName", name + "-policy", "PolicyDocument", policy));
        ram("AttachPolicyToUser", Map.of("PolicyType", "Custom", "PolicyName", name + "-policy", "UserName", name));
        JsonNode ak = ram("CreateAccessKey", Map.of("UserName", name)).path("AccessKey");
        return new SignedClient(
                base,
                ak.path("AccessKeyId").asText(),
                ak.path("AccessKeySecret").asText());
    }

    private static JsonNode ram(String action, Map<String, String> params) throws Exception {
        Map<String, String> all = new HashMap<>(params);
        all.put("Version", "2015-05-01");
        SignedClient.Reply r = root.call(action, all);
        assertThat(r.status()).as(action + ": " + r.raw()).isEqualTo(200);
        return r.body();
    }

    private static void denied(SignedClient.Reply r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("Forbidden.NoPermission");
    }

    @Test
    void anExtraKeyIdDoesNotAuthoriseSecretCalls() throws Exception {
        denied(onlyKa.call("GetSecretValue", Map.of("SecretName", "prod-db")));
        denied(onlyKa.call("GetSecretValue", Map.of("SecretName", "prod-db", "KeyId", ka)));
        denied(onlyKa.call("DescribeSecret", Map.of("SecretName", "prod-db", "KeyId", ka)));
        denied(onlyKa.call(
                "PutSecretValue", Map.of("SecretName", "prod-db", "KeyId", ka, "SecretData", "x", "VersionId", "v9")));
        denied(onlyKa.call("DeleteSecret", Map.of("SecretName", "prod-db", "KeyId", ka)));
        denied(onlyKa.call("SetSecretPolicy", Map.of("SecretName", "prod-db", "KeyId", ka, "Policy", "{}")));
        denied(onlyKa.call(
                "CreateSecret",
                Map.of(
                        "SecretName",
                        "mine",
                        "KeyId",
                        ka,
                        "SecretData",
                        "x",
                        "VersionId",
                        "v1",
                        "EncryptionKeyId",
                        kb)));
        assertThat(root.call("GetSecretValue", Map.of("SecretName", "prod-db"))
                        .body()
                        .path("SecretData")
                        .asText())
                .isEqualTo("s3cret");
        // What alice may do still works.
        assertThat(onlyKa.call("Encrypt", Map.of("KeyId", ka, "Plaintext", "aGk="))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void exportDataKeyIsAuthorisedOnTheKeyInsideTheBlob() throws Exception {
        String blob = root.call("GenerateDataKeyWithoutPlaintext", Map.of("KeyId", kb))
                .body()
                .path("CiphertextBlob")
                .asText();
        String pub = java.util.Base64.getEncoder()
                .encodeToString(java.security.KeyPairGenerator.getInstance("RSA")
                        .generateKeyPair()
                        .getPublic()
                        .getEncoded());
        Map<String, String> export = Map.of(
                "CiphertextBlob",
                blob,
                "PublicKeyBlob",
                pub,
                "WrappingKeySpec",
                "RSA_2048",
                "WrappingAlgorithm",
                "RSAES_OAEP_SHA_256");
        denied(onlyKa.call("ExportDataKey", export));
        Map<String, String> withKa = new HashMap<>(export);
        withKa.put("KeyId", ka);
        denied(onlyKa.call("ExportDataKey", withKa));
        denied(allButKb.call("ExportDataKey", export));
    }

    @Test
    void explicitDenyHoldsOnEveryWayToNameTheKey() throws Exception {
        denied(allButKb.call(
                "SetDeletionProtection",
                Map.of(
                        "ProtectedResourceArn",
                        "acs:kms:cn-hangzhou:1234567890123456:key/" + kb,
                        "EnableDeletionProtection",
                        "false")));
        denied(allButKb.call(
                "TagResources",
                Map.of(
                        "RegionId",
                        "cn-hangzhou",
                        "ResourceType",
                        "key",
                        "ResourceId.1",
                        kb,
                        "Tag.1.Key",
                        "k",
                        "Tag.1.Value",
                        "v")));
        denied(allButKb.call("TagResource", Map.of("KeyId", kb, "Tags", "[{\"TagKey\":\"k\",\"TagValue\":\"v\"}]")));
        denied(allButKb.call("BatchGetSecretValue", Map.of("SecretsList", "[{\"SecretName\":\"prod-db\"}]")));
        // ReEncrypt from public-key ciphertext names its source key: that key is authorised (kms:ReEncryptFrom).
        String keyVersion = root.call("ListKeyVersions", Map.of("KeyId", rsa))
                .body()
                .path("KeyVersions")
                .path("KeyVersion")
                .get(0)
                .path("KeyVersionId")
                .asText();
        String ct = root.call(
                        "AsymmetricEncrypt",
                        Map.of(
                                "KeyId",
                                rsa,
                                "KeyVersionId",
                                keyVersion,
                                "Algorithm",
                                "RSAES_OAEP_SHA_256",
                                "Plaintext",
                                "aGk="))
                .body()
                .path("CiphertextBlob")
                .asText();
        String open = keyId(root.call("CreateKey", Map.of()));
        denied(allButKb.call(
                "ReEncrypt",
                Map.of(
                        "CiphertextBlob",
                        ct,
                        "SourceKeyId",
                        rsa,
                        "SourceKeyVersionId",
                        keyVersion,
                        "SourceEncryptionAlgorithm",
                        "RSAES_OAEP_SHA_256",
                        "DestinationKeyId",
                        open)));
        // The same calls on resources bob may use succeed.
        assertThat(allButKb.call(
                                "TagResource", Map.of("KeyId", open, "Tags", "[{\"TagKey\":\"k\",\"TagValue\":\"v\"}]"))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void ramCallsAreAuthorisedOnWhatTheyActOn() throws Exception {
        String base = "http://127.0.0.1:" + server.httpPort();
        SignedClient carol = user(
                base,
                "carol",
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"ram:*\"],"
                        + "\"Resource\":[\"acs:ram:*:*:user/carol\"]}]}");
        // Attaching a policy needs the policy too: managing herself does not let carol grant herself KMS.
        denied(
                ramAs(
                        carol,
                        "AttachPolicyToUser",
                        Map.of("PolicyType", "System", "PolicyName", "AliyunKMSFullAccess", "UserName", "carol")),
                "NoPermission");
        // An added UserName does not authorise an action on something else.
        denied(
                ramAs(
                        carol,
                        "CreatePolicy",
                        Map.of(
                                "PolicyName",
                                "sneaky",
                                "UserName",
                                "carol",
                                "PolicyDocument",
                                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:*\"],\"Resource\":[\"*\"]}]}")),
                "NoPermission");
        assertThat(ramAs(carol, "GetUser", Map.of("UserName", "carol")).status())
                .isEqualTo(200);
    }

    private static SignedClient.Reply ramAs(SignedClient who, String action, Map<String, String> params)
            throws Exception {
        Map<String, String> all = new HashMap<>(params);
        all.put("Version", "2015-05-01");
        return who.call(action, all);
    }

    private static void denied(SignedClient.Reply r, String code) {
        assertThat(r.status()).as(r.raw()).isEqualTo(403);
        assertThat(r.code()).isEqualTo(code);
    }
}
