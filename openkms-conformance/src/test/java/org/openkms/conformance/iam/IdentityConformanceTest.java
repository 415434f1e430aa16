package org.openkms.conformance.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.randomBytes;
import static org.openkms.conformance.Conformance.unique;
import static org.openkms.conformance.iam.IamClients.call;

import com.aliyun.ram20150501.models.AttachPolicyToRoleRequest;
import com.aliyun.ram20150501.models.AttachPolicyToUserRequest;
import com.aliyun.ram20150501.models.CreateAccessKeyRequest;
import com.aliyun.ram20150501.models.CreatePolicyRequest;
import com.aliyun.ram20150501.models.CreateRoleRequest;
import com.aliyun.ram20150501.models.CreateUserRequest;
import com.aliyun.ram20150501.models.DeleteAccessKeyRequest;
import com.aliyun.ram20150501.models.DeletePolicyRequest;
import com.aliyun.ram20150501.models.DeleteUserRequest;
import com.aliyun.ram20150501.models.DetachPolicyFromUserRequest;
import com.aliyun.ram20150501.models.GetPolicyRequest;
import com.aliyun.ram20150501.models.GetUserRequest;
import com.aliyun.ram20150501.models.ListAccessKeysRequest;
import com.aliyun.ram20150501.models.ListPoliciesForUserRequest;
import com.aliyun.ram20150501.models.ListPoliciesRequest;
import com.aliyun.ram20150501.models.ListUsersRequest;
import com.aliyun.ram20150501.models.UpdateAccessKeyRequest;
import com.aliyun.sts20150401.models.AssumeRoleRequest;
import com.aliyun.sts20150401.models.AssumeRoleResponseBody;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openkms.conformance.Conformance;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.KmsApi;
import org.openkms.conformance.KmsApi.CreateKey;
import org.openkms.conformance.SharedServer;
import org.openkms.conformance.V2Api;

/**
 * Identity and access control through the official SDKs: RAM (users, AccessKeys, policies, roles), STS
 * AssumeRole, and a KMS allow/deny matrix of identity policy × condition × action for several users and an
 * assumed role. Every denial must be Forbidden.NoPermission 403 (KMS) or NoPermission 403 (RAM/STS).
 */
