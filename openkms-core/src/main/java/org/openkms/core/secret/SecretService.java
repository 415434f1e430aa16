package org.openkms.core.secret;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.openkms.core.Account;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.IamErrors;
import org.openkms.core.key.AliasRecord;
import org.openkms.core.key.AliasRepository;
import org.openkms.core.key.CreateKeyRequest;
import org.openkms.core.key.CryptoService;
import org.openkms.core.key.KeyLocks;
import org.openkms.core.key.KeyResolver;
import org.openkms.core.key.KeyService;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.Origin;
import org.openkms.core.key.RotationIntervals;
import org.openkms.core.secret.SecretCache.LoadedSecret;
import org.openkms.core.secret.rotation.AccessKeyIssuer;
import org.openkms.core.tag.Tags;

/**
 * Secrets Manager (https://www.alibabacloud.com/help/doc-detail/152002.htm): secrets, versions and stage labels,
 * deletion windows, and the entry to rotation ({@link SecretRotation}). Every write goes through {@link #mutate}: read
 * the secret and its versions, plan the change on a {@link VersionSet}, commit it with a revision check, then
 * invalidate the cache.
 */
public final class SecretService {
    /** The service key that encrypts secrets created without EncryptionKeyId (created on first use). */
    public static final String DEFAULT_KEY_ALIAS = KeyService.SECRETS_MANAGER_KEY_ALIAS;

    public static final int MAX_SECRET_DATA_BYTES = 30_720;
    public static final int MAX_VERSIONS = 10;
    public static final int MAX_STAGES = 8;
    public static final int MAX_SECRETS = 100_000;
    static final Duration MIN_ROTATION_INTERVAL = Duration.ofHours(6);
    static final Duration MAX_ROTATION_INTERVAL = Duration.ofHours(8760);

    private final Account account;
    private final SecretRepository repository;
    private final AliasRepository aliases;
    private final KeyService keys;
    private final KeyResolver resolver;
    private final CryptoService crypto;
    private final SecretEnvelopes envelopes;
    private final SecretCache cache;
    private final SecretRotation rotation;
    private final KeyLocks locks = new KeyLocks();
    private final Clock clock;

    public SecretService(
            Account account,
            SecretRepository repository,
            AliasRepository aliases,
            KeyService keys,
            KeyResolver resolver,
            CryptoService crypto,
            Clock clock) {
        this.account = account;
        this.repository = repository;
        this.aliases = aliases;
        this.keys = keys;
        this.resolver = resolver;
        this.crypto = crypto;
        this.envelopes = new SecretEnvelopes(crypto);
        this.cache = new SecretCache(repository);
        this.clock = clock;
        this.rotation = new SecretRotation(this, repository, envelopes, clock);
    }

    /** Drops cached secrets (another node wrote; see Storage#changeGeneration). */
    public void invalidateCache() {
        cache.invalidateAll();
    }

    public SecretRotation rotation() {
        return rotation;
    }

    /** A version's decrypted value with its secret. toString never shows the value. */
    public record SecretValue(SecretRecord secret, SecretVersionRecord version, String data) {
        @Override
        public String toString() {
            return "SecretValue[" + secret.secretName() + "/" + version.versionId() + "]";
        }
    }

    public record Created(SecretRecord secret, SecretVersionRecord version) {}

    // ------------------------------------------------------------------ CreateSecret

