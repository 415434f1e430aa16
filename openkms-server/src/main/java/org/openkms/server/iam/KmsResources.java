package org.openkms.server.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.openkms.core.Account;
import org.openkms.core.service.Kms;
import org.openkms.core.service.TagService;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.blob.CiphertextBlob;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Params;
import org.openkms.server.gateway.ResourceResolver;
import org.openkms.server.gateway.Targets;

/**
 * The KMS resources of a call, as target builders the action declarations use: the key named by KeyId (aliases
 * resolved, from memory), the key inside a CiphertextBlob for Decrypt, both keys of ReEncrypt
 * (kms:ReEncryptFrom / kms:ReEncryptTo), the alias and its key for alias operations, the secret by SecretName,
 * else the container of the action's kind.
 */
public final class KmsResources implements ResourceResolver {
    private final Kms kms;
    private final Account account;

    public KmsResources(Kms kms) {
        this.kms = kms;
        this.account = kms.account();
    }

    /**
     * The product's resolver, for actions registered without a declaration: they act on the account's key
     * container. Declared actions name their resources with the builders below, each reading exactly the
     * parameters its handler acts on. (A resolver that looked at whichever of KeyId, AliasName or SecretName
     * happened to be present let a caller add KeyId=&lt;a key they may use&gt; to GetSecretValue and be authorised
     * against that key instead of the secret.)
     */
    @Override
    public List<Target> targets(String action, Params p) {
        return List.of(container("kms:" + action, "key"));
    }

    /** Declared actions: the key named by KeyId (ID, alias or ARN), which the handler gets as {@code Call.keyId()}. */
    public static Targets key() {
        return c -> new KmsResources(c.kms())
                .keyResolved("kms:" + c.action(), c.params().optional("KeyId"));
    }

    /**
     * The KMS Instance API: the key {@code keyIdParam} names (ID, alias or ARN; null when the call names none),
     * authorised as {@code policyAction}, whatever the call's own name (AdvanceEncrypt is kms:Encrypt).
     */
    public static Targets keyAs(String policyAction, java.util.function.Function<Call, String> keyIdParam) {
        return c -> new KmsResources(c.kms()).keyResolved(policyAction, keyIdParam.apply(c));
    }

    /**
     * The KMS Instance API's GetSecretValue: the secret only. An application access point grants secret values by
     * its secret-user template, which carries no permission on the secret's customer key.
     */
    public static Targets secretOnly(String policyAction) {
        return c -> Targets.Resolved.of(new KmsResources(c.kms())
                .secretTargets(c.action(), policyAction, c.params().optional("SecretName"), c.params(), false));
    }

    /** Declared actions acting on the account's container of a kind ({@code key}, {@code alias}, {@code secret}). */
    public static Targets container(String kind) {
        return c -> Targets.Resolved.of(List.of(new KmsResources(c.kms()).container("kms:" + c.action(), kind)));
    }

    /** Decrypt, ExportDataKey: the key inside the CiphertextBlob, whatever else the caller sends. */
    public static Targets keyInBlob() {
        return c -> {
            KmsResources r = new KmsResources(c.kms());
            return r.keyResolved("kms:" + c.action(), r.blobKey(c.params().optional("CiphertextBlob")));
        };
    }

    /**
     * ReEncrypt: kms:ReEncryptFrom on the source (the key in the blob, or SourceKeyId for public-key ciphertext)
     * and kms:ReEncryptTo on DestinationKeyId, which is the key the call acts on.
     */
    public static Targets reEncrypt() {
        return c -> {
            KmsResources r = new KmsResources(c.kms());
            Targets.Resolved to = r.keyResolved("kms:ReEncryptTo", c.params().optional("DestinationKeyId"));
            return new Targets.Resolved(
                    List.of(r.reEncryptSource(c.params()), to.targets().get(0)), to.keyId(), to.resource());
        };
    }

