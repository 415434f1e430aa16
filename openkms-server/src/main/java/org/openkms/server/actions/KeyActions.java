package org.openkms.server.actions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openkms.core.Account;
import org.openkms.core.key.AliasRecord;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.KeyVersionRecord;
import org.openkms.core.key.Origin;
import org.openkms.core.key.CreateKeyRequest;
import org.openkms.core.key.RotationIntervals;
import org.openkms.core.service.TagService;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Params;

/** Key lifecycle operations (api-semantics.md §3.3). */
public final class KeyActions {
    private static final Set<String> LIST_KEYS_FILTERS = Set.of("KeyState", "KeySpec", "KeyUsage", "ProtectionLevel",
            "CreatorType", "DKMSInstanceId", "KeyId", "AliasName", "Creator", "TagKey", "TagValue");

    private KeyActions() {
    }

    public static void register(ActionRegistry r) {
        r.register("CreateKey", KeyActions::createKey)
                .register("DescribeKey", KeyActions::describeKey)
                .register("ListKeys", KeyActions::listKeys)
                .register("UpdateKeyDescription", c -> {
                    String description = c.params().optional("Description");
                    if (description == null) {
                        throw Errors.missingParameter("Description");
                    }
                    c.kms().keys().updateKeyDescription(keyId(c), description);
                    return Map.of();
                })
                .register("EnableKey", c -> {
                    c.kms().keys().enableKey(keyId(c));
                    return Map.of();
                })
                .register("DisableKey", c -> {
                    c.kms().keys().disableKey(keyId(c));
                    return Map.of();
                })
                .register("ScheduleKeyDeletion", c -> {
                    String keyId = keyId(c);
                    int days = c.params().requiredInteger("PendingWindowInDays", 7, 366);
                    c.kms().keys().scheduleKeyDeletion(keyId, days);
                    return Map.of();
                })
                .register("CancelKeyDeletion", c -> {
                    c.kms().keys().cancelKeyDeletion(keyId(c));
                    return Map.of();
                })
                .register("SetDeletionProtection", KeyActions::setDeletionProtection)
                .register("UpdateRotationPolicy", c -> {
                    String keyId = keyId(c);
                    boolean enable = c.params().requiredBool("EnableAutomaticRotation");
                    c.kms().keys().updateRotationPolicy(keyId, enable, c.params().optional("RotationInterval"));
                    return Map.of();
                })
                .register("CreateKeyVersion", c -> {
                    KeyVersionRecord v = c.kms().keys().createKeyVersion(keyId(c));
                    return Map.of("KeyVersion", Views.keyVersion(v));
                })
                .register("DescribeKeyVersion", c -> {
                    String keyId = keyId(c);
                    KeyVersionRecord v = c.kms().keys().describeKeyVersion(keyId, c.params().required("KeyVersionId"));
                    return Map.of("KeyVersion", Views.keyVersion(v));
                })
                .register("ListKeyVersions", c -> {
                    String keyId = keyId(c);
                    int pageNumber = c.params().integer("PageNumber", 1, 1, Integer.MAX_VALUE);
                    int pageSize = c.params().integer("PageSize", 10, 1, 100);
                    List<KeyVersionRecord> versions = c.kms().keys().listKeyVersions(keyId);
                    return Views.page("KeyVersions", "KeyVersion", versions, pageNumber, pageSize, Views::keyVersion);
                });
    }

    /** The KeyId parameter, recorded as the call's resource. */
    static String keyId(Call c) {
        String keyId = c.params().required("KeyId");
        c.resource(keyId);
        return keyId;
    }

