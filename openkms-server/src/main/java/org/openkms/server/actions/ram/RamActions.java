package org.openkms.server.actions.ram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.AccessKeyRecord;
import org.openkms.core.iam.Attachment;
import org.openkms.core.iam.IamErrors;
import org.openkms.core.iam.IamService;
import org.openkms.core.iam.PolicyRecord;
import org.openkms.core.iam.Principal;
import org.openkms.core.iam.RamRole;
import org.openkms.core.iam.RamUser;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.ResourceResolver;
import org.openkms.server.gateway.Targets;
import org.openkms.server.iam.IamContext;

/**
 * The subset of Alibaba's RAM API (2015-05-01) this server manages identities with: users, their AccessKeys,
 * roles with trust policies, custom and system policies and their attachments, OIDC identity providers. AccessKey secrets are returned
 * by CreateAccessKey only, once.
 */
public final class RamActions {
    public static final String VERSION = "2015-05-01";

    private final IamContext ctx;

    private RamActions(IamContext ctx) {
        this.ctx = ctx;
    }

    /** RAM's actions, working with the server's identities and AccessKeys. */
    public static ActionRegistry registry(IamContext ctx) {
        return new RamActions(ctx).declarations();
    }

    private static final Field<String> POLICY_TYPE = Field.required("PolicyType");
    private static final Field<String> POLICY_NAME = Field.required("PolicyName");

    private ActionRegistry declarations() {
        ActionRegistry r = new ActionRegistry();
        // https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-listentitiesforpolicy
        r.register(Operation.named("ListEntitiesForPolicy")
                .fields(POLICY_TYPE, POLICY_NAME)
                .targets(c -> Targets.Resolved.of(List.of(new ResourceResolver.Target(
                        "ram:ListEntitiesForPolicy",
                        "acs:ram:*:" + uid(c) + ":" + policyResource(c.params().optional("PolicyName"))))))
                .handle(this::listEntitiesForPolicy));
        r.register("CreateUser", this::createUser)
                .register(
                        "GetUser",
                        c -> Map.of("User", RamViews.user(iam(c).user(c.params().required("UserName")))))
                .register(
                        "ListUsers",
                        c -> RamViews.page(
                                c.params(), iam(c).users(), RamUser::userName, RamViews::user, "Users", "User"))
                .register("DeleteUser", this::deleteUser)
                .register("CreateAccessKey", this::createAccessKey)
                .register("ListAccessKeys", this::listAccessKeys)
                .register("UpdateAccessKey", this::updateAccessKey)
                .register("DeleteAccessKey", this::deleteAccessKey)
                .register("CreatePolicy", this::createPolicy)
                .register("GetPolicy", this::getPolicy)
                .register(
                        "ListPolicies",
                        c -> RamViews.page(
                                c.params(),
                                iam(c).policies(c.params().optional("PolicyType")),
                                PolicyRecord::policyName,
                                RamViews::policy,
                                "Policies",
                                "Policy"))
                .register("DeletePolicy", c -> {
                    iam(c).deletePolicy(c.params().required("PolicyName"));
                    return Map.of();
                })
                .register("AttachPolicyToUser", c -> attach(c, Attachment.USER, "UserName"))
                .register("DetachPolicyFromUser", c -> detach(c, Attachment.USER, "UserName"))
                .register("ListPoliciesForUser", c -> listAttached(c, Attachment.USER, "UserName"))
                .register("AttachPolicyToRole", c -> attach(c, Attachment.ROLE, "RoleName"))
                .register("DetachPolicyFromRole", c -> detach(c, Attachment.ROLE, "RoleName"))
                .register("ListPoliciesForRole", c -> listAttached(c, Attachment.ROLE, "RoleName"))
                .register("CreateRole", this::createRole)
                .register(
                        "GetRole",
                        c -> Map.of("Role", RamViews.role(iam(c).role(c.params().required("RoleName")), uid(c))))
                .register(
                        "ListRoles",
                        c -> RamViews.page(
                                c.params(),
                                iam(c).roles(),
                                RamRole::roleName,
                                role -> RamViews.role(role, uid(c)),
                                "Roles",
                                "Role"))
                .register("DeleteRole", c -> {
                    iam(c).deleteRole(c.params().required("RoleName"));
                    return Map.of();
                });
        OidcProviderActions.register(r, ctx);
        return r;
    }

