package org.openkms.core.key;

import java.time.Instant;

/**
 * A key as stored: metadata only, never material (that lives in {@link KeyVersionRecord}, sealed).
 * {@code revision} increases on every update so concurrent writers (threads or nodes) detect conflicts.
 * Rotation: {@code rotationIntervalSeconds == 0} means automatic rotation is off. {@code dkmsInstanceId} is the KMS
 * instance that holds the key (CreateKey's DKMSInstanceId), or null for a default key, which belongs to no instance
 * and is usable on the shared gateway only.
 */
public record KeyRecord(
        String keyId,
        String description,
        KeySpec keySpec,
        KeyUsage keyUsage,
        Origin origin,
        String protectionLevel,
        KeyState state,
        Instant creationDate,
        Instant deleteDate,
        String primaryKeyVersion,
        long rotationIntervalSeconds,
        Instant lastRotationDate,
        boolean deletionProtection,
        String deletionProtectionDescription,
        String creator,
        Instant materialExpireTime,
        String dkmsInstanceId,
        long revision) {

    /** Whether the key belongs to the KMS instance {@code instanceId} (a default key belongs to none). */
    public boolean inInstance(String instanceId) {
        return dkmsInstanceId != null && dkmsInstanceId.equals(instanceId);
    }

    public boolean automaticRotation() {
        return rotationIntervalSeconds > 0;
    }

    /** AutomaticRotation as DescribeKey reports it: Suspended while the key is not Enabled. */
    public String automaticRotationStatus() {
        if (!automaticRotation()) {
            return "Disabled";
        }
        return state == KeyState.Enabled ? "Enabled" : "Suspended";
    }

    public Instant nextRotationDate() {
        return automaticRotation() && lastRotationDate != null
                ? lastRotationDate.plusSeconds(rotationIntervalSeconds)
                : null;
    }

    public KeyRecord withState(KeyState newState, Instant newDeleteDate) {
        return new KeyRecord(
                keyId,
                description,
                keySpec,
                keyUsage,
                origin,
                protectionLevel,
                newState,
                creationDate,
                newDeleteDate,
                primaryKeyVersion,
                rotationIntervalSeconds,
                lastRotationDate,
                deletionProtection,
                deletionProtectionDescription,
                creator,
                materialExpireTime,
                dkmsInstanceId,
                revision + 1);
    }

    public KeyRecord withDescription(String newDescription) {
        return new KeyRecord(
                keyId,
                newDescription,
                keySpec,
                keyUsage,
                origin,
                protectionLevel,
                state,
                creationDate,
                deleteDate,
                primaryKeyVersion,
                rotationIntervalSeconds,
                lastRotationDate,
                deletionProtection,
                deletionProtectionDescription,
                creator,
                materialExpireTime,
                dkmsInstanceId,
                revision + 1);
    }

    public KeyRecord withDeletionProtection(boolean enabled, String protectionDescription) {
        return new KeyRecord(
                keyId,
                description,
                keySpec,
                keyUsage,
                origin,
                protectionLevel,
                state,
                creationDate,
                deleteDate,
                primaryKeyVersion,
                rotationIntervalSeconds,
                lastRotationDate,
                enabled,
                protectionDescription,
                creator,
                materialExpireTime,
                dkmsInstanceId,
                revision + 1);
    }

    public KeyRecord withRotationInterval(long seconds) {
        return new KeyRecord(
                keyId,
                description,
                keySpec,
                keyUsage,
                origin,
                protectionLevel,
                state,
                creationDate,
                deleteDate,
                primaryKeyVersion,
                seconds,
                lastRotationDate,
                deletionProtection,
                deletionProtectionDescription,
                creator,
                materialExpireTime,
                dkmsInstanceId,
                revision + 1);
    }

    /** ImportKeyMaterial / DeleteKeyMaterial / material expiry: primary version (null = no material), state, expiry. */
    public KeyRecord withImportedMaterial(String versionId, KeyState newState, Instant expireTime, Instant importedAt) {
        return new KeyRecord(
                keyId,
                description,
                keySpec,
                keyUsage,
                origin,
                protectionLevel,
                newState,
                creationDate,
                deleteDate,
                versionId,
                rotationIntervalSeconds,
                versionId == null ? lastRotationDate : importedAt,
                deletionProtection,
                deletionProtectionDescription,
                creator,
                expireTime,
                dkmsInstanceId,
                revision + 1);
    }

    public KeyRecord withPrimaryVersion(String versionId, Instant rotatedAt) {
        return new KeyRecord(
                keyId,
                description,
                keySpec,
                keyUsage,
                origin,
                protectionLevel,
                state,
                creationDate,
                deleteDate,
                versionId,
                rotationIntervalSeconds,
                rotatedAt,
                deletionProtection,
                deletionProtectionDescription,
                creator,
                materialExpireTime,
                dkmsInstanceId,
                revision + 1);
    }
}
