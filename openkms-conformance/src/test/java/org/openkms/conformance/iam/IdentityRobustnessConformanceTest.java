package org.openkms.conformance.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.RawRpc;
import org.openkms.conformance.SharedServer;

/**
 * No RAM, STS or key-policy request is answered with a 500, whatever its parameters: every action of the
 * identity APIs is sent with none, with junk, and with oversized values, signed by the root key over raw RPC.
 */
@ExtendWith(SharedServer.class)
class IdentityRobustnessConformanceTest {
    private static final List<String> RAM = List.of(
            "CreateUser",
            "GetUser",
            "ListUsers",
            "DeleteUser",
            "CreateAccessKey",
            "ListAccessKeys",
            "UpdateAccessKey",
            "DeleteAccessKey",
            "CreatePolicy",
            "GetPolicy",
            "ListPolicies",
            "DeletePolicy",
            "AttachPolicyToUser",
            "DetachPolicyFromUser",
            "ListPoliciesForUser",
            "AttachPolicyToRole",
            "DetachPolicyFromRole",
            "ListPoliciesForRole",
            "CreateRole",
            "GetRole",
            "ListRoles",
            "DeleteRole");
    private static final List<String> STS = List.of("AssumeRole", "GetCallerIdentity");
    private static final List<String> KMS = List.of(
            "SetKeyPolicy",
            "GetKeyPolicy",
            "SetSecretPolicy",
            "GetSecretPolicy",
            "CreateNetworkRule",
            "UpdateNetworkRule",
            "DeleteNetworkRule",
            "DescribeNetworkRule",
            "ListNetworkRules",
            "CreatePolicy",
            "UpdatePolicy",
            "DeletePolicy",
            "DescribePolicy",
            "ListPolicies",
            "CreateApplicationAccessPoint",
            "UpdateApplicationAccessPoint",
            "DeleteApplicationAccessPoint",
            "DescribeApplicationAccessPoint",
            "ListApplicationAccessPoints",
            "CreateClientKey",
            "GetClientKey",
            "ListClientKeys",
            "DeleteClientKey");
    private static final List<Map<String, String>> JUNK = List.of(
            m(),
            m(
                    "UserName",
                    "",
                    "RoleName",
                    "",
                    "PolicyName",
                    "",
                    "PolicyType",
                    "",
                    "UserAccessKeyId",
                    "",
                    "RoleArn",
                    "",
                    "RoleSessionName",
                    "",
                    "KeyId",
                    "",
                    "SecretName",
                    "",
                    "Policy",
                    "",
                    "PolicyDocument",
                    "",
                    "Status",
                    ""),
            m(
                    "UserName",
                    "a/b\u0000c",
                    "RoleName",
                    "..",
                    "PolicyName",
                    "x y",
                    "PolicyType",
                    "Weird",
                    "UserAccessKeyId",
                    "nope",
                    "RoleArn",
                    "acs:ram::1:role/",
                    "RoleSessionName",
                    "x",
                    "KeyId",
                    "alias/",
                    "SecretName",
                    "acs:kms:x",
                    "Policy",
                    "{\"Version\":\"1\",\"Statement\":[{}]}",
                    "PolicyDocument",
                    "[1,2",
                    "Status",
                    "Off",
                    "MaxItems",
                    "-1",
                    "Name",
                    "n\u0001",
                    "Type",
                    "Public",
                    "Permissions",
                    "[1]",
                    "Resources",
                    "{}",
                    "AccessControlRules",
                    "[]",
                    "Policies",
                    "[\"a\",\"b\",\"c\",\"d\"]",
                    "AapName",
                    "",
                    "Password",
                    "aaaaaaaa",
                    "NotBefore",
                    "yesterday",
                    "NotAfter",
                    "2020-01-01T00:00:00Z",
                    "ClientKeyId",
                    "KAAP.x",
                    "SourcePrivateIp",
                    "[\"10.0.0.0/33\"]",
                    "PageNumber",
                    "99999999999",
                    "DurationSeconds",
                    "99999999999",
                    "MaxSessionDuration",
                    "1e9",
                    "AssumeRolePolicyDocument",
                    "{"),
            m(
                    "UserName",
                    "u".repeat(5000),
                    "PolicyDocument",
                    "{\"Version\":\"1\",\"Statement\":["
                            + "{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"},".repeat(2000) + "{}]}",
                    "Policy",
                    "x".repeat(40000),
                    "Marker",
                    "\uFFFF",
                    "MaxItems",
                    "abc"));

    private final RawRpc rpc;

    private static Map<String, String> m(String... kv) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    IdentityRobustnessConformanceTest(ConformanceServer server) {
        this.rpc = new RawRpc(server.httpPort());
    }

    @Test
    void noIdentityRequestGetsAServerError() {
        sweep(RAM, "2015-05-01");
        sweep(STS, "2015-04-01");
        sweep(KMS, "2016-01-20");
    }

    private void sweep(List<String> actions, String version) {
        for (String action : actions) {
            for (Map<String, String> junk : JUNK) {
                Map<String, String> p = RawRpc.params(action);
                p.put("Version", version);
                p.putAll(junk);
                // Business parameters travel in a form body (signed together with the query, as RPC allows), so
                // the oversized values reach the gateway instead of the HTTP server's request-line limit.
                String signed = RawRpc.signedQuery(p);
                String signature = signed.substring(signed.lastIndexOf("&Signature=") + 1);
                StringBuilder query = new StringBuilder();
                StringBuilder form = new StringBuilder();
                for (var e : p.entrySet()) {
                    StringBuilder target = junk.containsKey(e.getKey()) ? form : query;
                    target.append(target.isEmpty() ? "" : "&")
                            .append(RawRpc.pe(e.getKey()))
                            .append('=')
                            .append(RawRpc.pe(e.getValue()));
                }
                var response = form.isEmpty()
                        ? rpc.post(query + "&" + signature)
                        : rpc.postForm(query + "&" + signature, form.toString());
                assertThat(response.statusCode())
                        .as("%s %s → %s", action, junk.keySet(), response.body())
                        .isLessThan(500);
                // 414/431: Jetty refuses an oversized request line before the gateway sees it (a transport limit).
                if (response.statusCode() != 200 && response.statusCode() != 414 && response.statusCode() != 431) {
                    assertThat(RawRpc.json(response).path("Code").asText())
                            .as(action)
                            .isNotEmpty();
                }
            }
        }
    }
}