    private IamService iam(Call c) {
        return ctx.iam();
    }

    private String uid(Call c) {
        return c.kms().account().uid();
    }

    private Map<String, Object> createUser(Call c) {
        RamUser u = iam(c).createUser(
                        c.params().required("UserName"),
                        c.params().optional("DisplayName"),
                        c.params().optional("Comments"));
        return Map.of("User", RamViews.user(u));
    }

    /** RAM refuses to delete a user who still has AccessKeys (DeleteConflict.User.AccessKey). */
    private Map<String, Object> deleteUser(Call c) {
        String name = c.params().required("UserName");
        iam(c).user(name);
        if (!ctx.credentials().listFor(name).isEmpty()) {
            throw IamErrors.deleteConflict("User.AccessKey", "The user has AccessKeys: " + name + ".");
        }
        iam(c).deleteUser(name);
        return Map.of();
    }

    /** Without UserName a RAM user acts on their own keys; the root principal must name the user. */
    private String keyOwner(Call c) {
        String name = c.params().optional("UserName");
        if (name == null || name.isEmpty()) {
            Principal p = c.principal();
            if (!Principal.USER.equals(p.type())) {
                throw new KmsException(
                        400,
                        "MissingParameter",
                        "The input parameter \"UserName\" that is mandatory for processing this request is not supplied.");
            }
            name = p.name();
        }
        iam(c).user(name);
        return name;
    }

    private Map<String, Object> createAccessKey(Call c) {
        String owner = keyOwner(c);
        // The per-user limit is checked and enforced atomically, under the monitor RAM secret rotation holds too.
        synchronized (ctx.credentials()) {
            if (ctx.credentials().listFor(owner).size() >= IamService.MAX_ACCESS_KEYS_PER_USER) {
                throw IamErrors.limitExceeded(
                        "User.AccessKey",
                        "The user already has " + IamService.MAX_ACCESS_KEYS_PER_USER + " AccessKeys.");
            }
            String[] pair = ctx.credentials().generate(owner);
            AccessKeyRecord created = ctx.credentials().listFor(owner).stream()
                    .filter(k -> k.accessKeyId().equals(pair[0]))
                    .findFirst()
                    .orElseThrow();
            Map<String, Object> ak = new LinkedHashMap<>(RamViews.accessKey(created));
            ak.put("AccessKeySecret", pair[1]);
            c.auditDetail("created AccessKey " + pair[0] + " for user " + owner);
            return Map.of("AccessKey", ak);
        }
    }

    private Map<String, Object> listAccessKeys(Call c) {
        List<Map<String, Object>> keys = ctx.credentials().listFor(keyOwner(c)).stream()
                .map(RamViews::accessKey)
                .toList();
        return Map.of("AccessKeys", Map.of("AccessKey", keys));
    }

    private AccessKeyRecord ownedKey(Call c, String owner) {
        String id = c.params().required("UserAccessKeyId");
        return ctx.credentials().listFor(owner).stream()
                .filter(k -> k.accessKeyId().equals(id))
                .findFirst()
                .orElseThrow(() -> IamErrors.notExist("User.AccessKey", id));
    }

    private Map<String, Object> updateAccessKey(Call c) {
        String owner = keyOwner(c);
        AccessKeyRecord k = ownedKey(c, owner);
        String status = c.params().required("Status");
        if (!"Active".equals(status) && !"Inactive".equals(status)) {
            throw IamErrors.invalidParameter("Status", "Status must be Active or Inactive.");
        }
        ctx.credentials().updateStatus(k.accessKeyId(), status);
        return Map.of();
    }

    private Map<String, Object> deleteAccessKey(Call c) {
        String owner = keyOwner(c);
        AccessKeyRecord k = ownedKey(c, owner);
        ctx.credentials().delete(k.accessKeyId());
        return Map.of();
    }

