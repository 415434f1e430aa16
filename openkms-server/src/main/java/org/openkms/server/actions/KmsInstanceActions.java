package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.PAGE_NUMBER;
import static org.openkms.server.actions.KmsFields.PAGE_SIZE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.instance.InstanceRecord;
import org.openkms.core.instance.Instances;
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
 * GetKmsInstance (…-getkmsinstance, with the CA clients of its gateway trust) and GetDefaultKmsInstance.
 */
final class KmsInstanceActions {
    static final Field<String> KMS_INSTANCE_ID = Field.required("KmsInstanceId");

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
                            List<InstanceRecord> all = c.kms().instances().list();
                            return Map.of(
                                    "DefaultKmsInstanceId",
                                    all.isEmpty() ? "" : all.get(0).instanceId());
                        }));
    }

    /** kms:&lt;action&gt; on acs:kms:&lt;region&gt;:&lt;uid&gt;:keystore/&lt;id&gt;. */
    private static Targets instance() {
        return c -> Targets.Resolved.of(List.of(new ResourceResolver.Target(
                "kms:" + c.action(), c.kms().instances().arn(c.params().optional("KmsInstanceId")))));
    }

    private static Map<String, Object> getKmsInstance(Call c) {
        InstanceRecord i = c.kms().instances().get(c.get(KMS_INSTANCE_ID));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("InstanceId", i.instanceId());
        m.put("InstanceName", i.instanceName());
        m.put("Status", i.status());
        m.put("CaCertificateChainPem", i.caCertificatePem());
        m.put("CreateTime", Views.time(i.createTime()));
        m.put("StartDate", Views.time(i.createTime()));
        m.put("EndDate", "");
        // Every key and secret of this server is usable on the instance's gateway.
        m.put("KeyNum", c.kms().keys().listKeys().size());
        m.put("SecretNum", String.valueOf(c.kms().secrets().listSecrets().size())); // a string in the API's model
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
}
