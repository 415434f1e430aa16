package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.PAGE_NUMBER;
import static org.openkms.server.actions.KmsFields.PAGE_SIZE;
import static org.openkms.server.actions.KmsFields.SECRET_NAME;
import static org.openkms.server.actions.KmsFields.VERSION_ID;
import static org.openkms.server.actions.KmsFields.VERSION_STAGE;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.core.key.RotationIntervals;
import org.openkms.core.secret.CreateSecretRequest;
import org.openkms.core.secret.PasswordGenerator;
import org.openkms.core.secret.SecretRecord;
import org.openkms.core.secret.SecretService;
import org.openkms.core.secret.SecretType;
import org.openkms.core.secret.SecretVersionRecord;
import org.openkms.core.service.TagService;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.DryRun;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.Params;
import org.openkms.server.iam.KmsResources;

/** Secrets Manager operations (api-semantics.md §3.8). Values never reach the audit record: only the secret's ARN. */
public final class SecretActions {
    private static final Set<String> LIST_SECRETS_FILTERS =
            Set.of("SecretName", "Description", "TagKey", "TagValue", "DKMSInstanceId", "SecretType", "Creator");
    private static final int MAX_BATCH = 20;
    /** ListSecretVersionIds pages by 20 by default, ListSecrets by 10. */
    private static final Field<Integer> VERSION_IDS_PAGE_SIZE = Field.integer("PageSize", 20, 1, 100);

    private SecretActions() {}

    public static void register(ActionRegistry r) {
        r.register(Operation.named("CreateSecret")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(SecretActions::createSecret))
                .register(Operation.named("GetSecretValue")
                        .fields(SECRET_NAME, VERSION_ID, VERSION_STAGE)
                        .targets(KmsResources.secret())
                        // Every check passes or fails as in the real call, including the key's state.
                        .dryRun(DryRun.check(SecretActions::secretValue))
                        .handle(c -> SecretViews.secretValue(
                                secretValue(c), c.params().bool("FetchExtendedConfig", false))))
                .register(Operation.named("BatchGetSecretValue")
                        .targets(KmsResources.batchSecrets())
                        .handle(SecretActions::batchGetSecretValue))
                .register(Operation.named("PutSecretValue")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(SecretActions::putSecretValue))
                .register(Operation.named("UpdateSecretVersionStage")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(c -> {
                            Params p = c.params();
                            String name = c.get(SECRET_NAME);
                            c.kms()
                                    .secrets()
                                    .updateSecretVersionStage(
                                            name,
                                            p.required("VersionStage"),
                                            p.optional("RemoveFromVersion"),
                                            p.optional("MoveToVersion"));
                            return named(c, name);
                        }))
                .register(Operation.named("ListSecretVersionIds")
                        .fields(SECRET_NAME, PAGE_NUMBER, VERSION_IDS_PAGE_SIZE)
                        .targets(KmsResources.secret())
                        .handle(SecretActions::listSecretVersionIds))
                .register(Operation.named("DescribeSecret")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(SecretActions::describeSecret))
                .register(Operation.named("ListSecrets")
                        .fields(PAGE_NUMBER, PAGE_SIZE)
                        .targets(KmsResources.container("secret"))
                        .handle(SecretActions::listSecrets))
                .register(Operation.named("UpdateSecret")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(SecretActions::updateSecret))
                .register(Operation.named("UpdateSecretRotationPolicy")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(c -> {
                            Params p = c.params();
                            String name = c.get(SECRET_NAME);
                            boolean enable = p.requiredBool("EnableAutomaticRotation");
                            long interval = 0;
                            if (enable) {
                                interval = RotationIntervals.parseSeconds(p.required("RotationInterval"));
                            }
                            c.kms().secrets().updateSecretRotationPolicy(name, enable, interval);
                            return named(c, name);
                        }))
                .register(Operation.named("RotateSecret")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(SecretActions::rotateSecret))
                .register(Operation.named("DeleteSecret")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(SecretActions::deleteSecret))
                .register(Operation.named("RestoreSecret")
                        .fields(SECRET_NAME)
                        .targets(KmsResources.secret())
                        .handle(c -> {
                            String name = c.get(SECRET_NAME);
                            c.kms().secrets().restoreSecret(name);
                            return named(c, name);
                        }))
                .register(Operation.named("GetRandomPassword")
                        .targets(KmsResources.container("secret"))
                        .handle(SecretActions::getRandomPassword));
    }

