package org.openkms.core.secret;

import java.util.Map;

/**
 * CreateSecret after wire parsing. Null optional fields mean "not given"; {@code dkmsInstanceId} is the KMS instance
 * that is to hold the secret (an instance the caller has checked exists), null for none.
 */
public record CreateSecretRequest(
        String secretName,
        String versionId,
        String secretData,
        String secretDataType,
        SecretType secretType,
        String description,
        String encryptionKeyId,
        String extendedConfig,
        boolean enableAutomaticRotation,
        long rotationIntervalSeconds,
        Map<String, String> tags,
        String dkmsInstanceId) {

    /** A secret of no KMS instance. */
    public CreateSecretRequest(
            String secretName,
            String versionId,
            String secretData,
            String secretDataType,
            SecretType secretType,
            String description,
            String encryptionKeyId,
            String extendedConfig,
            boolean enableAutomaticRotation,
            long rotationIntervalSeconds,
            Map<String, String> tags) {
        this(
                secretName,
                versionId,
                secretData,
                secretDataType,
                secretType,
                description,
                encryptionKeyId,
                extendedConfig,
                enableAutomaticRotation,
                rotationIntervalSeconds,
                tags,
                null);
    }

    @Override
    public String toString() { // never print SecretData
        return "CreateSecretRequest[" + secretName + "/" + versionId + "]";
    }
}