    public Created createSecret(CreateSecretRequest req) {
        SecretType type = req.secretType() == null ? SecretType.Generic : req.secretType();
        if (type == SecretType.ECS) {
            throw Errors.unsupportedOperation("SecretType " + type + " needs a cloud service this server does not have;"
                    + " use Generic, RAMCredentials, Rds or PolarDB (PostgreSQL, MySQL, MariaDB) or Redis.");
        }
        String secretName = req.secretName();
        String extendedConfig = null;
        List<RamAccessKey> ramKeys = List.of();
        if (type == SecretType.RAMCredentials) {
            extendedConfig = ManagedSecretConfig.validateRamForCreate(req.extendedConfig());
            secretName = ramSecretName(secretName, ManagedSecretConfig.ramUserName(extendedConfig));
        }
        SecretNames.checkName(secretName, type);
        SecretNames.checkVersionId(req.versionId());
        String dataType = checkData(req.secretData(), req.secretDataType(), type);
        String value = req.secretData();
        if (type == SecretType.RAMCredentials) {
            ramKeys = RamAccessKey.parseCreateData(req.secretData(), now());
            value = ramKeys.get(0).toJson();
        } else if (type.managed()) {
            List<ManagedAccount> accounts = ManagedAccount.parseCreateData(req.secretData());
            extendedConfig = ManagedSecretConfig.validateForCreate(type, req.extendedConfig(), accounts);
            value = accounts.get(0).toJson();
        }
        long interval = 0;
        if (req.enableAutomaticRotation()) {
            if (!type.managed()) {
                throw Errors.invalidParameter(
                        "EnableAutomaticRotation", "Generic secrets do not rotate automatically.");
            }
            interval = checkInterval(req.rotationIntervalSeconds());
        }
        Tags.validate(req.tags());
        checkDescription(req.description());
        if (type == SecretType.RAMCredentials) {
            checkRamKeys(ManagedSecretConfig.ramUserName(extendedConfig), ramKeys);
        }
        rejectTakenName(secretName);
        if (repository.list().size() >= MAX_SECRETS) {
            throw Errors.limitExceeded("at most " + MAX_SECRETS + " secrets");
        }
        String keyId = req.encryptionKeyId() == null || req.encryptionKeyId().isEmpty()
                ? defaultKeyId()
                : encryptionKey(req.encryptionKeyId());
        Instant now = now();
        SecretVersionRecord version = new SecretVersionRecord(
                secretName,
                req.versionId(),
                now,
                dataType,
                envelopes.seal(keyId, secretName, req.versionId(), value),
                Set.of(SecretStages.CURRENT));
        SecretRecord secret = new SecretRecord(
                secretName,
                type,
                req.description() == null ? "" : req.description(),
                keyId,
                extendedConfig,
                interval > 0,
                interval,
                null,
                now,
                now,
                null,
                null,
                null,
                account.uid(),
                emptyToNull(req.dkmsInstanceId()),
                1);
        if (!repository.create(secret, List.of(version), req.tags())) {
            rejectTakenName(secretName);
            throw Errors.resourceExist("secret " + secretName);
        }
        cache.invalidate(secretName);
        return new Created(secret, version);
    }

    /**
     * A RAM secret is named after its user: SecretName {@code $Auto} (or the generated name itself) becomes
     * {@code acs/ram/user/<UserName>} (CreateSecret's SecretName,
     * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createsecret).
     */
    private static String ramSecretName(String nameParam, String userName) {
        String generated = "acs/ram/user/" + userName;
        if (!"$Auto".equals(nameParam) && !generated.equals(nameParam)) {
            throw Errors.invalidParameter(
                    "SecretName",
                    "A RAMCredentials secret is named $Auto (the server names it acs/ram/user/<UserName>).");
        }
        return generated;
    }

    /** Each AccessKey of SecretData must be the user's and authenticate: a pair that does not work is not stored. */
    private void checkRamKeys(String userName, List<RamAccessKey> keys) {
        AccessKeyIssuer issuer = rotation.accessKeys()
                .orElseThrow(
                        () -> Errors.unsupportedOperation("RAMCredentials secrets are not enabled on this server."));
        if (!issuer.userExists(userName)) {
            throw IamErrors.notExist("User", userName);
        }
        for (RamAccessKey k : keys) {
            if (!issuer.authenticates(userName, k.accessKeyId(), k.accessKeySecret())) {
                throw Errors.invalidParameter(
                        "SecretData",
                        "AccessKey " + k.accessKeyId() + " is not an active AccessKey of RAM user " + userName
                                + " with the given AccessKeySecret.");
            }
        }
    }

