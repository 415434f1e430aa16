package org.openkms.server.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.accesspoint.AccessPoints;
import org.openkms.core.accesspoint.AccessPoints.AccessPoint;
import org.openkms.core.accesspoint.AccessPoints.ClientKey;
import org.openkms.core.accesspoint.AccessPoints.NetworkRule;
import org.openkms.core.accesspoint.AccessPoints.PermissionPolicy;
import org.openkms.core.error.Errors;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Params;
import org.openkms.server.iam.IamContext;

/** Network rules, permission policies, application access points and client keys (api-semantics.md §3.9). */
public final class AccessPointActions {
    private static final String SPECIALS = "~!@#$%^&*?_-.";
    /** NotBefore/NotAfter: the four-digit years of the API's yyyy-MM-ddTHH:mm:ssZ. */
    private static final Instant FIRST_INSTANT = Instant.parse("0000-01-01T00:00:00Z");

    private static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59Z");

    private final IamContext ctx;

    private AccessPointActions(IamContext ctx) {
        this.ctx = ctx;
    }

    public static void register(ActionRegistry r, IamContext ctx) {
        new AccessPointActions(ctx).declare(r);
    }

    private void declare(ActionRegistry r) {
        r.register("CreateNetworkRule", c -> rule(c, ap(c).putRule(networkRule(c.params(), null), true)))
                .register("UpdateNetworkRule", c -> {
                    NetworkRule old = ap(c).rule(c.params().required("Name"));
                    ap(c).putRule(networkRule(c.params(), old), false);
                    return Map.of();
                })
                .register("DeleteNetworkRule", c -> delete(c, "NetworkRule"))
                .register(
                        "DescribeNetworkRule",
                        c -> rule(c, ap(c).rule(c.params().required("Name"))))
                .register(
                        "ListNetworkRules",
                        c -> page(
                                c,
                                ap(c).rules().stream()
                                        .map(x -> (Object) Map.of("Name", x.name(), "Type", x.type()))
                                        .toList(),
                                "NetworkRules",
                                "NetworkRule"))
                .register(
                        "CreatePolicy",
                        c -> policy(c, ap(c).putPolicy(permissionPolicy(c.params(), null), true), false))
                .register("UpdatePolicy", c -> {
                    PermissionPolicy old = ap(c).policy(c.params().required("Name"));
                    ap(c).putPolicy(permissionPolicy(c.params(), old), false);
                    return Map.of();
                })
                .register("DeletePolicy", c -> delete(c, "Policy"))
                .register(
                        "DescribePolicy", c -> policy(c, ap(c).policy(c.params().required("Name")), true))
                .register(
                        "ListPolicies",
                        c -> page(
                                c,
                                ap(c).policies().stream()
                                        .map(x -> (Object) Map.of("Name", x.name()))
                                        .toList(),
                                "Policies",
                                "Policy"))
                .register(
                        "CreateApplicationAccessPoint", c -> aap(c, ap(c).putAap(accessPoint(c.params(), null), true)))
                .register("UpdateApplicationAccessPoint", c -> {
                    AccessPoint old = ap(c).aap(c.params().required("Name"));
                    ap(c).putAap(accessPoint(c.params(), old), false);
                    return Map.of();
                })
                .register("DeleteApplicationAccessPoint", c -> delete(c, "ApplicationAccessPoint"))
                .register(
                        "DescribeApplicationAccessPoint",
                        c -> aap(c, ap(c).aap(c.params().required("Name"))))
                .register(
                        "ListApplicationAccessPoints",
                        c -> page(
                                c,
                                ap(c).aaps().stream()
                                        .map(x -> (Object) Map.of(
                                                "Name", x.name(), "AuthenticationMethod", x.authenticationMethod()))
                                        .toList(),
                                "ApplicationAccessPoints",
                                "ApplicationAccessPoint"))
                .register("CreateClientKey", this::createClientKey)
                .register(
                        "GetClientKey",
                        c -> clientKey(ap(c).clientKey(c.params().required("ClientKeyId"))))
                .register(
                        "ListClientKeys",
                        c -> Map.of(
                                "ClientKeys",
                                ap(c).clientKeys(c.params().optional("AapName")).stream()
                                        .map(this::clientKey)
                                        .toList()))
                .register("DeleteClientKey", c -> delete(c, "ClientKey", "ClientKeyId"));
    }

    private AccessPoints ap(Call c) {
        return ctx.accessPoints();
    }

    private Map<String, Object> delete(Call c, String kind) {
        return delete(c, kind, "Name");
    }