@ExtendWith(SharedServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityConformanceTest {
    private final ConformanceServer server;
    private final com.aliyun.ram20150501.Client ram;
    private KmsApi root;
    private String prodKey;
    private String devKey;
    private String prodAlias;

    IdentityConformanceTest(ConformanceServer server) {
        this.server = server;
        this.ram = IamClients.rootRam(server);
    }

    @BeforeAll
    void keys() {
        root = server.v2();
        prodKey = root.createKey(new CreateKey()).keyId();
        devKey = root.createKey(new CreateKey()).keyId();
        root.tagResource(prodKey, "[{\"TagKey\":\"env\",\"TagValue\":\"prod\"}]");
        root.tagResource(devKey, "[{\"TagKey\":\"env\",\"TagValue\":\"dev\"}]");
        prodAlias = Conformance.uniqueAlias();
        root.createAlias(prodAlias, prodKey);
    }

    /** Creates a user with the given custom policy document (or system policy name) and returns its KMS client. */
    private KmsApi userWith(String policyOrSystemName, V2Api.Signing signing) {
        String[] ak = userKey(policyOrSystemName);
        return V2Api.create(server.httpPort(), null, signing, ak[0], ak[1]);
    }

    private String[] userKey(String policyOrSystemName) {
        String user = unique("u");
        call("ram", () -> ram.createUser(new CreateUserRequest().setUserName(user)));
        if (policyOrSystemName != null) {
            attach(user, policyOrSystemName);
        }
        var key = call("ram", () -> ram.createAccessKey(new CreateAccessKeyRequest().setUserName(user)))
                .getBody()
                .getAccessKey();
        return new String[] {key.getAccessKeyId(), key.getAccessKeySecret(), user};
    }

    private void attach(String user, String policyOrSystemName) {
        boolean system = policyOrSystemName.startsWith("Aliyun");
        String name = system ? policyOrSystemName : unique("p");
        if (!system) {
            call(
                    "ram",
                    () -> ram.createPolicy(
                            new CreatePolicyRequest().setPolicyName(name).setPolicyDocument(policyOrSystemName)));
        }
        call(
                "ram",
                () -> ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                        .setUserName(user)
                        .setPolicyType(system ? "System" : "Custom")
                        .setPolicyName(name)));
    }

    private static String policy(String statements) {
        return "{\"Version\":\"1\",\"Statement\":[" + statements + "]}";
    }

    private static String allow(String actions, String resources, String condition) {
        return "{\"Effect\":\"Allow\",\"Action\":[" + actions + "],\"Resource\":[" + resources + "]"
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    private String keyArn(String keyId) {
        return "\"" + Conformance.keyArn(keyId) + "\"";
    }

    private String plaintext() {
        return b64(randomBytes(16));
    }

    /**
     * An allowed Encrypt: answered for the key it resolves to, and the ciphertext opens (as root) to what was sent.
     * Returns the ciphertext.
     */
    private String encrypts(KmsApi k, String keyRef, String keyId) {
        String plaintext = plaintext();
        KmsApi.Encrypted e = k.encrypt(keyRef, plaintext);
        assertThat(e.keyId()).as("KeyId of an allowed Encrypt of %s", keyRef).isEqualTo(keyId);
        assertThat(root.decrypt(e.ciphertextBlob()).plaintext())
                .as("the allowed Encrypt's ciphertext, opened by root")
                .isEqualTo(plaintext);
        return e.ciphertextBlob();
    }

    /** An allowed Decrypt: the plaintext root encrypted, and the key it was under. */
    private void decrypts(KmsApi k, String keyId) {
        String plaintext = plaintext();
        KmsApi.Decrypted d = k.decrypt(root.encrypt(keyId, plaintext).ciphertextBlob());
        assertThat(d.plaintext()).as("plaintext of an allowed Decrypt").isEqualTo(plaintext);
        assertThat(d.keyId()).isEqualTo(keyId);
    }

    /** An allowed DescribeKey: the metadata of that key. */
    private void describes(KmsApi k, String keyId) {
        KmsApi.KeyMeta m = k.describeKey(keyId);
        assertThat(m.keyId()).isEqualTo(keyId);
        assertThat(m.arn()).isEqualTo(Conformance.keyArn(keyId));
        assertThat(m.keyState()).isEqualTo("Enabled");
    }

    private static void denied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        expectError("Forbidden.NoPermission", 403, call);
    }

    // ---- RAM SDK flows

    @Test
    void ramUserAndAccessKeyLifecycle() {
        String user = unique("alice");
        var created = call(
                        "ram",
                        () -> ram.createUser(
                                new CreateUserRequest().setUserName(user).setDisplayName("Alice")))
                .getBody()
                .getUser();
        assertThat(created.getUserName()).isEqualTo(user);
        assertThat(created.getDisplayName()).isEqualTo("Alice");
        assertThat(created.getUserId()).matches("\\d{16}");
        assertThat(created.getCreateDate()).matches(Conformance.ISO_SECONDS);
        expectError(
                "EntityAlreadyExists.User",
                409,
                () -> call("ram", () -> ram.createUser(new CreateUserRequest().setUserName(user))));
        assertThat(call("ram", () -> ram.getUser(new GetUserRequest().setUserName(user)))
                        .getBody()
                        .getUser()
                        .getUserId())
                .isEqualTo(created.getUserId());
        expectError(
                "EntityNotExist.User",
                404,
                () -> call("ram", () -> ram.getUser(new GetUserRequest().setUserName(user + "x"))));
        assertThat(call("ram", () -> ram.listUsers(new ListUsersRequest().setMaxItems(1000)))
                        .getBody()
                        .getUsers()
                        .getUser())
                .extracting(u -> u.getUserName())
                .contains(user);

        var key = call("ram", () -> ram.createAccessKey(new CreateAccessKeyRequest().setUserName(user)))
                .getBody()
                .getAccessKey();
        assertThat(key.getAccessKeySecret()).hasSize(30);
        assertThat(key.getStatus()).isEqualTo("Active");
        var listed = call("ram", () -> ram.listAccessKeys(new ListAccessKeysRequest().setUserName(user)))
                .getBody()
                .getAccessKeys()
                .getAccessKey();
        assertThat(listed).extracting(k -> k.getAccessKeyId()).containsExactly(key.getAccessKeyId());
        var second = call("ram", () -> ram.createAccessKey(new CreateAccessKeyRequest().setUserName(user)))
                .getBody()
                .getAccessKey();
        assertThat(second.getAccessKeyId()).isNotEqualTo(key.getAccessKeyId());
        assertThat(accessKeys(user))
                .extracting(k -> k.getAccessKeyId())
                .containsExactlyInAnyOrder(key.getAccessKeyId(), second.getAccessKeyId());
        expectError(
                "LimitExceeded.User.AccessKey",
                409,
                () -> call("ram", () -> ram.createAccessKey(new CreateAccessKeyRequest().setUserName(user))));
        expectError(
                "DeleteConflict.User.AccessKey",
                409,
                () -> call("ram", () -> ram.deleteUser(new DeleteUserRequest().setUserName(user))));

        // A key without a policy authenticates but may do nothing.
        KmsApi kms = V2Api.create(
                server.httpPort(), null, V2Api.Signing.ACS3, key.getAccessKeyId(), key.getAccessKeySecret());
        denied(() -> kms.encrypt(prodKey, plaintext()));

        // Revocation: Inactive, then deleted.
        call(
                "ram",
                () -> ram.updateAccessKey(new UpdateAccessKeyRequest()
                        .setUserName(user)
                        .setUserAccessKeyId(key.getAccessKeyId())
                        .setStatus("Inactive")));
        assertThat(status(user, key.getAccessKeyId())).isEqualTo("Inactive");
        expectError("Forbidden.AccessKey", 403, () -> kms.encrypt(prodKey, plaintext()));
        call(
                "ram",
                () -> ram.updateAccessKey(new UpdateAccessKeyRequest()
                        .setUserName(user)
                        .setUserAccessKeyId(key.getAccessKeyId())
                        .setStatus("Active")));
        assertThat(status(user, key.getAccessKeyId())).isEqualTo("Active");
        denied(() -> kms.encrypt(prodKey, plaintext()));
        for (var k : call("ram", () -> ram.listAccessKeys(new ListAccessKeysRequest().setUserName(user)))
                .getBody()
                .getAccessKeys()
                .getAccessKey()) {
            call(
                    "ram",
                    () -> ram.deleteAccessKey(
                            new DeleteAccessKeyRequest().setUserName(user).setUserAccessKeyId(k.getAccessKeyId())));
        }
        assertThat(accessKeys(user)).isEmpty();
        expectError("InvalidAccessKeyId.NotFound", 404, () -> kms.encrypt(prodKey, plaintext()));
        call("ram", () -> ram.deleteUser(new DeleteUserRequest().setUserName(user)));
        expectError(
                "EntityNotExist.User",
                404,
                () -> call("ram", () -> ram.getUser(new GetUserRequest().setUserName(user))));
    }

    private List<com.aliyun.ram20150501.models.ListAccessKeysResponseBody.ListAccessKeysResponseBodyAccessKeysAccessKey>
            accessKeys(String user) {
        return call("ram", () -> ram.listAccessKeys(new ListAccessKeysRequest().setUserName(user)))
                .getBody()
                .getAccessKeys()
                .getAccessKey();
    }

    private String status(String user, String accessKeyId) {
        return accessKeys(user).stream()
                .filter(k -> k.getAccessKeyId().equals(accessKeyId))
                .findFirst()
                .orElseThrow()
                .getStatus();
    }

    @Test
    void ramPoliciesAndAttachments() {
        String name = unique("pol");
        String doc = policy(allow("\"kms:Encrypt\"", "\"*\"", null));
        var p = call(
                        "ram",
                        () -> ram.createPolicy(new CreatePolicyRequest()
                                .setPolicyName(name)
                                .setPolicyDocument(doc)
                                .setDescription("d")))
                .getBody()
                .getPolicy();
        assertThat(p.getPolicyType()).isEqualTo("Custom");
        assertThat(p.getDefaultVersion()).isEqualTo("v1");
        var got = call(
                        "ram",
                        () -> ram.getPolicy(
                                new GetPolicyRequest().setPolicyName(name).setPolicyType("Custom")))
                .getBody();
        assertThat(got.getDefaultPolicyVersion().getPolicyDocument()).isEqualTo(doc);
        assertThat(call(
                                "ram",
                                () -> ram.listPolicies(new ListPoliciesRequest()
                                        .setPolicyType("System")
                                        .setMaxItems(1000)))
                        .getBody()
                        .getPolicies()
                        .getPolicy())
                .extracting(x -> x.getPolicyName())
                .contains(
                        "AliyunKMSFullAccess",
                        "AliyunKMSReadOnlyAccess",
                        "AliyunKMSCryptoUserAccess",
                        "AliyunKMSSecretAdminAccess");
        expectError(
                "EntityAlreadyExists.Policy",
                409,
                () -> call(
                        "ram",
                        () -> ram.createPolicy(
                                new CreatePolicyRequest().setPolicyName(name).setPolicyDocument(doc))));
        expectError(
                "EntityNotExist.Policy",
                404,
                () -> call(
                        "ram",
                        () -> ram.getPolicy(
                                new GetPolicyRequest().setPolicyName(name + "x").setPolicyType("Custom"))));

        String[] ak = userKey(null);
        call(
                "ram",
                () -> ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                        .setUserName(ak[2])
                        .setPolicyType("Custom")
                        .setPolicyName(name)));
        expectError(
                "EntityAlreadyExists.User.Policy",
                409,
                () -> call(
                        "ram",
                        () -> ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                                .setUserName(ak[2])
                                .setPolicyType("Custom")
                                .setPolicyName(name))));
        assertThat(call("ram", () -> ram.listPoliciesForUser(new ListPoliciesForUserRequest().setUserName(ak[2])))
                        .getBody()
                        .getPolicies()
                        .getPolicy())
                .extracting(x -> x.getPolicyName())
                .containsExactly(name);
        expectError(
                "DeleteConflict.Policy.User",
                409,
                () -> call("ram", () -> ram.deletePolicy(new DeletePolicyRequest().setPolicyName(name))));

        KmsApi kms = V2Api.create(server.httpPort(), null, V2Api.Signing.ACS3, ak[0], ak[1]);
        encrypts(kms, prodKey, prodKey);
        // Detaching takes effect on the very next request (the compiled cache is invalidated).
        call(
                "ram",
                () -> ram.detachPolicyFromUser(new DetachPolicyFromUserRequest()
                        .setUserName(ak[2])
                        .setPolicyType("Custom")
                        .setPolicyName(name)));
        denied(() -> kms.encrypt(prodKey, plaintext()));
        assertThat(call("ram", () -> ram.listPoliciesForUser(new ListPoliciesForUserRequest().setUserName(ak[2])))
                        .getBody()
                        .getPolicies()
                        .getPolicy())
                .isEmpty();
        call("ram", () -> ram.deletePolicy(new DeletePolicyRequest().setPolicyName(name)));
        expectError(
                "EntityNotExist.Policy",
                404,
                () -> call(
                        "ram",
                        () -> ram.getPolicy(
                                new GetPolicyRequest().setPolicyName(name).setPolicyType("Custom"))));
    }

    @Test
    void malformedPolicyDocumentsAreRejected() {
        for (String bad : List.of(
                "not json",
                "{}",
                "{\"Version\":\"2\",\"Statement\":[]}",
                policy("{\"Effect\":\"Maybe\",\"Action\":\"kms:*\",\"Resource\":\"*\"}"),
                policy("{\"Effect\":\"Allow\",\"Resource\":\"*\"}"),
                policy("{\"Effect\":\"Allow\",\"Action\":\"Encrypt\",\"Resource\":\"*\"}"),
                policy(allow("\"kms:*\"", "\"*\"", "{\"IpAddress\":{\"acs:SourceIp\":\"300.1.1.1\"}}")),
                policy(allow("\"kms:*\"", "\"*\"", "{\"Frobnicate\":{\"acs:SourceIp\":\"1.1.1.1\"}}")),
                policy(allow("\"kms:*\"", "\"*\"", "{\"DateLessThan\":{\"acs:CurrentTime\":\"tomorrow\"}}")))) {
            expectError(
                    "MalformedPolicyDocument",
                    400,
                    () -> call(
                            "ram",
                            () -> ram.createPolicy(new CreatePolicyRequest()
                                    .setPolicyName(unique("bad"))
                                    .setPolicyDocument(bad))));
        }
        expectError(
                "MalformedPolicyDocument",
                400,
                () -> call(
                        "ram",
                        () -> ram.createRole(new CreateRoleRequest()
                                .setRoleName(unique("r"))
                                .setAssumeRolePolicyDocument("{\"Version\":\"1\"}"))));
    }

    // ---- the KMS allow/deny matrix

    @Test
    void systemPolicies() {
        KmsApi crypto = userWith("AliyunKMSCryptoUserAccess", V2Api.Signing.ACS3);
        encrypts(crypto, prodKey, prodKey);
        decrypts(crypto, prodKey);
        describes(crypto, prodKey);
        denied(() -> crypto.createKey(new CreateKey()));
        denied(() -> crypto.disableKey(prodKey));

        KmsApi readOnly = userWith("AliyunKMSReadOnlyAccess", V2Api.Signing.RPC);
        describes(readOnly, prodKey);
        var page = readOnly.listKeys(1, 10, null);
        assertThat(page.totalCount()).isGreaterThanOrEqualTo(2);
        assertThat(page.items())
                .hasSize(Math.min(10, page.totalCount()))
                .allSatisfy(k -> assertThat(k.keyArn()).isEqualTo(Conformance.keyArn(k.keyId())));
        denied(() -> readOnly.encrypt(prodKey, plaintext()));

        KmsApi full = userWith("AliyunKMSFullAccess", V2Api.Signing.ACS3);
        String k = full.createKey(new CreateKey().description("by a RAM user")).keyId();
        assertThat(root.describeKey(k).description())
                .as("the key the RAM user created")
                .isEqualTo("by a RAM user");
        encrypts(full, k, k);
        // DescribeRegions needs no permission at all.
        assertThat(userWith(null, V2Api.Signing.ACS3).describeRegions()).isNotEmpty();
    }

    @Test
    void resourceLevelPolicies() {
        KmsApi onlyProd =
                userWith(policy(allow("\"kms:Encrypt\",\"kms:Decrypt\"", keyArn(prodKey), null)), V2Api.Signing.ACS3);
        encrypts(onlyProd, prodKey, prodKey);
        encrypts(onlyProd, prodAlias, prodKey); // an alias authorises as the key it points to
        encrypts(onlyProd, Conformance.keyArn(prodKey), prodKey);
        decrypts(onlyProd, prodKey); // Decrypt is evaluated against the key inside the blob
        denied(() -> onlyProd.encrypt(devKey, plaintext()));
        String devBlob = root.encrypt(devKey, plaintext()).ciphertextBlob();
        denied(() -> onlyProd.decrypt(devBlob));
        denied(() -> onlyProd.describeKey(prodKey));

        // Wildcards in actions and resources.
        KmsApi wildcard =
                userWith(policy(allow("\"kms:Gen*\",\"kms:Enc*\"", "\"acs:kms:*:*:key/*\"", null)), V2Api.Signing.RPC);
        encrypts(wildcard, devKey, devKey);
        KmsApi.DataKey dk = wildcard.generateDataKey(devKey, "AES_256", null, null, null);
        assertThat(dk.keyId()).isEqualTo(devKey);
        assertThat(Conformance.unb64(dk.plaintext())).hasSize(32);
        assertThat(root.decrypt(dk.ciphertextBlob()).plaintext())
                .as("the data key, opened by root")
                .isEqualTo(dk.plaintext());
        denied(() -> wildcard.decrypt(devBlob));
    }

    /** Audit records name the principal and the decision (explicit vs implicit deny, allow). */
    @Test
    void auditRecordsCarryPrincipalAndDecision() throws Exception {
        String[] ak = userKey(policy(allow("\"kms:*\"", "\"*\"", null)
                + ",{\"Effect\":\"Deny\",\"Action\":\"kms:Encrypt\",\"Resource\":" + keyArn(prodKey) + "}"));
        KmsApi k = V2Api.create(server.httpPort(), null, V2Api.Signing.ACS3, ak[0], ak[1]);
        String explicitId = expectError("Forbidden.NoPermission", 403, () -> k.encrypt(prodKey, plaintext()))
                .requestId();
        describes(k, prodKey);
        java.nio.file.Path log = server.dataDir().resolve("audit").resolve("audit.log");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    List<String> lines = java.nio.file.Files.readAllLines(log);
                    assertThat(lines)
                            .anySatisfy(l -> assertThat(l)
                                    .contains(explicitId)
                                    .contains("\"principal\":\"user:" + ak[2] + "\"")
                                    .contains("\"decision\":\"ExplicitDeny\"")
                                    .contains(Conformance.keyArn(prodKey)));
                    assertThat(lines)
                            .anySatisfy(l -> assertThat(l)
                                    .contains("\"principal\":\"user:" + ak[2] + "\"")
                                    .contains("\"action\":\"DescribeKey\"")
                                    .contains("\"decision\":\"Allow\""));
                });
    }

    @Test
    void explicitDenyWinsOverAllow() {
        KmsApi k = userWith(
                policy(allow("\"kms:*\"", "\"*\"", null)
                        + ",{\"Effect\":\"Deny\",\"Action\":\"kms:Encrypt\",\"Resource\":" + keyArn(prodKey) + "}"),
                V2Api.Signing.ACS3);
        denied(() -> k.encrypt(prodKey, plaintext()));
        encrypts(k, devKey, devKey);
        describes(k, prodKey);
    }

    @Test
    void conditions() {
        KmsApi prodOnly = userWith(
                policy(allow("\"kms:Encrypt\"", "\"*\"", "{\"StringEquals\":{\"kms:tag/env\":\"prod\"}}")),
                V2Api.Signing.ACS3);
        encrypts(prodOnly, prodKey, prodKey);
        denied(() -> prodOnly.encrypt(devKey, plaintext()));

        KmsApi loopback = userWith(
                policy(allow("\"kms:Encrypt\"", "\"*\"", "{\"IpAddress\":{\"acs:SourceIp\":[\"127.0.0.0/8\"]}}")),
                V2Api.Signing.ACS3);
        encrypts(loopback, prodKey, prodKey);
        KmsApi office = userWith(
                policy(allow("\"kms:Encrypt\"", "\"*\"", "{\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"}}")),
                V2Api.Signing.ACS3);
        denied(() -> office.encrypt(prodKey, plaintext()));

        KmsApi expired = userWith(
                policy(allow(
                        "\"kms:Encrypt\"",
                        "\"*\"",
                        "{\"DateLessThan\":{\"acs:CurrentTime\":\"2001-01-01T00:00:00Z\"}}")),
                V2Api.Signing.ACS3);
        denied(() -> expired.encrypt(prodKey, plaintext()));
        KmsApi current = userWith(
                policy(allow(
                        "\"kms:Encrypt\"",
                        "\"*\"",
                        "{\"DateGreaterThan\":{\"acs:CurrentTime\":\"2001-01-01T00:00:00Z\"}}")),
                V2Api.Signing.ACS3);
        encrypts(current, prodKey, prodKey);

        String[] ak =
                userKey(policy(allow("\"kms:Encrypt\"", "\"*\"", "{\"Bool\":{\"acs:SecureTransport\":\"true\"}}")));
        KmsApi http = V2Api.create(server.httpPort(), null, V2Api.Signing.ACS3, ak[0], ak[1]);
        denied(() -> http.encrypt(prodKey, plaintext()));
        KmsApi https = V2Api.create(server.httpsPort(), server.caPem(), V2Api.Signing.ACS3, ak[0], ak[1]);
        encrypts(https, prodKey, prodKey);
    }

    @Test
    void v1SdkSeesTheSameDecisions() {
        String[] ak = userKey(policy(allow("\"kms:Encrypt\"", keyArn(prodKey), null)));
        KmsApi v1 = server.v1(false, ak[0], ak[1], null);
        encrypts(v1, prodKey, prodKey);
        denied(() -> v1.encrypt(devKey, plaintext()));
    }

    @Test
    void listEntitiesForPolicyNamesTheUsersAndRolesItIsAttachedTo() {
        String name = unique("pol");
        call(
                "ram",
                () -> ram.createPolicy(new CreatePolicyRequest()
                        .setPolicyName(name)
                        .setPolicyDocument(policy(allow("\"kms:Encrypt\"", "\"*\"", null)))));
        String[] ak = userKey(null);
        String roleName = unique("role");
        String trust = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                + "\"Principal\":{\"RAM\":[\"acs:ram::" + ConformanceServer.ACCOUNT_ID + ":root\"]}}]}";
        call(
                "ram",
                () -> ram.createRole(
                        new CreateRoleRequest().setRoleName(roleName).setAssumeRolePolicyDocument(trust)));
        var empty = call(
                        "ram",
                        () -> ram.listEntitiesForPolicy(new com.aliyun.ram20150501.models.ListEntitiesForPolicyRequest()
                                .setPolicyType("Custom")
                                .setPolicyName(name)))
                .getBody();
        assertThat(empty.getUsers().getUser()).isEmpty();
        assertThat(empty.getRoles().getRole()).isEmpty();

        call(
                "ram",
                () -> ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                        .setUserName(ak[2])
                        .setPolicyType("Custom")
                        .setPolicyName(name)));
        call(
                "ram",
                () -> ram.attachPolicyToRole(new AttachPolicyToRoleRequest()
                        .setRoleName(roleName)
                        .setPolicyType("Custom")
                        .setPolicyName(name)));
        var body = call(
                        "ram",
                        () -> ram.listEntitiesForPolicy(new com.aliyun.ram20150501.models.ListEntitiesForPolicyRequest()
                                .setPolicyType("Custom")
                                .setPolicyName(name)))
                .getBody();
        assertThat(body.getUsers().getUser()).singleElement().satisfies(u -> {
            assertThat(u.getUserName()).isEqualTo(ak[2]);
            assertThat(u.getAttachDate()).isNotEmpty();
        });
        assertThat(body.getRoles().getRole()).singleElement().satisfies(r -> {
            assertThat(r.getRoleName()).isEqualTo(roleName);
            assertThat(r.getArn()).isEqualTo("acs:ram::" + ConformanceServer.ACCOUNT_ID + ":role/" + roleName);
        });

        expectError(
                "EntityNotExist.Policy",
                404,
                () -> call(
                        "ram",
                        () -> ram.listEntitiesForPolicy(new com.aliyun.ram20150501.models.ListEntitiesForPolicyRequest()
                                .setPolicyType("Custom")
                                .setPolicyName(name + "x"))));
        expectError(
                "MissingParameter",
                400,
                () -> call(
                        "ram",
                        () -> ram.listEntitiesForPolicy(
                                new com.aliyun.ram20150501.models.ListEntitiesForPolicyRequest().setPolicyName(name))));
        // Authorised on the policy it reads: a user allowed on another policy only is refused.
        String[] other = userKey(policy(allow("\"ram:ListEntitiesForPolicy\"", "\"acs:ram:*:*:policy/other\"", null)));
        var otherRam = IamClients.ram(server, other[0], other[1]);
        expectError(
                "NoPermission",
                403,
                () -> call(
                        "ram",
                        () -> otherRam.listEntitiesForPolicy(
                                new com.aliyun.ram20150501.models.ListEntitiesForPolicyRequest()
                                        .setPolicyType("Custom")
                                        .setPolicyName(name))));
    }

    @Test
    void ramApiIsItselfAuthorised() {
        String[] ak = userKey("AliyunKMSFullAccess");
        var userRam = IamClients.ram(server, ak[0], ak[1]);
        expectError(
                "NoPermission",
                403,
                () -> call("ram", () -> userRam.createUser(new CreateUserRequest().setUserName(unique("x")))));
        String[] admin = userKey(policy(allow("\"ram:*\"", "\"*\"", null)));
        var adminRam = IamClients.ram(server, admin[0], admin[1]);
        String created = unique("x");
        assertThat(call("ram", () -> adminRam.createUser(new CreateUserRequest().setUserName(created)))
                        .getBody()
                        .getUser()
                        .getUserName())
                .isEqualTo(created);
        assertThat(call("ram", () -> ram.getUser(new GetUserRequest().setUserName(created)))
                        .getBody()
                        .getUser()
                        .getUserName())
                .as("the user the RAM administrator created, seen by root")
                .isEqualTo(created);
    }

    /** A user allowed ram:*AccessKey* on itself manages its own keys without naming itself, and no one else's. */
    @Test
    void usersManageTheirOwnAccessKeys() {
        String name = unique("self");
        call("ram", () -> ram.createUser(new CreateUserRequest().setUserName(name)));
        attach(
                name,
                policy(allow("\"ram:*AccessKey\",\"ram:ListAccessKeys\"", "\"acs:ram:*:*:user/" + name + "\"", null)));
        var key = call("ram", () -> ram.createAccessKey(new CreateAccessKeyRequest().setUserName(name)))
                .getBody()
                .getAccessKey();
        var self = IamClients.ram(server, key.getAccessKeyId(), key.getAccessKeySecret());
        var second = call("ram", () -> self.createAccessKey(new CreateAccessKeyRequest()))
                .getBody()
                .getAccessKey();
        assertThat(call("ram", () -> self.listAccessKeys(new ListAccessKeysRequest()))
                        .getBody()
                        .getAccessKeys()
                        .getAccessKey())
                .extracting(k -> k.getAccessKeyId())
                .containsExactlyInAnyOrder(key.getAccessKeyId(), second.getAccessKeyId());
        assertThat(second.getAccessKeySecret()).hasSize(30);
        call(
                "ram",
                () -> self.deleteAccessKey(new DeleteAccessKeyRequest().setUserAccessKeyId(second.getAccessKeyId())));
        assertThat(accessKeys(name)).extracting(k -> k.getAccessKeyId()).containsExactly(key.getAccessKeyId());
        String[] other = userKey(null);
        expectError(
                "NoPermission",
                403,
                () -> call("ram", () -> self.listAccessKeys(new ListAccessKeysRequest().setUserName(other[2]))));
    }

    // ---- STS

    @Test
    void assumedRoleCanDoExactlyWhatItsPolicyAllows() {
        String[] assumer = userKey(policy(allow("\"sts:AssumeRole\"", "\"*\"", null)));
        String[] stranger = userKey(policy(allow("\"sts:AssumeRole\"", "\"*\"", null)));
        String roleName = unique("role");
        String trust =
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"RAM\":"
                        + "[\"acs:ram::" + ConformanceServer.ACCOUNT_ID + ":user/" + assumer[2] + "\"]}}]}";
        var role = call(
                        "ram",
                        () -> ram.createRole(
                                new CreateRoleRequest().setRoleName(roleName).setAssumeRolePolicyDocument(trust)))
                .getBody()
                .getRole();
        assertThat(role.getArn())
                .isEqualTo("acs:ram::" + ConformanceServer.ACCOUNT_ID + ":role/" + roleName.toLowerCase());
        String pol = unique("rp");
        call(
                "ram",
                () -> ram.createPolicy(new CreatePolicyRequest()
                        .setPolicyName(pol)
                        .setPolicyDocument(policy(allow("\"kms:Encrypt\",\"kms:Decrypt\"", keyArn(prodKey), null)))));
        call(
                "ram",
                () -> ram.attachPolicyToRole(new AttachPolicyToRoleRequest()
                        .setRoleName(roleName)
                        .setPolicyType("Custom")
                        .setPolicyName(pol)));

        var sts = IamClients.sts(server, assumer[0], assumer[1]);
        AssumeRoleResponseBody body = call(
                        "sts",
                        () -> sts.assumeRole(new AssumeRoleRequest()
                                .setRoleArn(role.getArn())
                                .setRoleSessionName("matrix")
                                .setDurationSeconds(900L)))
                .getBody();
        var c = body.getCredentials();
        assertThat(c.getAccessKeyId()).startsWith("STS.");
        assertThat(c.getSecurityToken()).startsWith("CAIS");
        assertThat(c.getExpiration()).matches(Conformance.ISO_SECONDS);
        assertThat(body.getAssumedRoleUser().getArn()).isEqualTo(role.getArn() + "/matrix");

        for (V2Api.Signing signing : List.of(V2Api.Signing.ACS3, V2Api.Signing.RPC)) {
            KmsApi temp = V2Api.create(
                    server.httpPort(), null, signing, c.getAccessKeyId(), c.getAccessKeySecret(), c.getSecurityToken());
            encrypts(temp, prodKey, prodKey);
            decrypts(temp, prodKey);
            denied(() -> temp.encrypt(devKey, plaintext()));
            denied(() -> temp.createKey(new CreateKey()));
        }
        KmsApi v1 = org.openkms.conformance.V1Api.create(
                server.httpPort(), false, c.getAccessKeyId(), c.getAccessKeySecret(), c.getSecurityToken(), null);
        encrypts(v1, prodKey, prodKey);
        denied(() -> v1.encrypt(devKey, plaintext()));
        // Temporary keys without their token, or with someone else's, are refused.
        expectError(
                "InvalidSecurityToken.Malformed",
                400,
                () -> V2Api.create(
                                server.httpPort(), null, V2Api.Signing.ACS3, c.getAccessKeyId(), c.getAccessKeySecret())
                        .encrypt(prodKey, plaintext()));
        expectError(
                "InvalidSecurityToken.Malformed",
                400,
                () -> V2Api.create(
                                server.httpPort(),
                                null,
                                V2Api.Signing.ACS3,
                                c.getAccessKeyId(),
                                c.getAccessKeySecret(),
                                c.getSecurityToken() + "x")
                        .encrypt(prodKey, plaintext()));
        expectError(
                "InvalidSecurityToken.MismatchWithAccessKey",
                400,
                () -> V2Api.create(
                                server.httpPort(),
                                null,
                                V2Api.Signing.ACS3,
                                assumer[0],
                                assumer[1],
                                c.getSecurityToken())
                        .encrypt(prodKey, plaintext()));

        // The trust policy decides who may assume the role.
        var strangerSts = IamClients.sts(server, stranger[0], stranger[1]);
        expectError(
                "NoPermission",
                403,
                () -> call(
                        "sts",
                        () -> strangerSts.assumeRole(new AssumeRoleRequest()
                                .setRoleArn(role.getArn())
                                .setRoleSessionName("nope"))));
        expectError(
                "EntityNotExist.Role",
                404,
                () -> call(
                        "sts",
                        () -> sts.assumeRole(new AssumeRoleRequest()
                                .setRoleArn(role.getArn() + "x")
                                .setRoleSessionName("nope"))));
        // Without sts:AssumeRole in its own policies a user cannot assume even a role that trusts it.
        String[] noPerm = userKey(null);
        expectError(
                "NoPermission",
                403,
                () -> call(
                        "sts",
                        () -> IamClients.sts(server, noPerm[0], noPerm[1])
                                .assumeRole(new AssumeRoleRequest()
                                        .setRoleArn(role.getArn())
                                        .setRoleSessionName("nope"))));
    }

    @Test
    void getCallerIdentity() {
        var rootSts = IamClients.sts(server, ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
        var id = call("sts", () -> rootSts.getCallerIdentity()).getBody();
        assertThat(id.getAccountId()).isEqualTo(ConformanceServer.ACCOUNT_ID);
        assertThat(id.getIdentityType()).isEqualTo("Account");
        String[] ak = userKey(null);
        var user = call("sts", () -> IamClients.sts(server, ak[0], ak[1]).getCallerIdentity())
                .getBody();
        assertThat(user.getIdentityType()).isEqualTo("RAMUser");
        assertThat(user.getArn()).endsWith(":user/" + ak[2]);
    }
}
