package org.openkms.core.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.openkms.core.error.Errors;

/**
 * The value of a RAMCredentials secret version, as GetSecretValue returns it:
 * {@code {"AccessKeyId","AccessKeySecret","GenerateTimestamp"}}
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/user-guide/manage-and-use-ram-secrets).
 * toString never shows the secret.
 */
public record RamAccessKey(String accessKeyId, String accessKeySecret, String generateTimestamp) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String SHAPE = "It must be {\"AccessKeys\":[{\"AccessKeyId\":…,\"AccessKeySecret\":…}]}"
            + " with one or two AccessKeys of the RAM user.";

    public static RamAccessKey of(String accessKeyId, String accessKeySecret, Instant generated) {
        return new RamAccessKey(accessKeyId, accessKeySecret, TIMESTAMP.format(generated));
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("AccessKeyId", accessKeyId);
        n.put("AccessKeySecret", accessKeySecret);
        n.put("GenerateTimestamp", generateTimestamp);
        return n.toString();
    }

    /** A stored version value. */
    public static RamAccessKey parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return new RamAccessKey(
                    n.get("AccessKeyId").asText(),
                    n.get("AccessKeySecret").asText(),
                    n.path("GenerateTimestamp").asText(""));
        } catch (Exception e) {
            throw new IllegalArgumentException("the value is not {\"AccessKeyId\",\"AccessKeySecret\"} JSON");
        }
    }

    /** CreateSecret's SecretData: {@code {"AccessKeys":[{"AccessKeyId","AccessKeySecret"}, …]}} (1 or 2). */
    public static List<RamAccessKey> parseCreateData(String secretData, Instant now) {
        JsonNode n;
        try {
            n = JSON.readTree(secretData);
        } catch (Exception e) {
            n = null;
        }
        if (n == null || !n.isObject() || !n.path("AccessKeys").isArray()) {
            throw Errors.invalidParameter("SecretData", SHAPE);
        }
        JsonNode keys = n.get("AccessKeys");
        if (keys.isEmpty() || keys.size() > 2) {
            throw Errors.invalidParameter("SecretData", SHAPE);
        }
        List<RamAccessKey> out = new ArrayList<>();
        for (JsonNode k : keys) {
            JsonNode id = k.get("AccessKeyId");
            JsonNode secret = k.get("AccessKeySecret");
            if (id == null
                    || !id.isTextual()
                    || id.asText().isEmpty()
                    || secret == null
                    || !secret.isTextual()
                    || secret.asText().isEmpty()) {
                throw Errors.invalidParameter("SecretData", SHAPE);
            }
            out.add(of(id.asText(), secret.asText(), now));
        }
        return out;
    }

    @Override
    public String toString() {
        return "RamAccessKey[" + accessKeyId + "]";
    }
}
