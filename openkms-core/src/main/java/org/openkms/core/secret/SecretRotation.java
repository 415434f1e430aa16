package org.openkms.core.secret;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.core.secret.rotation.AccessKeyIssuer;
import org.openkms.core.secret.rotation.RotationException;
import org.openkms.core.secret.rotation.SecretRotator;

/**
 * Managed rotation of Rds and Redis secrets, on demand (RotateSecret) and on schedule ({@link #rotateDue}).
 *
 * <p>Strategies, as Alibaba and AWS describe them: <b>single account</b> — the account's own password is
 * changed (with its current credentials, or the master secret's); the old password stops working at once.
 * <b>Dual account</b> (DoubleUsers) — the account that is <em>not</em> current gets a new password from the
 * administrator (MasterSecretName) and becomes ACSCurrent; the current one becomes ACSPrevious and keeps
 * working until the next rotation resets it.
 *
 * <p>Order of steps, so that a password set on the server is never lost: (1) store the new value as an
 * unlabelled version (durable before the server is touched); (2) change the password on the server;
 * (3) move the labels. If (2) fails the unlabelled version is deleted, the old value stays current and the
 * reason is recorded on the secret (DescribeSecret) and returned. A crash between (2) and (3) leaves the new
 * value in the unlabelled version; the next rotation of a single-account secret notices that the current
 * credentials no longer log in and promotes it.
 *
 * <p><b>RAMCredentials</b> secrets rotate the same way with an {@link AccessKeyIssuer} in place of a password
 * rotator: (1) a new AccessKey pair is stored as an unlabelled version, (2) the AccessKey is created for the RAM
 * user, (3) it becomes ACSCurrent and the old one ACSPrevious. The old AccessKey keeps working for the overlap
 * ({@link #registerAccessKeys}) and is then deleted by {@link #retireDue} (at once when the overlap is zero), as
 * Alibaba's managed RAM secrets delete the old AccessKey after rotation
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/user-guide/manage-and-use-ram-secrets). A key is
 * only ever created after its value is durable, so a crash cannot leak one: the next rotation promotes an unlabelled
 * version whose AccessKey exists and drops one whose AccessKey was never created.
 */
public final class SecretRotation {
    /** How long the scheduler waits after a failed automatic rotation before trying again. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(5);

    private final SecretService secrets;
    private final SecretRepository repository;
    private final SecretEnvelopes envelopes;
    private final Clock clock;
    private final List<SecretRotator> rotators = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
    private volatile AccessKeyIssuer accessKeys;
    private volatile Duration accessKeyOverlap = Duration.ofHours(24);

    public SecretRotation(SecretService secrets, SecretRepository repository, SecretEnvelopes envelopes, Clock clock) {
        this.secrets = secrets;
        this.repository = repository;
        this.envelopes = envelopes;
        this.clock = clock;
    }

    /** Adds a rotator for its endpoint schemes (done once at start-up by the server). */
    public void register(SecretRotator rotator) {
        rotators.add(rotator);
    }

