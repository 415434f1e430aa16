package org.openkms.conformance.instance;

import static org.openkms.conformance.Conformance.unique;

import com.aliyun.kms20160120.models.CreateApplicationAccessPointRequest;
import com.aliyun.kms20160120.models.CreateClientKeyRequest;
import com.aliyun.kms20160120.models.CreateNetworkRuleRequest;
import com.aliyun.kms20160120.models.CreatePolicyRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.openkms.conformance.V2Api;

/**
 * What an administrator sets up for an application of the dedicated gateway, through the V2 SDK as the tests must:
 * a network rule for loopback, a policy of the instance (templates, resources, that rule), an access point with
 * ClientKey authentication, and one ClientKey. Tests with other shapes (no network rule, another source range)
 * make theirs by hand.
 */
public final class AccessPointFixture {
    public static final String KEY_USER = "RbacPermission/Template/CryptoServiceKeyUser";
    public static final String SECRET_USER = "RbacPermission/Template/CryptoServiceSecretUser";

    private AccessPointFixture() {}

    /** The ClientKey as CreateClientKey returned it, and the access point it belongs to. */
    public record Issued(String clientKeyId, String privateKeyData, String aapName) {
        /** The client key file the SDKs read: {@code {"KeyId":…,"PrivateKeyData":…}}. */
        public String clientKeyJson() {
            return "{\"KeyId\":\"" + clientKeyId + "\",\"PrivateKeyData\":\"" + privateKeyData + "\"}";
        }
    }

    /**
     * @param permissions RBAC templates, e.g. {@link #KEY_USER}
     * @param resources   e.g. {@code key/<id>}, {@code secret/*}, {@code alias/<name>}
     */
    public static Issued issue(
            V2Api root, String instanceId, List<String> permissions, List<String> resources, String password) {
        var c = root.client();
        String rule = unique("net");
        root.call(() -> c.createNetworkRule(new CreateNetworkRuleRequest()
                .setName(rule)
                .setType("Private")
                .setSourcePrivateIp("[\"127.0.0.1/32\"]")));
        String policy = unique("pol");
        root.call(() -> c.createPolicy(new CreatePolicyRequest()
                .setName(policy)
                .setKmsInstance(instanceId)
                .setPermissions(json(permissions))
                .setResources(json(resources))
                .setAccessControlRules("{\"NetworkRules\":[\"" + rule + "\"]}")));
        String aap = unique("aap");
        root.call(() -> c.createApplicationAccessPoint(new CreateApplicationAccessPointRequest()
                .setName(aap)
                .setAuthenticationMethod("ClientKey")
                .setPolicies("[\"" + policy + "\"]")));
        var ck = root.call(() -> c.createClientKey(
                        new CreateClientKeyRequest().setAapName(aap).setPassword(password)))
                .getBody();
        return new Issued(ck.getClientKeyId(), ck.getPrivateKeyData(), aap);
    }

    private static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
