package org.openkms.conformance.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.unique;

import com.aliyun.kms20160120.models.ConnectKmsInstanceRequest;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.GetKmsInstanceRequest;
import com.aliyun.kms20160120.models.ListKeysRequest;
import com.aliyun.kms20160120.models.ListSecretsRequest;
import com.aliyun.kms20160120.models.UpdateKmsInstanceBindVpcRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.SharedServer;
import org.openkms.conformance.V2Api;

/**
 * The KMS API's instance operations through the official V2 SDK ({@code com.aliyun:kms20160120}): the quotas an
 * instance reports, and the purchase-side operations a self-hosted instance answers with Alibaba's refusals
 * (ConnectKmsInstance, UpdateKmsInstanceBindVpc, ReleaseKmsInstance). GetKmsInstanceQuotaInfos and
 * ReleaseKmsInstance are newer than the SDK version used here, so they go through its generic {@code callApi}, the
 * way the SDK calls any operation.
 */
@ExtendWith(SharedServer.class)
class KmsInstanceOperationsConformanceTest {
    private static final String UNKNOWN = "kst-hzz000000000000000000";

    private final ConformanceServer server;
    private final V2Api root;
    private final String instanceId;

    KmsInstanceOperationsConformanceTest(ConformanceServer server) {
        this.server = server;
        this.root = server.v2();
        this.instanceId = server.server().instanceId();
    }

    @Test
    void quotaInfosCountTheInstancesOwnKeysAndSecrets() {
        var c = root.client();
        root.call(() -> c.createKey(new CreateKeyRequest().setKeySpec("Aliyun_AES_256")));
        root.call(() ->
                c.createKey(new CreateKeyRequest().setKeySpec("Aliyun_AES_256").setDKMSInstanceId(instanceId)));
        root.call(() -> c.createSecret(new CreateSecretRequest()
                .setSecretName(unique("quota-"))
                .setSecretData("x")
                .setVersionId("v1")
                .setDKMSInstanceId(instanceId)));
        long instanceKeys = countKeys("[{\"Key\":\"DKMSInstanceId\",\"Values\":[\"" + instanceId + "\"]}]");
        long instanceSecrets = countSecrets("[{\"Key\":\"DKMSInstanceId\",\"Values\":[\"" + instanceId + "\"]}]");
        long allKeys = countKeys(null);
        assertThat(instanceKeys).isPositive().isLessThan(allKeys);
        assertThat(instanceSecrets).isPositive();

        Map<String, Object> all = call("GetKmsInstanceQuotaInfos", Map.of("KmsInstanceId", instanceId));
        assertThat(all).containsEntry("KmsInstanceId", instanceId).containsKey("RequestId");
        // A bare array, not the usual {"Plural": {"Singular": [...]}} wrapper.
        // The limits are the server's (KmsSettings' 10 000 keys, Secrets Manager's 100 000 secrets).
        assertThat(quotas(all))
                .extracting(q -> q.get("ResourceType"), q -> number(q, "ResourceQuota"), q -> number(q, "UsedQuantity"))
                .containsExactly(tuple("key", 10_000L, instanceKeys), tuple("secret", 100_000L, instanceSecrets));

        // KmsInstanceId is optional: the default instance. ResourceType narrows the list.
        Map<String, Object> keys = call("GetKmsInstanceQuotaInfos", Map.of("ResourceType", "key"));
        assertThat(keys).containsEntry("KmsInstanceId", instanceId);
        assertThat(quotas(keys)).extracting(q -> q.get("ResourceType")).containsExactly("key");
        // No QPS or VPC quota on a self-hosted instance: nothing is listed rather than an invented number.
        assertThat(quotas(call("GetKmsInstanceQuotaInfos", Map.of("ResourceType", "qps"))))
                .isEmpty();
        assertThat(quotas(call("GetKmsInstanceQuotaInfos", Map.of("ResourceType", "vpc"))))
                .isEmpty();

        // GetKmsInstance counts the same keys and secrets: the instance's own.
        var got = root.call(() -> c.getKmsInstance(new GetKmsInstanceRequest().setKmsInstanceId(instanceId)))
                .getBody()
                .getKmsInstance();
        assertThat(got.getKeyNum()).isEqualTo(instanceKeys);
        assertThat(got.getSecretNum()).isEqualTo(String.valueOf(instanceSecrets));

        expectError(
                "InvalidParameter",
                400,
                () -> call("GetKmsInstanceQuotaInfos", Map.of("KmsInstanceId", instanceId, "ResourceType", "hsm")));
        expectError(
                "Forbidden.DKMSInstanceNotFound",
                404,
                () -> call("GetKmsInstanceQuotaInfos", Map.of("KmsInstanceId", UNKNOWN)));
    }

