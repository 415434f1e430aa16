package org.openkms.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The three answer shapes of Alibaba's KMS Agent ({@code ResponseType} 0, 1, 2 in its configuration,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/kms-agent-overview).
 */
public enum ResponseFormat {
    /**
     * The body of KMS GetSecretValue
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-getsecretvalue), so code
     * written against the API parses the agent's answer unchanged.
     */
    KMS,
    /**
     * AWS Secrets Manager's GetSecretValue
     * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html): {@code ARN},
     * {@code Name}, {@code VersionId}, {@code SecretString} or {@code SecretBinary}, {@code VersionStages},
     * {@code CreatedDate} in epoch seconds, as the AWS agent returns it.
     */
    AWS,
    /**
     * HashiCorp Vault's KV version 2 read (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2#read-secret-version):
     * {@code data.data} holds the secret's JSON object (or {@code {"value": text}} when the secret is not a JSON
     * object), {@code data.metadata} its version.
     */
    VAULT;

    private static final ObjectMapper JSON = new ObjectMapper();

    static ResponseFormat parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "0", "kms", "alibaba" -> KMS;
            case "1", "aws" -> AWS;
            case "2", "vault", "kv" -> VAULT;
            default ->
                throw new AgentConfigException("response_type must be kms (0), aws (1) or vault (2), got '" + s + "'");
        };
    }

    /** The JSON body for a secret version. */
    byte[] render(SecretValue v, String requestId, long ttlSeconds) {
        ObjectNode o = JSON.createObjectNode();
        switch (this) {
            case KMS -> {
                o.put("RequestId", requestId);
                o.put("SecretName", v.secretName());
                o.put("VersionId", v.versionId());
                o.put("CreateTime", v.createTime());
                o.put("SecretData", v.secretData());
                o.put("SecretDataType", v.secretDataType());
                o.put("SecretType", v.secretType());
                ArrayNode stages = o.putObject("VersionStages").putArray("VersionStage");
                stages(v.versionStages()).forEach(stages::add);
                putIfSet(o, "AutomaticRotation", v.automaticRotation());
                putIfSet(o, "ExtendedConfig", v.extendedConfig());
                putIfSet(o, "RotationInterval", v.rotationInterval());
                putIfSet(o, "NextRotationDate", v.nextRotationDate());
                putIfSet(o, "LastRotationDate", v.lastRotationDate());
            }
            case AWS -> {
                o.put("ARN", v.arn());
                o.put("Name", v.secretName());
                o.put("VersionId", v.versionId());
                // Binary secrets travel base64-encoded in KMS's SecretData, as SecretBinary does in AWS's JSON.
                o.put("binary".equalsIgnoreCase(v.secretDataType()) ? "SecretBinary" : "SecretString", v.secretData());
                ArrayNode stages = o.putArray("VersionStages");
                stages(v.versionStages()).forEach(stages::add);
                o.put("CreatedDate", epochSeconds(v.createTime()));
            }
            case VAULT -> {
                o.put("request_id", requestId);
                o.put("lease_id", "");
                o.put("renewable", false);
                o.put("lease_duration", ttlSeconds);
                ObjectNode data = o.putObject("data");
                data.set("data", kvData(v.secretData()));
                ObjectNode meta = data.putObject("metadata");
                meta.put("created_time", v.createTime());
                meta.putNull("custom_metadata");
                meta.put("deletion_time", "");
                meta.put("destroyed", false);
                meta.put("version", v.versionId());
                o.putNull("wrap_info");
                o.putNull("warnings");
                o.putNull("auth");
            }
        }
        return bytes(o);
    }

    /** An error body in the shape clients of this format already parse. */
    byte[] error(int status, String code, String message, String requestId) {
        ObjectNode o = JSON.createObjectNode();
        switch (this) {
            case KMS -> {
                o.put("RequestId", requestId);
                o.put("Code", code);
                o.put("Message", message);
                o.put("HttpStatus", status);
            }
            case AWS -> {
                o.put("__type", code);
                o.put("message", message);
            }
            case VAULT -> o.putArray("errors").add(code + ": " + message);
        }
        return bytes(o);
    }

    private static List<String> stages(List<String> s) {
        return s == null ? List.of() : s;
    }

    private static void putIfSet(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    private static JsonNode kvData(String secretData) {
        if (secretData != null) {
            try {
                JsonNode n = JSON.readTree(secretData);
                if (n != null && n.isObject()) {
                    return n;
                }
            } catch (JsonProcessingException e) {
                // not JSON: fall through to {"value": text}
            }
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("value", secretData);
        return o;
    }

    /** The AWS agent prints CreatedDate as epoch seconds with a fraction, in a string. */
    private static String epochSeconds(String isoTime) {
        if (isoTime == null) {
            return null;
        }
        try {
            Instant t = Instant.parse(isoTime);
            return t.getEpochSecond() + "." + String.format(Locale.ROOT, "%03d", t.getNano() / 1_000_000);
        } catch (DateTimeParseException e) {
            return isoTime;
        }
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree cannot be written", e);
        }
    }
}
