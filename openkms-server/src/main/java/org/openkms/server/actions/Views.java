package org.openkms.server.actions;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.Account;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeyVersionRecord;
import org.openkms.core.key.RotationIntervals;
import org.openkms.wire.Timestamps;

/** Response shapes shared by several actions, with the exact field names of the API (api-semantics.md §3). */
final class Views {
    private Views() {}

    static String time(Instant t) {
        return t == null ? "" : Timestamps.format(t.toEpochMilli());
    }

    /** KeyMetadata of CreateKey and DescribeKey (the latter adds the deletion-protection fields). */
    static Map<String, Object> keyMetadata(Account account, KeyRecord k, boolean withProtection) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("KeyId", k.keyId());
        m.put("Arn", account.keyArn(k.keyId()));
        m.put("Description", k.description());
        m.put("KeySpec", k.keySpec().name());
        m.put("KeyUsage", k.keyUsage().wire());
        m.put("KeyState", k.state().name());
        m.put("Origin", k.origin().name());
        m.put("ProtectionLevel", k.protectionLevel());
        m.put("CreationDate", time(k.creationDate()));
        m.put("Creator", k.creator());
        m.put("DKMSInstanceId", instanceId(k.dkmsInstanceId()));
        m.put("DeleteDate", time(k.deleteDate()));
        m.put("MaterialExpireTime", time(k.materialExpireTime()));
        m.put("PrimaryKeyVersion", k.primaryKeyVersion() == null ? "" : k.primaryKeyVersion());
        m.put("LastRotationDate", time(k.lastRotationDate()));
        m.put("AutomaticRotation", k.automaticRotationStatus());
        if (k.automaticRotation()) {
            m.put("RotationInterval", RotationIntervals.format(k.rotationIntervalSeconds()));
            m.put("NextRotationDate", time(k.nextRotationDate()));
        }
        if (withProtection) {
            m.put("DeletionProtection", k.deletionProtection() ? "Enabled" : "Disabled");
            m.put("DeletionProtectionDescription", k.deletionProtectionDescription());
        }
        return m;
    }

    /** DKMSInstanceId as the API reports it: empty for a default key or a secret of no instance. */
    static String instanceId(String dkmsInstanceId) {
        return dkmsInstanceId == null ? "" : dkmsInstanceId;
    }

    static Map<String, Object> keyVersion(KeyVersionRecord v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("KeyId", v.keyId());
        m.put("KeyVersionId", v.keyVersionId());
        m.put("CreationDate", time(v.creationDate()));
        return m;
    }

    /** Alibaba's list shape: {@code "Plural": {"Singular": [ … ]}}. */
    static Map<String, Object> wrap(String singular, List<?> items) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(singular, items);
        return m;
    }

    /** A page of {@code items} with PageNumber, PageSize and TotalCount as JSON integers. */
    static <T> Map<String, Object> page(
            String plural,
            String singular,
            List<T> all,
            int pageNumber,
            int pageSize,
            java.util.function.Function<T, Object> view) {
        int from = (int) Math.min((long) (pageNumber - 1) * pageSize, all.size());
        int to = Math.min(from + pageSize, all.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(plural, wrap(singular, all.subList(from, to).stream().map(view).toList()));
        out.put("PageNumber", pageNumber);
        out.put("PageSize", pageSize);
        out.put("TotalCount", all.size());
        return out;
    }
}
