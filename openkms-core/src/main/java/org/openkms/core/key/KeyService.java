package org.openkms.core.key;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.openkms.core.Account;
import org.openkms.core.Ids;
import org.openkms.core.KmsSettings;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;

/**
 * Key lifecycle: CreateKey, DescribeKey, Enable/DisableKey, deletion, protection, rotation and versions.
 * Every state change goes through {@link #mutate}: read the row, check the transition, write it back with an
 * optimistic revision check, and invalidate the cache only after the commit.
 */
public final class KeyService {
    /**
     * The alias of the key Secrets Manager encrypts secrets under when no EncryptionKeyId is given. The key is the
     * service's, not the customer's: it cannot be disabled, deleted, re-described or given a key policy.
     */
    public static final String SECRETS_MANAGER_KEY_ALIAS = "alias/acs/secrets-manager";

    private final Account account;
    private final KeyRepository repository;
    private final KeyMaterials materials;
    private final KeyCache cache;
    private final KeyResolver resolver;
    private final KmsSettings settings;
    private final Clock clock;
    /**
     * Serialises writers of one key inside this node, so concurrent calls queue instead of failing on revision
     * conflicts; the revision check still guards against writers on other nodes.
     */
    private final KeyLocks locks = new KeyLocks();

    public KeyService(
            Account account,
            KeyRepository repository,
            KeyMaterials materials,
            KeyCache cache,
            KeyResolver resolver,
            KmsSettings settings,
            Clock clock) {
        this.account = account;
        this.repository = repository;
        this.materials = materials;
        this.cache = cache;
        this.resolver = resolver;
        this.settings = settings;
        this.clock = clock;
    }

    public KeyRecord createKey(CreateKeyRequest req) {
        KeySpec spec = req.keySpec();
        KeyUsage usage = req.keyUsage() == null ? spec.defaultUsage() : req.keyUsage();
        if (!spec.allows(usage)) {
            throw Errors.invalidParameter(
                    "KeyUsage", "KeySpec " + spec + " does not support KeyUsage " + usage.wire() + ".");
        }
        if (req.origin() == Origin.EXTERNAL && !spec.symmetric()) {
            // Import (GetParametersForImport → ImportKeyMaterial) carries symmetric material only.
            throw Errors.invalidParameter("Origin", "Key material can only be imported into symmetric keys.");
        }
        if (req.rotationIntervalSeconds() > 0) {
            if (req.origin() == Origin.EXTERNAL) {
                throw Errors.unsupportedOperation(
                        "Keys with imported material (Origin EXTERNAL) cannot rotate automatically.");
            }
            if (!spec.symmetric()) {
                throw Errors.unsupportedOperation("Only symmetric keys rotate automatically.");
            }
            RotationIntervals.checkRange(
                    req.rotationIntervalSeconds(), settings.minRotationInterval(), settings.maxRotationInterval());
        }
        if (repository.list().size() >= settings.maxKeys()) {
            throw Errors.limitExceeded("at most " + settings.maxKeys() + " keys");
        }
        Instant now = now();
        String keyId = Ids.newKeyId(account.region());
        List<KeyVersionRecord> versions = new ArrayList<>();
        String primary = null;
        KeyState state = KeyState.PendingImport;
        if (req.origin() == Origin.Aliyun_KMS) {
            versions.add(newVersion(keyId, spec, now));
            primary = versions.get(0).keyVersionId();
            state = KeyState.Enabled;
        }
        KeyRecord key = new KeyRecord(
                keyId,
                req.description() == null ? "" : req.description(),
                spec,
                usage,
                req.origin(),
                req.protectionLevel(),
                state,
                now,
                null,
                primary,
                req.rotationIntervalSeconds(),
                primary == null ? null : now,
                false,
                "",
                account.uid(),
                null,
                req.dkmsInstanceId() == null || req.dkmsInstanceId().isEmpty() ? null : req.dkmsInstanceId(),
                1);
        repository.create(key, versions, req.tags() == null ? Map.of() : req.tags());
        cache.invalidate(keyId);
        return key;
    }

    /** Served from the key cache (writes invalidate it), so reads of key metadata do not touch the database. */
    public KeyRecord describeKey(String keyIdParam) {
        return cache.get(resolver.resolve(keyIdParam)).map(LoadedKey::record).orElseThrow(Errors::keyNotFound);
    }

    /** The most keys this server holds (all instances and default keys together): CreateKey is refused beyond. */
    public int maxKeys() {
        return settings.maxKeys();
    }

