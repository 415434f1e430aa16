package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.PAGE_NUMBER;
import static org.openkms.server.actions.KmsFields.PAGE_SIZE;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.core.instance.InstanceRecord;
import org.openkms.core.instance.Instances;
import org.openkms.core.secret.SecretService;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.ResourceResolver;
import org.openkms.server.gateway.Targets;
import org.openkms.server.iam.KmsResources;

/**
 * The KMS instances this server is, through the KMS API: ListKmsInstances
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-listkmsinstances),
 * GetKmsInstance (…-getkmsinstance, with the CA clients of its gateway trust), GetDefaultKmsInstance,
 * GetKmsInstanceQuotaInfos (…-getkmsinstancequotainfos), and the purchase-side operations ConnectKmsInstance
 * (…-connectkmsinstance), UpdateKmsInstanceBindVpc (…-updatekmsinstancebindvpc) and ReleaseKmsInstance
 * (…-releasekmsinstance) with the answers a self-hosted instance can honestly give.
 *
 * <p>Every action on one instance is authorised as kms:&lt;action&gt; on acs:kms:&lt;region&gt;:&lt;uid&gt;:keystore/&lt;id&gt;.
 * None of these actions takes DryRun in the API, so, like their neighbours, they ignore it.
 */
final class KmsInstanceActions {
    static final Field<String> KMS_INSTANCE_ID = Field.required("KmsInstanceId");
    /** GetKmsInstanceQuotaInfos: optional; the default instance when absent. */
    static final Field<String> OPTIONAL_KMS_INSTANCE_ID = Field.optional("KmsInstanceId");

    /** The resource types of GetKmsInstanceQuotaInfos, in the order it lists them. */
    static final String KEY = "key";

    static final String SECRET = "secret";
    static final Field<String> RESOURCE_TYPE = Field.of("ResourceType", p -> {
        String v = p.optional("ResourceType");
        if (v == null || v.isEmpty()) {
            return null;
        }
        return switch (v) {
            case KEY, SECRET, "qps", "vpc" -> v;
            default -> throw Errors.invalidParameter("ResourceType", "It must be key, secret, qps or vpc.");
        };
    });

    static final Field<String> KM_PROVIDER = Field.of("KMProvider", p -> {
        String v = p.required("KMProvider");
        if (!v.equals("Aliyun")) {
            throw Errors.invalidParameter("KMProvider", "It must be Aliyun.");
        }
        return v;
    });
    static final Field<String> VPC_ID = Field.required("VpcId");
    static final Field<String> VSWITCH_IDS = Field.required("VSwitchIds");
    static final Field<String> ZONE_IDS = Field.required("ZoneIds");