    @Test
    void connectingTheConnectedInstanceIsRefusedForItsState() {
        var c = root.client();
        ConnectKmsInstanceRequest connect = new ConnectKmsInstanceRequest()
                .setKmsInstanceId(instanceId)
                .setKMProvider("Aliyun")
                .setVpcId("vpc-bp1example")
                .setVSwitchIds("vsw-bp1a,vsw-bp1b")
                .setZoneIds("cn-hangzhou-k,cn-hangzhou-j");
        expectError("Forbidden.DKMSInstanceStateInvalid", 403, () -> root.call(() -> c.connectKmsInstance(connect)));
        expectError(
                "Forbidden.DKMSInstanceNotFound",
                404,
                () -> root.call(() -> c.connectKmsInstance(new ConnectKmsInstanceRequest()
                        .setKmsInstanceId(UNKNOWN)
                        .setKMProvider("Aliyun")
                        .setVpcId("vpc-bp1example")
                        .setVSwitchIds("vsw-bp1a,vsw-bp1b")
                        .setZoneIds("cn-hangzhou-k,cn-hangzhou-j"))));
        expectError(
                "MissingParameter",
                400,
                () -> root.call(() -> c.connectKmsInstance(new ConnectKmsInstanceRequest()
                        .setKmsInstanceId(instanceId)
                        .setKMProvider("Aliyun")
                        .setVSwitchIds("vsw-bp1a")
                        .setZoneIds("cn-hangzhou-k"))));
        expectError(
                "InvalidParameter",
                400,
                () -> root.call(() -> c.connectKmsInstance(new ConnectKmsInstanceRequest()
                        .setKmsInstanceId(instanceId)
                        .setKMProvider("Other")
                        .setVpcId("vpc-bp1example")
                        .setVSwitchIds("vsw-bp1a")
                        .setZoneIds("cn-hangzhou-k"))));
        // Still connected and serving.
        assertThat(root.call(() -> c.getKmsInstance(new GetKmsInstanceRequest().setKmsInstanceId(instanceId)))
                        .getBody()
                        .getKmsInstance()
                        .getStatus())
                .isEqualTo("InUse");
    }

    @Test
    void bindingAVpcIsUnsupported() {
        var c = root.client();
        String vpcs = "[{\"VpcId\":\"vpc-bp1example\",\"VSwitchId\":\"vsw-bp1a\",\"RegionId\":\"cn-hangzhou\","
                + "\"VpcOwnerId\":\"" + ConformanceServer.ACCOUNT_ID + "\"}]";
        expectError(
                "Rejected.UnsupportedOperation",
                400,
                () -> root.call(() -> c.updateKmsInstanceBindVpc(new UpdateKmsInstanceBindVpcRequest()
                        .setKmsInstanceId(instanceId)
                        .setBindVpcs(vpcs))));
        expectError(
                "InvalidParameter",
                400,
                () -> root.call(() -> c.updateKmsInstanceBindVpc(new UpdateKmsInstanceBindVpcRequest()
                        .setKmsInstanceId(instanceId)
                        .setBindVpcs("{\"VpcId\":\"vpc-1\"}"))));
        expectError(
                "MissingParameter",
                400,
                () -> root.call(() -> c.updateKmsInstanceBindVpc(
                        new UpdateKmsInstanceBindVpcRequest().setKmsInstanceId(instanceId))));
        expectError(
                "Forbidden.DKMSInstanceNotFound",
                404,
                () -> root.call(() -> c.updateKmsInstanceBindVpc(new UpdateKmsInstanceBindVpcRequest()
                        .setKmsInstanceId(UNKNOWN)
                        .setBindVpcs(vpcs))));
    }

    @Test
    void theServersOwnInstanceCannotBeReleased() {
        expectError(
                "Rejected.UnsupportedOperation",
                400,
                () -> call(
                        "ReleaseKmsInstance", Map.of("KmsInstanceId", instanceId, "ForceDeleteWithoutBackup", "true")));
        expectError(
                "Rejected.UnsupportedOperation",
                400,
                () -> call("ReleaseKmsInstance", Map.of("KmsInstanceId", instanceId)));
        expectError(
                "Forbidden.DKMSInstanceNotFound",
                404,
                () -> call("ReleaseKmsInstance", Map.of("KmsInstanceId", UNKNOWN)));
        expectError("MissingParameter", 400, () -> call("ReleaseKmsInstance", Map.of()));
        // Nothing was released: the instance is still listed and serving.
        var c = root.client();
        assertThat(root.call(() -> c.getKmsInstance(new GetKmsInstanceRequest().setKmsInstanceId(instanceId)))
                        .getBody()
                        .getKmsInstance()
                        .getStatus())
                .isEqualTo("InUse");
    }

