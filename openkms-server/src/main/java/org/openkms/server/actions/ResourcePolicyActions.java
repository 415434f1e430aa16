package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.KEY_ID;
import static org.openkms.server.actions.KmsFields.SECRET_NAME;

import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.iam.Policy;
import org.openkms.core.iam.Statement;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Operation;
import org.openkms.server.iam.IamContext;
import org.openkms.server.iam.KmsResources;

/**
 * Key and secret policies (api-semantics.md §3.6, §6.2): one policy named "default" per key or secret, evaluated
 * with the caller's RAM policies. Without a stored policy the default one is reported, which delegates to RAM.
 */
public final class ResourcePolicyActions {
    private static final int MAX_POLICY_BYTES = 32768;

    private final IamContext ctx;

    private ResourcePolicyActions(IamContext ctx) {
        this.ctx = ctx;
    }

    public static void register(ActionRegistry r, IamContext ctx) {
        new ResourcePolicyActions(ctx).declare(r);
    }

    private void declare(ActionRegistry r) {
        r.register(Operation.named("SetKeyPolicy")
                        .fields(KEY_ID)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            c.kms().keys().requireCustomerManaged(c.keyId());
                            return set(c, keyArn(c));
                        }))
                .register(Operation.named("GetKeyPolicy")
                        .fields(KEY_ID)
                        .targets(KmsResources.key())
                        .handle(c -> get(c, keyArn(c), "kms default key policy")))
                .register(Operation.named("SetSecretPolicy")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(c -> set(c, secretArn(c))))
                .register(Operation.named("GetSecretPolicy")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(c -> get(c, secretArn(c), "kms default secret policy")));
    }

    private String keyArn(Call c) {
        return c.kms().account().keyArn(c.kms().keys().describeKey(c.keyId()).keyId());
    }

    private String secretArn(Call c) {
        return c.kms()
                .account()
                .secretArn(c.kms().secrets().describeSecret(c.get(SECRET_NAME)).secretName());
    }

    private void checkPolicyName(Call c) {
        String name = c.params().optional("PolicyName");
        if (name != null && !name.isEmpty() && !"default".equals(name)) {
            throw Errors.resourceNotFound();
        }
    }

    private Map<String, Object> set(Call c, String arn) {
        checkPolicyName(c);
        String doc = c.params().required("Policy");
        if (doc.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_POLICY_BYTES) {
            throw Errors.invalidParameter("Policy", "It must not exceed " + MAX_POLICY_BYTES + " bytes.");
        }
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

    private Map<String, Object> get(Call c, String arn, String defaultSid) {
        checkPolicyName(c);
        String doc = ctx.iam()
                .resourcePolicyDocument(arn)
                .orElseGet(() -> "{\"Version\":\"1\",\"Statement\":[{\"Sid\":\""
                        + defaultSid + "\",\"Effect\":\"Allow\",\"Principal\":{\"RAM\":[\"acs:ram::"
                        + c.kms().account().uid()
                        + ":*\"]},\"Action\":[\"kms:*\"],\"Resource\":[\"*\"]}]}");
        return Map.of("Policy", doc);
    }
}