    /** The value GetSecretValue returns (SecretName as given: a name or an ARN, which the service resolves). */
    private static SecretService.SecretValue secretValue(Call c) {
        return c.kms().secrets().getSecretValue(c.get(SECRET_NAME), c.get(VERSION_ID), c.get(VERSION_STAGE));
    }

    private static Map<String, Object> createSecret(Call c) {
        Params p = c.params();
        String name = c.get(SECRET_NAME);
        SecretType type = SecretType.Generic;
        String typeParam = p.optional("SecretType");
        if (typeParam != null && !typeParam.isEmpty()) {
            type = SecretType.fromWire(typeParam)
                    .orElseThrow(() -> Errors.invalidParameter(
                            "SecretType", "It must be Generic, Rds, Redis, RAMCredentials, ECS or PolarDB."));
        }
        String instanceId = p.optional("DKMSInstanceId");
        if (instanceId != null && !instanceId.isEmpty()) {
            c.kms().instances().get(instanceId); // Forbidden.DKMSInstanceNotFound when it names none
        } else {
            instanceId = null; // a secret of no instance: usable on the shared gateway only
        }
        boolean rotate = p.bool("EnableAutomaticRotation", false);
        long interval = 0;
        if (rotate) {
            interval = RotationIntervals.parseSeconds(p.required("RotationInterval"));
        }
        Map<String, String> tags = JsonParams.tags(p, "Tags");
        SecretService.Created created = c.kms()
                .secrets()
                .createSecret(new CreateSecretRequest(
                        name,
                        p.required("VersionId"),
                        p.required("SecretData"),
                        p.optional("SecretDataType"),
                        type,
                        p.optional("Description"),
                        p.optional("EncryptionKeyId"),
                        p.optional("ExtendedConfig"),
                        rotate,
                        interval,
                        tags,
                        instanceId));
        SecretRecord s = created.secret();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Arn", c.kms().account().secretArn(s.secretName()));
        m.put("SecretName", s.secretName());
        m.put("VersionId", created.version().versionId());
        m.put("SecretType", s.secretType().name());
        m.put("DKMSInstanceId", Views.instanceId(s.dkmsInstanceId()));
        SecretViews.putRotation(m, s);
        if (s.secretType().managed()) {
            m.put("ExtendedConfig", s.extendedConfig());
        }
        return m;
    }

