package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.KEY_ID;
import static org.openkms.server.actions.KmsFields.KEY_VERSION_ID;
import static org.openkms.server.actions.KmsFields.PAGE_NUMBER;
import static org.openkms.server.actions.KmsFields.PAGE_SIZE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openkms.core.Account;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.core.key.AliasRecord;
import org.openkms.core.key.CreateKeyRequest;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.KeyVersionRecord;
import org.openkms.core.key.Origin;
import org.openkms.core.key.RotationIntervals;
import org.openkms.core.service.TagService;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.Params;
import org.openkms.server.iam.KmsResources;

/** Key lifecycle operations (api-semantics.md §3.3). */
public final class KeyActions {
    private static final Set<String> LIST_KEYS_FILTERS = Set.of(
            "KeyState",
            "KeySpec",
            "KeyUsage",
            "ProtectionLevel",
            "CreatorType",
            "DKMSInstanceId",
            "KeyId",
            "AliasName",
            "Creator",
            "TagKey",
            "TagValue");

    private KeyActions() {}

    /** UpdateKeyDescription's Description: required, but may be empty (it clears the description). */
    static final Field<String> DESCRIPTION = Field.of("Description", p -> {
        String description = p.optional("Description");
        if (description == null) {
            throw Errors.missingParameter("Description");
        }
        return description;
    });

    static final Field<Integer> PENDING_WINDOW = Field.requiredInteger("PendingWindowInDays", 7, 366);
    static final Field<Boolean> ENABLE_ROTATION = Field.requiredBool("EnableAutomaticRotation");
    static final Field<String> ROTATION_INTERVAL = Field.optional("RotationInterval");
    static final Field<Boolean> ENABLE_PROTECTION = Field.requiredBool("EnableDeletionProtection");