    /** SetDeletionProtection: the key named by KeyId, else by ProtectedResourceArn. */
    public static Targets protectedKey() {
        return c -> new KmsResources(c.kms())
                .keyResolved(
                        "kms:" + c.action(),
                        firstPresent(c.params().optional("KeyId"), c.params().optional("ProtectedResourceArn")));
    }

    /**
     * Declared actions on the secret named by SecretName (name or ARN): the secret, and for reads and writes of
     * a value its customer key. The root principal is not authorised, so the key is not looked up for it; nor for
     * a ClientKey, whose access point policy grants secrets by name, as on the instance gateway (secretOnly).
     */
    public static Targets secret() {
        return c -> Targets.Resolved.of(new KmsResources(c.kms())
                .secretTargets(
                        c.action(),
                        "kms:" + c.action(),
                        c.params().optional("SecretName"),
                        c.params(),
                        !c.principal().root() && !c.principal().clientKey()));
    }

    /** BatchGetSecretValue: every secret of SecretsList; the audit record names them all, comma-separated. */
    public static Targets batchSecrets() {
        return c -> {
            List<Target> targets = new KmsResources(c.kms())
                    .batchSecrets(
                            "kms:" + c.action(), c.params(), !c.principal().root());
            return new Targets.Resolved(targets, null, batchNames(c.params()));
        };
    }

