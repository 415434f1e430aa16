package org.openkms.core.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.openkms.core.Account;
import org.openkms.core.error.Errors;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeyState;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.KeyVersionRecord;
import org.openkms.core.key.Origin;
import org.openkms.core.store.Storage;
import org.openkms.crypto.SecureRandoms;
import org.openkms.crypto.rootkey.RootKeyProvider;

/**
 * Key lifecycle: CreateKey, DescribeKey, Enable/DisableKey, deletion, protection, rotation and versions.
 * Every state change goes through {@link #mutate}: read the row, check the transition, write it back with an
 * optimistic revision check, and invalidate the cache only after the commit.
 */
public final class KeyService {
    private final Account account;
    private final Storage storage;
    private final RootKeyProvider rootKey;
    private final KeyCache cache;
    private final KeyResolver resolver;
    private final KmsSettings settings;
    private final Clock clock;
    /**
     * Serialises writers of one key inside this node, so concurrent calls queue instead of failing on revision
     * conflicts; the revision check still guards against writers on other nodes.
     */
    private final KeyLocks locks = new KeyLocks();

    public KeyService(Account account, Storage storage, RootKeyProvider rootKey, KeyCache cache, KeyResolver resolver,
                      KmsSettings settings, Clock clock) {
        this.account = account;
        this.storage = storage;
        this.rootKey = rootKey;
        this.cache = cache;
        this.resolver = resolver;
        this.settings = settings;
        this.clock = clock;
    }

    public KeyRecord createKey(CreateKeyRequest req) {
        if (!req.keySpec().symmetric()) {
            throw Errors.invalidParameter("KeySpec", "Asymmetric key specs (" + req.keySpec()
                    + ") are not supported by this server yet; use Aliyun_AES_256, Aliyun_AES_192, Aliyun_AES_128 or Aliyun_SM4.");
        }
        KeyUsage usage = req.keyUsage() == null ? KeyUsage.ENCRYPT_DECRYPT : req.keyUsage();
        if (usage != KeyUsage.ENCRYPT_DECRYPT) {
            throw Errors.invalidParameter("KeyUsage", "Symmetric keys only support ENCRYPT/DECRYPT.");
        }
        if (req.rotationIntervalSeconds() > 0) {
            if (req.origin() == Origin.EXTERNAL) {
                throw Errors.unsupportedOperation("Keys with imported material (Origin EXTERNAL) cannot rotate automatically.");
            }
            RotationIntervals.checkRange(req.rotationIntervalSeconds(), settings.minRotationInterval(), settings.maxRotationInterval());
        }
        if (storage.keys().list().size() >= settings.maxKeys()) {
            throw Errors.limitExceeded("at most " + settings.maxKeys() + " keys");
        }
        Instant now = now();
        String keyId = Ids.newKeyId(account.region());
        List<KeyVersionRecord> versions = new ArrayList<>();
        String primary = null;
        KeyState state = KeyState.PendingImport;
        if (req.origin() == Origin.Aliyun_KMS) {
            versions.add(newVersion(keyId, req.keySpec().materialLength(), now));
            primary = versions.get(0).keyVersionId();
            state = KeyState.Enabled;
        }
        KeyRecord key = new KeyRecord(keyId, req.description() == null ? "" : req.description(), req.keySpec(), usage,
                req.origin(), req.protectionLevel(), state, now, null, primary, req.rotationIntervalSeconds(),
                primary == null ? null : now, false, "", account.uid(), null, 1);
        storage.keys().create(key, versions, req.tags() == null ? Map.of() : req.tags());
        cache.invalidate(keyId);
        return key;
    }

    /** Served from the key cache (writes invalidate it), so reads of key metadata do not touch the database. */
    public KeyRecord describeKey(String keyIdParam) {
        return cache.get(resolver.resolve(keyIdParam)).map(LoadedKey::record).orElseThrow(Errors::keyNotFound);
    }

    /** All keys, oldest first. */
    public List<KeyRecord> listKeys() {
        List<KeyRecord> all = new ArrayList<>(storage.keys().list());
        all.sort(Comparator.comparing(KeyRecord::creationDate).thenComparing(KeyRecord::keyId));
        return all;
    }

    public void updateKeyDescription(String keyIdParam, String description) {
        mutate(keyIdParam, k -> {
            if (k.state() == KeyState.PendingDeletion) {
                throw Errors.pendingDeletion();
            }
            return k.withDescription(description);
        });
    }

    public void enableKey(String keyIdParam) {
        mutate(keyIdParam, k -> switch (k.state()) {
            case Enabled -> null;
            case Disabled -> k.withState(KeyState.Enabled, null);
            default -> throw Errors.stateModifiedFailed(k.state().name());
        });
    }

    public void disableKey(String keyIdParam) {
        mutate(keyIdParam, k -> switch (k.state()) {
            case Disabled -> null;
            case Enabled -> k.withState(KeyState.Disabled, null);
            default -> throw Errors.stateModifiedFailed(k.state().name());
        });
    }