    /**
     * Enables RAMCredentials secrets (done once at start-up by the server): {@code overlap} is how long a rotated-out
     * AccessKey keeps working before {@link #retireDue} deletes it (zero: deleted by the rotation itself).
     */
    public void registerAccessKeys(AccessKeyIssuer issuer, Duration overlap) {
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("the AccessKey overlap must not be negative");
        }
        this.accessKeyOverlap = overlap;
        this.accessKeys = issuer;
    }

    Optional<AccessKeyIssuer> accessKeys() {
        return Optional.ofNullable(accessKeys);
    }

    /** The result of one scheduled attempt: the new version, or the reason it failed. */
    public record Outcome(String secretName, String versionId, String failure) {}

    /** Rotates every secret whose NextRotationDate has passed (failed ones again after a pause). */
    public List<Outcome> rotateDue() {
        Instant now = clock.instant();
        List<Outcome> outcomes = new ArrayList<>();
        for (SecretRecord s : repository.list()) {
            if (!s.automaticRotation()
                    || s.pendingDeletion()
                    || s.nextRotationDate().isAfter(now)) {
                continue;
            }
            if (s.rotationFailureDate() != null
                    && s.rotationFailureDate().plus(RETRY_AFTER_FAILURE).isAfter(now)) {
                continue;
            }
            try {
                outcomes.add(new Outcome(s.secretName(), rotate(s.secretName(), null), null));
            } catch (KmsException e) {
                outcomes.add(new Outcome(s.secretName(), null, e.getMessage()));
            }
        }
        return outcomes;
    }

    /** Rotates one secret; returns the new ACSCurrent version ID. */
    String rotate(String name, String requestedVersionId) {
        synchronized (locks.computeIfAbsent(name, k -> new Object())) {
            SecretRecord s = repository.find(name).orElseThrow(Errors::resourceNotFound);
            if (s.pendingDeletion()) {
                throw Errors.resourceInDeleteWindow();
            }
            if (!s.secretType().managed()) {
                throw Errors.unsupportedOperation("Generic secrets are rotated with PutSecretValue, not RotateSecret.");
            }
            VersionSet versions = new VersionSet(repository.versions(name));
            if (requestedVersionId != null && versions.find(requestedVersionId).isPresent()) {
                return requestedVersionId; // idempotency token already used: nothing to do
            }
            if (s.secretType() == SecretType.RAMCredentials) {
                return rotateAccessKey(s, versions, requestedVersionId);
            }
            ManagedSecretConfig config = ManagedSecretConfig.parse(s.secretType(), s.extendedConfig());
            SecretVersionRecord currentVersion =
                    versions.holder(SecretStages.CURRENT).orElseThrow(Errors::internal);
            ManagedAccount current = ManagedAccount.parse(secrets.open(currentVersion));
            String newPassword = PasswordGenerator.forAccount();
            String failure;
            try {
                SecretRotator rotator = rotatorFor(config);
                Optional<String> recovered =
                        finishInterruptedRotation(rotator, config, s, versions, currentVersion, current);
                if (recovered.isPresent()) {
                    return recovered.get();
                }
                ManagedAccount login = login(config, current);
                String target = config.targetAccount(current.accountName());
                String versionId = requestedVersionId != null
                        ? requestedVersionId
                        : UUID.randomUUID().toString();
                storePending(name, versionId, new ManagedAccount(target, newPassword).toJson());
                try {
                    rotator.changePassword(config.endpoint(), login, target, newPassword);
                } catch (RotationException e) {
                    String reason =
                            scrub(e.getMessage(), newPassword, login.accountPassword(), current.accountPassword());
                    secrets.mutate(name, (sec, vs) -> {
                        vs.remove(versionId);
                        return sec.rotationFailed(reason, now());
                    });
                    throw Errors.rotationFailed(reason);
                }
                promote(name, versionId);
                return versionId;
            } catch (RotationException e) {
                failure = scrub(e.getMessage(), newPassword, current.accountPassword());
            }
            String reason = failure;
            secrets.mutate(name, (sec, vs) -> sec.rotationFailed(reason, now()));
            throw Errors.rotationFailed(reason);
        }
    }

    /** RAMCredentials: a new AccessKey for the user becomes ACSCurrent (see the class comment). */
    private String rotateAccessKey(SecretRecord s, VersionSet versions, String requestedVersionId) {
        String name = s.secretName();
        String userName = ManagedSecretConfig.ramUserName(s.extendedConfig());
        AccessKeyIssuer issuer = accessKeys;
        String failure;
        try {
            if (issuer == null) {
                throw new RotationException("RAMCredentials secrets are not enabled on this server");
            }
            if (!issuer.userExists(userName)) {
                throw new RotationException("RAM user " + userName + " does not exist");
            }
            SecretVersionRecord currentVersion =
                    versions.holder(SecretStages.CURRENT).orElseThrow(Errors::internal);
            RamAccessKey current = RamAccessKey.parse(secrets.open(currentVersion));
            Optional<String> recovered = finishInterruptedKeyRotation(issuer, s, versions, currentVersion);
            if (recovered.isPresent()) {
                retireIfNoOverlap(name);
                return recovered.get();
            }
            List<String> keys = issuer.accessKeyIds(userName);
            if (keys.size() >= issuer.maxAccessKeysPerUser()) {
                // RAM's limit: the key this secret rotated out earlier (still in its overlap) makes room.
                Optional<String> retiring =
                        previousKeyId(versions).filter(id -> !id.equals(current.accessKeyId()) && keys.contains(id));
                if (retiring.isEmpty()) {
                    throw new RotationException("RAM user " + userName + " already has "
                            + issuer.maxAccessKeysPerUser() + " AccessKeys and none of them is this secret's"
                            + " rotated-out key; delete the AccessKey the secret does not hold (DeleteAccessKey)");
                }
                issuer.delete(retiring.get());
            }
            String versionId = requestedVersionId != null
                    ? requestedVersionId
                    : UUID.randomUUID().toString();
            String[] pair = issuer.newPair();
            storePending(
                    name, versionId, RamAccessKey.of(pair[0], pair[1], now()).toJson());
            try {
                issuer.create(userName, pair[0], pair[1]);
            } catch (RotationException e) {
                String reason = scrub(e.getMessage(), pair[1], current.accessKeySecret());
                secrets.mutate(name, (sec, vs) -> {
                    vs.remove(versionId);
                    return sec.rotationFailed(reason, now());
                });
                throw Errors.rotationFailed(reason);
            }
            promote(name, versionId);
            retireIfNoOverlap(name);
            return versionId;
        } catch (RotationException e) {
            failure = scrub(e.getMessage());
        }
        String reason = failure;
        secrets.mutate(name, (sec, vs) -> sec.rotationFailed(reason, now()));
        throw Errors.rotationFailed(reason);
    }

    /** The newest unlabelled version after ACSCurrent whose AccessKey was created is promoted (a crash left it). */
    private Optional<String> finishInterruptedKeyRotation(
            AccessKeyIssuer issuer, SecretRecord s, VersionSet versions, SecretVersionRecord currentVersion) {
        List<SecretVersionRecord> all = versions.all();
        List<SecretVersionRecord> newer = all.subList(all.indexOf(currentVersion) + 1, all.size()).stream()
                .filter(v -> v.stages().isEmpty())
                .toList();
        for (int i = newer.size() - 1; i >= 0; i--) {
            SecretVersionRecord candidate = newer.get(i);
            if (issuer.exists(RamAccessKey.parse(secrets.open(candidate)).accessKeyId())) {
                promote(s.secretName(), candidate.versionId()); // drops the other unlabelled versions too
                return Optional.of(candidate.versionId());
            }
        }
        return Optional.empty();
    }

    private Optional<String> previousKeyId(VersionSet versions) {
        return versions.holder(SecretStages.PREVIOUS)
                .map(v -> RamAccessKey.parse(secrets.open(v)).accessKeyId());
    }

    private void retireIfNoOverlap(String name) {
        if (accessKeyOverlap.isZero()) {
            retire(name, clock.instant());
        }
    }

    /**
     * Deletes the AccessKeys that RAM secrets rotated out once their overlap has passed (the maintenance job);
     * returns the deleted AccessKey IDs.
     */
    public List<String> retireDue() {
        List<String> retired = new ArrayList<>();
        if (accessKeys == null) {
            return retired;
        }
        Instant now = clock.instant();
        for (SecretRecord s : repository.list()) {
            if (s.secretType() != SecretType.RAMCredentials || s.lastRotationDate() == null) {
                continue; // never rotated: nothing rotated out (cheap: no version is opened)
            }
            try {
                synchronized (locks.computeIfAbsent(s.secretName(), k -> new Object())) {
                    retire(s.secretName(), now).ifPresent(retired::add);
                }
            } catch (KmsException | IllegalArgumentException e) {
                // the secret's key is disabled or the secret is gone: retried on the next run
            }
        }
        return retired;
    }

    /** Deletes the ACSPrevious AccessKey when ACSCurrent has been current for the overlap. */
    private Optional<String> retire(String name, Instant now) {
        VersionSet versions = new VersionSet(repository.versions(name));
        Optional<SecretVersionRecord> current = versions.holder(SecretStages.CURRENT);
        Optional<SecretVersionRecord> previous = versions.holder(SecretStages.PREVIOUS);
        if (current.isEmpty()
                || previous.isEmpty()
                || current.get().creationDate().plus(accessKeyOverlap).isAfter(now)) {
            return Optional.empty();
        }
        String old = RamAccessKey.parse(secrets.open(previous.get())).accessKeyId();
        String live = RamAccessKey.parse(secrets.open(current.get())).accessKeyId();
        if (old.equals(live) || !accessKeys.exists(old)) {
            return Optional.empty();
        }
        accessKeys.delete(old);
        return Optional.of(old);
    }

    private SecretRotator rotatorFor(ManagedSecretConfig config) throws RotationException {
        String scheme = config.scheme();
        for (SecretRotator r : rotators) {
            if (r.schemes().contains(scheme)) {
                return r;
            }
        }
        throw new RotationException("no rotator for endpoint scheme '" + scheme
                + "' (expected postgresql://, mysql://, " + "mariadb:// or redis:// in DBInstanceId/InstanceId)");
    }

    private ManagedAccount login(ManagedSecretConfig config, ManagedAccount current) throws RotationException {
        if (config.masterSecretName().isEmpty()) {
            if (config.dualAccount()) {
                throw new RotationException("DoubleUsers rotation needs MasterSecretName in ExtendedConfig");
            }
            return current;
        }
        try {
            return secrets.masterAccount(config.masterSecretName());
        } catch (KmsException | IllegalArgumentException e) {
            throw new RotationException("master secret " + config.masterSecretName()
                    + " is not readable as an account: "
                    + (e instanceof KmsException k ? k.code() : "not {\"AccountName\",\"AccountPassword\"} JSON"));
        }
    }

    /** Step (1): the new value is durable before the server is asked to change anything. */
    private void storePending(String name, String versionId, String value) {
        secrets.mutate(name, (s, versions) -> {
            versions.add(new SecretVersionRecord(
                    name,
                    versionId,
                    now(),
                    "text",
                    envelopes.seal(s.encryptionKeyId(), name, versionId, value),
                    Set.of()));
            return s.touched(now());
        });
    }

    /** Step (3): the new version becomes ACSCurrent, the old current ACSPrevious; nothing unlabelled is kept. */
    private void promote(String name, String versionId) {
        secrets.mutate(name, (s, versions) -> {
            versions.attach(SecretStages.CURRENT, versionId);
            for (SecretVersionRecord v : versions.all()) {
                if (v.stages().isEmpty()) {
                    versions.remove(v.versionId());
                }
            }
            return s.rotated(now());
        });
    }

    /**
     * A crash between changing the password and moving the labels leaves the new value unlabelled. For a
     * single account the current credentials then fail; if the newest unlabelled version's work, promote it.
     */
    private Optional<String> finishInterruptedRotation(
            SecretRotator rotator,
            ManagedSecretConfig config,
            SecretRecord s,
            VersionSet versions,
            SecretVersionRecord currentVersion,
            ManagedAccount current) {
        List<SecretVersionRecord> all = versions.all();
        int currentIndex = all.indexOf(currentVersion);
        List<SecretVersionRecord> newer = all.subList(currentIndex + 1, all.size()).stream()
                .filter(v -> v.stages().isEmpty())
                .toList();
        if (newer.isEmpty() || config.dualAccount() || rotator.canLogIn(config.endpoint(), current)) {
            return Optional.empty();
        }
        SecretVersionRecord candidate = newer.get(newer.size() - 1);
        ManagedAccount pending = ManagedAccount.parse(secrets.open(candidate));
        if (!rotator.canLogIn(config.endpoint(), pending)) {
            return Optional.empty();
        }
        promote(s.secretName(), candidate.versionId());
        return Optional.of(candidate.versionId());
    }

    /** Belt and braces: a driver message must never carry a password into an error, DescribeSecret or the audit log. */
    static String scrub(String message, String... secrets) {
        String out = message == null ? "unknown error" : message;
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                out = out.replace(s, "******");
            }
        }
        return out.length() > 500 ? out.substring(0, 500) : out;
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }
}