    public static void register(ActionRegistry r) {
        r.register(Operation.named("CreateKey")
                        .targets(KmsResources.container("key"))
                        .created(body -> (String) ((Map<?, ?>) body.get("KeyMetadata")).get("Arn"))
                        .handle(KeyActions::createKey))
                .register(Operation.named("DescribeKey")
                        .fields(KEY_ID)
                        .targets(KmsResources.key())
                        .handle(c -> Map.of(
                                "KeyMetadata",
                                Views.keyMetadata(
                                        c.kms().account(), c.kms().keys().describeKey(c.keyId()), true))))
                .register(Operation.named("ListKeys")
                        .fields(PAGE_NUMBER, PAGE_SIZE)
                        .targets(KmsResources.container("key"))
                        .handle(KeyActions::listKeys))
                .register(Operation.named("UpdateKeyDescription")
                        .fields(DESCRIPTION, KEY_ID)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            c.kms().keys().updateKeyDescription(c.keyId(), c.get(DESCRIPTION));
                            return Map.of();
                        }))
                .register(Operation.named("EnableKey")
                        .fields(KEY_ID)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            c.kms().keys().enableKey(c.keyId());
                            return Map.of();
                        }))
                .register(Operation.named("DisableKey")
                        .fields(KEY_ID)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            c.kms().keys().disableKey(c.keyId());
                            return Map.of();
                        }))
                .register(Operation.named("ScheduleKeyDeletion")
                        .fields(KEY_ID, PENDING_WINDOW)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            c.kms().keys().scheduleKeyDeletion(c.keyId(), c.get(PENDING_WINDOW));
                            return Map.of();
                        }))
                .register(Operation.named("CancelKeyDeletion")
                        .fields(KEY_ID)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            c.kms().keys().cancelKeyDeletion(c.keyId());
                            return Map.of();
                        }))
                .register(Operation.named("SetDeletionProtection")
                        .fields(ENABLE_PROTECTION)
                        .targets(KmsResources.protectedKey())
                        .handle(KeyActions::setDeletionProtection))
                .register(Operation.named("UpdateRotationPolicy")
                        .fields(KEY_ID, ENABLE_ROTATION, ROTATION_INTERVAL)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            c.kms()
                                    .keys()
                                    .updateRotationPolicy(c.keyId(), c.get(ENABLE_ROTATION), c.get(ROTATION_INTERVAL));
                            return Map.of();
                        }))
                .register(Operation.named("CreateKeyVersion")
                        .fields(KEY_ID)
                        .targets(KmsResources.key())
                        .handle(c -> Map.of(
                                "KeyVersion", Views.keyVersion(c.kms().keys().createKeyVersion(c.keyId())))))
                .register(Operation.named("DescribeKeyVersion")
                        .fields(KEY_ID, KEY_VERSION_ID)
                        .targets(KmsResources.key())
                        .handle(c -> Map.of(
                                "KeyVersion",
                                Views.keyVersion(c.kms().keys().describeKeyVersion(c.keyId(), c.get(KEY_VERSION_ID))))))
                .register(Operation.named("ListKeyVersions")
                        .fields(KEY_ID, PAGE_NUMBER, PAGE_SIZE)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            List<KeyVersionRecord> versions = c.kms().keys().listKeyVersions(c.keyId());
                            return Views.page(
                                    "KeyVersions",
                                    "KeyVersion",
                                    versions,
                                    c.get(PAGE_NUMBER),
                                    c.get(PAGE_SIZE),
                                    Views::keyVersion);
                        }));
    }

    private static Map<String, Object> createKey(Call c) {
        Params p = c.params();
        String instanceId = p.optional("DKMSInstanceId");
        if (instanceId != null && !instanceId.isEmpty()) {
            c.kms().instances().get(instanceId); // Forbidden.DKMSInstanceNotFound when it names none
        } else {
            instanceId = null; // a default key: usable on the shared gateway only
        }
        KeySpec spec = KeySpec.fromWire(orDefault(p.optional("KeySpec"), "Aliyun_AES_256"))
                .orElseThrow(() -> Errors.invalidParameter("KeySpec", "Unknown KeySpec."));
        KeyUsage usage = null;
        if (p.optional("KeyUsage") != null && !p.optional("KeyUsage").isEmpty()) {
            usage = KeyUsage.fromWire(p.optional("KeyUsage"))
                    .orElseThrow(() -> Errors.invalidParameter(
                            "KeyUsage", "It must be ENCRYPT/DECRYPT, SIGN/VERIFY or GENERATE/VERIFY_MAC."));
        }
        Origin origin = switch (orDefault(p.optional("Origin"), "Aliyun_KMS")) {
            case "Aliyun_KMS" -> Origin.Aliyun_KMS;
            case "EXTERNAL" -> Origin.EXTERNAL;
            default -> throw Errors.invalidParameter("Origin", "It must be Aliyun_KMS or EXTERNAL.");
        };
        String protection = orDefault(p.optional("ProtectionLevel"), "SOFTWARE");
        if (protection.equals("HSM")) {
            throw new KmsException(
                    400, "Unsupported.ProtectionLevel", "The HSM protection level is not available on this server.");
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
        KeyRecord key = c.kms()
                .keys()
                .createKey(
                        new CreateKeyRequest(description, spec, usage, origin, protection, interval, tags, instanceId));
        return Map.of("KeyMetadata", Views.keyMetadata(c.kms().account(), key, false));
    }

    private static Map<String, Object> listKeys(Call c) {
        Params p = c.params();
        Map<String, List<String>> filters = JsonParams.filters(p, "Filters", LIST_KEYS_FILTERS);
        List<AliasRecord> aliases =
                filters.containsKey("AliasName") ? c.kms().aliases().listAliases() : List.of();
        List<KeyRecord> keys = c.kms().keys().listKeys().stream()
                .filter(k -> matches(c, k, filters, aliases))
                .toList();
        Account account = c.kms().account();
        return Views.page("Keys", "Key", keys, c.get(PAGE_NUMBER), c.get(PAGE_SIZE), k -> {
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
                case "DKMSInstanceId" -> values.contains(Views.instanceId(k.dkmsInstanceId()));
                case "KeyId" -> values.contains(k.keyId());
                case "Creator" -> values.contains(k.creator());
                case "AliasName" ->
                    aliases.stream().anyMatch(a -> a.keyId().equals(k.keyId()) && values.contains(a.aliasName()));
                case "TagKey" ->
                    c.kms().tags().tagsOf(TagService.KEY, k.keyId()).keySet().stream()
                            .anyMatch(values::contains);
                case "TagValue" ->
                    c.kms().tags().tagsOf(TagService.KEY, k.keyId()).values().stream()
                            .anyMatch(values::contains);
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
        boolean enable = c.get(ENABLE_PROTECTION);
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
        c.kms().keys().setDeletionProtection(ref, enable, p.optional("DeletionProtectionDescription"));
        return Map.of();
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isEmpty() ? d : v;
    }
}
