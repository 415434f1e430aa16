package org.openkms.core.accesspoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.openkms.core.Account;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.AccessRequest;
import org.openkms.core.iam.Condition;
import org.openkms.core.iam.Wildcard;

/**
 * Application access points
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createapplicationaccesspoint,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createpolicy):
 * network rules, permission policies (RBAC templates over key/secret resources, optionally restricted by network
 * rules), access points binding up to 3 policies, and their client keys. Held in memory (write-through), so that
 * {@link #allows} — the function the dedicated gateway will call for each request — reads no database.
 */
public final class AccessPoints {
    static final String RULE = "NetworkRule";
    static final String POLICY = "Policy";
    static final String AAP = "ApplicationAccessPoint";
    static final String CLIENT_KEY = "ClientKey";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the two RBAC templates of CreatePolicy allow ("cryptographic operations", "secret values"). */
    static final Map<String, Set<String>> TEMPLATES = Map.of(
            "RbacPermission/Template/CryptoServiceKeyUser",
                    Set.of(
                            "Encrypt",
                            "Decrypt",
                            "GenerateDataKey",
                            "GenerateDataKeyWithoutPlaintext",
                            "ReEncrypt",
                            "AsymmetricSign",
                            "AsymmetricVerify",
                            "AsymmetricEncrypt",
                            "AsymmetricDecrypt",
                            "GetPublicKey",
                            "GenerateMac",
                            "VerifyMac",
                            "ExportDataKey",
                            "GenerateAndExportDataKey"),
            "RbacPermission/Template/CryptoServiceSecretUser", Set.of("GetSecretValue"));

    public record NetworkRule(String name, String type, String description, List<String> sourcePrivateIp) {}

    public record PermissionPolicy(
            String name,
            String description,
            String kmsInstance,
            List<String> permissions,
            List<String> resources,
            List<String> networkRules) {}

    public record AccessPoint(String name, String description, String authenticationMethod, List<String> policies) {}

    /** Times in epoch milliseconds (plain JSON numbers in storage). */
    public record ClientKey(
            String clientKeyId,
            String aapName,
            String keyAlgorithm,
            String keyOrigin,
            long notBefore,
            long notAfter,
            long createTime,
            String publicKeyData) {}

    private final Account account;
    private final AccessPointRepository repository;
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<String, NetworkRule> rules = new ConcurrentHashMap<>();
    private final Map<String, PermissionPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, AccessPoint> aaps = new ConcurrentHashMap<>();
    private final Map<String, ClientKey> clientKeys = new ConcurrentHashMap<>();

    public AccessPoints(Account account, AccessPointRepository repository, Clock clock) {
        this.account = account;
        this.repository = repository;
        this.clock = clock;
        reload();
    }

    /** (Re)loads every object from storage: at start, and when another node has written (CacheCoherence). */
    public void reload() {
        synchronized (lock) {
            load(RULE, NetworkRule.class, rules);
            load(POLICY, PermissionPolicy.class, policies);
            load(AAP, AccessPoint.class, aaps);
            load(CLIENT_KEY, ClientKey.class, clientKeys);
        }
    }

    /** Updates {@code into} in place, entry by entry, so concurrent readers never see an empty map. */
    private <T> void load(String kind, Class<T> type, Map<String, T> into) {
        Map<String, T> fresh = new java.util.HashMap<>();
        repository.list(kind).forEach((name, doc) -> {
            try {
                fresh.put(name, JSON.readValue(doc, type));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable " + kind + " " + name, e);
            }
        });
        into.putAll(fresh);
        into.keySet().retainAll(fresh.keySet());
    }

