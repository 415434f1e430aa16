package org.openkms.server.actions.trail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.openkms.core.Account;

/**
 * One audit record as an ActionTrail event (the fields of LookupEvents' {@code Events}, named as ActionTrail names
 * them: {@code eventId}, {@code eventName}, {@code eventTime}, {@code userIdentity}, …). Only what the record holds:
 * who, what, on which resource, how it ended.
 */
final class AuditEvents {
    private AuditEvents() {}

    static Map<String, Object> event(JsonNode r, Function<String, String> serviceOf, Account account) {
        String action = r.path("action").asText();
        String result = r.path("result").asText();
        String resource = r.path("resource").asText();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", r.path("requestId").asText());
        e.put("eventName", action);
        e.put("eventTime", r.path("time").asText());
        e.put("eventType", "ApiCall");
        e.put("eventVersion", "1");
        String service = serviceOf.apply(action);
        e.put("serviceName", service == null ? "" : service);
        e.put("acsRegion", account.region());
        e.put("requestId", r.path("requestId").asText());
        e.put("sourceIpAddress", r.path("sourceIp").asText());
        e.put(
                "userIdentity",
                identity(r.path("principal").asText(), r.path("accessKeyId").asText(), account));
        e.put("resourceName", resource);
        e.put("resourceType", resourceType(resource));
        if (!"OK".equals(result)) {
            e.put("errorCode", result);
            e.put("errorMessage", r.path("detail").asText());
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("httpStatus", r.path("httpStatus").asInt());
        extra.put("latencyMicros", r.path("latencyMicros").asLong());
        if (r.hasNonNull("decision")) {
            extra.put("decision", r.path("decision").asText());
        }
        e.put("additionalEventData", extra);
        return e;
    }

    /** ActionTrail's identity types: root-account, ram-user, assumed-role; OpenKMS adds client-key and system. */
    private static Map<String, Object> identity(String principal, String accessKeyId, Account account) {
        int colon = principal.indexOf(':');
        String kind = colon < 0 ? principal : principal.substring(0, colon);
        String name = colon < 0 ? "" : principal.substring(colon + 1);
        Map<String, Object> id = new LinkedHashMap<>();
        id.put(
                "type",
                switch (kind) {
                    case "root" -> "root-account";
                    case "user" -> "ram-user";
                    default -> kind;
                });
        id.put("accountId", account.uid());
        id.put("principalId", principal);
        id.put("userName", "root".equals(kind) ? "root" : name);
        id.put("accessKeyId", accessKeyId);
        return id;
    }

    /** {@code acs:kms:<region>:<uid>:key/<id>} is an {@code ACS::KMS::Key}; empty when the record names none. */
    static String resourceType(String arn) {
        String[] parts = arn.split(":", 5);
        if (parts.length < 5 || !"acs".equals(parts[0])) {
            return "";
        }
        String kind = parts[4];
        int slash = kind.indexOf('/');
        kind = slash < 0 ? kind : kind.substring(0, slash);
        if (kind.isEmpty() || "*".equals(kind)) {
            return "";
        }
        return "ACS::" + parts[1].toUpperCase(Locale.ROOT) + "::" + Character.toUpperCase(kind.charAt(0))
                + kind.substring(1);
    }
}
