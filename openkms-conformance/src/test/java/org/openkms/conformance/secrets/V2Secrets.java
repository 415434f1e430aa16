package org.openkms.conformance.secrets;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.CreateSecretResponseBody;
import com.aliyun.kms20160120.models.DeleteSecretRequest;
import com.aliyun.kms20160120.models.DescribeSecretRequest;
import com.aliyun.kms20160120.models.DescribeSecretResponseBody;
import com.aliyun.kms20160120.models.DisableKeyRequest;
import com.aliyun.kms20160120.models.EnableKeyRequest;
import com.aliyun.kms20160120.models.GetRandomPasswordRequest;
import com.aliyun.kms20160120.models.GetSecretValueRequest;
import com.aliyun.kms20160120.models.GetSecretValueResponseBody;
import com.aliyun.kms20160120.models.ListSecretVersionIdsRequest;
import com.aliyun.kms20160120.models.ListSecretVersionIdsResponseBody;
import com.aliyun.kms20160120.models.ListSecretsRequest;
import com.aliyun.kms20160120.models.ListSecretsResponseBody;
import com.aliyun.kms20160120.models.PutSecretValueRequest;
import com.aliyun.kms20160120.models.PutSecretValueResponseBody;
import com.aliyun.kms20160120.models.RestoreSecretRequest;
import com.aliyun.kms20160120.models.RotateSecretRequest;
import com.aliyun.kms20160120.models.RotateSecretResponseBody;
import com.aliyun.kms20160120.models.UpdateSecretRequest;
import com.aliyun.kms20160120.models.UpdateSecretRotationPolicyRequest;
import com.aliyun.kms20160120.models.UpdateSecretVersionStageRequest;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openkms.conformance.V2Api;

/** {@link SecretsSdk} through the V2 SDK {@code com.aliyun:kms20160120}, in one of the harness's configurations. */
final class V2Secrets implements SecretsSdk {
    private final V2Api api;
    private final Client client;

    V2Secrets(V2Api api) {
        this.api = api;
        this.client = api.client();
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
        CreateSecretRequest r = new CreateSecretRequest()
                .setSecretName(name)
                .setVersionId(versionId)
                .setSecretData(data)
                .setSecretDataType(dataType)
                .setSecretType(type)
                .setEncryptionKeyId(encryptionKeyId)
                .setTags(tags)
                .setEnableAutomaticRotation(rotate)
                .setRotationInterval(interval);
        if (extendedConfig != null) {
            r.setExtendedConfig(json(extendedConfig));
        }
        CreateSecretResponseBody b = call(() -> client.createSecret(r).getBody());
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
        GetSecretValueResponseBody b = call(() -> client.getSecretValue(new GetSecretValueRequest()
                        .setSecretName(name)
                        .setVersionId(versionId)
                        .setVersionStage(stage)
                        .setFetchExtendedConfig(fetchExtendedConfig))
                .getBody());
        return new Value(
                b.getSecretName(),
                b.getSecretType(),
                b.getSecretData(),
                b.getSecretDataType(),
                b.getVersionId(),
                b.getVersionStages() == null ? null : b.getVersionStages().getVersionStage(),
                b.getCreateTime(),
                b.getAutomaticRotation(),
                b.getRotationInterval(),
                b.getNextRotationDate(),
                b.getLastRotationDate(),
                b.getExtendedConfig());
    }

    @Override
    public Put putSecretValue(String name, String versionId, String data, String stagesJson) {
        PutSecretValueResponseBody b = call(() -> client.putSecretValue(new PutSecretValueRequest()
                        .setSecretName(name)
                        .setVersionId(versionId)
                        .setSecretData(data)
                        .setVersionStages(stagesJson))
                .getBody());
        return new Put(
                b.getSecretName(),
                b.getVersionId(),
                b.getVersionStages() == null ? null : b.getVersionStages().getVersionStage());
    }

    @Override
    public void updateSecretVersionStage(String name, String stage, String removeFrom, String moveTo) {
        call(() -> client.updateSecretVersionStage(new UpdateSecretVersionStageRequest()
                .setSecretName(name)
                .setVersionStage(stage)
                .setRemoveFromVersion(removeFrom)
                .setMoveToVersion(moveTo)));
    }