    /** All keys, oldest first. */
    public List<KeyRecord> listKeys() {
        List<KeyRecord> all = new ArrayList<>(repository.list());
        all.sort(Comparator.comparing(KeyRecord::creationDate).thenComparing(KeyRecord::keyId));
        return all;
    }

    public void updateKeyDescription(String keyIdParam, String description) {
        mutateCustomerKey(keyIdParam, k -> {
            if (k.state() == KeyState.PendingDeletion) {
                throw Errors.pendingDeletion();
            }
            return k.withDescription(description);
        });
    }

    public void enableKey(String keyIdParam) {
        mutateCustomerKey(keyIdParam, k -> switch (k.state()) {
            case Enabled -> null;
            case Disabled -> k.withState(KeyState.Enabled, null);
            default -> throw Errors.stateModifiedFailed(k.state().name());
        });
    }

    public void disableKey(String keyIdParam) {
        mutateCustomerKey(keyIdParam, k -> switch (k.state()) {
            case Disabled -> null;
            case Enabled -> k.withState(KeyState.Disabled, null);
            default -> throw Errors.stateModifiedFailed(k.state().name());
        });
    }

    public void scheduleKeyDeletion(String keyIdParam, int pendingWindowInDays) {
        if (pendingWindowInDays < 7 || pendingWindowInDays > 366) {
            throw Errors.invalidParameter("PendingWindowInDays", "It must be between 7 and 366.");
        }
        mutateCustomerKey(keyIdParam, k -> {
            if (k.state() == KeyState.PendingDeletion) {
                throw Errors.stateModifiedFailed(k.state().name());
            }
            if (k.deletionProtection()) {
                throw Errors.deletionProtected();
            }
            return k.withState(KeyState.PendingDeletion, now().plusSeconds(pendingWindowInDays * 86_400L));
        });
    }

    public void cancelKeyDeletion(String keyIdParam) {
        mutateCustomerKey(keyIdParam, k -> {
            if (k.state() != KeyState.PendingDeletion) {
                throw Errors.stateModifiedFailed(k.state().name());
            }
            // Alibaba returns the key to Enabled; a key that never had material goes back to waiting for it.
            return k.withState(k.primaryKeyVersion() == null ? KeyState.PendingImport : KeyState.Enabled, null);
        });
    }

    public void setDeletionProtection(String keyIdParam, boolean enabled, String description) {
        mutateCustomerKey(keyIdParam, k -> {
            if (k.state() == KeyState.PendingDeletion) {
                throw Errors.pendingDeletion();
            }
            return k.withDeletionProtection(enabled, enabled && description != null ? description : "");
        });
    }

    public void updateRotationPolicy(String keyIdParam, boolean enable, String interval) {
        long seconds = 0;
        if (enable) {
            if (interval == null || interval.isEmpty()) {
                throw Errors.missingParameter("RotationInterval");
            }
            seconds = RotationIntervals.parseSeconds(interval);
            RotationIntervals.checkRange(seconds, settings.minRotationInterval(), settings.maxRotationInterval());
        }
        long newSeconds = seconds;
        mutateCustomerKey(keyIdParam, k -> {
            rejectUnlessEnabled(k);
            if (k.origin() == Origin.EXTERNAL) {
                throw Errors.unsupportedOperation(
                        "Keys with imported material (Origin EXTERNAL) cannot rotate automatically.");
            }
            if (!k.keySpec().symmetric() && newSeconds > 0) {
                throw Errors.unsupportedOperation("Only symmetric keys rotate automatically.");
            }
            return k.withRotationInterval(newSeconds);
        });
        // An interval that makes the key past due rotates it now
        // (https://www.alibabacloud.com/help/doc-detail/134270.htm).
        rotateIfDue(describeKey(keyIdParam).keyId());
    }

    /** CreateKeyVersion: a new primary version, at most one per minKeyVersionInterval. */
    public KeyVersionRecord createKeyVersion(String keyIdParam) {
        String keyId = describeKey(keyIdParam).keyId();
        return rotate(keyId, k -> {
            rejectUnlessEnabled(k);
            if (k.origin() == Origin.EXTERNAL) {
                throw Errors.unsupportedOperation(
                        "Keys with imported material (Origin EXTERNAL) have a single version.");
            }
            if (k.keySpec().mac()) {
                throw Errors.unsupportedOperation("HMAC keys have a single version.");
            }
            if (k.lastRotationDate() != null
                    && k.lastRotationDate()
                            .plus(settings.minKeyVersionInterval())
                            .isAfter(now())) {
                throw Errors.unsupportedOperation("A new key version can be created at most once every "
                        + settings.minKeyVersionInterval().toDays() + " days.");
            }
            if (repository.versions(k.keyId()).size() >= settings.maxVersionsPerKey()) {
                throw Errors.limitExceeded("at most " + settings.maxVersionsPerKey() + " versions per key");
            }
            return true;
        });
    }

