package org.openkms.core.iam;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.openkms.core.Account;
import org.openkms.core.error.KmsException;
import org.openkms.crypto.SecureRandoms;

/**
 * RAM users, roles, policies and attachments, held in memory (write-through to storage) so that authorising
 * a request never reads the database. Each principal's attached policies are compiled once and cached; any
 * change to policies or attachments drops the whole cache, which is rebuilt lazily on the next request.
 */
public final class IamService {
    public static final int MAX_ACCESS_KEYS_PER_USER = 2;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.@_-]{1,64}");
    private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9-]{1,128}");
    /** RAM's limit on a policy document (custom policies and trust policies). */
    private static final int MAX_POLICY_CHARS = 6144;
    /** KMS's limit on a key or secret policy (bytes; checked by the action, characters here). */
    private static final int MAX_RESOURCE_POLICY_CHARS = 32768;

    private final Account account;
    private final IamRepository repository;
    private final PolicyCompiler compiler;
    private final Clock clock;
    private final Object writeLock = new Object();
    private final Map<String, RamUser> users = new ConcurrentHashMap<>();
    private final Map<String, RamRole> roles = new ConcurrentHashMap<>();
    private final Map<String, PolicyRecord> policies = new ConcurrentHashMap<>();
    private final Map<String, Policy> compiled = new ConcurrentHashMap<>();
    private volatile List<Attachment> attachments;
    private final Map<String, List<Policy>> byPrincipal = new ConcurrentHashMap<>();
    private final Map<String, Policy> resourcePolicies = new ConcurrentHashMap<>();

    public IamService(Account account, IamRepository repository, PolicyCompiler compiler, Clock clock) {
        this.account = account;
        this.repository = repository;
        this.compiler = compiler;
        this.clock = clock;
        reload();
    }

    /**
     * (Re)loads every user, role, policy, attachment and resource policy from storage. Called at start and when
     * another node has written (CacheCoherence). Maps are updated in place, entry by entry, so a concurrent
     * request sees either the old or the new value of an entity, never an empty map.
     */
    public void reload() {
        synchronized (writeLock) {
            Instant epoch = Instant.EPOCH;
            Map<String, PolicyRecord> freshPolicies = new java.util.HashMap<>();
            Map<String, Policy> freshCompiled = new java.util.HashMap<>();
            SystemPolicies.all().forEach((name, d) -> {
                freshPolicies.put(
                        key(PolicyRecord.SYSTEM, name),
                        new PolicyRecord(name, PolicyRecord.SYSTEM, d[0], d[1], epoch, epoch));
                freshCompiled.put(key(PolicyRecord.SYSTEM, name), compiler.compile(d[1]));
            });
            for (PolicyRecord p : repository.listPolicies()) {
                freshPolicies.put(key(p.policyType(), p.policyName()), p);
                freshCompiled.put(key(p.policyType(), p.policyName()), compiler.compile(p.document()));
            }
            Map<String, RamUser> freshUsers = new java.util.HashMap<>();
            repository.listUsers().forEach(u -> freshUsers.put(u.userName(), u));
            Map<String, RamRole> freshRoles = new java.util.HashMap<>();
            repository.listRoles().forEach(r -> freshRoles.put(r.roleName(), r));
            Map<String, Policy> freshResourcePolicies = new java.util.HashMap<>();
            repository
                    .listResourcePolicies()
                    .forEach((arn, doc) -> freshResourcePolicies.put(arn, compiler.compile(doc)));
            replace(users, freshUsers);
            replace(roles, freshRoles);
            replace(policies, freshPolicies);
            replace(compiled, freshCompiled);
            replace(resourcePolicies, freshResourcePolicies);
            attachments = List.copyOf(repository.listAttachments());
            byPrincipal.clear();
        }
    }

    private static <V> void replace(Map<String, V> target, Map<String, V> fresh) {
        target.putAll(fresh);
        target.keySet().retainAll(fresh.keySet());
    }

    public Account account() {
        return account;
    }

    public PolicyCompiler compiler() {
        return compiler;
    }

    // ---- users

    public RamUser createUser(String userName, String displayName, String comments) {
        checkName("UserName", userName);
        if (Principal.ROOT.equalsIgnoreCase(userName)) {
            throw IamErrors.invalidParameter("UserName", "The user name root is reserved.");
        }
        synchronized (writeLock) {
            if (users.containsKey(userName)) {
                throw IamErrors.alreadyExists("User", userName);
            }
            Instant now = clock.instant();
            RamUser u = new RamUser(
                    digits(16),
                    userName,
                    displayName == null || displayName.isEmpty() ? userName : displayName,
                    comments == null ? "" : comments,
                    now,
                    now);
            repository.createUser(u);
            users.put(userName, u);
            return u;
        }
    }

    public RamUser user(String userName) {
        RamUser u = userName == null ? null : users.get(userName);
        if (u == null) {
            throw IamErrors.notExist("User", userName);
        }
        return u;
    }

    public boolean userExists(String userName) {
        return users.containsKey(userName);
    }

    public List<RamUser> users() {
        return users.values().stream()
                .sorted(Comparator.comparing(RamUser::userName))
                .toList();
    }

    /** RAM refuses to delete a user that still has AccessKeys or policies; the caller checks keys. */
    public void deleteUser(String userName) {
        synchronized (writeLock) {
            user(userName);
            if (!policiesOf(Attachment.USER, userName).isEmpty()) {
                throw IamErrors.deleteConflict("User.Policy", "The user has policies attached: " + userName + ".");
            }
            repository.deleteUser(userName);
            users.remove(userName);
            invalidate();
        }
    }

    // ---- roles

    public RamRole createRole(String roleName, String trustPolicy, String description, long maxSessionDuration) {
        checkName("RoleName", roleName);
        compileOrMalformed(trustPolicy);
        if (maxSessionDuration < 3600 || maxSessionDuration > 43200) {
            throw IamErrors.invalidParameter(
                    "MaxSessionDuration", "MaxSessionDuration must be between 3600 and 43200 seconds.");
        }
        synchronized (writeLock) {
            if (roles.containsKey(roleName)) {
                throw IamErrors.alreadyExists("Role", roleName);
            }
            Instant now = clock.instant();
            RamRole r = new RamRole(
                    digits(19),
                    roleName,
                    description == null ? "" : description,
                    trustPolicy,
                    maxSessionDuration,
                    now,
                    now);
            repository.createRole(r);
            roles.put(roleName, r);
            return r;
        }
    }

    public RamRole role(String roleName) {
        RamRole r = roleName == null ? null : roles.get(roleName);
        if (r == null) {
            throw IamErrors.notExist("Role", roleName);
        }
        return r;
    }

    /** A role named by its ARN {@code acs:ram::<uid>:role/<name>} (RAM lower-cases names in ARNs). */
    public Optional<RamRole> roleByArn(String arn) {
        String prefix = "acs:ram::" + account.uid() + ":role/";
        if (arn == null || !arn.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return Optional.empty();
        }
        String name = arn.substring(prefix.length());
        return roles.values().stream()
                .filter(r -> r.roleName().equalsIgnoreCase(name))
                .findFirst();
    }

    public boolean roleExists(String roleName) {
        return roles.containsKey(roleName);
    }

    public List<RamRole> roles() {
        return roles.values().stream()
                .sorted(Comparator.comparing(RamRole::roleName))
                .toList();
    }

    public void deleteRole(String roleName) {
        synchronized (writeLock) {
            role(roleName);
            if (!policiesOf(Attachment.ROLE, roleName).isEmpty()) {
                throw IamErrors.deleteConflict("Role.Policy", "The role has policies attached: " + roleName + ".");
            }
            repository.deleteRole(roleName);
            roles.remove(roleName);
            invalidate();
        }
    }

    /** Whether the role's trust policy lets this principal assume it (action sts:AssumeRole). */
    public boolean trusts(RamRole role, Principal caller) {
        Policy trust = compileOrMalformed(role.assumeRolePolicyDocument());
        AccessRequest r = AccessRequest.of("sts:AssumeRole", role.arn(account.uid()));
        String arn = caller.arn(account.uid());
        // "acs:ram::<uid>:root" in a trust policy means any RAM identity of the account (Alibaba's semantics).
        Decision d = trust.evaluateFor(arn, r).or(trust.evaluateFor("acs:ram::" + account.uid() + ":root", r));
        return d == Decision.ALLOW;
    }

    /**
     * Whether the role's trust policy lets tokens of this OIDC provider assume it: a statement naming the provider
     * ARN (Principal.Federated) whose conditions hold for the token's claims ({@code oidc:iss}, {@code oidc:aud},
     * {@code oidc:sub}, lower-case keys), as in Alibaba's RRSA trust policy.
     */
    public boolean trustsFederated(RamRole role, String providerArn, Map<String, String> claims) {
        Policy trust = compileOrMalformed(role.assumeRolePolicyDocument());
        AccessRequest r = new AccessRequest(
                "sts:AssumeRole", role.arn(account.uid()), "", true, clock.millis(), Map::of, null, claims);
        return trust.evaluateFor(PolicyDocuments.FEDERATED + providerArn, r) == Decision.ALLOW;
    }

    // ---- policies

    public PolicyRecord createPolicy(String policyName, String document, String description) {
        if (policyName == null || !POLICY_NAME.matcher(policyName).matches()) {
            throw IamErrors.invalidParameter("PolicyName", "PolicyName must be 1 to 128 letters, digits or hyphens.");
        }
        Policy p = compileOrMalformed(document);
        synchronized (writeLock) {
            if (policies.containsKey(key(PolicyRecord.CUSTOM, policyName))
                    || policies.containsKey(key(PolicyRecord.SYSTEM, policyName))) {
                throw IamErrors.alreadyExists("Policy", policyName);
            }
            Instant now = clock.instant();
            PolicyRecord r = new PolicyRecord(
                    policyName, PolicyRecord.CUSTOM, description == null ? "" : description, document, now, now);
            repository.createPolicy(r);
            policies.put(key(PolicyRecord.CUSTOM, policyName), r);
            compiled.put(key(PolicyRecord.CUSTOM, policyName), p);
            return r;
        }
    }

    public PolicyRecord policy(String policyType, String policyName) {
        PolicyRecord r = policyName == null ? null : policies.get(key(checkType(policyType), policyName));
        if (r == null) {
            throw IamErrors.notExist("Policy", policyName);
        }
        return r;
    }

    /** All policies, optionally of one type; system first, then custom, each by name. */
    public List<PolicyRecord> policies(String policyType) {
        String t = policyType == null || policyType.isEmpty() ? null : checkType(policyType);
        return policies.values().stream()
                .filter(p -> t == null || p.policyType().equals(t))
                .sorted(Comparator.comparing(PolicyRecord::policyType)
                        .reversed()
                        .thenComparing(PolicyRecord::policyName))
                .toList();
    }

    public void deletePolicy(String policyName) {
        synchronized (writeLock) {
            PolicyRecord p = policy(PolicyRecord.CUSTOM, policyName);
            for (Attachment a : attachments) {
                if (a.policyType().equals(PolicyRecord.CUSTOM) && a.policyName().equals(policyName)) {
                    throw IamErrors.deleteConflict(
                            "Policy." + a.principalType(),
                            "The policy is attached to " + a.principalType().toLowerCase(Locale.ROOT) + " "
                                    + a.principalName() + ".");
                }
            }
            repository.deletePolicy(p.policyName());
            policies.remove(key(PolicyRecord.CUSTOM, policyName));
            compiled.remove(key(PolicyRecord.CUSTOM, policyName));
            invalidate();
        }
    }

    public void attach(String principalType, String principalName, String policyType, String policyName) {
        synchronized (writeLock) {
            principalMustExist(principalType, principalName);
            PolicyRecord p = policy(policyType, policyName);
            for (Attachment a : attachments) {
                if (a.principalType().equals(principalType)
                        && a.principalName().equals(principalName)
                        && a.policyType().equals(p.policyType())
                        && a.policyName().equals(policyName)) {
                    throw IamErrors.alreadyExists(principalType + ".Policy", principalName + "/" + policyName);
                }
            }
            Attachment a = new Attachment(principalType, principalName, p.policyType(), policyName, clock.instant());
            repository.attach(a);
            List<Attachment> next = new ArrayList<>(attachments);
            next.add(a);
            attachments = List.copyOf(next);
            invalidate();
        }
    }

    public void detach(String principalType, String principalName, String policyType, String policyName) {
        synchronized (writeLock) {
            principalMustExist(principalType, principalName);
            String t = checkType(policyType);
            policy(t, policyName);
            if (!repository.detach(principalType, principalName, t, policyName)) {
                throw IamErrors.notExist(principalType + ".Policy", principalName + "/" + policyName);
            }
            attachments = attachments.stream()
                    .filter(a -> !(a.principalType().equals(principalType)
                            && a.principalName().equals(principalName)
                            && a.policyType().equals(t)
                            && a.policyName().equals(policyName)))
                    .toList();
            invalidate();
        }
    }

    /** The users and roles a policy is attached to (RAM ListEntitiesForPolicy); EntityNotExist.Policy if none. */
    public List<Attachment> attachmentsOf(String policyType, String policyName) {
        policy(policyType, policyName);
        return attachments.stream()
                .filter(a -> a.policyType().equals(policyType) && a.policyName().equals(policyName))
                .toList();
    }

    /** The attachments of one user or role, with their policy records. */
    public List<Attachment> policiesOf(String principalType, String principalName) {
        return attachments.stream()
                .filter(a -> a.principalType().equals(principalType)
                        && a.principalName().equals(principalName))
                .toList();
    }

    // ---- key and secret policies

    public void putResourcePolicy(String resourceArn, String document) {
        Policy p = compileOrMalformed(document, MAX_RESOURCE_POLICY_CHARS);
        synchronized (writeLock) {
            repository.putResourcePolicy(resourceArn, document);
            resourcePolicies.put(resourceArn, p);
        }
    }

    public Optional<String> resourcePolicyDocument(String resourceArn) {
        return resourcePolicies.containsKey(resourceArn)
                ? repository.findResourcePolicy(resourceArn)
                : Optional.empty();
    }

    /** Drops the policy of a deleted key or secret. */
    public void deleteResourcePolicy(String resourceArn) {
        synchronized (writeLock) {
            if (resourcePolicies.remove(resourceArn) != null) {
                repository.deleteResourcePolicy(resourceArn);
            }
        }
    }

    /** The compiled key/secret policy: all are held in memory, so absence costs no database read either. */
    public Optional<Policy> resourcePolicy(String resourceArn) {
        return Optional.ofNullable(resourcePolicies.get(resourceArn));
    }

    // ---- evaluation

    /**
     * The decision for a non-root principal: identity policies, combined with the resource's key/secret policy
     * as Alibaba documents for the same account (either may allow; an explicit Deny in either wins).
     */
    public Decision decide(Principal principal, AccessRequest request) {
        if (principal.root()) {
            return Decision.ALLOW;
        }
        Decision identity = Policy.evaluateAll(identityPolicies(principal), request);
        if (identity == Decision.EXPLICIT_DENY || resourcePolicies.isEmpty()) {
            return identity;
        }
        Policy resource = resourcePolicies.get(request.resource());
        return resource == null
                ? identity
                : identity.or(resource.evaluateAsResourcePolicy(principal.arn(account.uid()), request));
    }

    /** The compiled policies attached to a user, or to the role of an STS session; empty for unknown ones. */
    public List<Policy> identityPolicies(Principal principal) {
        String type;
        String name;
        if (Principal.USER.equals(principal.type())) {
            type = Attachment.USER;
            name = principal.name();
            if (!users.containsKey(name)) {
                return List.of();
            }
        } else {
            type = Attachment.ROLE;
            name = principal.roleName();
            if (!roles.containsKey(name)) {
                return List.of(); // a deleted role's sessions keep nothing
            }
        }
        return byPrincipal.computeIfAbsent(
                type + ":" + name,
                k -> policiesOf(type, name).stream()
                        .map(a -> compiled.get(key(a.policyType(), a.policyName())))
                        .filter(p -> p != null)
                        .toList());
    }

    private void invalidate() {
        byPrincipal.clear();
    }

    private void principalMustExist(String principalType, String principalName) {
        if (Attachment.USER.equals(principalType)) {
            user(principalName);
        } else {
            role(principalName);
        }
    }

    private Policy compileOrMalformed(String document) {
        return compileOrMalformed(document, MAX_POLICY_CHARS);
    }

    private Policy compileOrMalformed(String document, int maxChars) {
        if (document == null || document.isEmpty()) {
            throw IamErrors.malformedPolicy("the document is empty.");
        }
        if (document.length() > maxChars) {
            throw IamErrors.malformedPolicy("the document is longer than " + maxChars + " characters.");
        }
        try {
            return compiler.compile(document);
        } catch (IllegalArgumentException e) {
            throw IamErrors.malformedPolicy(e.getMessage());
        }
    }

    private static String checkType(String policyType) {
        if (PolicyRecord.CUSTOM.equals(policyType) || PolicyRecord.SYSTEM.equals(policyType)) {
            return policyType;
        }
        throw new KmsException(400, "InvalidParameter.PolicyType", "PolicyType must be System or Custom.");
    }

    private static void checkName(String param, String name) {
        if (name == null || name.isEmpty()) {
            throw new KmsException(
                    400,
                    "MissingParameter",
                    "The input parameter \"" + param
                            + "\" that is mandatory for processing this request is not supplied.");
        }
        if (!NAME.matcher(name).matches()) {
            throw IamErrors.invalidParameter(param, param + " must be 1 to 64 letters, digits, '.', '@', '_' or '-'.");
        }
    }

    private static String key(String type, String name) {
        return type + ":" + name;
    }

    private static String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        sb.append((char) ('1' + SecureRandoms.current().nextInt(9)));
        for (int i = 1; i < n; i++) {
            sb.append((char) ('0' + SecureRandoms.current().nextInt(10)));
        }
        return sb.toString();
    }
}
