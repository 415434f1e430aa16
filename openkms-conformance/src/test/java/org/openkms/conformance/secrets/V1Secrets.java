package org.openkms.conformance.secrets;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.kms.model.v20160120.CreateKeyRequest;
import com.aliyuncs.kms.model.v20160120.CreateSecretRequest;
import com.aliyuncs.kms.model.v20160120.CreateSecretResponse;
import com.aliyuncs.kms.model.v20160120.DeleteSecretRequest;
import com.aliyuncs.kms.model.v20160120.DescribeSecretRequest;
import com.aliyuncs.kms.model.v20160120.DescribeSecretResponse;
import com.aliyuncs.kms.model.v20160120.DisableKeyRequest;
import com.aliyuncs.kms.model.v20160120.EnableKeyRequest;
import com.aliyuncs.kms.model.v20160120.GetRandomPasswordRequest;
import com.aliyuncs.kms.model.v20160120.GetSecretValueRequest;
import com.aliyuncs.kms.model.v20160120.GetSecretValueResponse;
import com.aliyuncs.kms.model.v20160120.ListSecretVersionIdsRequest;
import com.aliyuncs.kms.model.v20160120.ListSecretVersionIdsResponse;
import com.aliyuncs.kms.model.v20160120.ListSecretsRequest;
import com.aliyuncs.kms.model.v20160120.ListSecretsResponse;
import com.aliyuncs.kms.model.v20160120.PutSecretValueRequest;
import com.aliyuncs.kms.model.v20160120.PutSecretValueResponse;
import com.aliyuncs.kms.model.v20160120.RestoreSecretRequest;
import com.aliyuncs.kms.model.v20160120.RotateSecretRequest;
import com.aliyuncs.kms.model.v20160120.RotateSecretResponse;
import com.aliyuncs.kms.model.v20160120.UpdateSecretRequest;
import com.aliyuncs.kms.model.v20160120.UpdateSecretRotationPolicyRequest;
import com.aliyuncs.kms.model.v20160120.UpdateSecretVersionStageRequest;
import java.util.ArrayList;
import java.util.List;
import org.openkms.conformance.V1Api;

/** {@link SecretsSdk} through the V1 SDK {@code aliyun-java-sdk-kms}, in one of the harness's configurations. */
final class V1Secrets implements SecretsSdk {
    private final V1Api api;

    V1Secrets(V1Api api) {
        this.api = api;
    }

