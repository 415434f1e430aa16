package org.openkms.conformance.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.unique;

import com.aliyun.kms20160120.models.CreateApplicationAccessPointRequest;
import com.aliyun.kms20160120.models.CreateClientKeyRequest;
import com.aliyun.kms20160120.models.CreateNetworkRuleRequest;
import com.aliyun.kms20160120.models.CreatePolicyRequest;
import com.aliyun.kms20160120.models.DeleteApplicationAccessPointRequest;
import com.aliyun.kms20160120.models.DeleteClientKeyRequest;
import com.aliyun.kms20160120.models.DescribeApplicationAccessPointRequest;
import com.aliyun.kms20160120.models.DescribeNetworkRuleRequest;
import com.aliyun.kms20160120.models.DescribePolicyRequest;
import com.aliyun.kms20160120.models.GetClientKeyRequest;
import com.aliyun.kms20160120.models.ListApplicationAccessPointsRequest;
import com.aliyun.kms20160120.models.ListClientKeysRequest;
import com.aliyun.kms20160120.models.ListNetworkRulesRequest;
import com.aliyun.kms20160120.models.ListPoliciesRequest;
import com.aliyun.kms20160120.models.UpdateNetworkRuleRequest;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.SharedServer;
import org.openkms.conformance.V2Api;

/** Application access points, network rules, permission policies and client keys through the V2 SDK. */
@ExtendWith(SharedServer.class)
class AccessPointConformanceTest {
    private final V2Api root;

    AccessPointConformanceTest(ConformanceServer server) {
        this.root = server.v2();
    }

    @Test
    void fullLifecycle() throws Exception {
        var c = root.client();
        String rule = unique("net");
        var created = root.call(() -> c.createNetworkRule(new CreateNetworkRuleRequest()
                        .setName(rule)
                        .setType("Private")
                        .setSourcePrivateIp("[\"10.0.0.0/8\"]")
                        .setDescription("office")))
                .getBody();
        assertThat(created.getArn()).endsWith(":network/" + rule);
        root.call(() -> c.updateNetworkRule(
                new UpdateNetworkRuleRequest().setName(rule).setSourcePrivateIp("[\"10.0.0.0/8\",\"172.16.0.0/12\"]")));
        assertThat(root.call(() -> c.describeNetworkRule(new DescribeNetworkRuleRequest().setName(rule)))
                        .getBody()
                        .getSourcePrivateIp())
                .contains("172.16.0.0/12");
        assertThat(root.call(() -> c.listNetworkRules(new ListNetworkRulesRequest().setPageSize(100)))
                        .getBody()
                        .getTotalCount())
                .isPositive();

        String policy = unique("pol");
        var p = root.call(() -> c.createPolicy(new CreatePolicyRequest()
                        .setName(policy)
                        .setKmsInstance("kst-openkms")
                        .setPermissions("[\"RbacPermission/Template/CryptoServiceKeyUser\"]")
                        .setResources("[\"key/*\"]")
                        .setAccessControlRules("{\"NetworkRules\":[\"" + rule + "\"]}")))
                .getBody();
        assertThat(p.getPermissions()).isEqualTo("[\"RbacPermission/Template/CryptoServiceKeyUser\"]");
        var described = root.call(() -> c.describePolicy(new DescribePolicyRequest().setName(policy)))
                .getBody();
        assertThat(described.getResources()).containsExactly("key/*");
        assertThat(root.call(() -> c.listPolicies(new ListPoliciesRequest()))
                        .getBody()
                        .getTotalCount())
                .isPositive();
        expectError(
                "Forbidden.ResourceNotFound",
                404,
                () -> root.call(() -> c.createPolicy(new CreatePolicyRequest()
                        .setName(unique("x"))
                        .setPermissions("[\"RbacPermission/Template/CryptoServiceKeyUser\"]")
                        .setResources("[\"key/*\"]")
                        .setAccessControlRules("{\"NetworkRules\":[\"missing\"]}"))));

        String aap = unique("aap");
        root.call(() -> c.createApplicationAccessPoint(new CreateApplicationAccessPointRequest()
                .setName(aap)
                .setAuthenticationMethod("ClientKey")
                .setPolicies("[\"" + policy + "\"]")));
        assertThat(root.call(() -> c.describeApplicationAccessPoint(
                                new DescribeApplicationAccessPointRequest().setName(aap)))
                        .getBody()
                        .getAuthenticationMethod())
                .isEqualTo("ClientKey");
        assertThat(root.call(() -> c.listApplicationAccessPoints(new ListApplicationAccessPointsRequest()))
                        .getBody()
                        .getTotalCount())
                .isPositive();

        var ck = root.call(() -> c.createClientKey(new CreateClientKeyRequest()
                        .setAapName(aap)
                        .setPassword("s3cret-pw")
                        .setNotBefore("2026-01-01T00:00:00Z")
                        .setNotAfter("2031-01-01T00:00:00Z")))
                .getBody();
        assertThat(ck.getClientKeyId()).startsWith("KAAP.");
        assertThat(ck.getKeyAlgorithm()).isEqualTo("RSA_2048");
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(
                new ByteArrayInputStream(Base64.getDecoder().decode(ck.getPrivateKeyData())),
                "s3cret-pw".toCharArray());
        assertThat(p12.isKeyEntry(ck.getClientKeyId())).isTrue();
        var got = root.call(() -> c.getClientKey(new GetClientKeyRequest().setClientKeyId(ck.getClientKeyId())))
                .getBody();
        assertThat(got.getPublicKeyData()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(got.getAapName()).isEqualTo(aap);
        assertThat(got.getNotAfter()).isEqualTo("2031-01-01T00:00:00Z");
        assertThat(root.call(() -> c.listClientKeys(new ListClientKeysRequest().setAapName(aap)))
                        .getBody()
                        .getClientKeys())
                .hasSize(1);

        expectError(
                "InvalidParameter",
                400,
                () -> root.call(() -> c.createClientKey(
                        new CreateClientKeyRequest().setAapName(aap).setPassword("short"))));
        expectError(
                "InvalidParameter",
                400,
                () -> root.call(() -> c.createClientKey(new CreateClientKeyRequest()
                        .setAapName(aap)
                        .setPassword("s3cret-pw")
                        .setNotBefore("2026-01-01T00:00:00Z"))));
        root.call(() -> c.deleteClientKey(new DeleteClientKeyRequest().setClientKeyId(ck.getClientKeyId())));
        expectError(
                "Forbidden.ResourceNotFound",
                404,
                () -> root.call(() -> c.getClientKey(new GetClientKeyRequest().setClientKeyId(ck.getClientKeyId()))));
        root.call(() -> c.deleteApplicationAccessPoint(new DeleteApplicationAccessPointRequest().setName(aap)));
        expectError(
                "Forbidden.ResourceNotFound",
                404,
                () -> root.call(() ->
                        c.describeApplicationAccessPoint(new DescribeApplicationAccessPointRequest().setName(aap))));
    }
}