    /** Automatic rotation: adds a new primary version if the key is (still) Enabled and due; else returns null. */
    KeyVersionRecord rotateIfDue(String keyId) {
        return rotate(
                keyId,
                k -> k.state() == KeyState.Enabled
                        && k.automaticRotation()
                        && !k.nextRotationDate().isAfter(now()));
    }

    /**
     * Adds a new primary version if {@code precondition} accepts the current row (false: nothing to do, returns
     * null; it may also throw the API error that forbids it). It runs on every attempt, so a concurrent writer
     * cannot slip a second version past it.
     */
    private KeyVersionRecord rotate(String keyId, java.util.function.Predicate<KeyRecord> precondition) {
        return locks.withLock(keyId, () -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                KeyRecord k = find(keyId);
                if (!precondition.test(k)) {
                    return null;
                }
                Instant now = now();
                KeyVersionRecord v = newVersion(keyId, k.keySpec(), now);
                if (repository.addVersion(k.withPrimaryVersion(v.keyVersionId(), now), k.revision(), v)) {
                    cache.invalidate(keyId);
                    return v;
                }
                backOff(attempt);
            }
            throw Errors.conflict();
        });
    }

    /**
     * ImportKeyMaterial once the import token and the wrapping have been checked. The first import creates the
     * key's single version; later imports must carry the same material (compared with the material, or with
     * its sealed fingerprint once DeleteKeyMaterial removed it) and refresh the expiry.
     * PendingImport → Enabled; Enabled and Disabled keep their state; PendingDeletion is refused.
     */
    public void importKeyMaterial(String keyId, byte[] material, Instant expireTime) {
        try {
            locks.withLock(keyId, () -> importLocked(keyId, material, expireTime));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    private Void importLocked(String keyId, byte[] material, Instant expireTime) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            KeyRecord k = find(keyId);
            if (k.origin() != Origin.EXTERNAL) {
                throw Errors.unsupportedOrigin();
            }
            if (k.state() == KeyState.PendingDeletion) {
                throw Errors.stateModifiedFailed(k.state().name());
            }
            if (material.length != k.keySpec().materialLength()) {
                throw Errors.invalidKeyMaterial(
                        "KeySpec " + k.keySpec() + " takes " + k.keySpec().materialLength() + " bytes of material.");
            }
            KeyState next = k.state() == KeyState.PendingImport ? KeyState.Enabled : k.state();
            Instant now = now();
            List<KeyVersionRecord> versions = repository.versions(keyId);
            boolean done;
            if (versions.isEmpty()) {
                String versionId = Ids.newVersionId();
                KeyVersionRecord v =
                        new KeyVersionRecord(keyId, versionId, now, materials.seal(keyId, versionId, material.clone()));
                done = repository.addVersion(k.withImportedMaterial(versionId, next, expireTime, now), k.revision(), v);
            } else {
                KeyVersionRecord v = versions.get(0);
                requireSameMaterial(k, v, material);
                KeyRecord updated = k.withImportedMaterial(
                        v.keyVersionId(), next, expireTime, k.primaryKeyVersion() == null ? now : k.lastRotationDate());
                done = k.primaryKeyVersion() != null
                        ? repository.update(updated, k.revision())
                        : repository.replaceVersionMaterial(
                                updated,
                                k.revision(),
                                v.keyVersionId(),
                                materials.seal(keyId, v.keyVersionId(), material.clone()));
            }
            if (done) {
                cache.invalidate(keyId);
                return null;
            }
            backOff(attempt); // another node wrote the key meanwhile
        }
        throw Errors.conflict();
    }

    /**
     * DeleteKeyMaterial, and the maintenance job when imported material expires: the material is replaced by
     * its sealed fingerprint, the key loses its primary version and goes to PendingImport (PendingDeletion
     * stays). Idempotent.
     */
    public void deleteKeyMaterial(String keyIdParam) {
        String keyId = resolver.resolve(keyIdParam);
        locks.withLock(keyId, () -> deleteMaterialLocked(keyId));
    }

    private Void deleteMaterialLocked(String keyId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            KeyRecord k = find(keyId);
            if (k.origin() != Origin.EXTERNAL) {
                throw Errors.unsupportedOrigin();
            }
            if (k.primaryKeyVersion() == null) {
                return null;
            }
            KeyVersionRecord v = repository.versions(keyId).get(0);
            byte[] plain = materials.unseal(keyId, v.keyVersionId(), v.sealedMaterial());
            byte[] fingerprint = sha256(plain);
            Arrays.fill(plain, (byte) 0);
            KeyState next = k.state() == KeyState.PendingDeletion ? KeyState.PendingDeletion : KeyState.PendingImport;
            if (repository.replaceVersionMaterial(
                    k.withImportedMaterial(null, next, null, now()),
                    k.revision(),
                    v.keyVersionId(),
                    materials.sealFingerprint(keyId, v.keyVersionId(), fingerprint))) {
                cache.invalidate(keyId);
                return null;
            }
            backOff(attempt);
        }
        throw Errors.conflict();
    }

    private void requireSameMaterial(KeyRecord k, KeyVersionRecord v, byte[] material) {
        boolean same;
        if (k.primaryKeyVersion() != null) {
            byte[] current = materials.unseal(k.keyId(), v.keyVersionId(), v.sealedMaterial());
            same = MessageDigest.isEqual(current, material);
            Arrays.fill(current, (byte) 0);
        } else {
            same = MessageDigest.isEqual(
                    materials.unsealFingerprint(k.keyId(), v.keyVersionId(), v.sealedMaterial()), sha256(material));
        }
        if (!same) {
            throw Errors.invalidKeyMaterial("A key only accepts the material that was first imported into it.");
        }
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public KeyVersionRecord describeKeyVersion(String keyIdParam, String keyVersionId) {
        String keyId = describeKey(keyIdParam).keyId();
        return repository
                .findVersion(keyVersionId)
                .filter(v -> v.keyId().equals(keyId))
                .orElseThrow(Errors::keyVersionNotFound);
    }

    public List<KeyVersionRecord> listKeyVersions(String keyIdParam) {
        return repository.versions(describeKey(keyIdParam).keyId());
    }

    /** Destroys a key whose deletion window has ended (called by the maintenance job). */
    void destroy(String keyId) {
        repository.delete(keyId);
        resolver.invalidateAliasesOf(keyId);
        cache.forget(keyId);
    }

    private KeyRecord find(String keyId) {
        return repository.find(keyId).orElseThrow(Errors::keyNotFound);
    }

    private static void rejectUnlessEnabled(KeyRecord k) {
        var rejection = k.state().cryptoRejection();
        if (rejection != null) {
            throw rejection;
        }
    }

    /**
     * Applies a transition to the stored key. The function returns the new record, or null for "no change"
     * (idempotent calls such as EnableKey on an Enabled key). Retries when another writer got there first.
     */
    /**
     * The key behind {@code alias/acs/secrets-manager} belongs to the service: it seals every secret created
     * without EncryptionKeyId, so disabling, deleting or re-policing it would take those secrets away from everyone.
     * Like Alibaba's service-managed keys, it is used, never managed, by callers.
     */
    public void requireCustomerManaged(String keyIdParam) {
        String keyId = resolver.resolve(keyIdParam);
        String serviceKey;
        try {
            serviceKey = resolver.resolve(SECRETS_MANAGER_KEY_ALIAS);
        } catch (KmsException noServiceKeyYet) {
            return;
        }
        if (serviceKey.equals(keyId)) {
            throw Errors.unsupportedOperation(
                    "The key is managed by Secrets Manager (" + SECRETS_MANAGER_KEY_ALIAS + ") and cannot be changed.");
        }
    }

    private void mutateCustomerKey(String keyIdParam, UnaryOperator<KeyRecord> transition) {
        requireCustomerManaged(keyIdParam);
        mutate(keyIdParam, transition);
    }

    private void mutate(String keyIdParam, UnaryOperator<KeyRecord> transition) {
        String keyId = resolver.resolve(keyIdParam);
        locks.withLock(keyId, () -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                KeyRecord current = find(keyId);
                KeyRecord next = transition.apply(current);
                if (next == null) {
                    return null;
                }
                if (repository.update(next, current.revision())) {
                    cache.invalidate(keyId);
                    return null;
                }
                backOff(attempt); // another node wrote the key meanwhile
            }
            throw Errors.conflict();
        });
    }

    private static final int MAX_ATTEMPTS = 10;

    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.conflict();
        }
    }

    private KeyVersionRecord newVersion(String keyId, KeySpec spec, Instant now) {
        String versionId = Ids.newVersionId();
        return new KeyVersionRecord(
                keyId, versionId, now, materials.seal(keyId, versionId, KeyMaterials.generate(spec)));
    }

    private Instant now() {
        // Storage keeps milliseconds; truncating here keeps what we return equal to what we read back later.
        return Instant.ofEpochMilli(clock.millis());
    }
}
