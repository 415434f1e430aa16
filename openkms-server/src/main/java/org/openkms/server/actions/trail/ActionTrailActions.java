package org.openkms.server.actions.trail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.openkms.core.Account;
import org.openkms.core.error.Errors;
import org.openkms.server.audit.AuditLogReader;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.ApiProduct;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.ResourceResolver.Target;
import org.openkms.server.gateway.Targets;

/**
 * ActionTrail's {@code LookupEvents} (API version {@value #VERSION},
 * https://www.alibabacloud.com/help/en/actiontrail/developer-reference/api-actiontrail-2020-07-06-lookupevents) over
 * this server's own audit log: the events of this account, newest first, filtered by time and by
 * {@code LookupAttribute.N.Key/Value}. Callers need {@code actiontrail:LookupEvents} (the administrator always may).
 * The records never held secrets, so neither do the events.
 *
 * <p>Lookup keys: ActionTrail's {@code EventName}, {@code EventAccessKeyId}, {@code ResourceName} (the ARN, or its
 * last part: a key ID, a secret name), {@code ServiceName} ({@code Kms}, {@code Ram}, {@code Sts}, …),
 * {@code UserName}, {@code EventId}; and {@code ErrorCode}, which OpenKMS adds ({@code OK} matches the calls
 * that succeeded). Several attributes must all match.
 */
public final class ActionTrailActions {
    public static final String VERSION = "2020-07-06";
    /** Text one lookup reads at most before it answers with a NextToken (plus the rest of one file). */
    public static final long MAX_SCAN_BYTES = 64L << 20;

    private static final int DEFAULT_RESULTS = 20;
    private static final int MAX_RESULTS = 50;

    private ActionTrailActions() {}

    /**
     * @param log       the audit log
     * @param serviceOf the product (Kms, Ram, Sts…) an action belongs to, or null
     */
    public static ApiProduct product(
            AuditLogReader log, Function<String, String> serviceOf, Account account, Clock clock) {
        String resource = "acs:actiontrail:*:" + account.uid() + ":*";
        ActionRegistry r = new ActionRegistry();
        r.register(Operation.named("LookupEvents")
                .targets(c -> Targets.Resolved.of(List.of(new Target("actiontrail:LookupEvents", resource))))
                .handle(c -> lookup(c, log, serviceOf, account, clock)));
        return new ApiProduct(VERSION, "Actiontrail", "actiontrail", r, (a, p) -> List.of(), "NoPermission");
    }

    private static Map<String, Object> lookup(
            Call c, AuditLogReader log, Function<String, String> serviceOf, Account account, Clock clock) {
        Instant end = time(c, "EndTime", clock.instant().truncatedTo(ChronoUnit.SECONDS));
        Instant start = time(c, "StartTime", Instant.EPOCH);
        if (end.isBefore(start)) {
            throw Errors.invalidParameter("EndTime", "EndTime must not be before StartTime.");
        }
        int max = c.params().integer("MaxResults", DEFAULT_RESULTS, 1, MAX_RESULTS);
        Predicate<JsonNode> filter = filter(c, serviceOf);
        // Values every matching record holds verbatim: records without them are skipped unparsed.
        List<String> literals = new ArrayList<>();
        for (Map<String, String> a : c.params().objectList("LookupAttribute")) {
            String key = a.get("Key");
            String value = a.get("Value");
            if (value != null
                    && AuditLogReader.literal(value)
                    && List.of("EventName", "EventAccessKeyId", "EventId", "ErrorCode", "ResourceName")
                            .contains(key)) {
                literals.add(value);
            }
        }
        AuditLogReader.Cursor after = null;
        String token = c.params().optional("NextToken");
        if (token != null && !token.isEmpty()) {
            try {
                after = AuditLogReader.Cursor.parse(token);
            } catch (IllegalArgumentException e) {
                throw Errors.invalidParameter("NextToken", "The NextToken is not one this server issued.");
            }
        }
        AuditLogReader.Page page;
        try {
            // The end is inclusive to the second the caller named.
            page = log.lookup(start.toEpochMilli(), end.toEpochMilli() + 999, filter, literals, max, after);
        } catch (IllegalArgumentException e) {
            throw Errors.invalidParameter("NextToken", "The NextToken is no longer valid: its log file is gone.");
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (JsonNode record : page.records()) {
            events.add(AuditEvents.event(record, serviceOf, account));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Events", events);
        out.put("StartTime", start.toString());
        out.put("EndTime", end.toString());
        if (page.next() != null) {
            out.put("NextToken", page.next().token());
        }
        return out;
    }

    private static Instant time(Call c, String name, Instant absent) {
        String v = c.params().optional(name);
        if (v == null || v.isEmpty()) {
            return absent;
        }
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw Errors.invalidParameter(name, "Use ISO 8601 in UTC, e.g. 2020-07-06T12:00:00Z.");
        }
    }

    private static Predicate<JsonNode> filter(Call c, Function<String, String> serviceOf) {
        Predicate<JsonNode> all = r -> true;
        List<Map<String, String>> attributes = c.params().objectList("LookupAttribute");
        for (int i = 0; i < attributes.size(); i++) {
            String key = attributes.get(i).get("Key");
            String value = attributes.get(i).get("Value");
            String n = "LookupAttribute." + (i + 1);
            if (key == null || key.isEmpty()) {
                throw Errors.missingParameter(n + ".Key");
            }
            if (value == null || value.isEmpty()) {
                throw Errors.missingParameter(n + ".Value");
            }
            all = all.and(attribute(n, key, value, serviceOf));
        }
        return all;
    }

    private static Predicate<JsonNode> attribute(
            String name, String key, String v, Function<String, String> serviceOf) {
        return switch (key) {
            case "EventName" -> r -> v.equals(r.path("action").asText());
            case "EventAccessKeyId" -> r -> v.equals(r.path("accessKeyId").asText());
            case "EventId" -> r -> v.equals(r.path("requestId").asText());
            case "ErrorCode" -> r -> v.equals(r.path("result").asText());
            case "ServiceName" ->
                r -> v.equalsIgnoreCase(
                        String.valueOf(serviceOf.apply(r.path("action").asText())));
            case "UserName" ->
                r -> {
                    String p = r.path("principal").asText();
                    return v.equals(p) || v.equals(p.substring(p.indexOf(':') + 1));
                };
            case "ResourceName" ->
                r -> {
                    String res = r.path("resource").asText();
                    return v.equals(res) || res.endsWith("/" + v) || res.endsWith(":" + v);
                };
            default ->
                throw Errors.invalidParameter(
                        name + ".Key",
                        "This lookup key is not supported; use EventName, EventAccessKeyId, EventId,"
                                + " ResourceName, ServiceName, UserName or ErrorCode.");
        };
    }
}
