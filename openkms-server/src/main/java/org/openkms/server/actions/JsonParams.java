package org.openkms.server.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.server.gateway.Params;

/** Parameters whose value is caller-written JSON: Tags, TagKeys, Filters. */
final class JsonParams {
    private JsonParams() {}

    /** {@code [{"TagKey":"k","TagValue":"v"}, …]} → ordered map (a repeated key keeps its last value). */
    static Map<String, String> tags(Params p, String name) {
        JsonNode node = p.json(name);
        Map<String, String> tags = new LinkedHashMap<>();
        if (node == null) {
            return tags;
        }
        if (!node.isArray()) {
            throw Errors.invalidParameter(name, "It must be a JSON array of {\"TagKey\":…,\"TagValue\":…} objects.");
        }
        for (JsonNode t : node) {
            JsonNode k = t.get("TagKey");
            JsonNode v = t.get("TagValue");
            if (k == null || !k.isTextual() || (v != null && !v.isTextual() && !v.isNull())) {
                throw Errors.invalidParameter(
                        name, "It must be a JSON array of {\"TagKey\":…,\"TagValue\":…} objects.");
            }
            tags.put(k.asText(), v == null || v.isNull() ? "" : v.asText());
        }
        return tags;
    }

    /** {@code ["k1","k2"]}. */
    static List<String> stringArray(Params p, String name) {
        JsonNode node = p.json(name);
        if (node == null) {
            throw Errors.missingParameter(name);
        }
        if (!node.isArray()) {
            throw Errors.invalidParameter(name, "It must be a JSON array of strings.");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw Errors.invalidParameter(name, "It must be a JSON array of strings.");
            }
            out.add(n.asText());
        }
        return out;
    }

    /** ListKeys Filters: {@code [{"Key":"KeyState","Values":["Enabled"]}, …]} → key → allowed values. */
    static Map<String, List<String>> filters(Params p, String name, java.util.Set<String> allowedKeys) {
        JsonNode node = p.json(name);
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isArray() || node.size() > 10) {
            throw Errors.invalidParameter(
                    name, "It must be a JSON array of at most 10 {\"Key\":…,\"Values\":[…]} objects.");
        }
        for (JsonNode f : node) {
            JsonNode k = f.get("Key");
            JsonNode vs = f.get("Values");
            if (k == null || !k.isTextual() || vs == null || !vs.isArray() || vs.isEmpty() || vs.size() > 10) {
                throw Errors.invalidParameter(name, "Each filter needs a Key and 1 to 10 Values.");
            }
            if (!allowedKeys.contains(k.asText())) {
                throw Errors.invalidParameter(name, "Unsupported filter key " + k.asText() + ".");
            }
            List<String> values = out.computeIfAbsent(k.asText(), x -> new ArrayList<>());
            for (JsonNode v : vs) {
                if (!v.isTextual()) {
                    throw Errors.invalidParameter(name, "Filter values must be strings.");
                }
                values.add(v.asText());
            }
        }
        return out;
    }
}