    private Map<String, Object> delete(Call c, String kind, String param) {
        ap(c).delete(kind, c.params().required(param));
        return Map.of();
    }

    /** A JSON array of strings (the doc also allows a comma-separated list for SourcePrivateIp). */
    private List<String> stringList(Params p, String name, List<String> fallback) {
        String raw = p.optional(name);
        if (raw == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        if (!raw.trim().startsWith("[")) {
            for (String s : raw.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
            return out;
        }
        JsonNode n = p.json(name);
        if (n == null || !n.isArray()) {
            throw Errors.invalidParameter(name, "It must be a JSON array of strings.");
        }
        for (JsonNode v : n) {
            if (!v.isTextual()) {
                throw Errors.invalidParameter(name, "It must be a JSON array of strings.");
            }
            out.add(v.asText());
        }
        return out;
    }

    private NetworkRule networkRule(Params p, NetworkRule old) {
        if (old == null) {
            String type = p.required("Type");
            if (!"Private".equals(type)) {
                throw Errors.invalidParameter("Type", "Only Private is supported.");
            }
            return new NetworkRule(
                    p.required("Name"),
                    type,
                    orEmpty(p.optional("Description")),
                    stringList(p, "SourcePrivateIp", List.of()));
        }
        return new NetworkRule(
                old.name(),
                old.type(),
                p.optional("Description") == null ? old.description() : p.optional("Description"),
                stringList(p, "SourcePrivateIp", old.sourcePrivateIp()));
    }

    private PermissionPolicy permissionPolicy(Params p, PermissionPolicy old) {
        List<String> rules = old == null ? List.of() : old.networkRules();
        String acr = p.optional("AccessControlRules");
        if (acr != null && !acr.isEmpty()) {
            JsonNode n = p.json("AccessControlRules");
            JsonNode names = n == null ? null : n.get("NetworkRules");
            if (names == null || !names.isArray()) {
                throw Errors.invalidParameter(
                        "AccessControlRules", "It must be {\"NetworkRules\":[\"<rule name>\",...]}.");
            }
            rules = new ArrayList<>();
            for (JsonNode v : names) {
                rules.add(v.asText());
            }
        }
        if (old == null) {
            return new PermissionPolicy(
                    p.required("Name"),
                    orEmpty(p.optional("Description")),
                    orEmpty(p.optional("KmsInstance")),
                    requiredList(p, "Permissions"),
                    requiredList(p, "Resources"),
                    rules);
        }
        return new PermissionPolicy(
                old.name(),
                p.optional("Description") == null ? old.description() : p.optional("Description"),
                old.kmsInstance(),
                stringList(p, "Permissions", old.permissions()),
                stringList(p, "Resources", old.resources()),
                rules);
    }

    private List<String> requiredList(Params p, String name) {
        p.required(name);
        List<String> l = stringList(p, name, List.of());
        if (l.isEmpty()) {
            throw Errors.invalidParameter(name, "It must not be empty.");
        }
        return l;
    }

    private AccessPoint accessPoint(Params p, AccessPoint old) {
        if (old == null) {
            String method = p.optional("AuthenticationMethod");
            if (method != null && !method.isEmpty() && !"ClientKey".equals(method)) {
                throw Errors.invalidParameter("AuthenticationMethod", "Only ClientKey is supported.");
            }
            return new AccessPoint(
                    p.required("Name"), orEmpty(p.optional("Description")), "ClientKey", requiredList(p, "Policies"));
        }
        return new AccessPoint(
                old.name(),
                p.optional("Description") == null ? old.description() : p.optional("Description"),
                old.authenticationMethod(),
                stringList(p, "Policies", old.policies()));
    }

    private Map<String, Object> rule(Call c, NetworkRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Arn", ap(c).arn("NetworkRule", r.name()));
        m.put("Name", r.name());
        m.put("Type", r.type());
        m.put("Description", r.description());
        m.put("SourcePrivateIp", json(r.sourcePrivateIp()));
        return m;
    }

    /** DescribePolicy returns Permissions/Resources as arrays, CreatePolicy as JSON-encoded strings (§3.9). */
    private Map<String, Object> policy(Call c, PermissionPolicy p, boolean arrays) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Arn", ap(c).arn("Policy", p.name()));
        m.put("Name", p.name());
        m.put("Description", p.description());
        m.put("KmsInstance", p.kmsInstance());
        m.put("Permissions", arrays ? p.permissions() : json(p.permissions()));
        m.put("Resources", arrays ? p.resources() : json(p.resources()));
        m.put("AccessControlRules", "{\"NetworkRules\":" + json(p.networkRules()) + "}");
        return m;
    }

    private Map<String, Object> aap(Call c, AccessPoint a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Arn", ap(c).arn("ApplicationAccessPoint", a.name()));
        m.put("Name", a.name());
        m.put("Description", a.description());
        m.put("AuthenticationMethod", a.authenticationMethod());
        m.put("Policies", json(a.policies()));
        return m;
    }

    private Map<String, Object> clientKey(ClientKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ClientKeyId", k.clientKeyId());
        m.put("AapName", k.aapName());
        m.put("KeyAlgorithm", k.keyAlgorithm());
        m.put("KeyOrigin", k.keyOrigin());
        m.put("NotBefore", Instant.ofEpochMilli(k.notBefore()).toString());
        m.put("NotAfter", Instant.ofEpochMilli(k.notAfter()).toString());
        m.put("CreateTime", Instant.ofEpochMilli(k.createTime()).toString());
        m.put("PublicKeyData", k.publicKeyData());
        return m;
    }

    private Map<String, Object> createClientKey(Call c) {
        Params p = c.params();
        String aapName = p.required("AapName");
        String password = p.required("Password");
        checkPassword(password);
        String nb = p.optional("NotBefore");
        String na = p.optional("NotAfter");
        if ((nb == null || nb.isEmpty()) != (na == null || na.isEmpty())) {
            throw Errors.invalidParameter("NotBefore", "NotBefore and NotAfter go together.");
        }
        Instant from = nb == null || nb.isEmpty() ? null : instant("NotBefore", nb);
        Instant to = na == null || na.isEmpty() ? null : instant("NotAfter", na);
        var created = ap(c).createClientKey(aapName, from, to, password);
        ClientKey k = created.getKey();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ClientKeyId", k.clientKeyId());
        m.put("KeyAlgorithm", k.keyAlgorithm());
        m.put("NotBefore", Instant.ofEpochMilli(k.notBefore()).toString());
        m.put("NotAfter", Instant.ofEpochMilli(k.notAfter()).toString());
        m.put("PrivateKeyData", java.util.Base64.getEncoder().encodeToString(created.getValue()));
        c.auditDetail("created client key " + k.clientKeyId() + " for " + aapName);
        return m;
    }

    /** 8–64 characters from at least two of: digits, letters, the specials ~!@#$%^&*?_-. */
    static void checkPassword(String pw) {
        boolean digit = false;
        boolean letter = false;
        boolean special = false;
        for (char ch : pw.toCharArray()) {
            if (ch >= '0' && ch <= '9') {
                digit = true;
            } else if (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z') {
                letter = true;
            } else if (SPECIALS.indexOf(ch) >= 0) {
                special = true;
            } else {
                throw Errors.invalidParameter("Password", "It may only contain letters, digits and " + SPECIALS + ".");
            }
        }
        int classes = (digit ? 1 : 0) + (letter ? 1 : 0) + (special ? 1 : 0);
        if (pw.length() < 8 || pw.length() > 64 || classes < 2) {
            throw Errors.invalidParameter(
                    "Password",
                    "It must be 8 to 64 characters from at least two of digits, letters and " + SPECIALS + ".");
        }
    }

    private Instant instant(String name, String v) {
        Instant t;
        try {
            t = Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw Errors.invalidParameter(name, "It must be yyyy-MM-ddTHH:mm:ssZ.");
        }
        // Instant.parse also takes signed years beyond four digits ("+10000-01-01T00:00:00Z"): those overflowed the
        // epoch milliseconds or broke the client certificate, a 500 (SignedGatewayFuzzTest inputs rpc-aap-5/6).
        if (t.isBefore(FIRST_INSTANT) || t.isAfter(LAST_INSTANT)) {
            throw Errors.invalidParameter(name, "It must be yyyy-MM-ddTHH:mm:ssZ.");
        }
        return t;
    }

    private Map<String, Object> page(Call c, List<Object> all, String listName, String itemName) {
        int pageNumber = c.params().integer("PageNumber", 1, 1, Integer.MAX_VALUE);
        int pageSize = c.params().integer("PageSize", 20, 1, 100);
        int from = (int) Math.min((long) (pageNumber - 1) * pageSize, all.size());
        int to = Math.min(from + pageSize, all.size());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(listName, Map.of(itemName, all.subList(from, to)));
        m.put("PageNumber", pageNumber);
        m.put("PageSize", pageSize);
        m.put("TotalCount", all.size());
        return m;
    }

    private String json(List<String> l) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            sb.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(l.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return sb.append(']').toString();
    }

    private String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
