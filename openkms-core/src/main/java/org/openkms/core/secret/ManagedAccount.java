package org.openkms.core.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openkms.core.error.Errors;

/**
 * The value of an Rds/Redis secret version: {@code {"AccountName":"…","AccountPassword":"…"}}
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createsecret).
 * CreateSecret takes {@code {"Accounts":[{…},{…}]}} (one account, or two for DoubleUsers) or a single account object.
 * toString never shows the password.
 */
public record ManagedAccount(String accountName, String accountPassword) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("AccountName", accountName);
        n.put("AccountPassword", accountPassword);
        return n.toString();
    }

    /** A stored version value; a malformed one means the stored value is not an account (e.g. a master secret). */
    public static ManagedAccount parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return fromNode(n);
        } catch (Exception e) {
            throw new IllegalArgumentException("the value is not {\"AccountName\",\"AccountPassword\"} JSON");
        }
    }

    /** CreateSecret's SecretData for a managed type. */
    public static List<ManagedAccount> parseCreateData(String secretData) {
        JsonNode n;
        try {
            n = JSON.readTree(secretData);
        } catch (Exception e) {
            n = null;
        }
        String shape =
                "It must be {\"Accounts\":[{\"AccountName\":…,\"AccountPassword\":…}]} or {\"AccountName\":…,\"AccountPassword\":…}.";
        if ("$Auto".equals(secretData)) {
            // Alibaba creates the accounts of Redis/PolarDB secrets itself; here they must exist and be named.
            throw Errors.invalidParameter(
                    "SecretData",
                    "$Auto (accounts created by the cloud service) is not available here; "
                            + shape.substring(0, 1).toLowerCase(Locale.ROOT) + shape.substring(1));
        }
        if (n == null || !n.isObject()) {
            throw Errors.invalidParameter("SecretData", shape);
        }
        List<ManagedAccount> out = new ArrayList<>();
        if (n.has("Accounts")) {
            JsonNode accounts = n.get("Accounts");
            if (!accounts.isArray() || accounts.isEmpty() || accounts.size() > 2) {
                throw Errors.invalidParameter("SecretData", shape);
            }
            for (JsonNode a : accounts) {
                out.add(fromNode(a, shape));
            }
        } else {
            out.add(fromNode(n, shape));
        }
        return out;
    }

    private static ManagedAccount fromNode(JsonNode n) {
        return fromNode(n, "It must hold AccountName and AccountPassword.");
    }

    private static ManagedAccount fromNode(JsonNode n, String shape) {
        JsonNode name = n.get("AccountName");
        JsonNode password = n.get("AccountPassword");
        if (name == null || !name.isTextual() || name.asText().isEmpty() || password == null || !password.isTextual()) {
            throw Errors.invalidParameter("SecretData", shape);
        }
        return new ManagedAccount(name.asText(), password.asText());
    }

    @Override
    public String toString() {
        return "ManagedAccount[" + accountName + "]";
    }
}