    @Override
    public Versions listSecretVersionIds(String name, Boolean includeDeprecated) {
        ListSecretVersionIdsResponseBody b = call(() -> client.listSecretVersionIds(new ListSecretVersionIdsRequest()
                        .setSecretName(name)
                        .setIncludeDeprecated(includeDeprecated == null ? null : includeDeprecated.toString()))
                .getBody());
        List<Version> out = new ArrayList<>();
        b.getVersionIds()
                .getVersionId()
                .forEach(v -> out.add(new Version(
                        v.getVersionId(),
                        v.getCreateTime(),
                        v.getVersionStages() == null
                                ? null
                                : v.getVersionStages().getVersionStage())));
        return new Versions(b.getSecretName(), out, b.getPageNumber(), b.getPageSize(), b.getTotalCount());
    }

    @Override
    public Described describeSecret(String name, Boolean fetchTags) {
        DescribeSecretResponseBody b = call(() -> client.describeSecret(new DescribeSecretRequest()
                        .setSecretName(name)
                        .setFetchTags(fetchTags == null ? null : fetchTags.toString()))
                .getBody());
        List<String> tagKeys = b.getTags() == null
                ? null
                : b.getTags().getTag().stream().map(t -> t.getTagKey()).toList();
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
        ListSecretsResponseBody b = call(() -> client.listSecrets(new ListSecretsRequest()
                        .setFilters(filtersJson)
                        .setPageNumber(pageNumber)
                        .setPageSize(pageSize))
                .getBody());
        return new Listed(
                b.getSecretList().getSecret().stream()
                        .map(s -> s.getSecretName())
                        .toList(),
                b.getPageNumber(),
                b.getPageSize(),
                b.getTotalCount());
    }

    @Override
    public void updateSecret(String name, String description, String customDataJson) {
        UpdateSecretRequest r = new UpdateSecretRequest().setSecretName(name).setDescription(description);
        if (customDataJson != null) {
            r.setExtendedConfig(
                    new UpdateSecretRequest.UpdateSecretRequestExtendedConfig().setCustomData(json(customDataJson)));
        }
        call(() -> client.updateSecret(r));
    }

    @Override
    public void updateSecretRotationPolicy(String name, Boolean enable, String interval) {
        call(() -> client.updateSecretRotationPolicy(new UpdateSecretRotationPolicyRequest()
                .setSecretName(name)
                .setEnableAutomaticRotation(enable)
                .setRotationInterval(interval)));
    }

    @Override
    public Rotated rotateSecret(String name, String versionId) {
        RotateSecretResponseBody b = call(() -> client.rotateSecret(
                        new RotateSecretRequest().setSecretName(name).setVersionId(versionId))
                .getBody());
        return new Rotated(b.getArn(), b.getSecretName(), b.getVersionId());
    }

    @Override
    public String deleteSecret(String name, String recoveryWindowInDays, String force) {
        return call(() -> client.deleteSecret(new DeleteSecretRequest()
                        .setSecretName(name)
                        .setRecoveryWindowInDays(recoveryWindowInDays)
                        .setForceDeleteWithoutRecovery(force))
                .getBody()
                .getPlannedDeleteTime());
    }

    @Override
    public void restoreSecret(String name) {
        call(() -> client.restoreSecret(new RestoreSecretRequest().setSecretName(name)));
    }

    @Override
    public String getRandomPassword(
            String length, String excludeCharacters, String excludeNumbers, String requireEach) {
        return call(() -> client.getRandomPassword(new GetRandomPasswordRequest()
                        .setPasswordLength(length)
                        .setExcludeCharacters(excludeCharacters)
                        .setExcludeNumbers(excludeNumbers)
                        .setRequireEachIncludedType(requireEach))
                .getBody()
                .getRandomPassword());
    }

    @Override
    public String newKey() {
        return call(() -> client.createKey(new CreateKeyRequest())
                .getBody()
                .getKeyMetadata()
                .getKeyId());
    }

    @Override
    public void disableKey(String keyId) {
        call(() -> client.disableKey(new DisableKeyRequest().setKeyId(keyId)));
    }

    @Override
    public void enableKey(String keyId) {
        call(() -> client.enableKey(new EnableKeyRequest().setKeyId(keyId)));
    }

    private static Map<String, Object> json(String s) {
        try {
            return new ObjectMapper().readValue(s, new TypeReference<Map<String, Object>>() {});
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One SDK call; an error answer becomes the harness's ApiException (code, HTTP status, RequestId). */
    private <T> T call(Callable<T> c) {
        return api.call(c);
    }
}
