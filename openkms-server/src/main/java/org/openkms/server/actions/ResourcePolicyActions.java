package org.openkms.server.actions;

import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.iam.Policy;
import org.openkms.core.iam.Statement;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.iam.IamContext;

/**
 * Key and secret policies (api-semantics.md §3.6, §6.2): one policy named "default" per key or secret, evaluated
 * with the caller's RAM policies. Without a stored policy the default one is reported, which delegates to RAM.
 */
public final class ResourcePolicyActions {
    private static final int MAX_POLICY_BYTES = 32768;

    private ResourcePolicyActions() {
    }

    public static void register(ActionRegistry r) {
        r.register("SetKeyPolicy", c -> {
                    c.kms().keys().requireCustomerManaged(c.params().required("KeyId"));
                    return set(c, keyArn(c));
                })
                .register("GetKeyPolicy", c -> get(c, keyArn(c), "kms default key policy"))
                .register("SetSecretPolicy", c -> set(c, secretArn(c)))
                .register("GetSecretPolicy", c -> get(c, secretArn(c), "kms default secret policy"));
    }

    private static String keyArn(Call c) {
        String keyId = c.kms().keys().describeKey(c.params().required("KeyId")).keyId();
        c.keyResource(keyId);
        return c.kms().account().keyArn(keyId);
    }

    private static String secretArn(Call c) {
        String name = c.kms().secrets().describeSecret(c.params().required("SecretName")).secretName();
        c.secretResource(name);
        return c.kms().account().secretArn(name);
    }

    private static void checkPolicyName(Call c) {
        String name = c.params().optional("PolicyName");
        if (name != null && !name.isEmpty() && !"default".equals(name)) {
            throw Errors.resourceNotFound();
        }
    }

    private static Map<String, Object> set(Call c, String arn) {
        checkPolicyName(c);
        String doc = c.params().required("Policy");
        if (doc.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_POLICY_BYTES) {
            throw Errors.invalidParameter("Policy", "It must not exceed " + MAX_POLICY_BYTES + " bytes.");
        }
        IamContext ctx = c.context();
        Policy p;
        try {
            p = ctx.iam().compiler().compile(doc);
        } catch (IllegalArgumentException e) {
            throw Errors.invalidParameter("Policy", "The policy document is malformed: " + e.getMessage());
        }
        for (Statement s : p.statements()) {
            if (s.principals().isEmpty()) {
                throw Errors.invalidParameter("Policy", "Every statement of a key or secret policy needs a Principal.");
            }
        }
        ctx.iam().putResourcePolicy(arn, doc);
        return Map.of();
    }

    private static Map<String, Object> get(Call c, String arn, String defaultSid) {
        checkPolicyName(c);
        IamContext ctx = c.context();
        String doc = ctx.iam().resourcePolicyDocument(arn).orElseGet(() -> "{\"Version\":\"1\",\"Statement\":[{\"Sid\":\""
                + defaultSid + "\",\"Effect\":\"Allow\",\"Principal\":{\"RAM\":[\"acs:ram::" + c.kms().account().uid()
                + ":*\"]},\"Action\":[\"kms:*\"],\"Resource\":[\"*\"]}]}");
        return Map.of("Policy", doc);
    }

}