    @Test
    void eachOperationIsAuthorisedOnTheInstancesKeystoreResource() throws Exception {
        // A RAM user allowed two of the actions on this instance only (acs:kms:<region>:<uid>:keystore/<id>).
        var ram = new com.aliyun.ram20150501.Client(new com.aliyun.teaopenapi.models.Config()
                .setAccessKeyId(ConformanceServer.ACCESS_KEY_ID)
                .setAccessKeySecret(ConformanceServer.ACCESS_KEY_SECRET)
                .setEndpoint("127.0.0.1:" + server.httpPort())
                .setRegionId(ConformanceServer.REGION)
                .setProtocol("http"));
        String user = unique("inst-op-");
        String policy = unique("inst-op-p-");
        ram.createUser(new com.aliyun.ram20150501.models.CreateUserRequest().setUserName(user));
        ram.createPolicy(new com.aliyun.ram20150501.models.CreatePolicyRequest()
                .setPolicyName(policy)
                .setPolicyDocument("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":[\"kms:GetKmsInstanceQuotaInfos\",\"kms:ReleaseKmsInstance\"],"
                        + "\"Resource\":[\"acs:kms:" + ConformanceServer.REGION + ":" + ConformanceServer.ACCOUNT_ID
                        + ":keystore/" + instanceId + "\"]}]}"));
        ram.attachPolicyToUser(new com.aliyun.ram20150501.models.AttachPolicyToUserRequest()
                .setUserName(user)
                .setPolicyType("Custom")
                .setPolicyName(policy));
        var ak = ram.createAccessKey(new com.aliyun.ram20150501.models.CreateAccessKeyRequest().setUserName(user))
                .getBody()
                .getAccessKey();
        V2Api limited =
                V2Api.create(server.httpPort(), null, V2Api.Signing.ACS3, ak.getAccessKeyId(), ak.getAccessKeySecret());

        assertThat(call(limited, "GetKmsInstanceQuotaInfos", Map.of("KmsInstanceId", instanceId)))
                .containsEntry("KmsInstanceId", instanceId);
        // Without KmsInstanceId the resource is the default instance: the same one.
        assertThat(call(limited, "GetKmsInstanceQuotaInfos", Map.of())).containsEntry("KmsInstanceId", instanceId);
        // Authorised, then refused for what it is.
        expectError(
                "Rejected.UnsupportedOperation",
                400,
                () -> call(limited, "ReleaseKmsInstance", Map.of("KmsInstanceId", instanceId)));
        // Another keystore, or an action not granted: denied before anything is looked up.
        expectError(
                "Forbidden.NoPermission",
                403,
                () -> call(limited, "GetKmsInstanceQuotaInfos", Map.of("KmsInstanceId", UNKNOWN)));
        var lc = limited.client();
        expectError(
                "Forbidden.NoPermission",
                403,
                () -> limited.call(() -> lc.connectKmsInstance(new ConnectKmsInstanceRequest()
                        .setKmsInstanceId(instanceId)
                        .setKMProvider("Aliyun")
                        .setVpcId("vpc-bp1example")
                        .setVSwitchIds("vsw-bp1a")
                        .setZoneIds("cn-hangzhou-k"))));
        expectError(
                "Forbidden.NoPermission",
                403,
                () -> limited.call(() -> lc.updateKmsInstanceBindVpc(new UpdateKmsInstanceBindVpcRequest()
                        .setKmsInstanceId(instanceId)
                        .setBindVpcs("[{\"VpcId\":\"vpc-1\"}]"))));
    }

    // ---- helpers

    private long countKeys(String filters) {
        var c = root.client();
        ListKeysRequest r = new ListKeysRequest().setPageSize(1);
        if (filters != null) {
            r.setFilters(filters);
        }
        return root.call(() -> c.listKeys(r)).getBody().getTotalCount();
    }

    private long countSecrets(String filters) {
        var c = root.client();
        return root.call(() ->
                        c.listSecrets(new ListSecretsRequest().setPageSize(1).setFilters(filters)))
                .getBody()
                .getTotalCount();
    }

    /** An operation through the SDK's generic caller (RPC style, like its typed methods); answers the body. */
    private Map<String, Object> call(String action, Map<String, String> query) {
        return call(root, action, query);
    }

    private static Map<String, Object> call(V2Api api, String action, Map<String, String> query) {
        return api.rpc(action, "2016-01-20", query);
    }

    /** A JSON number of the answer, whatever type the SDK's JSON reader made of it. */
    private static long number(Map<String, Object> m, String name) {
        return ((Number) m.get(name)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> quotas(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("KmsInstanceQuotaInfos");
    }
}
