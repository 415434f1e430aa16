package org.openkms.core.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.openkms.core.error.Errors;

/**
 * The ExtendedConfig of a managed (Rds or Redis) secret, as rotation reads it (CreateSecret's ExtendedConfig,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createsecret).
 *
 * <p>Alibaba names a cloud instance here; this server names a reachable server instead, as a URL in the same
 * field: Rds {@code DBInstanceId} (PolarDB {@code DBClusterId}) = {@code postgresql://host:port[/database]},
 * {@code mysql://host:port} or {@code mariadb://host:port}; Redis {@code InstanceId} = {@code redis://host:port}. One addition:
 * {@code MasterSecretName} names another secret on this server holding {@code {"AccountName","AccountPassword"}}
 * of an administrator account; dual-account rotation (and Redis) change passwords with it. Without it a
 * single-account secret changes its own password with its current credentials.
 */
public record ManagedSecretConfig(
        String subType, String endpoint, String accountName, String cloneAccountName, String masterSecretName) {
    public static final String SINGLE_USER = "SingleUser";
    public static final String DOUBLE_USERS = "DoubleUsers";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CHARS = 1024;

    public boolean dualAccount() {
        return DOUBLE_USERS.equals(subType);
    }

    /** The endpoint's scheme (postgresql, mysql, mariadb, redis), lower case, or "" when it is no URL. */
    public String scheme() {
        int i = endpoint.indexOf("://");
        return i <= 0 ? "" : endpoint.substring(0, i).toLowerCase(java.util.Locale.ROOT);
    }

    /** The account rotation changes: the same one (single), or the one not in the current version (dual). */
    public String targetAccount(String currentAccount) {
        if (!dualAccount()) {
            return currentAccount;
        }
        return currentAccount.equals(accountName) ? cloneAccountName : accountName;
    }

    /** Reads the stored (already validated) configuration. */
    public static ManagedSecretConfig parse(SecretType type, String extendedConfig) {
        ObjectNode n = object(extendedConfig);
        String endpointField = endpointField(type);
        return new ManagedSecretConfig(
                text(n, "SecretSubType"),
                text(n, endpointField),
                text(n, "AccountName"),
                text(n, "CloneAccountName"),
                text(n, "MasterSecretName"));
    }

    /**
     * CreateSecret: validates the caller's ExtendedConfig for a managed type and returns what to store, with
     * AccountName and CloneAccountName filled in for DoubleUsers (from SecretData's accounts; clone default
     * {@code <AccountName>_clone}, as Alibaba names Redis clones).
     */
    public static String validateForCreate(SecretType type, String extendedConfig, List<ManagedAccount> accounts) {
        if (extendedConfig == null || extendedConfig.isEmpty()) {
            throw Errors.missingParameter("ExtendedConfig");
        }
        if (extendedConfig.length() > MAX_CHARS) {
            throw Errors.invalidParameter("ExtendedConfig", "It must not exceed 1024 characters.");
        }
        ObjectNode n = object(extendedConfig);
        String subType = text(n, "SecretSubType");
        if (!SINGLE_USER.equals(subType) && !DOUBLE_USERS.equals(subType)) {
            throw Errors.invalidParameter("ExtendedConfig", "SecretSubType must be SingleUser or DoubleUsers.");
        }
        String endpointField = endpointField(type);
        if (text(n, endpointField).isEmpty()) {
            throw Errors.invalidParameter("ExtendedConfig", endpointField + " is required for " + type + " secrets.");
        }
        checkCustomData(n.get("CustomData"));
        if (!n.has("CustomData")) {
            n.putObject("CustomData");
        }
        String primary = accounts.get(0).accountName();
        if (!text(n, "AccountName").isEmpty() && !text(n, "AccountName").equals(primary)) {
            throw Errors.invalidParameter("ExtendedConfig", "AccountName does not match the account in SecretData.");
        }
        if (DOUBLE_USERS.equals(subType)) {
            n.put("AccountName", primary);
            String clone = text(n, "CloneAccountName");
            if (clone.isEmpty()) {
                clone = accounts.size() > 1 ? accounts.get(1).accountName() : primary + "_clone";
                n.put("CloneAccountName", clone);
            }
            if (clone.equals(primary)) {
                throw Errors.invalidParameter("ExtendedConfig", "CloneAccountName must differ from AccountName.");
            }
            if (text(n, "MasterSecretName").isEmpty() && type != SecretType.Redis) {
                throw Errors.invalidParameter(
                        "ExtendedConfig",
                        "DoubleUsers rotation resets the other account's password and needs MasterSecretName (an administrator account secret).");
            }
        } else if (accounts.size() > 1) {
            throw Errors.invalidParameter("SecretData", "A SingleUser secret holds exactly one account.");
        }
        String stored = n.toString();
        if (stored.length() > MAX_CHARS) {
            throw Errors.invalidParameter("ExtendedConfig", "It must not exceed 1024 characters.");
        }
        return stored;
    }

    /** RAMCredentials' SecretSubType (ExtendedConfig of CreateSecret, see the class comment). */
    public static final String RAM_USER_ACCESS_KEY = "RamUserAccessKey";

    /**
     * CreateSecret of a RAMCredentials secret: ExtendedConfig must be
     * {@code {"SecretSubType":"RamUserAccessKey","UserName":"…"}} (plus optional CustomData); returns what to store.
     */
    public static String validateRamForCreate(String extendedConfig) {
        if (extendedConfig == null || extendedConfig.isEmpty()) {
            throw Errors.missingParameter("ExtendedConfig");
        }
        if (extendedConfig.length() > MAX_CHARS) {
            throw Errors.invalidParameter("ExtendedConfig", "It must not exceed 1024 characters.");
        }
        ObjectNode n = object(extendedConfig);
        if (!RAM_USER_ACCESS_KEY.equals(text(n, "SecretSubType"))) {
            throw Errors.invalidParameter("ExtendedConfig", "SecretSubType must be RamUserAccessKey.");
        }
        if (text(n, "UserName").isEmpty()) {
            throw Errors.invalidParameter("ExtendedConfig", "UserName (the RAM user) is required.");
        }
        checkCustomData(n.get("CustomData"));
        if (!n.has("CustomData")) {
            n.putObject("CustomData");
        }
        return n.toString();
    }

    /** The RAM user of a stored RAMCredentials ExtendedConfig. */
    public static String ramUserName(String extendedConfig) {
        return text(object(extendedConfig), "UserName");
    }

    /** Where each type names its server: Rds DBInstanceId, PolarDB DBClusterId, Redis InstanceId. */
    static String endpointField(SecretType type) {
        return switch (type) {
            case Redis -> "InstanceId";
            case PolarDB -> "DBClusterId";
            default -> "DBInstanceId";
        };
    }

    /** UpdateSecret: replaces CustomData, the only part of ExtendedConfig that may change later. */
    public static String withCustomData(String extendedConfig, Map<String, String> customData) {
        ObjectNode n = object(extendedConfig);
        ObjectNode data = n.putObject("CustomData");
        customData.forEach(data::put);
        checkCustomData(data);
        String stored = n.toString();
        if (stored.length() > MAX_CHARS) {
            throw Errors.invalidParameter("ExtendedConfig", "It must not exceed 1024 characters.");
        }
        return stored;
    }

    private static void checkCustomData(JsonNode data) {
        if (data == null) {
            return;
        }
        if (!data.isObject() || data.size() > 10) {
            throw Errors.invalidParameter("ExtendedConfig", "CustomData must be an object of at most 10 string pairs.");
        }
        for (Iterator<JsonNode> it = data.elements(); it.hasNext(); ) {
            if (!it.next().isTextual()) {
                throw Errors.invalidParameter("ExtendedConfig", "CustomData values must be strings.");
            }
        }
    }

    private static ObjectNode object(String json) {
        try {
            JsonNode n = JSON.readTree(json == null ? "{}" : json);
            if (n instanceof ObjectNode o) {
                return o;
            }
        } catch (Exception e) {
            // reported below
        }
        throw Errors.invalidParameter("ExtendedConfig", "It must be a JSON object.");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? "" : v.asText();
    }
}