    private static String batchNames(Params p) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        try {
            JsonNode list = p.json("SecretsList");
            if (list != null && list.isArray()) {
                for (JsonNode item : list) {
                    JsonNode n = item.get("SecretName");
                    if (n != null && n.isTextual() && !n.asText().isEmpty()) {
                        names.add(n.asText());
                    }
                }
            }
        } catch (RuntimeException e) {
            // the action reports the malformed list
        }
        return String.join(",", names);
    }

    /** CreateAlias, UpdateAlias: the alias (named in the audit record) and the key it is to name. */
    public static Targets aliasAndKey() {
        return c -> {
            KmsResources r = new KmsResources(c.kms());
            String a = "kms:" + c.action();
            Target alias = r.aliasTarget(a, c.params());
            Targets.Resolved key = r.keyResolved(a, c.params().optional("KeyId"));
            return new Targets.Resolved(List.of(alias, key.targets().get(0)), key.keyId(), alias.resource());
        };
    }

    /** DeleteAlias: deleting an alias changes what its name reaches, so the key behind it is a resource too. */
    public static Targets aliasAndItsKey() {
        return c -> {
            KmsResources r = new KmsResources(c.kms());
            String a = "kms:" + c.action();
            String alias = c.params().optional("AliasName");
            Optional<String> key = alias == null ? Optional.empty() : c.kms().keyIdOf(alias);
            return Targets.Resolved.of(
                    key.isEmpty()
                            ? List.of(r.aliasTarget(a, c.params()))
                            : List.of(r.aliasTarget(a, c.params()), r.keyTarget(a, key.get())));
        };
    }

    /** TagResource, UntagResource, ListResourceTags: every one of KeyId and SecretName that is given. */
    public static Targets taggedResource() {
        return c -> {
            KmsResources r = new KmsResources(c.kms());
            String keyIdParam = c.params().optional("KeyId");
            String keyId = keyIdParam == null || keyIdParam.isEmpty()
                    ? null
                    : c.kms().keyIdOf(keyIdParam).orElse(null);
            List<Target> targets = r.taggedResource("kms:" + c.action(), c.params());
            return new Targets.Resolved(targets, keyId, targets.get(0).resource());
        };
    }

    /** TagResources, UntagResources, ListTagResources: each ResourceId.N; the audit record lists the IDs. */
    public static Targets taggedResources() {
        return c -> {
            List<Target> targets = new KmsResources(c.kms()).taggedResources("kms:" + c.action(), c.params());
            String ids;
            try {
                ids = String.join(",", c.params().list("ResourceId"));
            } catch (RuntimeException e) {
                ids = ""; // the action reports the malformed list
            }
            return new Targets.Resolved(
                    targets, null, ids.isEmpty() ? targets.get(0).resource() : ids);
        };
    }

    /** One key target and the key ID it resolves to (null when the parameter is absent or names nothing). */
    private Targets.Resolved keyResolved(String action, String keyIdParam) {
        if (keyIdParam == null || keyIdParam.isEmpty()) {
            return Targets.Resolved.of(List.of(keyTarget(action, keyIdParam)));
        }
        Optional<String> keyId = kms.keyIdOf(keyIdParam);
        Target t = keyTarget(action, keyIdParam, keyId);
        return new Targets.Resolved(List.of(t), keyId.orElse(null), t.resource());
    }

    private Target container(String action, String kind) {
        return new Target(action, account.arnPrefix() + kind);
    }

    private Target aliasTarget(String action, Params p) {
        String alias = p.optional("AliasName");
        return alias == null || alias.isEmpty()
                ? container(action, "alias")
                : new Target(action, account.aliasArn(alias));
    }

    /** ReEncrypt from public-key ciphertext names its source key; otherwise the source is the key in the blob. */
    private Target reEncryptSource(Params p) {
        String algorithm = p.optional("SourceEncryptionAlgorithm");
        String sourceKeyId = p.optional("SourceKeyId");
        boolean asymmetric =
                (algorithm != null && !algorithm.isEmpty()) || (sourceKeyId != null && !sourceKeyId.isEmpty());
        return keyTarget("kms:ReEncryptFrom", asymmetric ? sourceKeyId : blobKey(p.optional("CiphertextBlob")));
    }

    private List<Target> secretTargets(
            String action, String policyAction, String secretParam, Params p, boolean withKey) {
        if (secretParam == null || secretParam.isEmpty()) {
            return List.of(container(policyAction, "secret"));
        }
        String arn = secretParam.startsWith("acs:") ? secretParam : account.secretArn(secretParam);
        int at = arn.lastIndexOf(":secret/");
        String name = at < 0 ? secretParam : arn.substring(at + ":secret/".length());
        Target secret = new Target(policyAction, arn, tags(TagService.SECRET, name));
        Target key = withKey ? secretKeyTarget(action, name, p) : null;
        return key == null ? List.of(secret) : List.of(secret, key);
    }

    /** TagResource, UntagResource, ListResourceTags: every one of KeyId and SecretName that is given. */
    private List<Target> taggedResource(String action, Params p) {
        List<Target> out = new ArrayList<>();
        String keyId = p.optional("KeyId");
        if (keyId != null && !keyId.isEmpty()) {
            out.add(keyTarget(action, keyId));
        }
        String secret = p.optional("SecretName");
        if (secret != null && !secret.isEmpty()) {
            out.addAll(secretTargets(action, action, secret, p, true));
        }
        return out.isEmpty() ? List.of(container(action, "key")) : out;
    }

    /** TagResources, UntagResources, ListTagResources: each ResourceId.N of ResourceType. */
    private List<Target> taggedResources(String action, Params p) {
        String type = p.optional("ResourceType");
        boolean secret = type != null && type.equalsIgnoreCase(TagService.SECRET);
        List<String> ids;
        try {
            ids = p.list("ResourceId");
        } catch (RuntimeException e) {
            return List.of(container(action, secret ? "secret" : "key")); // the action reports the malformed list
        }
        if (ids.isEmpty()) {
            return List.of(container(action, secret ? "secret" : "key"));
        }
        List<Target> out = new ArrayList<>();
        for (String id : ids) {
            out.addAll(secret ? secretTargets(action, action, id, p, true) : List.of(keyTarget(action, id)));
        }
        return out;
    }

    /** Every secret of the batch, and kms:Decrypt on each one's customer key, as GetSecretValue would need. */
    private List<Target> batchSecrets(String action, Params p, boolean withKeys) {
        JsonNode list;
        try {
            list = p.json("SecretsList");
        } catch (RuntimeException e) {
            return List.of(container(action, "secret"));
        }
        if (list == null || !list.isArray() || list.isEmpty()) {
            return List.of(container(action, "secret"));
        }
        List<Target> out = new ArrayList<>();
        for (JsonNode item : list) {
            JsonNode n = item.get("SecretName");
            if (n != null && n.isTextual() && !n.asText().isEmpty()) {
                List<Target> t = secretTargets("GetSecretValue", action, n.asText(), p, withKeys);
                out.addAll(t);
            }
        }
        return out.isEmpty() ? List.of(container(action, "secret")) : out;
    }

    private static String firstPresent(String a, String b) {
        return a != null && !a.isEmpty() ? a : b;
    }

    /**
     * Reading a secret also needs kms:Decrypt, and writing a value kms:GenerateDataKey, on the secret's
     * customer key (api-semantics.md §6.1); secrets under the Secrets Manager service key need neither.
     */
    private Target secretKeyTarget(String action, String secretName, Params p) {
        String keyAction = switch (action) {
            case "GetSecretValue" -> "kms:Decrypt";
            case "CreateSecret", "PutSecretValue" -> "kms:GenerateDataKey";
            default -> null;
        };
        if (keyAction == null) {
            return null;
        }
        String keyRef;
        if ("CreateSecret".equals(action)) {
            keyRef = p.optional("EncryptionKeyId");
        } else {
            try {
                keyRef = kms.secrets().describeSecret(secretName).encryptionKeyId();
            } catch (RuntimeException e) {
                return null; // unknown secret: the action itself answers Forbidden.ResourceNotFound
            }
        }
        if (keyRef == null || keyRef.isEmpty()) {
            return null;
        }
        Optional<String> keyId = kms.keyIdOf(keyRef);
        if (keyId.isPresent() && keyId.equals(kms.keyIdOf(org.openkms.core.secret.SecretService.DEFAULT_KEY_ALIAS))) {
            return null;
        }
        return keyTarget(keyAction, keyRef);
    }

    /** A key by ID, alias or ARN; an alias that resolves to nothing is authorised as the alias itself. */
    private Target keyTarget(String action, String keyIdParam) {
        if (keyIdParam == null || keyIdParam.isEmpty()) {
            return new Target(action, account.arnPrefix() + "key");
        }
        return keyTarget(action, keyIdParam, kms.keyIdOf(keyIdParam));
    }

    private Target keyTarget(String action, String keyIdParam, Optional<String> keyId) {
        if (keyId.isEmpty()) {
            boolean alias = keyIdParam.startsWith("alias/") || keyIdParam.contains(":alias/");
            return new Target(
                    action,
                    alias && !keyIdParam.startsWith("acs:")
                            ? account.aliasArn(keyIdParam)
                            : keyIdParam.startsWith("acs:") ? keyIdParam : account.keyArn(keyIdParam));
        }
        return new Target(
                action, account.keyArn(keyId.get()), tags(TagService.KEY, keyId.get()), aliasNamed(keyIdParam));
    }

    /** "alias/&lt;name&gt;" when the key was named by an alias (or an alias ARN), else null. */
    private static String aliasNamed(String keyIdParam) {
        if (keyIdParam.startsWith("alias/")) {
            return keyIdParam;
        }
        int i = keyIdParam.startsWith("acs:") ? keyIdParam.indexOf(":alias/") : -1;
        return i < 0 ? null : keyIdParam.substring(i + 1);
    }

    private String blobKey(String blob) {
        if (blob == null || blob.isEmpty()) {
            return null;
        }
        try {
            CiphertextBlob decoded = CiphertextBlob.decode(Base64.getDecoder().decode(blob.trim()));
            return kms.keyIdOfVersion(decoded.keyVersionId()).orElse(null);
        } catch (CryptoException | IllegalArgumentException e) {
            return null; // the action itself reports the malformed blob; authorise against the key container
        }
    }

    private Supplier<Map<String, String>> tags(String type, String id) {
        return () -> {
            try {
                return kms.tags().tagsOf(type, id);
            } catch (RuntimeException e) {
                return Map.of();
            }
        };
    }
}