    private static String emptyToNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    private void rejectTakenName(String name) {
        Optional<SecretRecord> existing = repository.find(name);
        if (existing.isPresent()) {
            throw existing.get().pendingDeletion()
                    ? Errors.resourceInDeleteWindow()
                    : Errors.resourceExist("secret " + name);
        }
    }

    /** The key of EncryptionKeyId, which must be an enabled symmetric ENCRYPT/DECRYPT key of this server. */
    private String encryptionKey(String keyIdParam) {
        try {
            return crypto.encryptionKey(keyIdParam).record().keyId();
        } catch (KmsException e) {
            if (e.code().equals("Forbidden.KeyNotFound") || e.code().equals("Forbidden.AliasNotFound")) {
                throw Errors.resourceNotFound(); // CreateSecret's documented code for a missing key
            }
            throw e;
        }
    }

    /** The default service key, created with its alias on first use (once per node; the alias insert decides races). */
    synchronized String defaultKeyId() {
        try {
            return resolver.resolve(DEFAULT_KEY_ALIAS);
        } catch (KmsException e) {
            if (!e.code().equals("Forbidden.AliasNotFound")) {
                throw e;
            }
        }
        String keyId = keys.createKey(new CreateKeyRequest(
                        "Service key of Secrets Manager: encrypts secrets created without EncryptionKeyId",
                        KeySpec.Aliyun_AES_256,
                        KeyUsage.ENCRYPT_DECRYPT,
                        Origin.Aliyun_KMS,
                        "SOFTWARE",
                        0,
                        Map.of()))
                .keyId();
        aliases.create(new AliasRecord(DEFAULT_KEY_ALIAS, keyId, now()));
        resolver.invalidateAlias(DEFAULT_KEY_ALIAS);
        return resolver.resolve(DEFAULT_KEY_ALIAS); // another node may have won the alias: use its key
    }

    // ------------------------------------------------------------------ reads

    /** GetSecretValue: VersionId, else VersionStage, else ACSCurrent. Reads only memory once the secret is warm. */
    public SecretValue getSecretValue(String nameParam, String versionId, String versionStage) {
        LoadedSecret s = loaded(nameParam);
        if (s.record().pendingDeletion()) {
            throw Errors.resourceInDeleteWindow();
        }
        SecretVersionRecord v = select(s, versionId, versionStage);
        crypto.checkDecryptKey(s.record().encryptionKeyId()); // the key's state governs, cached value or not
        String data = s.opened().computeIfAbsent(v.versionId(), id -> envelopes.open(v.secretName(), id, v.envelope()));
        return new SecretValue(s.record(), v, data);
    }

    private static SecretVersionRecord select(LoadedSecret s, String versionId, String stage) {
        boolean hasId = versionId != null && !versionId.isEmpty();
        boolean hasStage = stage != null && !stage.isEmpty();
        if (s.record().secretType().managed()) {
            // Managed secrets are read by stage only; VersionId is ignored (GetSecretValue's VersionId,
            // https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getsecretvalue).
            String wanted = hasStage ? stage : SecretStages.CURRENT;
            if (!SecretStages.builtIn(wanted)) {
                throw Errors.invalidParameter("VersionStage", "Managed secrets have only ACSCurrent and ACSPrevious.");
            }
            return holder(s.versions(), wanted).orElseThrow(Errors::resourceNotFound);
        }
        if (hasId) {
            SecretVersionRecord v = s.versions().stream()
                    .filter(x -> x.versionId().equals(versionId))
                    .findFirst()
                    .orElseThrow(Errors::resourceNotFound);
            if (hasStage && !v.hasStage(stage)) {
                throw Errors.resourceNotFound();
            }
            return v;
        }
        return holder(s.versions(), hasStage ? stage : SecretStages.CURRENT).orElseThrow(Errors::resourceNotFound);
    }

    private static Optional<SecretVersionRecord> holder(List<SecretVersionRecord> versions, String stage) {
        return versions.stream().filter(v -> v.hasStage(stage)).findFirst();
    }

