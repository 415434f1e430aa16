package org.openkms.core.secret;

import java.util.Map;

/** CreateSecret after wire parsing. Null optional fields mean "not given". */
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
        Map<String, String> tags) {

    @Override
    public String toString() { // never print SecretData
        return "CreateSecretRequest[" + secretName + "/" + versionId + "]";
    }
}