    public void scheduleKeyDeletion(String keyIdParam, int pendingWindowInDays) {
        if (pendingWindowInDays < 7 || pendingWindowInDays > 366) {
            throw Errors.invalidParameter("PendingWindowInDays", "It must be between 7 and 366.");
        }
        mutate(keyIdParam, k -> {
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
        mutate(keyIdParam, k -> {
            if (k.state() != KeyState.PendingDeletion) {
                throw Errors.stateModifiedFailed(k.state().name());
            }
            // Alibaba returns the key to Enabled; a key that never had material goes back to waiting for it.
            return k.withState(k.primaryKeyVersion() == null ? KeyState.PendingImport : KeyState.Enabled, null);
        });
    }

    public void setDeletionProtection(String keyIdParam, boolean enabled, String description) {
        mutate(keyIdParam, k -> {
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
        mutate(keyIdParam, k -> {
            rejectUnlessEnabled(k);
            if (k.origin() == Origin.EXTERNAL) {
                throw Errors.unsupportedOperation("Keys with imported material (Origin EXTERNAL) cannot rotate automatically.");
            }
            return k.withRotationInterval(newSeconds);
        });
        // An interval that makes the key past due rotates it now (api-semantics.md §4.5).
        rotateIfDue(describeKey(keyIdParam).keyId());
    }

    /** CreateKeyVersion: a new primary version, at most one per minKeyVersionInterval. */
    public KeyVersionRecord createKeyVersion(String keyIdParam) {
        String keyId = describeKey(keyIdParam).keyId();
        return rotate(keyId, k -> {
            rejectUnlessEnabled(k);
            if (k.origin() == Origin.EXTERNAL) {
                throw Errors.unsupportedOperation("Keys with imported material (Origin EXTERNAL) have a single version.");
            }
            if (k.lastRotationDate() != null && k.lastRotationDate().plus(settings.minKeyVersionInterval()).isAfter(now())) {
                throw Errors.unsupportedOperation("A new key version can be created at most once every "
                        + settings.minKeyVersionInterval().toDays() + " days.");
            }
            if (storage.keys().versions(k.keyId()).size() >= settings.maxVersionsPerKey()) {
                throw Errors.limitExceeded("at most " + settings.maxVersionsPerKey() + " versions per key");
            }
            return true;
        });
    }

    /** Automatic rotation: adds a new primary version if the key is (still) Enabled and due; else returns null. */
    KeyVersionRecord rotateIfDue(String keyId) {
        return rotate(keyId, k -> k.state() == KeyState.Enabled && k.automaticRotation() && !k.nextRotationDate().isAfter(now()));
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
                KeyVersionRecord v = newVersion(keyId, k.keySpec().materialLength(), now);
                if (storage.keys().addVersion(k.withPrimaryVersion(v.keyVersionId(), now), k.revision(), v)) {
                    cache.invalidate(keyId);
                    return v;
                }
                backOff(attempt);
            }
            throw Errors.conflict();
        });
    }

    public KeyVersionRecord describeKeyVersion(String keyIdParam, String keyVersionId) {
        String keyId = describeKey(keyIdParam).keyId();
        return storage.keys().findVersion(keyVersionId)
                .filter(v -> v.keyId().equals(keyId))
                .orElseThrow(Errors::keyVersionNotFound);
    }

    public List<KeyVersionRecord> listKeyVersions(String keyIdParam) {
        return storage.keys().versions(describeKey(keyIdParam).keyId());
    }

    /** Destroys a key whose deletion window has ended (called by the maintenance job). */
    void destroy(String keyId) {
        storage.keys().delete(keyId);
        resolver.invalidateAliasesOf(keyId);
        cache.forget(keyId);
    }

    private KeyRecord find(String keyId) {
        return storage.keys().find(keyId).orElseThrow(Errors::keyNotFound);
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
    private void mutate(String keyIdParam, UnaryOperator<KeyRecord> transition) {
        String keyId = resolver.resolve(keyIdParam);
        locks.withLock(keyId, () -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                KeyRecord current = find(keyId);
                KeyRecord next = transition.apply(current);
                if (next == null) {
                    return null;
                }
                if (storage.keys().update(next, current.revision())) {
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

    private KeyVersionRecord newVersion(String keyId, int materialLength, Instant now) {
        String versionId = Ids.newVersionId();
        byte[] material = SecureRandoms.bytes(materialLength);
        byte[] sealed = rootKey.seal(material, KeyCache.sealingContext(keyId, versionId));
        java.util.Arrays.fill(material, (byte) 0);
        return new KeyVersionRecord(keyId, versionId, now, sealed);
    }

    private Instant now() {
        // Storage keeps milliseconds; truncating here keeps what we return equal to what we read back later.
        return Instant.ofEpochMilli(clock.millis());
    }
}
