package org.openkms.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code --as-ram-user}: the load is signed by a throw-away RAM user instead of the root AccessKey, so the
 * cost of authorisation (compiled policy, resource ARN resolution, a condition) shows in the numbers. The
 * user, its policy (the scenario's action on the bench key only, from 127.0.0.0/8, plus a Deny statement) and
 * its AccessKey are created through the RAM API with the root credentials and removed afterwards.
 */
final class RamUserPrincipal implements AutoCloseable {
    private static final String RAM_VERSION = "2015-05-01";
    private final ApiClient root;
    private final String userName;
    private final String policyName;
    private String accessKeyId;
    private String accessKeySecret;

    private RamUserPrincipal(ApiClient root, String suffix) {
        this.root = root;
        this.userName = "bench-" + suffix;
        this.policyName = "bench-" + suffix;
    }

    /** @param root a client signing with the root AccessKey in RPC mode (its Version parameter can be overridden) */
    static RamUserPrincipal create(ApiClient root, String action, String keyId) throws IOException {
        RamUserPrincipal p =
                new RamUserPrincipal(root, UUID.randomUUID().toString().substring(0, 8));
        String resource = keyId == null ? "*" : "acs:kms:*:*:key/" + keyId;
        String doc = "{\"Version\":\"1\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":[\"kms:" + action + "\",\"kms:DescribeRegions\"],\"Resource\":[\""
                + resource
                + "\"],\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":[\"127.0.0.0/8\"]}}},"
                + "{\"Effect\":\"Deny\",\"Action\":[\"kms:Delete*\",\"kms:ScheduleKeyDeletion\"],\"Resource\":[\"*\"]}]}";
        p.ram("CreateUser", Map.of("UserName", p.userName));
        p.ram("CreatePolicy", Map.of("PolicyName", p.policyName, "PolicyDocument", doc));
        p.ram("AttachPolicyToUser", Map.of("UserName", p.userName, "PolicyType", "Custom", "PolicyName", p.policyName));
        var created = p.ram("CreateAccessKey", Map.of("UserName", p.userName));
        p.accessKeyId = ApiClient.field(created, "AccessKey", "AccessKeyId");
        p.accessKeySecret = ApiClient.field(created, "AccessKey", "AccessKeySecret");
        return p;
    }

    String userName() {
        return userName;
    }

    String accessKeyId() {
        return accessKeyId;
    }

    String accessKeySecret() {
        return accessKeySecret;
    }

    private com.fasterxml.jackson.databind.JsonNode ram(String action, Map<String, String> params) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("Version", RAM_VERSION);
        return root.call(action, all);
    }

    /** Best effort: a failed step does not stop the others. */
    @Override
    public void close() {
        try {
            if (accessKeyId != null) {
                ram("DeleteAccessKey", Map.of("UserName", userName, "UserAccessKeyId", accessKeyId));
            }
        } catch (IOException ignored) {
            // left behind; the user delete below then fails too and says so
        }
        try {
            ram("DetachPolicyFromUser", Map.of("UserName", userName, "PolicyType", "Custom", "PolicyName", policyName));
            ram("DeletePolicy", Map.of("PolicyName", policyName));
            ram("DeleteUser", Map.of("UserName", userName));
        } catch (IOException e) {
            System.err.println("bench: could not remove RAM user " + userName + ": " + e.getMessage());
        }
    }
}
