package org.openkms.server.iam;

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
import org.openkms.server.gateway.Params;
import org.openkms.server.gateway.ResourceResolver;

/**
 * The KMS resources of a call (api-semantics.md §6.1): the key named by KeyId (aliases resolved, from memory),
 * the key inside a CiphertextBlob for Decrypt, both keys of ReEncrypt (kms:ReEncryptFrom / kms:ReEncryptTo),
 * the alias and its key for alias operations, the secret by SecretName, else the container of the action's kind.
 */
public final class KmsResources implements ResourceResolver {
    private final Kms kms;
    private final Account account;

    public KmsResources(Kms kms) {
        this.kms = kms;
        this.account = kms.account();
    }

    @Override
    public List<Target> targets(String action, Params p) {
        if ("DescribeRegions".equals(action) || "DescribeAccountKmsStatus".equals(action)) {
            return List.of(); // no access control (api-semantics.md §6.1)
        }
        String kmsAction = "kms:" + action;
        switch (action) {
            case "Decrypt":
                return List.of(keyTarget(kmsAction, blobKey(p.optional("CiphertextBlob"))));
            case "ReEncrypt":
                return List.of(keyTarget("kms:ReEncryptFrom", blobKey(p.optional("CiphertextBlob"))),
                        keyTarget("kms:ReEncryptTo", p.optional("DestinationKeyId")));
            default:
                break;
        }
        String aliasName = p.optional("AliasName");
        if (aliasName != null && !aliasName.isEmpty()) {
            Target alias = new Target(kmsAction, account.aliasArn(aliasName));
            String keyId = p.optional("KeyId") != null ? p.optional("KeyId") : p.optional("TargetKeyId");
            return keyId == null ? List.of(alias) : List.of(alias, keyTarget(kmsAction, keyId));
        }
        String keyId = p.optional("KeyId");
        if (keyId != null && !keyId.isEmpty()) {
            return List.of(keyTarget(kmsAction, keyId));
        }
        String secretName = p.optional("SecretName");
        if (secretName != null && !secretName.isEmpty()) {
            String arn = secretName.startsWith("acs:") ? secretName : account.secretArn(secretName);
            int at = arn.lastIndexOf(":secret/");
            String name = at < 0 ? secretName : arn.substring(at + ":secret/".length());
            Target secret = new Target(kmsAction, arn, tags(TagService.SECRET, name));
            Target key = secretKeyTarget(action, name, p);
            return key == null ? List.of(secret) : List.of(secret, key);
        }
        String kind = action.contains("Secret") ? "secret" : action.contains("Alias") ? "alias" : "key";
        return List.of(new Target(kmsAction, account.arnPrefix() + kind));
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
        if (keyId.isPresent() && keyId.equals(kms.keyIdOf(org.openkms.core.service.SecretService.DEFAULT_KEY_ALIAS))) {
            return null;
        }
        return keyTarget(keyAction, keyRef);
    }

    /** A key by ID, alias or ARN; an alias that resolves to nothing is authorised as the alias itself. */
    private Target keyTarget(String action, String keyIdParam) {
        if (keyIdParam == null || keyIdParam.isEmpty()) {
            return new Target(action, account.arnPrefix() + "key");
        }
        Optional<String> keyId = kms.keyIdOf(keyIdParam);
        if (keyId.isEmpty()) {
            boolean alias = keyIdParam.startsWith("alias/") || keyIdParam.contains(":alias/");
            return new Target(action, alias && !keyIdParam.startsWith("acs:") ? account.aliasArn(keyIdParam)
                    : keyIdParam.startsWith("acs:") ? keyIdParam : account.keyArn(keyIdParam));
        }
        return new Target(action, account.keyArn(keyId.get()), tags(TagService.KEY, keyId.get()));
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