    private void save(String kind, String name, Object value) {
        try {
            repository.put(kind, name, JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String arn(String kind, String name) {
        String type = switch (kind) {
            case RULE -> "network";
            case POLICY -> "policy";
            case AAP -> "aap";
            default -> "clientkey";
        };
        return "acs:kms:" + account.region() + ":" + account.uid() + ":" + type + "/" + name;
    }

    static KmsException notFound() {
        return new KmsException(404, "Forbidden.ResourceNotFound", "The specified resource is not found.");
    }

    static KmsException exists() {
        return new KmsException(409, "Rejected.ResourceExist", "The specified resource already exists.");
    }

    // ---- network rules

    public NetworkRule putRule(NetworkRule r, boolean create) {
        for (String ip : r.sourcePrivateIp()) {
            try {
                new Condition("IpAddress", "acs:SourceIp", List.of(ip)); // same CIDR parser as policy conditions
            } catch (IllegalArgumentException e) {
                throw new KmsException(
                        400, "InvalidParameter", "SourcePrivateIp " + ip + " is not an IPv4 address or CIDR.");
            }
        }
        synchronized (lock) {
            if (create == rules.containsKey(r.name())) {
                throw create ? exists() : notFound();
            }
            save(RULE, r.name(), r);
            rules.put(r.name(), r);
            return r;
        }
    }

    public NetworkRule rule(String name) {
        NetworkRule r = rules.get(name);
        if (r == null) {
            throw notFound();
        }
        return r;
    }

    public List<NetworkRule> rules() {
        return rules.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    // ---- permission policies

    public PermissionPolicy putPolicy(PermissionPolicy p, boolean create) {
        for (String perm : p.permissions()) {
            if (!TEMPLATES.containsKey(perm)) {
                throw new KmsException(
                        400,
                        "InvalidParameter",
                        "Permissions must be RbacPermission/Template/CryptoServiceKeyUser"
                                + " or RbacPermission/Template/CryptoServiceSecretUser.");
            }
        }
        for (String r : p.resources()) {
            if (!r.startsWith("key/") && !r.startsWith("secret/") && !r.startsWith("alias/") || r.length() < 5) {
                throw new KmsException(
                        400,
                        "InvalidParameter",
                        "Resources must be key/<KeyId>, key/*, alias/<AliasName>, alias/*, secret/<SecretName> or"
                                + " secret/*.");
            }
        }
        synchronized (lock) {
            for (String rule : p.networkRules()) {
                rule(rule);
            }
            if (create == policies.containsKey(p.name())) {
                throw create ? exists() : notFound();
            }
            save(POLICY, p.name(), p);
            policies.put(p.name(), p);
            return p;
        }
    }

    public PermissionPolicy policy(String name) {
        PermissionPolicy p = policies.get(name);
        if (p == null) {
            throw notFound();
        }
        return p;
    }

    public List<PermissionPolicy> policies() {
        return policies.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    // ---- access points

    public AccessPoint putAap(AccessPoint a, boolean create) {
        if (a.policies().size() > 3) {
            throw new KmsException(400, "InvalidParameter", "An application access point takes at most 3 policies.");
        }
        synchronized (lock) {
            for (String p : a.policies()) {
                policy(p);
            }
            if (create == aaps.containsKey(a.name())) {
                throw create ? exists() : notFound();
            }
            save(AAP, a.name(), a);
            aaps.put(a.name(), a);
            return a;
        }
    }

    public AccessPoint aap(String name) {
        AccessPoint a = aaps.get(name);
        if (a == null) {
            throw notFound();
        }
        return a;
    }

    public List<AccessPoint> aaps() {
        return aaps.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    // ---- client keys

    /** Returns the stored key and the PKCS#12 (private key + certificate) protected by {@code password}. */
    public Map.Entry<ClientKey, byte[]> createClientKey(
            String aapName, Instant notBefore, Instant notAfter, String password) {
        aap(aapName);
        String id = "KAAP." + java.util.UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant from = notBefore == null ? now : notBefore;
        Instant to = notAfter == null
                ? from.atZone(java.time.ZoneOffset.UTC).plusYears(5).toInstant()
                : notAfter;
        if (!to.isAfter(from)) {
            throw new KmsException(400, "InvalidParameter", "NotAfter must be later than NotBefore.");
        }
        ClientKeys.Minted m = ClientKeys.mint(id, from, to, password.toCharArray());
        ClientKey k = new ClientKey(
                id,
                aapName,
                "RSA_2048",
                "KMS_PROVIDED",
                from.toEpochMilli(),
                to.toEpochMilli(),
                now.toEpochMilli(),
                m.certificatePem());
        synchronized (lock) {
            aap(aapName);
            save(CLIENT_KEY, id, k);
            clientKeys.put(id, k);
        }
        return Map.entry(k, m.pkcs12());
    }

    public ClientKey clientKey(String id) {
        ClientKey k = id == null ? null : clientKeys.get(id);
        if (k == null) {
            throw notFound();
        }
        return k;
    }

    public List<ClientKey> clientKeys(String aapName) {
        return clientKeys.values().stream()
                .filter(k -> aapName == null || aapName.isEmpty() || k.aapName().equals(aapName))
                .sorted((a, b) -> Long.compare(a.createTime(), b.createTime()))
                .toList();
    }

    public void delete(String kind, String name) {
        synchronized (lock) {
            Map<String, ?> map = switch (kind) {
                case RULE -> rules;
                case POLICY -> policies;
                case AAP -> aaps;
                default -> clientKeys;
            };
            if (map.remove(name) == null) {
                throw notFound();
            }
            repository.delete(kind, name);
        }
    }

    // ---- evaluation

    /**
     * May a request authenticated with {@code clientKeyId} from {@code sourceIp} perform {@code action} (e.g.
     * "Encrypt") on {@code resource} ("key/&lt;id&gt;", "secret/&lt;name&gt;" or the full ARN)? Needs a client key
     * inside its validity window whose access point has a policy granting the action (by template) on a matching
     * resource, from an address one of that policy's network rules allows (when it has any). Dangling references
     * (deleted policies or rules) grant nothing.
     */
    public boolean allows(String clientKeyId, String sourceIp, String action, String resource) {
        return allows(clientKeyId, sourceIp, action, resource, null);
    }

    /**
     * As {@link #allows(String, String, String, String)}, on the gateway of KMS instance {@code instanceId}: a
     * policy scoped to another instance (its KmsInstance) grants nothing there. Null evaluates every policy.
     */
    public boolean allows(String clientKeyId, String sourceIp, String action, String resource, String instanceId) {
        return allows(clientKeyId, sourceIp, action, resource, null, instanceId);
    }

    /**
     * As {@link #allows(String, String, String, String, String)}, for a key the caller named by {@code alias}
     * ("alias/&lt;name&gt;", or null): a policy resource {@code alias/<name>} or {@code alias/*} then grants it as
     * {@code key/<id>} would. An alias grant covers only uses through the alias, not the key named by its id.
     */
    public boolean allows(
            String clientKeyId, String sourceIp, String action, String resource, String alias, String instanceId) {
        ClientKey k = clientKeyId == null ? null : clientKeys.get(clientKeyId);
        long now = clock.millis();
        if (k == null || now < k.notBefore() || now >= k.notAfter()) {
            return false;
        }
        AccessPoint a = aaps.get(k.aapName());
        if (a == null) {
            return false;
        }
        String res = resource.startsWith("acs:") ? resource.substring(resource.lastIndexOf(':') + 1) : resource;
        for (String pn : a.policies()) {
            PermissionPolicy p = policies.get(pn);
            if (p != null
                    && inScope(p, instanceId)
                    && (grants(p, action, res) || (alias != null && res.startsWith("key/") && grants(p, action, alias)))
                    && fromAllowedNetwork(p, sourceIp)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inScope(PermissionPolicy p, String instanceId) {
        return instanceId == null
                || p.kmsInstance() == null
                || p.kmsInstance().isEmpty()
                || p.kmsInstance().equals(instanceId);
    }

    private static boolean grants(PermissionPolicy p, String action, String resource) {
        boolean actionOk = p.permissions().stream()
                .anyMatch(t -> TEMPLATES.getOrDefault(t, Set.of()).contains(action));
        return actionOk && p.resources().stream().anyMatch(r -> new Wildcard(r, false).matches(resource));
    }

    private boolean fromAllowedNetwork(PermissionPolicy p, String sourceIp) {
        if (p.networkRules().isEmpty()) {
            return true;
        }
        AccessRequest r = new AccessRequest("", "", sourceIp, true, 0, Map::of);
        for (String name : p.networkRules()) {
            NetworkRule rule = rules.get(name);
            if (rule != null
                    && !rule.sourcePrivateIp().isEmpty()
                    && new Condition("IpAddress", "acs:SourceIp", rule.sourcePrivateIp()).matches(r)) {
                return true;
            }
        }
        return false;
    }

    static List<String> copy(List<String> l) {
        return l == null ? List.of() : new ArrayList<>(l);
    }
}