    private static Map<String, Object> createKey(Call c) {
        Params p = c.params();
        KeySpec spec = KeySpec.fromWire(orDefault(p.optional("KeySpec"), "Aliyun_AES_256"))
                .orElseThrow(() -> Errors.invalidParameter("KeySpec", "Unknown KeySpec."));
        KeyUsage usage = null;
        if (p.optional("KeyUsage") != null && !p.optional("KeyUsage").isEmpty()) {
            usage = KeyUsage.fromWire(p.optional("KeyUsage"))
                    .orElseThrow(() -> Errors.invalidParameter("KeyUsage", "It must be ENCRYPT/DECRYPT, SIGN/VERIFY or GENERATE/VERIFY_MAC."));
        }
        Origin origin = switch (orDefault(p.optional("Origin"), "Aliyun_KMS")) {
            case "Aliyun_KMS" -> Origin.Aliyun_KMS;
            case "EXTERNAL" -> Origin.EXTERNAL;
            default -> throw Errors.invalidParameter("Origin", "It must be Aliyun_KMS or EXTERNAL.");
        };
        String protection = orDefault(p.optional("ProtectionLevel"), "SOFTWARE");
        if (protection.equals("HSM")) {
            throw new KmsException(400, "Unsupported.ProtectionLevel", "The HSM protection level is not available on this server.");
        }
        if (!protection.equals("SOFTWARE")) {
            throw Errors.invalidParameter("ProtectionLevel", "It must be SOFTWARE or HSM.");
        }
        String description = orDefault(p.optional("Description"), "");
        long interval = 0;
        if (p.bool("EnableAutomaticRotation", false)) {
            String raw = p.optional("RotationInterval");
            if (raw == null || raw.isEmpty()) {
                throw Errors.missingParameter("RotationInterval");
            }
            interval = RotationIntervals.parseSeconds(raw);
        }
        Map<String, String> tags = JsonParams.tags(p, "Tags");
        TagService.validate(tags);
        KeyRecord key = c.kms().keys().createKey(new CreateKeyRequest(description, spec, usage, origin, protection, interval, tags));
        c.keyResource(key.keyId());
        return Map.of("KeyMetadata", Views.keyMetadata(c.kms().account(), key, false));
    }

    private static Map<String, Object> describeKey(Call c) {
        KeyRecord key = c.kms().keys().describeKey(keyId(c));
        c.keyResource(key.keyId());
        return Map.of("KeyMetadata", Views.keyMetadata(c.kms().account(), key, true));
    }

    private static Map<String, Object> listKeys(Call c) {
        Params p = c.params();
        int pageNumber = p.integer("PageNumber", 1, 1, Integer.MAX_VALUE);
        int pageSize = p.integer("PageSize", 10, 1, 100);
        Map<String, List<String>> filters = JsonParams.filters(p, "Filters", LIST_KEYS_FILTERS);
        List<AliasRecord> aliases = filters.containsKey("AliasName") ? c.kms().aliases().listAliases() : List.of();
        List<KeyRecord> keys = c.kms().keys().listKeys().stream()
                .filter(k -> matches(c, k, filters, aliases))
                .toList();
        Account account = c.kms().account();
        return Views.page("Keys", "Key", keys, pageNumber, pageSize, k -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("KeyId", k.keyId());
            m.put("KeyArn", account.keyArn(k.keyId()));
            return m;
        });
    }

    /** OR within one filter key, AND across keys (api-semantics.md ListKeys). */
    private static boolean matches(Call c, KeyRecord k, Map<String, List<String>> filters, List<AliasRecord> aliases) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            boolean ok = switch (f.getKey()) {
                case "KeyState" -> values.contains(k.state().name());
                case "KeySpec" -> values.contains(k.keySpec().name());
                case "KeyUsage" -> values.contains(k.keyUsage().wire());
                case "ProtectionLevel" -> values.contains(k.protectionLevel());
                case "CreatorType" -> values.contains("User");
                case "DKMSInstanceId" -> values.contains("");
                case "KeyId" -> values.contains(k.keyId());
                case "Creator" -> values.contains(k.creator());
                case "AliasName" -> aliases.stream().anyMatch(a -> a.keyId().equals(k.keyId()) && values.contains(a.aliasName()));
                case "TagKey" -> c.kms().tags().tagsOf(TagService.KEY, k.keyId()).keySet().stream().anyMatch(values::contains);
                case "TagValue" -> c.kms().tags().tagsOf(TagService.KEY, k.keyId()).values().stream().anyMatch(values::contains);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> setDeletionProtection(Call c) {
        Params p = c.params();
        boolean enable = p.requiredBool("EnableDeletionProtection");
        String ref = p.optional("KeyId");
        if (ref == null || ref.isEmpty()) {
            ref = p.optional("ProtectedResourceArn");
        }
        if (ref == null || ref.isEmpty()) {
            if (p.optional("KmsInstanceId") != null) {
                throw Errors.resourceNotFound(); // no KMS instances on this server
            }
            throw Errors.missingParameter("ProtectedResourceArn");
        }
        c.resource(ref);
        c.kms().keys().setDeletionProtection(ref, enable, p.optional("DeletionProtectionDescription"));
        return Map.of();
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isEmpty() ? d : v;
    }
}