    public SecretRecord describeSecret(String nameParam) {
        return loaded(nameParam).record();
    }

    /** All secrets, oldest first, including those pending deletion. */
    public List<SecretRecord> listSecrets() {
        return repository.list();
    }

    /** ListSecretVersionIds: labelled versions, or all with includeDeprecated, oldest first. */
    public List<SecretVersionRecord> listSecretVersionIds(String nameParam, boolean includeDeprecated) {
        return loaded(nameParam).versions().stream()
                .filter(v -> includeDeprecated || !v.stages().isEmpty())
                .toList();
    }

    // ------------------------------------------------------------------ versions and stages

    /** PutSecretValue: a new version of a Generic secret; same VersionId and same data again is a no-op. */
    public SecretVersionRecord putSecretValue(
            String nameParam, String versionId, String data, String dataTypeParam, List<String> stagesParam) {
        SecretNames.checkVersionId(versionId);
        String dataType = checkData(data, dataTypeParam, SecretType.Generic);
        List<String> stages = stagesParam == null ? List.of(SecretStages.CURRENT) : stagesParam;
        stages.forEach(st -> SecretNames.checkStage("VersionStages", st));
        SecretVersionRecord[] result = new SecretVersionRecord[1];
        mutate(nameParam, (s, versions) -> {
            requireGenericAndLive(s, "PutSecretValue");
            Optional<SecretVersionRecord> existing = versions.find(versionId);
            if (existing.isPresent()) {
                SecretVersionRecord e = existing.get();
                String stored = envelopes.open(e.secretName(), e.versionId(), e.envelope());
                if (!stored.equals(data) || !e.dataType().equals(dataType)) {
                    throw Errors.resourceExist("version " + versionId + " with different data");
                }
                result[0] = e;
                return null; // idempotent retry
            }
            SecretVersionRecord v = new SecretVersionRecord(
                    s.secretName(),
                    versionId,
                    now(),
                    dataType,
                    envelopes.seal(s.encryptionKeyId(), s.secretName(), versionId, data),
                    Set.copyOf(stages));
            versions.add(v);
            checkLabelCount(versions);
            versions.prune(MAX_VERSIONS);
            result[0] = versions.find(versionId).orElseThrow();
            return s.touched(now());
        });
        return result[0];
    }

    /** UpdateSecretVersionStage: move (Move[+Remove]), add (Move) or remove (Remove, custom labels only) a label. */
    public void updateSecretVersionStage(String nameParam, String stage, String removeFrom, String moveTo) {
        SecretNames.checkStage("VersionStage", stage);
        boolean move = moveTo != null && !moveTo.isEmpty();
        boolean remove = removeFrom != null && !removeFrom.isEmpty();
        if (!move && !remove) {
            throw Errors.invalidParameter("At least one of MoveToVersion and RemoveFromVersion must be given.");
        }
        if (!move && SecretStages.builtIn(stage)) {
            throw Errors.invalidParameter(
                    "MoveToVersion", stage + " can only be moved to another version, not removed.");
        }
        mutate(nameParam, (s, versions) -> {
            requireGenericAndLive(s, "UpdateSecretVersionStage");
            if (remove) {
                SecretVersionRecord from = versions.find(removeFrom).orElseThrow(Errors::resourceNotFound);
                if (!from.hasStage(stage)) {
                    throw Errors.invalidParameter("RemoveFromVersion", "The version does not carry " + stage + ".");
                }
            }
            if (move) {
                if (versions.find(moveTo).isEmpty()) {
                    throw Errors.resourceNotFound();
                }
                versions.attach(stage, moveTo);
            } else {
                versions.detach(stage, removeFrom);
            }
            checkLabelCount(versions);
            return versions.hasChanges() ? s.touched(now()) : null;
        });
    }

    private static void checkLabelCount(VersionSet versions) {
        if (versions.labelCount() > MAX_STAGES) {
            throw Errors.limitExceeded("at most " + MAX_STAGES + " version stages per secret");
        }
    }

