package org.openkms.conformance.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.randomBytes;
import static org.openkms.conformance.Conformance.unique;
import static org.openkms.conformance.iam.IamClients.call;

import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.GetKeyPolicyRequest;
import com.aliyun.kms20160120.models.GetSecretPolicyRequest;
import com.aliyun.kms20160120.models.GetSecretValueRequest;
import com.aliyun.kms20160120.models.SetKeyPolicyRequest;
import com.aliyun.kms20160120.models.SetSecretPolicyRequest;
import com.aliyun.ram20150501.models.AttachPolicyToUserRequest;
import com.aliyun.ram20150501.models.CreateAccessKeyRequest;
import com.aliyun.ram20150501.models.CreatePolicyRequest;
import com.aliyun.ram20150501.models.CreateUserRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.KmsApi.CreateKey;
import org.openkms.conformance.SharedServer;
import org.openkms.conformance.V2Api;

/**
 * Key and secret policies combined with identity policies
 * (https://www.alibabacloud.com/help/ja/kms/key-management-service/security-and-compliance/overview-of-key-policies): a
 * key policy naming a user grants without any RAM policy, a Deny in it beats the user's AliyunKMSFullAccess, and the
 * default policy (account-wide principal) delegates to RAM.
 */
@ExtendWith(SharedServer.class)
class ResourcePolicyConformanceTest {
    private final ConformanceServer server;
    private final V2Api root;
    private final com.aliyun.ram20150501.Client ram;

    ResourcePolicyConformanceTest(ConformanceServer server) {
        this.server = server;
        this.root = server.v2();
        this.ram = IamClients.rootRam(server);
    }