    /** UpdateKmsInstanceBindVpc's BindVpcs: a JSON array of {VpcId, VSwitchId, RegionId, VpcOwnerId}. */
    static final Field<List<Map<String, String>>> BIND_VPCS = Field.of("BindVpcs", p -> {
        p.required("BindVpcs");
        JsonNode list = p.json("BindVpcs");
        String shape = "It must be a JSON array of {\"VpcId\", \"VSwitchId\", \"RegionId\", \"VpcOwnerId\"} objects.";
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw Errors.invalidParameter("BindVpcs", shape);
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isObject()) {
                throw Errors.invalidParameter("BindVpcs", shape);
            }
            Map<String, String> vpc = new LinkedHashMap<>();
            for (String f : List.of("VpcId", "VSwitchId", "RegionId", "VpcOwnerId")) {
                JsonNode v = item.get(f);
                if (v != null && !v.isNull()) {
                    vpc.put(f, v.asText());
                }
            }
            if (vpc.getOrDefault("VpcId", "").isEmpty()) {
                throw Errors.invalidParameter("BindVpcs", shape);
            }
            out.add(vpc);
        }
        return out;
    });

    /** ReleaseKmsInstance: "true" releases an instance that has no backup. */
    static final Field<Boolean> FORCE_DELETE_WITHOUT_BACKUP = Field.bool("ForceDeleteWithoutBackup", false);

    private KmsInstanceActions() {}

    static void register(ActionRegistry r) {
        r.register(Operation.named("ListKmsInstances")
                        .fields(PAGE_NUMBER, PAGE_SIZE)
                        .targets(KmsResources.container("keystore"))
                        .handle(c -> {
                            Instances instances = c.kms().instances();
                            return Views.page(
                                    "KmsInstances",
                                    "KmsInstance",
                                    instances.list(),
                                    c.get(PAGE_NUMBER),
                                    c.get(PAGE_SIZE),
                                    i -> Map.of(
                                            "KmsInstanceId", i.instanceId(),
                                            "KmsInstanceArn", instances.arn(i.instanceId())));
                        }))
                .register(Operation.named("GetKmsInstance")
                        .fields(KMS_INSTANCE_ID)
                        .targets(instance())
                        .handle(KmsInstanceActions::getKmsInstance))
                .register(Operation.named("GetDefaultKmsInstance")
                        .targets(KmsResources.container("keystore"))
                        .handle(c -> {
                            String id = c.kms().instances().defaultInstanceId();
                            return Map.of("DefaultKmsInstanceId", id == null ? "" : id);
                        }))
                .register(Operation.named("GetKmsInstanceQuotaInfos")
                        .fields(OPTIONAL_KMS_INSTANCE_ID, RESOURCE_TYPE)
                        .targets(instance())
                        .handle(KmsInstanceActions::getKmsInstanceQuotaInfos))
                .register(Operation.named("ConnectKmsInstance")
                        .fields(KMS_INSTANCE_ID, KM_PROVIDER, VPC_ID, VSWITCH_IDS, ZONE_IDS)
                        .targets(instance())
                        .handle(KmsInstanceActions::connectKmsInstance))
                .register(Operation.named("UpdateKmsInstanceBindVpc")
                        .fields(KMS_INSTANCE_ID, BIND_VPCS)
                        .targets(instance())
                        .handle(KmsInstanceActions::updateKmsInstanceBindVpc))
                .register(Operation.named("ReleaseKmsInstance")
                        .fields(KMS_INSTANCE_ID, FORCE_DELETE_WITHOUT_BACKUP)
                        .targets(instance())
                        .handle(KmsInstanceActions::releaseKmsInstance));
    }

    /**
     * kms:&lt;action&gt; on acs:kms:&lt;region&gt;:&lt;uid&gt;:keystore/&lt;id&gt;; the default instance's when the call names
     * none (GetKmsInstanceQuotaInfos, whose KmsInstanceId is optional).
     */
    private static Targets instance() {
        return c -> Targets.Resolved.of(List.of(new ResourceResolver.Target(
                "kms:" + c.action(), c.kms().instances().arn(instanceIdOf(c)))));
    }

    /** KmsInstanceId as given, else the default instance's id (empty while there is none). */
    private static String instanceIdOf(Call c) {
        String id = c.params().optional("KmsInstanceId");
        if (id != null && !id.isEmpty()) {
            return id;
        }
        String defaultId = c.kms().instances().defaultInstanceId();
        return defaultId == null ? "" : defaultId;
    }

    private static Map<String, Object> getKmsInstance(Call c) {
        InstanceRecord i = c.kms().instances().get(c.get(KMS_INSTANCE_ID));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InstanceId", i.instanceId());
        m.put("InstanceName", i.instanceName());
        // A configured instance removed from the configuration keeps its keys and secrets but has no gateway.
        m.put("Status", c.kms().instances().status(i));
        m.put("CaCertificateChainPem", i.caCertificatePem());
        m.put("CreateTime", Views.time(i.createTime()));
        m.put("StartDate", Views.time(i.createTime()));
        m.put("EndDate", "");
        // The instance's own keys and secrets (created with its DKMSInstanceId), not default keys.
        m.put("KeyNum", keysOf(c, i.instanceId()));
        m.put("SecretNum", String.valueOf(secretsOf(c, i.instanceId()))); // a string in the API's model
        m.put("ProductType", "kms_ddi_public_cn");
        m.put("ProductVersion", "3");
        m.put("Spec", 1000);
        m.put("VpcNum", 0);
        m.put("VpcId", "");
        // VswitchIds and ZoneIds are left out: no VPC is bound, and SDK versions disagree on their type.
        m.put("BindVpcs", Views.wrap("BindVpc", List.of()));
        m.put("ChargeType", "");
        m.put("SaleStatus", "Normal");
        m.put("DeletionProtection", false);
        m.put("DeletionProtectionDescription", "");
        m.put("Log", 0);
        m.put("LogStorage", 0);
        m.put("InstanceEndpoint", Instances.endpoint(i.instanceId()));
        return Map.of("KmsInstance", m);
    }

    private static long keysOf(Call c, String instanceId) {
        return c.kms().keys().listKeys().stream()
                .filter(k -> k.inInstance(instanceId))
                .count();
    }

    private static long secretsOf(Call c, String instanceId) {
        return c.kms().secrets().listSecrets().stream()
                .filter(s -> s.inInstance(instanceId))
                .count();
    }

    /**
     * The quotas a self-hosted instance really has: keys (the server's key limit, which CreateKey enforces) and
     * secrets (Secrets Manager's limit), each with the instance's own count. The limits are the server's, shared with
     * default keys and secrets of no instance. No QPS quota (the server does not throttle an instance) and no VPC
     * quota (no VPC can be bound): those types list nothing rather than an invented number. The list is a bare array
     * (KmsInstanceQuotaInfos[]), not the usual wrapper.
     */
    private static Map<String, Object> getKmsInstanceQuotaInfos(Call c) {
        InstanceRecord i = c.kms().instances().get(instanceIdOf(c)); // the one authorised: given, else the default
        String type = c.get(RESOURCE_TYPE);
        List<Map<String, Object>> quotas = new ArrayList<>();
        if (type == null || type.equals(KEY)) {
            quotas.add(quota(KEY, c.kms().keys().maxKeys(), keysOf(c, i.instanceId())));
        }
        if (type == null || type.equals(SECRET)) {
            quotas.add(quota(SECRET, SecretService.MAX_SECRETS, secretsOf(c, i.instanceId())));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KmsInstanceId", i.instanceId());
        out.put("KmsInstanceQuotaInfos", quotas);
        return out;
    }

    private static Map<String, Object> quota(String type, long limit, long used) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ResourceType", type);
        m.put("ResourceQuota", limit);
        m.put("UsedQuantity", used);
        return m;
    }

    /**
     * Connecting activates a purchased instance in a VPC
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-connectkmsinstance).
     * This server's instances are created connected (InUse) by the server itself; an instance in any state but
     * waiting to be connected is refused with Alibaba's code for an instance in the wrong state,
     * Forbidden.DKMSInstanceStateInvalid. Its HTTP status is not documented: 403, like the API's other Forbidden.*
     * refusals of an operation on an existing resource.
     */
    private static Map<String, Object> connectKmsInstance(Call c) {
        InstanceRecord i = c.kms().instances().get(c.get(KMS_INSTANCE_ID));
        String status = c.kms().instances().status(i);
        if (Instances.STATUS_IN_USE.equals(status)) {
            throw stateInvalid("The KMS instance " + i.instanceId() + " is already connected (InUse).");
        }
        if (Instances.STATUS_DISCONNECTED.equals(status)) {
            throw stateInvalid("The KMS instance " + i.instanceId() + " is Disconnected: it is served again when the"
                    + " server's configuration lists its label (" + i.instanceName() + ") under instances.");
        }
        throw stateInvalid("The KMS instance " + i.instanceId() + " is " + status + ", not waiting to connect.");
    }

    /**
     * A self-hosted instance answers on the addresses its server listens on (--instance-listen); it has no VPC to
     * bind, so the operation is refused as unsupported (Rejected.UnsupportedOperation, the API's code for an
     * operation that cannot apply) once the parameters are valid and the instance exists.
     */
    private static Map<String, Object> updateKmsInstanceBindVpc(Call c) {
        InstanceRecord i = c.kms().instances().get(c.get(KMS_INSTANCE_ID)); // BindVpcs was validated as declared
        throw Errors.unsupportedOperation("The KMS instance " + i.instanceId()
                + " is self-hosted: its gateway listens where the server's instance listener is configured"
                + " (--instance-listen, or --instance for a configured instance) and cannot be bound to a VPC.");
    }

    /**
     * The server's instance serves its dedicated gateway and holds its instance keys and secrets, and the server
     * makes it again on start if it is missing, so releasing it cannot be honoured (and would strand every key in
     * it): refused as unsupported, whatever ForceDeleteWithoutBackup says. An unknown id is not found, as for
     * GetKmsInstance.
     */
    private static Map<String, Object> releaseKmsInstance(Call c) {
        InstanceRecord i = c.kms().instances().get(c.get(KMS_INSTANCE_ID));
        throw Errors.unsupportedOperation("The KMS instance " + i.instanceId()
                + " is this server's own instance (its dedicated gateway and its keys); it cannot be released.");
    }

    private static KmsException stateInvalid(String message) {
        return new KmsException(403, "Forbidden.DKMSInstanceStateInvalid", message);
    }
}