    private static void requireGenericAndLive(SecretRecord s, String action) {
        if (s.pendingDeletion()) {
            throw Errors.resourceInDeleteWindow();
        }
        if (s.secretType().managed()) {
            throw Errors.unsupportedOperation(
                    action + " is only for Generic secrets; " + s.secretType() + " secrets change by rotation.");
        }
    }

    // ------------------------------------------------------------------ metadata

    public void updateSecret(String nameParam, String description, Map<String, String> customData) {
        if (description != null) {
            checkDescription(description);
        }
        mutate(nameParam, (s, versions) -> {
            if (s.pendingDeletion()) {
                throw Errors.resourceInDeleteWindow();
            }
            SecretRecord next = s;
            if (description != null) {
                next = next.withDescription(description, now());
            }
            if (customData != null) {
                if (!s.secretType().managed()) {
                    throw Errors.invalidParameter("ExtendedConfig", "Generic secrets have no ExtendedConfig.");
                }
                next = new SecretRecord(
                        next.secretName(),
                        next.secretType(),
                        next.description(),
                        next.encryptionKeyId(),
                        ManagedSecretConfig.withCustomData(s.extendedConfig(), customData),
                        next.automaticRotation(),
                        next.rotationIntervalSeconds(),
                        next.lastRotationDate(),
                        next.creationDate(),
                        now(),
                        next.plannedDeleteTime(),
                        next.rotationFailure(),
                        next.rotationFailureDate(),
                        next.creator(),
                        next.dkmsInstanceId(),
                        s.revision() + 1);
            }
            return next == s ? null : next;
        });
    }

    public void updateSecretRotationPolicy(String nameParam, boolean enable, long intervalSeconds) {
        long interval = enable ? checkInterval(intervalSeconds) : 0;
        mutate(nameParam, (s, versions) -> {
            if (s.pendingDeletion()) {
                throw Errors.resourceInDeleteWindow();
            }
            if (!s.secretType().managed()) {
                throw Errors.unsupportedOperation("Generic secrets do not rotate automatically.");
            }
            return s.withRotationPolicy(enable, enable ? interval : s.rotationIntervalSeconds(), now());
        });
    }

    /** RotateSecret: rotates a managed secret now; an existing VersionId succeeds without rotating. */
    public String rotateSecret(String nameParam, String versionId) {
        SecretNames.checkVersionId(versionId);
        return rotation.rotate(resolveName(nameParam), versionId);
    }

    // ------------------------------------------------------------------ deletion

    /** DeleteSecret: schedules deletion (7–30 days, default 30) or, forced, deletes now. Returns PlannedDeleteTime. */
    public Instant deleteSecret(String nameParam, Integer recoveryWindowInDays, boolean force) {
        String name = resolveName(nameParam);
        if (force) {
            // A RecoveryWindowInDays sent alongside is ignored: Terraform's provider sends both when forcing.
            if (repository.find(name).isEmpty()) {
                throw Errors.resourceNotFound();
            }
            repository.delete(name);
            cache.invalidate(name);
            return now();
        }
        int days = recoveryWindowInDays == null ? 30 : recoveryWindowInDays;
        if (days < 7 || days > 30) {
            throw Errors.invalidParameter("RecoveryWindowInDays", "It must be between 7 and 30.");
        }
        Instant[] planned = new Instant[1];
        mutate(name, (s, versions) -> {
            if (s.pendingDeletion()) {
                throw Errors.resourceInDeleteWindow();
            }
            planned[0] = now().plus(Duration.ofDays(days));
            return s.withPlannedDeleteTime(planned[0], now());
        });
        return planned[0];
    }

    /** RestoreSecret: cancels a scheduled deletion, bringing every version back; a live secret is left as it is. */
    public void restoreSecret(String nameParam) {
        mutate(nameParam, (s, versions) -> s.pendingDeletion() ? s.withPlannedDeleteTime(null, now()) : null);
    }

