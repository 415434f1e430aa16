package org.openkms.core.store.memory;

import static org.openkms.core.store.memory.Tables.failure;
import static org.openkms.core.store.memory.Tables.millis;
import static org.openkms.core.store.memory.Tables.notNull;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openkms.core.iam.Attachment;
import org.openkms.core.iam.IamRepository;
import org.openkms.core.iam.OidcProvider;
import org.openkms.core.iam.PolicyRecord;
import org.openkms.core.iam.RamRole;
import org.openkms.core.iam.RamUser;

/**
 * iam_users, iam_roles, iam_policies, iam_attachments and resource_policies (V3__iam.sql), oidc_providers
 * (V8/V9__oidc_providers.sql); every column is NOT NULL.
 */
final class InMemoryIamRepository implements IamRepository {
    private static final Comparator<Attachment> ATTACHMENT_ORDER = Comparator.comparing(Attachment::attachDate)
            .thenComparing(Attachment::principalType, Tables.BYTE_ORDER)
            .thenComparing(Attachment::principalName, Tables.BYTE_ORDER)
            .thenComparing(Attachment::policyType, Tables.BYTE_ORDER)
            .thenComparing(Attachment::policyName, Tables.BYTE_ORDER);

    private final InMemoryStorage storage;

    InMemoryIamRepository(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public void createUser(RamUser u) {
        storage.write(t -> {
            notNull(
                    "iam.createUser",
                    "iam_users.user_name",
                    u.userName(),
                    "iam_users.user_id",
                    u.userId(),
                    "iam_users.display_name",
                    u.displayName(),
                    "iam_users.comments",
                    u.comments(),
                    "iam_users.create_date",
                    u.createDate(),
                    "iam_users.update_date",
                    u.updateDate());
            insert(
                    t.users,
                    u.userName(),
                    new RamUser(
                            u.userId(),
                            u.userName(),
                            u.displayName(),
                            u.comments(),
                            millis(u.createDate()),
                            millis(u.updateDate())),
                    "iam.createUser",
                    "iam_users.user_name");
            t.changed();
            return null;
        });
    }

    @Override
    public List<RamUser> listUsers() {
        return storage.read(t -> List.copyOf(t.users.values()));
    }

    @Override
    public boolean deleteUser(String userName) {
        return storage.write(t -> remove(t, t.users, userName));
    }

    @Override
    public void createRole(RamRole r) {
        storage.write(t -> {
            notNull(
                    "iam.createRole",
                    "iam_roles.role_name",
                    r.roleName(),
                    "iam_roles.role_id",
                    r.roleId(),
                    "iam_roles.description",
                    r.description(),
                    "iam_roles.trust_policy",
                    r.assumeRolePolicyDocument(),
                    "iam_roles.create_date",
                    r.createDate(),
                    "iam_roles.update_date",
                    r.updateDate());
            insert(
                    t.roles,
                    r.roleName(),
                    new RamRole(
                            r.roleId(),
                            r.roleName(),
                            r.description(),
                            r.assumeRolePolicyDocument(),
                            r.maxSessionDuration(),
                            millis(r.createDate()),
                            millis(r.updateDate())),
                    "iam.createRole",
                    "iam_roles.role_name");
            t.changed();
            return null;
        });
    }

    @Override
    public List<RamRole> listRoles() {
        return storage.read(t -> List.copyOf(t.roles.values()));
    }

    @Override
    public boolean deleteRole(String roleName) {
        return storage.write(t -> remove(t, t.roles, roleName));
    }

    @Override
    public void createPolicy(PolicyRecord p) {
        storage.write(t -> {
            notNull(
                    "iam.createPolicy",
                    "iam_policies.policy_name",
                    p.policyName(),
                    "iam_policies.policy_type",
                    p.policyType(),
                    "iam_policies.description",
                    p.description(),
                    "iam_policies.document",
                    p.document(),
                    "iam_policies.create_date",
                    p.createDate(),
                    "iam_policies.update_date",
                    p.updateDate());
            insert(
                    t.policies,
                    p.policyName(),
                    new PolicyRecord(
                            p.policyName(),
                            p.policyType(),
                            p.description(),
                            p.document(),
                            millis(p.createDate()),
                            millis(p.updateDate())),
                    "iam.createPolicy",
                    "iam_policies.policy_name");
            t.changed();
            return null;
        });
    }

    @Override
    public List<PolicyRecord> listPolicies() {
        return storage.read(t -> List.copyOf(t.policies.values()));
    }

    @Override
    public boolean deletePolicy(String policyName) {
        return storage.write(t -> remove(t, t.policies, policyName));
    }

    @Override
    public void attach(Attachment a) {
        storage.write(t -> {
            notNull(
                    "iam.attach",
                    "iam_attachments.principal_type",
                    a.principalType(),
                    "iam_attachments.principal_name",
                    a.principalName(),
                    "iam_attachments.policy_type",
                    a.policyType(),
                    "iam_attachments.policy_name",
                    a.policyName(),
                    "iam_attachments.attach_date",
                    a.attachDate());
            List<String> id = List.of(a.principalType(), a.principalName(), a.policyType(), a.policyName());
            if (t.attachments.containsKey(id)) {
                throw failure("iam.attach", "UNIQUE constraint failed: iam_attachments primary key " + id);
            }
            t.attachments.put(
                    id,
                    new Attachment(
                            a.principalType(),
                            a.principalName(),
                            a.policyType(),
                            a.policyName(),
                            millis(a.attachDate())));
            t.changed();
            return null;
        });
    }

    @Override
    public boolean detach(String principalType, String principalName, String policyType, String policyName) {
        return storage.write(t -> {
            if (principalType == null
                    || principalName == null
                    || policyType == null
                    || policyName == null
                    || t.attachments.remove(List.of(principalType, principalName, policyType, policyName)) == null) {
                return false;
            }
            t.changed();
            return true;
        });
    }

    /** Ordered by attach date, then the primary key's columns. */
    @Override
    public List<Attachment> listAttachments() {
        return storage.read(
                t -> t.attachments.values().stream().sorted(ATTACHMENT_ORDER).toList());
    }

    /** Inserts or replaces. */
    @Override
    public void putResourcePolicy(String resourceArn, String document) {
        storage.write(t -> {
            notNull(
                    "iam.putResourcePolicy",
                    "resource_policies.resource_arn",
                    resourceArn,
                    "resource_policies.document",
                    document);
            t.resourcePolicies.put(resourceArn, document);
            t.changed();
            return null;
        });
    }

    @Override
    public Optional<String> findResourcePolicy(String resourceArn) {
        return storage.read(t -> Optional.ofNullable(resourceArn == null ? null : t.resourcePolicies.get(resourceArn)));
    }

    /** Ordered by resource ARN. */
    @Override
    public Map<String, String> listResourcePolicies() {
        return storage.read(t -> new LinkedHashMap<>(t.resourcePolicies));
    }

    @Override
    public void deleteResourcePolicy(String resourceArn) {
        storage.write(t -> {
            if (resourceArn != null) {
                t.resourcePolicies.remove(resourceArn);
            }
            t.changed();
            return null;
        });
    }

    @Override
    public void createOidcProvider(OidcProvider p) {
        storage.write(t -> {
            checkOidcProvider("iam.createOidcProvider", p);
            insert(t.oidcProviders, p.name(), stored(p), "iam.createOidcProvider", "oidc_providers.provider_name");
            return null;
        });
    }

    @Override
    public boolean updateOidcProvider(OidcProvider p) {
        return storage.write(t -> {
            checkOidcProvider("iam.updateOidcProvider", p);
            if (!t.oidcProviders.containsKey(p.name())) {
                return false;
            }
            t.oidcProviders.put(p.name(), stored(p));
            return true;
        });
    }

    /** Ordered by name. */
    @Override
    public List<OidcProvider> listOidcProviders() {
        return storage.read(t -> List.copyOf(t.oidcProviders.values()));
    }

    @Override
    public boolean deleteOidcProvider(String name) {
        return storage.write(t -> name != null && t.oidcProviders.remove(name) != null);
    }

    private static void checkOidcProvider(String operation, OidcProvider p) {
        notNull(
                operation,
                "oidc_providers.provider_name",
                p.name(),
                "oidc_providers.issuer_url",
                p.issuerUrl(),
                "oidc_providers.description",
                p.description(),
                "oidc_providers.create_date",
                p.createDate(),
                "oidc_providers.update_date",
                p.updateDate());
    }

    /** As a row keeps it: dates to the millisecond. */
    private static OidcProvider stored(OidcProvider p) {
        return new OidcProvider(
                p.name(),
                p.issuerUrl(),
                p.fingerprints(),
                p.clientIds(),
                p.issuanceLimitTime(),
                p.description(),
                millis(p.createDate()),
                millis(p.updateDate()));
    }

    /** A duplicate name is a StorageException: the service checks first, under its own lock (IamRepository). */
    private static <V> void insert(TreeMap<String, V> table, String name, V row, String operation, String column) {
        if (table.containsKey(name)) {
            throw failure(operation, "UNIQUE constraint failed: " + column + " " + name);
        }
        table.put(name, row);
    }

    private static boolean remove(Tables t, TreeMap<String, ?> table, String name) {
        if (name == null || table.remove(name) == null) {
            return false;
        }
        t.changed();
        return true;
    }
}
