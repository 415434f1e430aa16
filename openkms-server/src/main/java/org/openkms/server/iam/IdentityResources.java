package org.openkms.server.iam;

import java.util.List;
import org.openkms.server.gateway.Params;
import org.openkms.server.gateway.ResourceResolver;

/**
 * Resources of RAM and STS calls: {@code acs:ram:*:<uid>:user/<name>}, {@code …:role/<name>},
 * {@code …:policy/<name>} (container {@code acs:ram:*:<uid>:*} otherwise); AssumeRole acts on the role ARN;
 * GetCallerIdentity needs no permission.
 */
public final class IdentityResources implements ResourceResolver {
    private final String namespace;
    private final String prefix;

    public IdentityResources(String namespace, String accountUid) {
        this.namespace = namespace;
        this.prefix = "acs:ram:*:" + accountUid + ":";
    }

    /** A RAM user managing its own AccessKeys may omit UserName: the resource is then that user. */
    @Override
    public List<Target> targets(String action, Params p, org.openkms.core.auth.Principal caller) {
        String user = p.optional("UserName");
        boolean ownKeys = (user == null || user.isEmpty()) && (action.endsWith("AccessKey") || action.equals("ListAccessKeys"));
        if (ownKeys && org.openkms.core.auth.Principal.USER.equals(caller.type())) {
            return List.of(new Target(namespace + ":" + action, prefix + "user/" + caller.name()));
        }
        return targets(action, p);
    }

    @Override
    public List<Target> targets(String action, Params p) {
        String a = namespace + ":" + action;
        if ("GetCallerIdentity".equals(action)) {
            return List.of();
        }
        if ("AssumeRole".equals(action)) {
            String arn = p.optional("RoleArn");
            return List.of(new Target(a, arn == null ? prefix + "*" : arn));
        }
        String user = p.optional("UserName");
        if (user != null && !user.isEmpty()) {
            return List.of(new Target(a, prefix + "user/" + user));
        }
        String role = p.optional("RoleName");
        if (role != null && !role.isEmpty()) {
            return List.of(new Target(a, prefix + "role/" + role));
        }
        String policy = p.optional("PolicyName");
        if (policy != null && !policy.isEmpty()) {
            return List.of(new Target(a, prefix + "policy/" + policy));
        }
        return List.of(new Target(a, prefix + "*"));
    }
}
