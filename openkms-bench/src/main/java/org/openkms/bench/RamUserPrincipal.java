package org.openkms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The signer of an {@code <Action>-AsRamUser} load (or of the {@code --as-ram-user} one): a throw-away RAM user
 * instead of the root AccessKey, so the cost of authorisation (compiled policy, resource ARN resolution, a
 * condition) shows in the numbers. The user, its policy (the scenario's grants only, each from 127.0.0.0/8, plus
 * a Deny statement) and its AccessKey are created through the RAM API with the root credentials and removed by
 * {@link #close}; {@link RamUsers} makes sure that happens.
 */
final class RamUserPrincipal implements AutoCloseable {
    private static final String RAM_VERSION = "2015-05-01";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiClient root;
    private final String userName;
    private final String policyName;
    private boolean userCreated;
    private boolean policyCreated;
    private boolean attached;
    private String accessKeyId;
    private String accessKeySecret;

    private RamUserPrincipal(ApiClient root, String suffix) {
        this.root = root;
        this.userName = "bench-" + suffix;
        this.policyName = "bench-" + suffix;
    }

    /**
     * Creates the user, its policy and its AccessKey; on a failure, removes what was made before rethrowing.
     *
     * @param root   a client signing with the root AccessKey in RPC mode (its Version parameter can be overridden)
     * @param grants policy action ({@code kms:Encrypt}) to the resource ARN it is allowed on, from
     *               {@link Scenario#ramGrants}
     */
    static RamUserPrincipal create(ApiClient root, Map<String, String> grants) throws IOException {
        RamUserPrincipal p =
                new RamUserPrincipal(root, UUID.randomUUID().toString().substring(0, 8));
        try {
            p.ram("CreateUser", Map.of("UserName", p.userName));
            p.userCreated = true;
            p.ram("CreatePolicy", Map.of("PolicyName", p.policyName, "PolicyDocument", policyDocument(grants)));
            p.policyCreated = true;
            p.ram(
                    "AttachPolicyToUser",
                    Map.of("UserName", p.userName, "PolicyType", "Custom", "PolicyName", p.policyName));
            p.attached = true;
            JsonNode created = p.ram("CreateAccessKey", Map.of("UserName", p.userName));
            p.accessKeyId = ApiClient.field(created, "AccessKey", "AccessKeyId");
            p.accessKeySecret = ApiClient.field(created, "AccessKey", "AccessKeySecret");
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** One Allow statement per grant, each with an IpAddress condition, and a Deny statement. */
    static String policyDocument(Map<String, String> grants) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("Version", "1");
        ArrayNode statements = doc.putArray("Statement");
        grants.forEach((action, resource) -> {
            ObjectNode s = statements.addObject();
            s.put("Effect", "Allow");
            s.putArray("Action").add(action);
            s.putArray("Resource").add(resource);
            s.putObject("Condition")
                    .putObject("IpAddress")
                    .putArray("acs:SourceIp")
                    .add("127.0.0.0/8");
        });
        ObjectNode deny = statements.addObject();
        deny.put("Effect", "Deny");
        deny.putArray("Action").add("kms:Delete*").add("kms:ScheduleKeyDeletion");
        deny.putArray("Resource").add("*");
        return doc.toString();
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

    private JsonNode ram(String action, Map<String, String> params) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("Version", RAM_VERSION);
        return root.call(action, all);
    }

    /**
     * Best effort, in the order RAM requires (a user with keys or policies cannot be deleted): each step that has
     * something to remove is tried even when an earlier one failed, and a failure is reported on stderr.
     */
    @Override
    public void close() {
        if (accessKeyId != null
                && step("DeleteAccessKey", Map.of("UserName", userName, "UserAccessKeyId", accessKeyId))) {
            accessKeyId = null;
        }
        if (attached
                && step(
                        "DetachPolicyFromUser",
                        Map.of("UserName", userName, "PolicyType", "Custom", "PolicyName", policyName))) {
            attached = false;
        }
        if (policyCreated && step("DeletePolicy", Map.of("PolicyName", policyName))) {
            policyCreated = false;
        }
        if (userCreated && step("DeleteUser", Map.of("UserName", userName))) {
            userCreated = false;
        }
    }

    private boolean step(String action, Map<String, String> params) {
        try {
            ram(action, params);
            return true;
        } catch (IOException | RuntimeException e) {
            System.err.println("bench: could not remove RAM user " + userName + " (" + action + "): " + e.getMessage());
            return false;
        }
    }
}