    private String[] user(String systemPolicy) {
        String name = unique("kp");
        call("ram", () -> ram.createUser(new CreateUserRequest().setUserName(name)));
        if (systemPolicy != null) {
            call(
                    "ram",
                    () -> ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                            .setUserName(name)
                            .setPolicyType("System")
                            .setPolicyName(systemPolicy)));
        }
        var k = call("ram", () -> ram.createAccessKey(new CreateAccessKeyRequest().setUserName(name)))
                .getBody()
                .getAccessKey();
        return new String[] {k.getAccessKeyId(), k.getAccessKeySecret(), name};
    }

    private static String userArn(String name) {
        return "acs:ram::" + ConformanceServer.ACCOUNT_ID + ":user/" + name;
    }

    private static String policy(String effect, String principal, String actions) {
        return "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Principal\":{\"RAM\":[\"" + principal
                + "\"]},\"Action\":[" + actions + "],\"Resource\":[\"*\"]}]}";
    }

    /** An allowed Encrypt: answered for that key, and the ciphertext opens (as root) to what was sent. */
    private void encrypts(V2Api k, String keyId) {
        String plaintext = b64(randomBytes(8));
        var e = k.encrypt(keyId, plaintext);
        assertThat(e.keyId()).isEqualTo(keyId);
        assertThat(root.decrypt(e.ciphertextBlob()).plaintext()).isEqualTo(plaintext);
    }

    private void setKeyPolicy(String keyId, String doc) {
        root.call(() -> root.client()
                .setKeyPolicy(new SetKeyPolicyRequest()
                        .setKeyId(keyId)
                        .setPolicyName("default")
                        .setPolicy(doc)));
    }

    @Test
    void keyPolicyGrantsAndDeniesAlongsideIdentityPolicies() {
        String key = root.createKey(new CreateKey()).keyId();
        String other = root.createKey(new CreateKey()).keyId();
        String defaultDoc = root.call(() -> root.client()
                        .getKeyPolicy(new GetKeyPolicyRequest().setKeyId(key).setPolicyName("default")))
                .getBody()
                .getPolicy();
        assertThat(defaultDoc)
                .contains("kms default key policy")
                .contains("acs:ram::" + ConformanceServer.ACCOUNT_ID + ":*");

        String[] plain = user(null);
        var plainKms = V2Api.create(server.httpPort(), null, V2Api.Signing.ACS3, plain[0], plain[1]);
        expectError("Forbidden.NoPermission", 403, () -> plainKms.encrypt(key, b64(randomBytes(8))));
        // The default policy (account-wide principal) delegates to RAM: it grants nothing by itself.
        setKeyPolicy(key, defaultDoc);
        expectError("Forbidden.NoPermission", 403, () -> plainKms.encrypt(key, b64(randomBytes(8))));
        // Naming the user grants without any RAM policy, for that key only.
        String grant = policy("Allow", userArn(plain[2]), "\"kms:Encrypt\"");
        setKeyPolicy(key, grant);
        encrypts(plainKms, key);
        expectError("Forbidden.NoPermission", 403, () -> plainKms.encrypt(other, b64(randomBytes(8))));
        assertThat(root.call(() -> root.client().getKeyPolicy(new GetKeyPolicyRequest().setKeyId(key)))
                        .getBody()
                        .getPolicy())
                .isEqualTo(grant);

        // A Deny in the key policy beats the user's full RAM access.
        String[] admin = user("AliyunKMSFullAccess");
        var adminKms = V2Api.create(server.httpPort(), null, V2Api.Signing.RPC, admin[0], admin[1]);
        encrypts(adminKms, key);
        setKeyPolicy(key, policy("Deny", userArn(admin[2]), "\"kms:Encrypt\""));
        expectError("Forbidden.NoPermission", 403, () -> adminKms.encrypt(key, b64(randomBytes(8))));
        encrypts(adminKms, other);

        expectError(
                "Forbidden.ResourceNotFound",
                404,
                () -> root.call(() -> root.client()
                        .getKeyPolicy(new GetKeyPolicyRequest().setKeyId(key).setPolicyName("other"))));
        expectError("InvalidParameter", 400, () -> setKeyPolicy(key, "{\"Version\":\"1\"}"));
        expectError(
                "InvalidParameter",
                400,
                () -> setKeyPolicy(
                        key,
                        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"));
        expectError("Forbidden.KeyNotFound", 404, () -> setKeyPolicy("key-hzz000000000000000000", grant));
    }

    @Test
    void secretPolicyGrantsGetSecretValue() {
        String name = unique("sp");
        root.call(() -> root.client()
                .createSecret(new CreateSecretRequest()
                        .setSecretName(name)
                        .setSecretData("v")
                        .setVersionId("v1")));
        String[] u = user(null);
        var kms = V2Api.create(server.httpPort(), null, V2Api.Signing.ACS3, u[0], u[1]);
        expectError(
                "Forbidden.NoPermission",
                403,
                () -> kms.call(() -> kms.client().getSecretValue(new GetSecretValueRequest().setSecretName(name))));
        String doc = policy("Allow", userArn(u[2]), "\"kms:GetSecretValue\"");
        root.call(() -> root.client()
                .setSecretPolicy(
                        new SetSecretPolicyRequest().setSecretName(name).setPolicy(doc)));
        assertThat(kms.call(() -> kms.client().getSecretValue(new GetSecretValueRequest().setSecretName(name)))
                        .getBody()
                        .getSecretData())
                .isEqualTo("v");
        assertThat(root.call(() -> root.client().getSecretPolicy(new GetSecretPolicyRequest().setSecretName(name)))
                        .getBody()
                        .getPolicy())
                .isEqualTo(doc);
        expectError(
                "Forbidden.ResourceNotFound",
                404,
                () -> root.call(() ->
                        root.client().getSecretPolicy(new GetSecretPolicyRequest().setSecretName(name + "-missing"))));
    }

    /**
     * https://www.alibabacloud.com/help/en/kms/security-and-compliance/use-ram-to-manage-access-to-kms-resources/:
     * reading a secret also needs kms:Decrypt on its customer key (not on the Secrets Manager service key).
     */
    @Test
    void getSecretValueAlsoNeedsDecryptOnTheSecretsCustomerKey() {
        String key = root.createKey(new CreateKey()).keyId();
        String withCustomerKey = unique("ck");
        String withServiceKey = unique("sk");
        root.call(() -> root.client()
                .createSecret(new CreateSecretRequest()
                        .setSecretName(withCustomerKey)
                        .setSecretData("c")
                        .setVersionId("v1")
                        .setEncryptionKeyId(key)));
        root.call(() -> root.client()
                .createSecret(new CreateSecretRequest()
                        .setSecretName(withServiceKey)
                        .setSecretData("s")
                        .setVersionId("v1")));
        String[] u = user(null);
        String readOnly = unique("read");
        call(
                "ram",
                () -> ram.createPolicy(
                        new CreatePolicyRequest()
                                .setPolicyName(readOnly)
                                .setPolicyDocument(
                                        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:GetSecretValue\",\"Resource\":\"*\"}]}")));
        call(
                "ram",
                () -> ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                        .setUserName(u[2])
                        .setPolicyType("Custom")
                        .setPolicyName(readOnly)));
        var kms = V2Api.create(server.httpPort(), null, V2Api.Signing.ACS3, u[0], u[1]);
        assertThat(kms.call(() ->
                                kms.client().getSecretValue(new GetSecretValueRequest().setSecretName(withServiceKey)))
                        .getBody()
                        .getSecretData())
                .isEqualTo("s");
        expectError(
                "Forbidden.NoPermission",
                403,
                () -> kms.call(
                        () -> kms.client().getSecretValue(new GetSecretValueRequest().setSecretName(withCustomerKey))));

        String decrypt = unique("dec");
        call(
                "ram",
                () -> ram.createPolicy(new CreatePolicyRequest()
                        .setPolicyName(decrypt)
                        .setPolicyDocument(
                                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"acs:kms:*:*:key/"
                                        + key + "\"}]}")));
        call(
                "ram",
                () -> ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                        .setUserName(u[2])
                        .setPolicyType("Custom")
                        .setPolicyName(decrypt)));
        assertThat(kms.call(() ->
                                kms.client().getSecretValue(new GetSecretValueRequest().setSecretName(withCustomerKey)))
                        .getBody()
                        .getSecretData())
                .isEqualTo("c");
    }
}