    @Override
    public String name() {
        return api.name();
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public Created createSecret(
            String name,
            String versionId,
            String data,
            String dataType,
            String type,
            String extendedConfig,
            String encryptionKeyId,
            String tags,
            Boolean rotate,
            String interval) {
        CreateSecretRequest r = new CreateSecretRequest();
        r.setSecretName(name);
        r.setVersionId(versionId);
        r.setSecretData(data);
        r.setSecretDataType(dataType);
        r.setSecretType(type);
        r.setExtendedConfig(extendedConfig);
        r.setEncryptionKeyId(encryptionKeyId);
        r.setTags(tags);
        r.setEnableAutomaticRotation(rotate);
        r.setRotationInterval(interval);
        CreateSecretResponse b = call(r);
        return new Created(
                b.getArn(),
                b.getSecretName(),
                b.getVersionId(),
                b.getSecretType(),
                b.getAutomaticRotation(),
                b.getRotationInterval(),
                b.getNextRotationDate(),
                b.getExtendedConfig());
    }

    @Override
    public Value getSecretValue(String name, String versionId, String stage, Boolean fetchExtendedConfig) {
        GetSecretValueRequest r = new GetSecretValueRequest();
        r.setSecretName(name);
        r.setVersionId(versionId);
        r.setVersionStage(stage);
        r.setFetchExtendedConfig(fetchExtendedConfig);
        GetSecretValueResponse b = call(r);
        return new Value(
                b.getSecretName(),
                b.getSecretType(),
                b.getSecretData(),
                b.getSecretDataType(),
                b.getVersionId(),
                b.getVersionStages(),
                b.getCreateTime(),
                b.getAutomaticRotation(),
                b.getRotationInterval(),
                b.getNextRotationDate(),
                b.getLastRotationDate(),
                b.getExtendedConfig());
    }

    @Override
    public Put putSecretValue(String name, String versionId, String data, String stagesJson) {
        PutSecretValueRequest r = new PutSecretValueRequest();
        r.setSecretName(name);
        r.setVersionId(versionId);
        r.setSecretData(data);
        r.setVersionStages(stagesJson);
        PutSecretValueResponse b = call(r);
        return new Put(b.getSecretName(), b.getVersionId(), b.getVersionStages());
    }

    @Override
    public void updateSecretVersionStage(String name, String stage, String removeFrom, String moveTo) {
        UpdateSecretVersionStageRequest r = new UpdateSecretVersionStageRequest();
        r.setSecretName(name);
        r.setVersionStage(stage);
        r.setRemoveFromVersion(removeFrom);
        r.setMoveToVersion(moveTo);
        call(r);
    }

    @Override
    public Versions listSecretVersionIds(String name, Boolean includeDeprecated) {
        ListSecretVersionIdsRequest r = new ListSecretVersionIdsRequest();
        r.setSecretName(name);
        r.setIncludeDeprecated(includeDeprecated == null ? null : includeDeprecated.toString());
        ListSecretVersionIdsResponse b = call(r);
        List<Version> out = new ArrayList<>();
        b.getVersionIds().forEach(v -> out.add(new Version(v.getVersionId(), v.getCreateTime(), v.getVersionStages())));
        return new Versions(b.getSecretName(), out, b.getPageNumber(), b.getPageSize(), b.getTotalCount());
    }

    @Override
    public Described describeSecret(String name, Boolean fetchTags) {
        DescribeSecretRequest r = new DescribeSecretRequest();
        r.setSecretName(name);
        r.setFetchTags(fetchTags == null ? null : fetchTags.toString());
        DescribeSecretResponse b = call(r);
        List<String> tagKeys = b.getTags() == null
                ? null
                : b.getTags().stream().map(t -> t.getTagKey()).toList();
        return new Described(
                b.getSecretName(),
                b.getArn(),
                b.getSecretType(),
                b.getDescription(),
                b.getEncryptionKeyId(),
                b.getCreateTime(),
                b.getUpdateTime(),
                b.getPlannedDeleteTime(),
                b.getAutomaticRotation(),
                b.getRotationInterval(),
                b.getNextRotationDate(),
                b.getLastRotationDate(),
                b.getExtendedConfig(),
                tagKeys);
    }

    @Override
    public Listed listSecrets(String filtersJson, Integer pageNumber, Integer pageSize) {
        ListSecretsRequest r = new ListSecretsRequest();
        r.setFilters(filtersJson);
        r.setPageNumber(pageNumber);
        r.setPageSize(pageSize);
        ListSecretsResponse b = call(r);
        return new Listed(
                b.getSecretList().stream()
                        .map(ListSecretsResponse.Secret::getSecretName)
                        .toList(),
                b.getPageNumber(),
                b.getPageSize(),
                b.getTotalCount());
    }

    @Override
    public void updateSecret(String name, String description, String customDataJson) {
        UpdateSecretRequest r = new UpdateSecretRequest();
        r.setSecretName(name);
        r.setDescription(description);
        r.setExtendedConfigCustomData(customDataJson);
        call(r);
    }

    @Override
    public void updateSecretRotationPolicy(String name, Boolean enable, String interval) {
        UpdateSecretRotationPolicyRequest r = new UpdateSecretRotationPolicyRequest();
        r.setSecretName(name);
        r.setEnableAutomaticRotation(enable);
        r.setRotationInterval(interval);
        call(r);
    }

    @Override
    public Rotated rotateSecret(String name, String versionId) {
        RotateSecretRequest r = new RotateSecretRequest();
        r.setSecretName(name);
        r.setVersionId(versionId);
        RotateSecretResponse b = call(r);
        return new Rotated(b.getArn(), b.getSecretName(), b.getVersionId());
    }

    @Override
    public String deleteSecret(String name, String recoveryWindowInDays, String force) {
        DeleteSecretRequest r = new DeleteSecretRequest();
        r.setSecretName(name);
        r.setRecoveryWindowInDays(recoveryWindowInDays);
        r.setForceDeleteWithoutRecovery(force);
        return call(r).getPlannedDeleteTime();
    }

    @Override
    public void restoreSecret(String name) {
        RestoreSecretRequest r = new RestoreSecretRequest();
        r.setSecretName(name);
        call(r);
    }

    @Override
    public String getRandomPassword(
            String length, String excludeCharacters, String excludeNumbers, String requireEach) {
        GetRandomPasswordRequest r = new GetRandomPasswordRequest();
        r.setPasswordLength(length);
        r.setExcludeCharacters(excludeCharacters);
        r.setExcludeNumbers(excludeNumbers);
        r.setRequireEachIncludedType(requireEach);
        return call(r).getRandomPassword();
    }

    @Override
    public String newKey() {
        return call(new CreateKeyRequest()).getKeyMetadata().getKeyId();
    }

    @Override
    public void disableKey(String keyId) {
        DisableKeyRequest r = new DisableKeyRequest();
        r.setKeyId(keyId);
        call(r);
    }

    @Override
    public void enableKey(String keyId) {
        EnableKeyRequest r = new EnableKeyRequest();
        r.setKeyId(keyId);
        call(r);
    }

    /** One SDK call to the harness's endpoint; an error answer becomes its ApiException (with the HTTP status). */
    private <T extends AcsResponse> T call(AcsRequest<T> request) {
        return api.call(request);
    }
}
