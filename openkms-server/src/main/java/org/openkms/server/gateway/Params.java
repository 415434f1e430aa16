package org.openkms.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openkms.core.error.Errors;

/**
 * The business parameters of a call with typed, validating getters. Every getter turns bad input into the
 * MissingParameter / InvalidParameter error an Alibaba client expects; none lets an exception escape as a 500.
 */
public final class Params {
    /**
     * Duplicate names are refused: {"k":"a","k":"b"} means different things to different parsers, and an
     * EncryptionContext is bound into ciphertext, so the caller must say exactly one thing.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // {"a":"1"} junk must not be read as {"a":"1"}: what the caller sent is one document or an error.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final int MAX_CONTEXT_CHARS = 8192;
    private final Map<String, String> values;

    /**
     * Length limits that hold for a parameter name in every action, checked once here so no handler can forget
     * them: Description is 0–8,192 characters (CreateKey), VersionId at most 64 (CreateSecret, PutSecretValue).
     * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createkey
     * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createsecret
     */
    private static final Map<String, Integer> MAX_CHARS = Map.of("Description", 8192, "VersionId", 64);

    public Params(Map<String, String> values) {
        this.values = values;
        MAX_CHARS.forEach((name, max) -> {
            String v = values.get(name);
            if (v != null && v.length() > max) {
                throw Errors.invalidParameter(name, "It must not exceed " + max + " characters.");
            }
        });
    }

    public String optional(String name) {
        return values.get(name);
    }

    /** Present and non-empty, else MissingParameter. */
    public String required(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw Errors.missingParameter(name);
        }
        return v;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        return parseInt(name, v, min, max);
    }

    public int requiredInteger(String name, int min, int max) {
        return parseInt(name, required(name), min, max);
    }

    private static int parseInt(String name, String v, int min, int max) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw Errors.invalidParameter(name, "It must be an integer.");
        }
        if (n < min || n > max) {
            throw Errors.invalidParameter(name, "It must be between " + min + " and " + max + ".");
        }
        return (int) n;
    }

    public boolean bool(String name, boolean defaultValue) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        if ("true".equalsIgnoreCase(v)) {
            return true;
        }
        if ("false".equalsIgnoreCase(v)) {
            return false;
        }
        throw Errors.invalidParameter(name, "It must be true or false.");
    }

    public boolean requiredBool(String name) {
        required(name);
        return bool(name, false);
    }

    public byte[] base64(String name) {
        String v = required(name);
        try {
            return Base64.getDecoder().decode(v.trim());
        } catch (IllegalArgumentException e) {
            throw Errors.invalidParameter(name, "It must be Base64 encoded.");
        }
    }

    /**
     * A map parameter such as EncryptionContext: one JSON object string (Java and most SDKs), or flattened
     * {@code Name.<key>=<value>} parameters (Node.js SDK 1.x). Values must be strings.
     */
    public Map<String, String> stringMap(String name) {
        String raw = values.get(name);
        if (raw == null) {
            return flattenedMap(name);
        }
        if (raw.isEmpty()) {
            return Map.of();
        }
        if (raw.length() > MAX_CONTEXT_CHARS) {
            throw Errors.invalidParameter(name, "It must not exceed " + MAX_CONTEXT_CHARS + " characters.");
        }
        JsonNode node = parseJson(name, raw);
        if (!node.isObject()) {
            throw Errors.invalidParameter(name, "It must be a JSON object of string keys and string values.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw Errors.invalidParameter(name, "It must be a JSON object of string keys and string values.");
            }
            out.put(wellFormed(name, e.getKey()), wellFormed(name, e.getValue().asText()));
        }
        return out;
    }

    /**
     * A lone surrogate has no UTF-8 form: encoded it becomes '?', so "\ud800" and "?" would bind the same
     * ciphertext. Such text is refused rather than silently changed.
     */
    private static String wellFormed(String name, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw Errors.invalidParameter(name, "It contains an unpaired surrogate (not valid Unicode text).");
            }
        }
        return s;
    }

    private Map<String, String> flattenedMap(String name) {
        String prefix = name + ".";
        Map<String, String> out = null;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                if (out == null) {
                    out = new LinkedHashMap<>();
                }
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out == null ? Map.of() : out;
    }

    /** A parameter whose value is a JSON document written by the caller (Tags, Filters, TagKeys). */
    public JsonNode json(String name) {
        String raw = values.get(name);
        return raw == null || raw.isEmpty() ? null : parseJson(name, raw);
    }

    /** A flattened list: {@code Name.1}, {@code Name.2}, … in index order. */
    public List<String> list(String name) {
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        String prefix = name + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(prefix) && k.indexOf('.', prefix.length()) < 0) {
                byIndex.put(index(name, k.substring(prefix.length())), e.getValue());
            }
        }
        return new ArrayList<>(byIndex.values());
    }

    /** A flattened list of objects: {@code Name.N.Field}; returns one map of fields per index, in index order. */
    public List<Map<String, String>> objectList(String name) {
        TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
        String prefix = name + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            String k = e.getKey();
            int dot = k.indexOf('.', prefix.length());
            if (k.startsWith(prefix) && dot > 0) {
                int i = index(name, k.substring(prefix.length(), dot));
                byIndex.computeIfAbsent(i, x -> new LinkedHashMap<>()).put(k.substring(dot + 1), e.getValue());
            }
        }
        return new ArrayList<>(byIndex.values());
    }

    private static int index(String name, String s) {
        try {
            int i = Integer.parseInt(s);
            if (i >= 1 && i <= 1000) {
                return i;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw Errors.invalidParameter(name, "List parameters are numbered from 1.");
    }

    /** Alibaba's DryRun flag: the call is checked but never performed. */
    public boolean dryRun() {
        return bool("DryRun", false);
    }

    private static JsonNode parseJson(String name, String raw) {
        try {
            return JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw Errors.invalidParameter(name, "It is not valid JSON.");
        }
    }
}