    /** Deletes secrets whose recovery window has ended (the maintenance job); returns how many. */
    public int purgeExpired() {
        Instant now = now();
        int n = 0;
        for (SecretRecord s : repository.list()) {
            if (s.pendingDeletion() && !s.plannedDeleteTime().isAfter(now)) {
                repository.delete(s.secretName());
                cache.invalidate(s.secretName());
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ tags

    /** The name of a secret whose tags may be read or (when {@code forChange}) changed. */
    public String taggableSecret(String nameParam, boolean forChange) {
        SecretRecord s = describeSecret(nameParam);
        if (forChange && s.pendingDeletion()) {
            throw Errors.resourceInDeleteWindow();
        }
        return s.secretName();
    }

    // ------------------------------------------------------------------ helpers

    /** SecretName parameter: a name or this account's secret ARN ({@code acs:kms:<region>:<uid>:secret/<name>}). */
    public String resolveName(String nameParam) {
        if (nameParam.startsWith("acs:")) {
            String prefix = account.arnPrefix() + "secret/";
            if (!nameParam.startsWith(prefix)) {
                throw Errors.resourceNotFound();
            }
            return nameParam.substring(prefix.length());
        }
        return nameParam;
    }

    LoadedSecret loaded(String nameParam) {
        return cache.get(resolveName(nameParam)).orElseThrow(Errors::resourceNotFound);
    }

    /** Reads a master (administrator) secret's current value as an account, for rotation. */
    ManagedAccount masterAccount(String masterSecretName) {
        SecretValue v = getSecretValue(masterSecretName, null, SecretStages.CURRENT);
        return ManagedAccount.parse(v.data());
    }

    /**
     * Applies one planned change to a secret: the function gets the stored secret and its versions, changes the
     * VersionSet, and returns the new secret row (null = nothing to write). Retries on revision conflicts.
     */
    void mutate(String nameParam, BiFunction<SecretRecord, VersionSet, SecretRecord> plan) {
        String name = resolveName(nameParam);
        // Writers of one secret take turns on this node; the revision check still guards against other nodes.
        locks.withLock(name, () -> {
            for (int attempt = 0; attempt < 10; attempt++) {
                SecretRecord current = repository.find(name).orElseThrow(Errors::resourceNotFound);
                VersionSet versions = new VersionSet(repository.versions(name));
                SecretRecord next = plan.apply(current, versions);
                if (next == null) {
                    return null;
                }
                if (repository.saveVersions(next, current.revision(), versions.upserts(), versions.removed())) {
                    cache.invalidate(name);
                    return null;
                }
            }
            throw Errors.conflict();
        });
    }

    private static String checkData(String data, String dataTypeParam, SecretType type) {
        if (data == null || data.isEmpty()) {
            throw Errors.missingParameter("SecretData");
        }
        if (data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SECRET_DATA_BYTES) {
            throw Errors.invalidParameter("SecretData", "It must not exceed " + MAX_SECRET_DATA_BYTES + " bytes.");
        }
        String dataType = dataTypeParam == null || dataTypeParam.isEmpty() ? "text" : dataTypeParam;
        if (!dataType.equals("text") && !dataType.equals("binary")) {
            throw Errors.invalidParameter("SecretDataType", "It must be text or binary.");
        }
        if (dataType.equals("binary")) {
            if (type.managed()) {
                throw Errors.invalidParameter("SecretDataType", "Managed secrets are text.");
            }
            try {
                Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw Errors.invalidParameter("SecretData", "A binary secret is sent as Base64 text.");
            }
        }
        return dataType;
    }

    private static long checkInterval(long seconds) {
        if (seconds <= 0) {
            throw Errors.missingParameter("RotationInterval");
        }
        RotationIntervals.checkRange(seconds, MIN_ROTATION_INTERVAL, MAX_ROTATION_INTERVAL);
        return seconds;
    }

    private static void checkDescription(String description) {
        if (description != null && description.length() > 8192) {
            throw Errors.invalidParameter("Description", "It must not exceed 8192 characters.");
        }
    }

    String open(SecretVersionRecord v) {
        return envelopes.open(v.secretName(), v.versionId(), v.envelope());
    }

    Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }
}
