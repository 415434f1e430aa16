package org.openkms.server.actions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.Account;
import org.openkms.core.key.RotationIntervals;
import org.openkms.core.secret.SecretRecord;
import org.openkms.core.secret.SecretService;
import org.openkms.core.secret.SecretVersionRecord;

/** Response shapes of the secrets operations, with the API's field names (api-semantics.md §3.8). */
final class SecretViews {
    private SecretViews() {}

    static Map<String, Object> stages(SecretVersionRecord v) {
        return Views.wrap("VersionStage", v.orderedStages());
    }

    /** The rotation fields of a managed secret: AutomaticRotation always, the rest when they have a value. */
    static void putRotation(Map<String, Object> m, SecretRecord s) {
        if (!s.secretType().managed()) {
            return;
        }
        m.put("AutomaticRotation", s.automaticRotationStatus());
        if (s.automaticRotation()) {
            m.put("RotationInterval", RotationIntervals.format(s.rotationIntervalSeconds()));
            m.put("NextRotationDate", Views.time(s.nextRotationDate()));
        }
        if (s.lastRotationDate() != null) {
            m.put("LastRotationDate", Views.time(s.lastRotationDate()));
        }
    }

    /** GetSecretValue and the items of BatchGetSecretValue. */
    static Map<String, Object> secretValue(SecretService.SecretValue v, boolean fetchExtendedConfig) {
        SecretRecord s = v.secret();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("SecretName", s.secretName());
        m.put("SecretType", s.secretType().name());
        m.put("SecretData", v.data());
        m.put("SecretDataType", v.version().dataType());
        m.put("VersionId", v.version().versionId());
        m.put("VersionStages", stages(v.version()));
        m.put("CreateTime", Views.time(v.version().creationDate()));
        putRotation(m, s);
        if (fetchExtendedConfig && s.secretType().managed() && s.extendedConfig() != null) {
            m.put("ExtendedConfig", s.extendedConfig());
        }
        return m;
    }

    static Map<String, Object> describe(Account account, SecretRecord s, Map<String, String> tagsOrNull) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("SecretName", s.secretName());
        m.put("Arn", account.secretArn(s.secretName()));
        m.put("SecretType", s.secretType().name());
        m.put("Description", s.description());
        m.put("EncryptionKeyId", s.encryptionKeyId());
        m.put("CreateTime", Views.time(s.creationDate()));
        m.put("UpdateTime", Views.time(s.updateDate()));
        m.put("PlannedDeleteTime", Views.time(s.plannedDeleteTime()));
        m.put("DKMSInstanceId", Views.instanceId(s.dkmsInstanceId()));
        m.put("OwingService", "");
        m.put("AutomaticRotation", s.automaticRotationStatus());
        putRotation(m, s);
        if (s.secretType().managed() && s.extendedConfig() != null) {
            m.put("ExtendedConfig", s.extendedConfig());
        }
        if (s.rotationFailure() != null) {
            // Not an Alibaba field (SDKs ignore unknown ones): why AutomaticRotation says Invalid.
            m.put("LastRotationFailure", s.rotationFailure());
            m.put("LastRotationFailureDate", Views.time(s.rotationFailureDate()));
        }
        if (tagsOrNull != null) {
            m.put("Tags", Views.wrap("Tag", tagList(tagsOrNull)));
        }
        return m;
    }

    static Map<String, Object> listItem(SecretRecord s, Map<String, String> tagsOrNull) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("SecretName", s.secretName());
        m.put("SecretType", s.secretType().name());
        m.put("CreateTime", Views.time(s.creationDate()));
        m.put("UpdateTime", Views.time(s.updateDate()));
        m.put("PlannedDeleteTime", Views.time(s.plannedDeleteTime()));
        m.put("OwingService", "");
        if (tagsOrNull != null) {
            m.put("Tags", Views.wrap("Tag", tagList(tagsOrNull)));
        }
        return m;
    }

    static Map<String, Object> versionId(SecretVersionRecord v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("VersionId", v.versionId());
        m.put("CreateTime", Views.time(v.creationDate()));
        m.put("VersionStages", stages(v));
        return m;
    }

    private static List<Object> tagList(Map<String, String> tags) {
        List<Object> out = new ArrayList<>();
        tags.forEach((k, val) -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("TagKey", k);
            t.put("TagValue", val);
            out.add(t);
        });
        return out;
    }
}
