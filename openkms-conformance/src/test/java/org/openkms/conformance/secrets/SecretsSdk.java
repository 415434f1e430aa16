package org.openkms.conformance.secrets;

import java.util.List;

/**
 * The secrets operations through one official SDK. Each method makes exactly one SDK call and copies the SDK's
 * typed response fields into the records below, so a field the server names wrongly shows up as null. Failures
 * surface as the harness's {@link org.openkms.conformance.ApiException}. Null arguments are not sent.
 */
interface SecretsSdk {
    String name();

    Created createSecret(
            String name,
            String versionId,
            String data,
            String dataType,
            String type,
            String extendedConfig,
            String encryptionKeyId,
            String tags,
            Boolean rotate,
            String interval);

    Value getSecretValue(String name, String versionId, String stage, Boolean fetchExtendedConfig);

    Put putSecretValue(String name, String versionId, String data, String stagesJson);

    void updateSecretVersionStage(String name, String stage, String removeFrom, String moveTo);

    Versions listSecretVersionIds(String name, Boolean includeDeprecated);

    Described describeSecret(String name, Boolean fetchTags);

    Listed listSecrets(String filtersJson, Integer pageNumber, Integer pageSize);

    void updateSecret(String name, String description, String customDataJson);

    void updateSecretRotationPolicy(String name, Boolean enable, String interval);

    Rotated rotateSecret(String name, String versionId);

    String deleteSecret(String name, String recoveryWindowInDays, String force);

    void restoreSecret(String name);

    String getRandomPassword(String length, String excludeCharacters, String excludeNumbers, String requireEach);

    String newKey();

    void disableKey(String keyId);

    void enableKey(String keyId);

    record Created(
            String arn,
            String secretName,
            String versionId,
            String secretType,
            String automaticRotation,
            String rotationInterval,
            String nextRotationDate,
            String extendedConfig) {}

    record Value(
            String secretName,
            String secretType,
            String secretData,
            String secretDataType,
            String versionId,
            List<String> versionStages,
            String createTime,
            String automaticRotation,
            String rotationInterval,
            String nextRotationDate,
            String lastRotationDate,
            String extendedConfig) {}

    record Put(String secretName, String versionId, List<String> versionStages) {}

    record Version(String versionId, String createTime, List<String> versionStages) {}

    record Versions(
            String secretName, List<Version> versions, Integer pageNumber, Integer pageSize, Integer totalCount) {}

    record Described(
            String secretName,
            String arn,
            String secretType,
            String description,
            String encryptionKeyId,
            String createTime,
            String updateTime,
            String plannedDeleteTime,
            String automaticRotation,
            String rotationInterval,
            String nextRotationDate,
            String lastRotationDate,
            String extendedConfig,
            List<String> tagKeys) {}

    record Listed(List<String> names, Integer pageNumber, Integer pageSize, Integer totalCount) {}

    record Rotated(String arn, String secretName, String versionId) {}
}
