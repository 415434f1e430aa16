package org.openkms.core.secret;

import java.time.Instant;

/**
 * A secret as stored: metadata only; values live encrypted in {@link SecretVersionRecord}s.
 * {@code revision} increases on every write so concurrent writers detect conflicts (as for keys).
 *
 * <p>Rotation: {@code rotationIntervalSeconds > 0} with {@code automaticRotation} means scheduled rotation.
 * {@code rotationFailure} is the reason the last rotation attempt failed (null after a success); it never
 * contains a secret value, only what went wrong.
 *
 * <p>{@code dkmsInstanceId} is the KMS instance that holds the secret (CreateSecret's DKMSInstanceId), or null for a
 * secret of no instance, which is usable on the shared gateway only.
 */
public record SecretRecord(
        String secretName,
        SecretType secretType,
        String description,
        String encryptionKeyId,
        String extendedConfig,
        boolean automaticRotation,
        long rotationIntervalSeconds,
        Instant lastRotationDate,
        Instant creationDate,
        Instant updateDate,
        Instant plannedDeleteTime,
        String rotationFailure,
        Instant rotationFailureDate,
        String creator,
        String dkmsInstanceId,
        long revision) {

    /** Whether the secret belongs to the KMS instance {@code instanceId}. */
    public boolean inInstance(String instanceId) {
        return dkmsInstanceId != null && dkmsInstanceId.equals(instanceId);
    }

    public boolean pendingDeletion() {
        return plannedDeleteTime != null;
    }

    /**
     * Enabled, Disabled, or Invalid when rotation is on but its last attempt failed (DescribeSecret's
     * AutomaticRotation,
     * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-describesecret).
     */
    public String automaticRotationStatus() {
        if (!automaticRotation) {
            return "Disabled";
        }
        return rotationFailure != null ? "Invalid" : "Enabled";
    }

    /** First automatic rotation = last rotation (or creation) + interval. */
    public Instant nextRotationDate() {
        if (!automaticRotation) {
            return null;
        }
        Instant base = lastRotationDate != null ? lastRotationDate : creationDate;
        return base.plusSeconds(rotationIntervalSeconds);
    }

    public SecretRecord withDescription(String d, Instant now) {
        return new SecretRecord(
                secretName,
                secretType,
                d,
                encryptionKeyId,
                extendedConfig,
                automaticRotation,
                rotationIntervalSeconds,
                lastRotationDate,
                creationDate,
                now,
                plannedDeleteTime,
                rotationFailure,
                rotationFailureDate,
                creator,
                dkmsInstanceId,
                revision + 1);
    }

    public SecretRecord withExtendedConfig(String config, Instant now) {
        return new SecretRecord(
                secretName,
                secretType,
                description,
                encryptionKeyId,
                config,
                automaticRotation,
                rotationIntervalSeconds,
                lastRotationDate,
                creationDate,
                now,
                plannedDeleteTime,
                rotationFailure,
                rotationFailureDate,
                creator,
                dkmsInstanceId,
                revision + 1);
    }

    public SecretRecord withRotationPolicy(boolean enabled, long seconds, Instant now) {
        return new SecretRecord(
                secretName,
                secretType,
                description,
                encryptionKeyId,
                extendedConfig,
                enabled,
                seconds,
                lastRotationDate,
                creationDate,
                now,
                plannedDeleteTime,
                rotationFailure,
                rotationFailureDate,
                creator,
                dkmsInstanceId,
                revision + 1);
    }

    public SecretRecord withPlannedDeleteTime(Instant t, Instant now) {
        return new SecretRecord(
                secretName,
                secretType,
                description,
                encryptionKeyId,
                extendedConfig,
                automaticRotation,
                rotationIntervalSeconds,
                lastRotationDate,
                creationDate,
                now,
                t,
                rotationFailure,
                rotationFailureDate,
                creator,
                dkmsInstanceId,
                revision + 1);
    }

    /** A new version was written (PutSecretValue, stage moves): only UpdateTime changes. */
    public SecretRecord touched(Instant now) {
        return new SecretRecord(
                secretName,
                secretType,
                description,
                encryptionKeyId,
                extendedConfig,
                automaticRotation,
                rotationIntervalSeconds,
                lastRotationDate,
                creationDate,
                now,
                plannedDeleteTime,
                rotationFailure,
                rotationFailureDate,
                creator,
                dkmsInstanceId,
                revision + 1);
    }

    public SecretRecord rotated(Instant now) {
        return new SecretRecord(
                secretName,
                secretType,
                description,
                encryptionKeyId,
                extendedConfig,
                automaticRotation,
                rotationIntervalSeconds,
                now,
                creationDate,
                now,
                plannedDeleteTime,
                null,
                null,
                creator,
                dkmsInstanceId,
                revision + 1);
    }

    public SecretRecord rotationFailed(String reason, Instant now) {
        return new SecretRecord(
                secretName,
                secretType,
                description,
                encryptionKeyId,
                extendedConfig,
                automaticRotation,
                rotationIntervalSeconds,
                lastRotationDate,
                creationDate,
                updateDate,
                plannedDeleteTime,
                reason,
                now,
                creator,
                dkmsInstanceId,
                revision + 1);
    }
}