    /** Up to 20 secrets; a failing secret becomes an entry of Errors[] and the call still succeeds. */
    private static Map<String, Object> batchGetSecretValue(Call c) {
        JsonNode list = c.params().json("SecretsList");
        if (list == null) {
            throw Errors.missingParameter("SecretsList");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw Errors.invalidParameter("SecretsList", "It must be a JSON array of {\"SecretName\":…} objects.");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (JsonNode item : list) {
            JsonNode n = item.get("SecretName");
            if (n == null || !n.isTextual() || n.asText().isEmpty()) {
                throw Errors.invalidParameter("SecretsList", "Every item needs a SecretName.");
            }
            distinct.add(n.asText());
        }
        if (distinct.size() > MAX_BATCH) {
            throw Errors.invalidParameter("SecretsList", "At most " + MAX_BATCH + " secrets per call.");
        }
        List<Object> values = new ArrayList<>();
        List<Object> errors = new ArrayList<>();
        for (JsonNode item : list) {
            String name = item.get("SecretName").asText();
            try {
                SecretService.SecretValue v =
                        c.kms().secrets().getSecretValue(name, text(item, "VersionId"), text(item, "VersionStage"));
                JsonNode fetch = item.get("FetchExtendedConfig");
                boolean fetchExtended =
                        fetch != null && (fetch.asBoolean(false) || "true".equalsIgnoreCase(fetch.asText()));
                values.add(SecretViews.secretValue(v, fetchExtended));
            } catch (KmsException e) {
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("SecretName", name);
                err.put("Code", e.code());
                err.put("HttpStatus", e.httpStatus());
                err.put("Message", e.getMessage());
                errors.add(err);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("SecretValues", values);
        out.put("Errors", errors);
        return out;
    }

    private static Map<String, Object> putSecretValue(Call c) {
        Params p = c.params();
        String name = c.get(SECRET_NAME);
        List<String> stages = null;
        if (p.optional("VersionStages") != null && !p.optional("VersionStages").isEmpty()) {
            stages = JsonParams.stringArray(p, "VersionStages");
        }
        SecretVersionRecord v = c.kms()
                .secrets()
                .putSecretValue(
                        name, p.required("VersionId"), p.required("SecretData"), p.optional("SecretDataType"), stages);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("SecretName", v.secretName());
        m.put("VersionId", v.versionId());
        m.put("VersionStages", SecretViews.stages(v));
        return m;
    }

    private static Map<String, Object> listSecretVersionIds(Call c) {
        Params p = c.params();
        String name = c.get(SECRET_NAME);
        int pageNumber = c.get(PAGE_NUMBER);
        int pageSize = c.get(VERSION_IDS_PAGE_SIZE);
        List<SecretVersionRecord> versions =
                c.kms().secrets().listSecretVersionIds(name, p.bool("IncludeDeprecated", false));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("SecretName", c.kms().secrets().resolveName(name));
        out.putAll(Views.page("VersionIds", "VersionId", versions, pageNumber, pageSize, SecretViews::versionId));
        return out;
    }

    private static Map<String, Object> describeSecret(Call c) {
        String name = c.get(SECRET_NAME);
        SecretRecord s = c.kms().secrets().describeSecret(name);
        Map<String, String> tags =
                c.params().bool("FetchTags", false) ? c.kms().tags().tagsOf(TagService.SECRET, s.secretName()) : null;
        return SecretViews.describe(c.kms().account(), s, tags);
    }

    private static Map<String, Object> listSecrets(Call c) {
        Params p = c.params();
        int pageNumber = c.get(PAGE_NUMBER);
        int pageSize = c.get(PAGE_SIZE);
        boolean fetchTags = p.bool("FetchTags", false);
        Map<String, List<String>> filters = JsonParams.filters(p, "Filters", LIST_SECRETS_FILTERS);
        List<SecretRecord> secrets = c.kms().secrets().listSecrets().stream()
                .filter(s -> matches(c, s, filters))
                .toList();
        return Views.page(
                "SecretList",
                "Secret",
                secrets,
                pageNumber,
                pageSize,
                s -> SecretViews.listItem(
                        s, fetchTags ? c.kms().tags().tagsOf(TagService.SECRET, s.secretName()) : null));
    }

    /** OR within one filter's values, AND across filters; name and description match by substring. */
    private static boolean matches(Call c, SecretRecord s, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            boolean ok = switch (f.getKey()) {
                case "SecretName" ->
                    values.stream().anyMatch(v -> s.secretName().contains(v));
                case "Description" ->
                    values.stream()
                            .anyMatch(v ->
                                    s.description() != null && s.description().contains(v));
                case "SecretType" ->
                    values.stream()
                            .anyMatch(v -> SecretType.fromWire(v)
                                    .map(t -> t == s.secretType())
                                    .orElse(false));
                case "DKMSInstanceId" -> values.contains(Views.instanceId(s.dkmsInstanceId()));
                case "Creator" -> values.contains(s.creator());
                case "TagKey" ->
                    c.kms().tags().tagsOf(TagService.SECRET, s.secretName()).keySet().stream()
                            .anyMatch(values::contains);
                case "TagValue" ->
                    c.kms().tags().tagsOf(TagService.SECRET, s.secretName()).values().stream()
                            .anyMatch(values::contains);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> updateSecret(Call c) {
        Params p = c.params();
        String name = c.get(SECRET_NAME);
        c.kms().secrets().updateSecret(name, p.optional("Description"), customData(p));
        return named(c, name);
    }

    /**
     * CustomData arrives as {@code ExtendedConfig.CustomData} = JSON (V1 SDK, CLI), flattened
     * {@code ExtendedConfig.CustomData.<k>} (V2 SDK's object flattening), or {@code ExtendedConfig} = JSON object.
     */
    private static Map<String, String> customData(Params p) {
        String whole = p.optional("ExtendedConfig");
        if (whole != null && !whole.isEmpty()) {
            JsonNode n = p.json("ExtendedConfig");
            JsonNode data = n == null ? null : n.get("CustomData");
            if (data == null || !data.isObject()) {
                throw Errors.invalidParameter("ExtendedConfig", "Only CustomData (a JSON object) can be updated.");
            }
            Map<String, String> out = new LinkedHashMap<>();
            data.fields()
                    .forEachRemaining(e -> out.put(
                            e.getKey(),
                            e.getValue().isTextual()
                                    ? e.getValue().asText()
                                    : e.getValue().toString()));
            return out;
        }
        boolean given = p.optional("ExtendedConfig.CustomData") != null
                || !p.stringMap("ExtendedConfig.CustomData").isEmpty();
        return given ? p.stringMap("ExtendedConfig.CustomData") : null;
    }

    private static Map<String, Object> rotateSecret(Call c) {
        Params p = c.params();
        String name = c.get(SECRET_NAME);
        String versionId;
        try {
            versionId = c.kms().secrets().rotateSecret(name, p.required("VersionId"));
        } catch (KmsException e) {
            if (e.code().equals("Rejected.RotationFailed")) {
                c.auditDetail(e.getMessage());
            }
            throw e;
        }
        String stored = c.kms().secrets().resolveName(name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Arn", c.kms().account().secretArn(stored));
        m.put("SecretName", stored);
        m.put("VersionId", versionId);
        return m;
    }

    private static Map<String, Object> deleteSecret(Call c) {
        Params p = c.params();
        String name = c.get(SECRET_NAME);
        boolean force = p.bool("ForceDeleteWithoutRecovery", false);
        String window = p.optional("RecoveryWindowInDays");
        Integer days = window == null || window.isEmpty() ? null : p.integer("RecoveryWindowInDays", 30, 1, 3650);
        Instant planned = c.kms().secrets().deleteSecret(name, days, force);
        Map<String, Object> m = named(c, name);
        m.put("PlannedDeleteTime", Views.time(planned));
        return m;
    }

    private static Map<String, Object> getRandomPassword(Call c) {
        Params p = c.params();
        String password = PasswordGenerator.generate(new PasswordGenerator.Options(
                p.integer("PasswordLength", 32, 8, 128),
                p.bool("ExcludeLowercase", false),
                p.bool("ExcludeUppercase", false),
                p.bool("ExcludeNumbers", false),
                p.bool("ExcludePunctuation", false),
                p.optional("ExcludeCharacters"),
                p.bool("RequireEachIncludedType", false)));
        return Map.of("RandomPassword", password);
    }

    private static Map<String, Object> named(Call c, String nameParam) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("SecretName", c.kms().secrets().resolveName(nameParam));
        return m;
    }

    private static String text(JsonNode item, String field) {
        JsonNode n = item.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