    private Map<String, Object> createPolicy(Call c) {
        PolicyRecord p = iam(c).createPolicy(
                        c.params().required("PolicyName"),
                        c.params().required("PolicyDocument"),
                        c.params().optional("Description"));
        return Map.of("Policy", RamViews.policy(p));
    }

    private Map<String, Object> getPolicy(Call c) {
        PolicyRecord p =
                iam(c).policy(c.params().required("PolicyType"), c.params().required("PolicyName"));
        Map<String, Object> policy = new LinkedHashMap<>(RamViews.policy(p));
        policy.put("PolicyDocument", p.document());
        policy.put("AttachmentCount", attachmentCount(c, p));
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("VersionId", "v1");
        version.put("IsDefaultVersion", true);
        version.put("PolicyDocument", p.document());
        version.put("CreateDate", RamViews.date(p.createDate()));
        return Map.of("Policy", policy, "DefaultPolicyVersion", version);
    }

    private int attachmentCount(Call c, PolicyRecord p) {
        int n = 0;
        for (RamUser u : iam(c).users()) {
            n += (int) iam(c).policiesOf(Attachment.USER, u.userName()).stream()
                    .filter(a -> a.policyName().equals(p.policyName()))
                    .count();
        }
        for (RamRole r : iam(c).roles()) {
            n += (int) iam(c).policiesOf(Attachment.ROLE, r.roleName()).stream()
                    .filter(a -> a.policyName().equals(p.policyName()))
                    .count();
        }
        return n;
    }

    private Map<String, Object> attach(Call c, String type, String nameParam) {
        iam(c).attach(
                        type,
                        c.params().required(nameParam),
                        c.params().required("PolicyType"),
                        c.params().required("PolicyName"));
        return Map.of();
    }

    private Map<String, Object> detach(Call c, String type, String nameParam) {
        iam(c).detach(
                        type,
                        c.params().required(nameParam),
                        c.params().required("PolicyType"),
                        c.params().required("PolicyName"));
        return Map.of();
    }

    private Map<String, Object> listAttached(Call c, String type, String nameParam) {
        String name = c.params().required(nameParam);
        if (Attachment.USER.equals(type)) {
            iam(c).user(name);
        } else {
            iam(c).role(name);
        }
        List<Map<String, Object>> rows = iam(c).policiesOf(type, name).stream()
                .map(a -> RamViews.attached(a, iam(c).policy(a.policyType(), a.policyName())))
                .toList();
        return Map.of("Policies", Map.of("Policy", rows));
    }

    /** A named policy, or the account's RAM container when the name is missing (the field check then answers). */
    private static String policyResource(String name) {
        return name == null || name.isEmpty() ? "*" : "policy/" + name;
    }

    private Map<String, Object> listEntitiesForPolicy(Call c) {
        List<Map<String, Object>> users = new ArrayList<>();
        List<Map<String, Object>> roles = new ArrayList<>();
        for (Attachment a : iam(c).attachmentsOf(c.get(POLICY_TYPE), c.get(POLICY_NAME))) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (Attachment.USER.equals(a.principalType())) {
                RamUser u = iam(c).user(a.principalName());
                m.put("UserId", u.userId());
                m.put("UserName", u.userName());
                m.put("DisplayName", u.displayName());
                m.put("AttachDate", RamViews.date(a.attachDate()));
                users.add(m);
            } else {
                RamRole role = iam(c).role(a.principalName());
                m.put("RoleId", role.roleId());
                m.put("RoleName", role.roleName());
                m.put("Arn", role.arn(uid(c)));
                m.put("Description", role.description());
                m.put("AttachDate", RamViews.date(a.attachDate()));
                roles.add(m);
            }
        }
        return Map.of(
                "Users", Map.of("User", users), "Roles", Map.of("Role", roles), "Groups", Map.of("Group", List.of()));
    }

    private Map<String, Object> createRole(Call c) {
        long max = c.params().integer("MaxSessionDuration", 3600, 0, Integer.MAX_VALUE);
        RamRole r = iam(c).createRole(
                        c.params().required("RoleName"),
                        c.params().required("AssumeRolePolicyDocument"),
                        c.params().optional("Description"),
                        max);
        return Map.of("Role", RamViews.role(r, uid(c)));
    }
}
