package org.openkms.core.iam;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses RAM policy documents (Version "1"; Statement of Effect, Action, Resource, Condition, and Principal for
 * trust, key and secret policies) into the core's compiled model. Every defect is an IllegalArgumentException
 * whose message says what is wrong; the core reports it as MalformedPolicyDocument.
 */
public final class PolicyDocuments implements PolicyCompiler {
    /**
     * Prefix of a Federated principal as compiled: {@code IamService.trustsFederated} evaluates a trust policy for
     * {@code FEDERATED + <provider ARN>}, which only a Federated entry (or the bare "*") can match.
     */
    public static final String FEDERATED = "federated:";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @Override
    public Policy compile(String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("it is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("it must be a JSON object.");
        }
        JsonNode version = root.get("Version");
        if (version == null || !"1".equals(version.asText()) || !version.isTextual()) {
            throw new IllegalArgumentException("Version must be \"1\".");
        }
        JsonNode statements = root.get("Statement");
        if (statements == null || !statements.isArray() || statements.isEmpty()) {
            throw new IllegalArgumentException("Statement must be a non-empty array.");
        }
        List<Statement> out = new ArrayList<>();
        for (JsonNode s : statements) {
            out.add(statement(s));
        }
        return new Policy(List.copyOf(out));
    }

    private static Statement statement(JsonNode s) {
        if (!s.isObject()) {
            throw new IllegalArgumentException("each Statement must be an object.");
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("Effect", "Action", "Resource", "Condition", "Principal", "Sid")
                    .contains(f)) {
                throw new IllegalArgumentException("unknown Statement field " + f + ".");
            }
        }
        JsonNode e = s.get("Effect");
        Effect effect;
        if (e != null && "Allow".equals(e.asText())) {
            effect = Effect.ALLOW;
        } else if (e != null && "Deny".equals(e.asText())) {
            effect = Effect.DENY;
        } else {
            throw new IllegalArgumentException("Effect must be Allow or Deny.");
        }
        List<Wildcard> actions = new ArrayList<>();
        for (String a : strings(s, "Action", true)) {
            if (!"*".equals(a) && a.indexOf(':') <= 0) {
                throw new IllegalArgumentException("Action " + a + " must be of the form <service>:<action>.");
            }
            actions.add(new Wildcard(a, true)); // RAM matches actions case-insensitively
        }
        boolean hasPrincipal = s.has("Principal");
        List<Wildcard> resources = new ArrayList<>();
        for (String r : s.has("Resource") || !hasPrincipal ? strings(s, "Resource", true) : List.of("*")) {
            resources.add(new Wildcard(r, false));
        }
        List<Wildcard> principals = new ArrayList<>();
        if (hasPrincipal) {
            principals.addAll(principals(s.get("Principal")));
        }
        return new Statement(
                effect,
                List.copyOf(actions),
                List.copyOf(resources),
                conditions(s.get("Condition")),
                List.copyOf(principals));
    }

    /**
     * {"RAM": [...]} (key, secret and trust policies), {"Service": [...]}, or {"Federated": [...]} (a trust policy
     * naming an OIDC provider, acs:ram::<uid>:oidc-provider/<name>, for STS AssumeRoleWithOIDC); "*" means anyone.
     */
    private static List<Wildcard> principals(JsonNode p) {
        List<Wildcard> out = new ArrayList<>();
        if (p.isTextual() && "*".equals(p.asText())) {
            out.add(new Wildcard("*", false));
            return out;
        }
        if (!p.isObject() || p.isEmpty()) {
            throw new IllegalArgumentException(
                    "Principal must be an object such as {\"RAM\":[\"acs:ram::<uid>:root\"]}.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!List.of("RAM", "Service", "Federated").contains(f.getKey())) {
                throw new IllegalArgumentException("Principal type " + f.getKey() + " is not supported.");
            }
            // Federated principals are matched apart from RAM ones (see FEDERATED), so that an account-wide RAM
            // principal such as acs:ram::<uid>:* never lets an OIDC token assume the role.
            String prefix = f.getKey().equals("Federated") ? FEDERATED : "";
            for (String v : values(f.getValue(), "Principal." + f.getKey())) {
                out.add(new Wildcard(prefix + v, true));
            }
        }
        return out;
    }

    private static List<Condition> conditions(JsonNode c) {
        if (c == null) {
            return List.of();
        }
        if (!c.isObject()) {
            throw new IllegalArgumentException("Condition must be an object.");
        }
        List<Condition> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> ops = c.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            if (!op.getValue().isObject() || op.getValue().isEmpty()) {
                throw new IllegalArgumentException("Condition " + op.getKey() + " must map condition keys to values.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> k = keys.next();
                out.add(new Condition(op.getKey(), k.getKey(), values(k.getValue(), k.getKey())));
            }
        }
        return List.copyOf(out);
    }

    private static List<String> strings(JsonNode s, String field, boolean required) {
        JsonNode n = s.get(field);
        if (n == null) {
            if (required) {
                throw new IllegalArgumentException(field + " is required in every Statement.");
            }
            return List.of();
        }
        List<String> v = values(n, field);
        if (v.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty.");
        }
        return v;
    }

    /** A string or an array of strings (numbers and booleans are accepted as their text, as RAM does). */
    private static List<String> values(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        if (n.isValueNode() && !n.isNull()) {
            out.add(n.asText());
        } else if (n.isArray()) {
            for (JsonNode v : n) {
                if (!v.isValueNode() || v.isNull()) {
                    throw new IllegalArgumentException(field + " values must be strings.");
                }
                out.add(v.asText());
            }
        } else {
            throw new IllegalArgumentException(field + " must be a string or an array of strings.");
        }
        for (String v : out) {
            if (v.isEmpty()) {
                throw new IllegalArgumentException(field + " values must not be empty.");
            }
        }
        return out;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
