package org.openkms.conformance;

import java.util.List;
import java.util.Map;

/**
 * The KMS operations under test, seen through one official SDK configuration. Each implementation
 * ({@link V2Api}: {@code com.aliyun:kms20160120}; {@link V1Api}: {@code aliyun-java-sdk-kms}) makes exactly one
 * SDK call per method and copies the SDK's typed response fields into the records below, so a field the server
 * names wrongly shows up as {@code null}. Failures surface as {@link ApiException} with the code and HTTP status the
 * SDK reported. {@code null} arguments are left out of the request (both SDKs skip null parameters), which is how the
 * MissingParameter paths are exercised.
 */
public interface KmsApi {

    /** Display name: SDK / signature / transport. */
    String name();

    // ---- key lifecycle -------------------------------------------------------------------------------------

    KeyMeta createKey(CreateKey request);

    KeyMeta describeKey(String keyId);

    Page<KeyRef> listKeys(Integer pageNumber, Integer pageSize, String filtersJson);

    void updateKeyDescription(String keyId, String description);

    void enableKey(String keyId);

    void disableKey(String keyId);

    void scheduleKeyDeletion(String keyId, Integer pendingWindowInDays);

    void cancelKeyDeletion(String keyId);

    void setDeletionProtection(String protectedResourceArn, Boolean enable, String description);

    void updateRotationPolicy(String keyId, Boolean enable, String rotationInterval);

    KeyVersion createKeyVersion(String keyId);

    KeyVersion describeKeyVersion(String keyId, String keyVersionId);

    Page<KeyVersion> listKeyVersions(String keyId, Integer pageNumber, Integer pageSize);

    // ---- aliases -------------------------------------------------------------------------------------------

    void createAlias(String aliasName, String keyId);

    void updateAlias(String aliasName, String keyId);

    void deleteAlias(String aliasName);

    Page<Alias> listAliases(Integer pageNumber, Integer pageSize);

    Page<Alias> listAliasesByKeyId(String keyId, Integer pageNumber, Integer pageSize);

    // ---- tags ----------------------------------------------------------------------------------------------

    void tagResource(String keyId, String tagsJson);

    void untagResource(String keyId, String tagKeysJson);

    List<Tag> listResourceTags(String keyId);

    void tagResources(String resourceType, List<String> resourceIds, Map<String, String> tags);

    void untagResources(String resourceType, List<String> resourceIds, List<String> tagKeys, Boolean all);

    TagPage listTagResources(
            String resourceType, List<String> resourceIds, Map<String, String> tagFilter, String nextToken);

    // ---- account -------------------------------------------------------------------------------------------

    List<String> describeRegions();

    String describeAccountKmsStatus();

    void openKmsService();

    // ---- cryptography --------------------------------------------------------------------------------------

    Encrypted encrypt(String keyId, String plaintextBase64, Map<String, String> context, String dryRun);

    Decrypted decrypt(String ciphertextBlob, Map<String, String> context, String dryRun);

    DataKey generateDataKey(
            String keyId, String keySpec, Integer numberOfBytes, Map<String, String> context, String dryRun);

    DataKey generateDataKeyWithoutPlaintext(
            String keyId, String keySpec, Integer numberOfBytes, Map<String, String> context, String dryRun);

    Encrypted reEncrypt(
            String ciphertextBlob,
            Map<String, String> sourceContext,
            String destinationKeyId,
            Map<String, String> destinationContext,
            String dryRun);

    // ---- convenience ---------------------------------------------------------------------------------------

    default Encrypted encrypt(String keyId, String plaintextBase64) {
        return encrypt(keyId, plaintextBase64, null, null);
    }

    default Encrypted encrypt(String keyId, String plaintextBase64, Map<String, String> context) {
        return encrypt(keyId, plaintextBase64, context, null);
    }

    default Decrypted decrypt(String ciphertextBlob) {
        return decrypt(ciphertextBlob, null, null);
    }

    default Decrypted decrypt(String ciphertextBlob, Map<String, String> context) {
        return decrypt(ciphertextBlob, context, null);
    }

    /** A new default key (Aliyun_AES_256), created through this SDK. */
    default String newKey() {
        return createKey(new CreateKey().description("conformance")).keyId();
    }

    // ---- request and response shapes ----------------------------------------------------------------------

    /** CreateKey parameters; unset fields are not sent. */
    final class CreateKey {
        String description;
        String keySpec;
        String keyUsage;
        String origin;
        String protectionLevel;
        Boolean enableAutomaticRotation;
        String rotationInterval;
        String tags;

        public CreateKey description(String v) {
            description = v;
            return this;
        }

        public CreateKey keySpec(String v) {
            keySpec = v;
            return this;
        }

        public CreateKey keyUsage(String v) {
            keyUsage = v;
            return this;
        }

        public CreateKey origin(String v) {
            origin = v;
            return this;
        }

        public CreateKey protectionLevel(String v) {
            protectionLevel = v;
            return this;
        }

        public CreateKey rotation(Boolean enable, String interval) {
            enableAutomaticRotation = enable;
            rotationInterval = interval;
            return this;
        }

        public CreateKey tags(String json) {
            tags = json;
            return this;
        }
    }

    /**
     * KeyMetadata of CreateKey / DescribeKey. {@code deletionProtection*} are only in DescribeKey (null from
     * CreateKey).
     */
    record KeyMeta(
            String keyId,
            String arn,
            String description,
            String keySpec,
            String keyUsage,
            String keyState,
            String origin,
            String protectionLevel,
            String creationDate,
            String creator,
            String deleteDate,
            String materialExpireTime,
            String primaryKeyVersion,
            String lastRotationDate,
            String automaticRotation,
            String rotationInterval,
            String nextRotationDate,
            String deletionProtection,
            String deletionProtectionDescription) {}

    record KeyRef(String keyId, String keyArn) {}

    record KeyVersion(String keyId, String keyVersionId, String creationDate) {}

    record Alias(String aliasName, String aliasArn, String keyId) {}

    record Tag(String keyId, String tagKey, String tagValue) {}

    record TagResource(String resourceId, String resourceType, String tagKey, String tagValue) {}

    record TagPage(List<TagResource> rows, String nextToken) {}

    /** One page of a PageNumber/PageSize list; the three counters stay null when the response lacks them. */
    record Page<T>(List<T> items, Integer pageNumber, Integer pageSize, Integer totalCount) {}

    record Encrypted(String ciphertextBlob, String keyId, String keyVersionId) {}

    record Decrypted(String plaintext, String keyId, String keyVersionId) {}

    /** GenerateDataKey(WithoutPlaintext); {@code plaintext} is null for the latter. */
    record DataKey(String plaintext, String ciphertextBlob, String keyId, String keyVersionId) {}
}
