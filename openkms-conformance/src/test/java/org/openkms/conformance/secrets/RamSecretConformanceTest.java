package org.openkms.conformance.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.unique;

import com.aliyun.ram20150501.models.AttachPolicyToUserRequest;
import com.aliyun.ram20150501.models.CreateAccessKeyRequest;
import com.aliyun.ram20150501.models.CreateUserRequest;
import com.aliyun.ram20150501.models.ListAccessKeysRequest;
import com.aliyun.teaopenapi.models.Config;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.KmsApi;
import org.openkms.conformance.V2Api;

/**
 * RAMCredentials secrets end to end with the official SDKs: the RAM SDK (ram20150501) creates the user and its
 * AccessKey, the V2 KMS SDK (kms20160120) stores it as a RAM secret, and a KMS client signed with the secret's value
 * works before and after RotateSecret. The server runs with {@code ramSecretOverlap} 0, so the rotation deletes the
 * old AccessKey at once and the shared gateway refuses it with InvalidAccessKeyId.NotFound, which the RAM secret
 * plug-in takes as the signal to read the secret again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RamSecretConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private ConformanceServer server;
    private com.aliyun.ram20150501.Client ram;
    private V2Secrets secrets;

    @BeforeAll
    void start() throws Exception {
        server = ConformanceServer.start(ConformanceServer.config(dir).withRamSecretOverlap(Duration.ZERO));
        ram = new com.aliyun.ram20150501.Client(new Config()
                .setAccessKeyId(ConformanceServer.ACCESS_KEY_ID)
                .setAccessKeySecret(ConformanceServer.ACCESS_KEY_SECRET)
                .setEndpoint("127.0.0.1:" + server.httpPort())
                .setRegionId(ConformanceServer.REGION)
                .setProtocol("http"));
        secrets = new V2Secrets(server.v2());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String data(String id, String secret) {
        return "{\"AccessKeys\":[{\"AccessKeyId\":\"" + id + "\",\"AccessKeySecret\":\"" + secret + "\"}]}";
    }

    private static String config(String user) {
        return "{\"SecretSubType\":\"RamUserAccessKey\",\"UserName\":\"" + user + "\"}";
    }

    private static KmsApi kms(ConformanceServer server, JsonNode value) {
        return V2Api.create(
                server.httpPort(),
                null,
                V2Api.Signing.ACS3,
                value.get("AccessKeyId").asText(),
                value.get("AccessKeySecret").asText());
    }

    @Test
    void ramSecretRotatesTheUsersAccessKey() throws Exception {
        String user = unique("ramsecret");
        ram.createUser(new CreateUserRequest().setUserName(user));
        ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                .setUserName(user)
                .setPolicyType("System")
                .setPolicyName("AliyunKMSFullAccess"));
        var ak = ram.createAccessKey(new CreateAccessKeyRequest().setUserName(user))
                .getBody()
                .getAccessKey();
        String id1 = ak.getAccessKeyId();
        String secret1 = ak.getAccessKeySecret();

        // A pair that does not authenticate is refused, and so is a user this server does not have.
        expectError(
                "InvalidParameter",
                400,
                () -> secrets.createSecret(
                        "$Auto",
                        "v1",
                        data(id1, secret1 + "x"),
                        "text",
                        "RAMCredentials",
                        config(user),
                        null,
                        null,
                        null,
                        null));
        expectError(
                "EntityNotExist.User",
                404,
                () -> secrets.createSecret(
                        "$Auto",
                        "v1",
                        data(id1, secret1),
                        "text",
                        "RAMCredentials",
                        config(user + "-none"),
                        null,
                        null,
                        null,
                        null));

        var created = secrets.createSecret(
                "$Auto", "v1", data(id1, secret1), "text", "RAMCredentials", config(user), null, null, true, "604800s");
        String name = "acs/ram/user/" + user;
        assertThat(created.secretName()).isEqualTo(name);
        assertThat(created.secretType()).isEqualTo("RAMCredentials");
        var described = secrets.describeSecret(name, null);
        assertThat(described.extendedConfig()).contains("RamUserAccessKey", user);
        assertThat(described.rotationInterval()).isEqualTo("604800s");
        assertThat(described.nextRotationDate()).isNotBlank();
        assertThat(described.automaticRotation()).isEqualTo("Enabled");

        JsonNode v1 =
                JSON.readTree(secrets.getSecretValue(name, null, null, null).secretData());
        assertThat(v1.get("AccessKeyId").asText()).isEqualTo(id1);
        assertThat(v1.get("AccessKeySecret").asText()).isEqualTo(secret1);
        assertThat(v1.get("GenerateTimestamp").asText()).isNotBlank();
        KmsApi before = kms(server, v1);
        assertThat(before.listKeys(null, null, null)).isNotNull();

        assertThat(secrets.rotateSecret(name, "r1").versionId()).isEqualTo("r1");
        JsonNode v2 =
                JSON.readTree(secrets.getSecretValue(name, null, null, null).secretData());
        assertThat(v2.get("AccessKeyId").asText()).isNotEqualTo(id1);
        JsonNode previous = JSON.readTree(
                secrets.getSecretValue(name, null, "ACSPrevious", null).secretData());
        assertThat(previous.get("AccessKeyId").asText()).isEqualTo(id1);
        KmsApi after = kms(server, v2);
        assertThat(after.listKeys(null, null, null)).isNotNull();

        // Overlap 0: the rotation retired the old AccessKey; RAM lists only the new one.
        expectError("InvalidAccessKeyId.NotFound", 404, () -> before.listKeys(null, null, null));
        var keys = ram.listAccessKeys(new ListAccessKeysRequest().setUserName(user))
                .getBody()
                .getAccessKeys()
                .getAccessKey();
        assertThat(keys)
                .extracting(k -> k.getAccessKeyId())
                .containsExactly(v2.get("AccessKeyId").asText());

        // Neither AccessKey secret reaches the audit log (CreateSecret, GetSecretValue, RotateSecret records).
        Path log = server.dataDir().resolve("audit").resolve("audit.log");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.readAllLines(log))
                        .anySatisfy(l -> assertThat(l).contains("RotateSecret")));
        List<String> lines = Files.readAllLines(log);
        String secret2 = v2.get("AccessKeySecret").asText();
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains(secret1));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains(secret2));
    }
}
