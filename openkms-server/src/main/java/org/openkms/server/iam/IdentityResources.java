package org.openkms.server.iam;

import java.util.List;
import org.openkms.server.gateway.Params;
import org.openkms.server.gateway.ResourceResolver;

/**
 * Resources of RAM and STS calls: {@code acs:ram:*:<uid>:user/<name>}, {@code …:role/<name>},
 * {@code …:policy/<name>}, {@code …:oidc-provider/<name>} (container {@code acs:ram:*:<uid>:*} otherwise); AssumeRole
 * acts on the role ARN; GetCallerIdentity and the anonymous AssumeRoleWithOIDC need no permission.
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
    public List<Target> targets(String action, Params p, org.openkms.core.iam.Principal caller) {
        String user = p.optional("UserName");
        boolean ownKeys =
                (user == null || user.isEmpty()) && (action.endsWith("AccessKey") || action.equals("ListAccessKeys"));
        if (ownKeys && org.openkms.core.iam.Principal.USER.equals(caller.type())) {
            return List.of(new Target(namespace + ":" + action, prefix + "user/" + caller.name()));
        }
        return targets(action, p);
    }

    /**
     * Each action's resources from the parameters it acts on, never from whichever name happens to be present
     * (an added UserName=&lt;self&gt; must not authorise CreatePolicy). Attaching or detaching a policy acts on the
     * policy as well as on the user or role, so a user allowed to manage one user cannot hand it any policy.
     */
    @Override
    public List<Target> targets(String action, Params p) {
        String a = namespace + ":" + action;
        return switch (action) {
            // AssumeRoleWithOIDC is anonymous: the OIDC token and the role's trust policy authorise it.
            case "GetCallerIdentity", "AssumeRoleWithOIDC" -> List.of();
            case "AssumeRole" -> {
                String arn = p.optional("RoleArn");
                yield List.of(new Target(a, arn == null || arn.isEmpty() ? prefix + "*" : arn));
            }
            case "CreateUser",
                    "GetUser",
                    "DeleteUser",
                    "CreateAccessKey",
                    "ListAccessKeys",
                    "UpdateAccessKey",
                    "DeleteAccessKey",
                    "ListPoliciesForUser" -> List.of(named(a, "user/", p.optional("UserName")));
            case "CreateRole", "GetRole", "DeleteRole", "ListPoliciesForRole" ->
                List.of(named(a, "role/", p.optional("RoleName")));
            case "CreatePolicy", "GetPolicy", "DeletePolicy" -> List.of(named(a, "policy/", p.optional("PolicyName")));
            case "CreateOIDCProvider",
                    "GetOIDCProvider",
                    "UpdateOIDCProvider",
                    "DeleteOIDCProvider",
                    "AddClientIdToOIDCProvider",
                    "RemoveClientIdFromOIDCProvider" ->
                List.of(named(a, "oidc-provider/", p.optional("OIDCProviderName")));
            case "AttachPolicyToUser", "DetachPolicyFromUser" ->
                List.of(named(a, "user/", p.optional("UserName")), named(a, "policy/", p.optional("PolicyName")));
            case "AttachPolicyToRole", "DetachPolicyFromRole" ->
                List.of(named(a, "role/", p.optional("RoleName")), named(a, "policy/", p.optional("PolicyName")));
            default -> List.of(new Target(a, prefix + "*"));
        };
    }

    private Target named(String action, String kind, String name) {
        return new Target(action, name == null || name.isEmpty() ? prefix + "*" : prefix + kind + name);
    }
}
