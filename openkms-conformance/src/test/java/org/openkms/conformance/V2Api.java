package org.openkms.conformance;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.CancelKeyDeletionRequest;
import com.aliyun.kms20160120.models.CreateAliasRequest;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.CreateKeyVersionRequest;
import com.aliyun.kms20160120.models.DecryptRequest;
import com.aliyun.kms20160120.models.DeleteAliasRequest;
import com.aliyun.kms20160120.models.DescribeKeyRequest;
import com.aliyun.kms20160120.models.DescribeKeyVersionRequest;
import com.aliyun.kms20160120.models.DisableKeyRequest;
import com.aliyun.kms20160120.models.EnableKeyRequest;
import com.aliyun.kms20160120.models.EncryptRequest;
import com.aliyun.kms20160120.models.GenerateDataKeyRequest;
import com.aliyun.kms20160120.models.GenerateDataKeyWithoutPlaintextRequest;
import com.aliyun.kms20160120.models.ListAliasesByKeyIdRequest;
import com.aliyun.kms20160120.models.ListAliasesRequest;
import com.aliyun.kms20160120.models.ListKeyVersionsRequest;
import com.aliyun.kms20160120.models.ListKeysRequest;
import com.aliyun.kms20160120.models.ListResourceTagsRequest;
import com.aliyun.kms20160120.models.ListTagResourcesRequest;
import com.aliyun.kms20160120.models.ReEncryptRequest;
import com.aliyun.kms20160120.models.ScheduleKeyDeletionRequest;
import com.aliyun.kms20160120.models.SetDeletionProtectionRequest;
import com.aliyun.kms20160120.models.TagResourceRequest;
import com.aliyun.kms20160120.models.TagResourcesRequest;
import com.aliyun.kms20160120.models.UntagResourceRequest;
import com.aliyun.kms20160120.models.UntagResourcesRequest;
import com.aliyun.kms20160120.models.UpdateAliasRequest;
import com.aliyun.kms20160120.models.UpdateKeyDescriptionRequest;
import com.aliyun.kms20160120.models.UpdateRotationPolicyRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@link KmsApi} through the "V2.0" SDK {@code com.aliyun:kms20160120:1.2.3} on {@code tea-openapi}: default ACS3
 * signing, or RPC HMAC-SHA1 ({@code Config.signatureAlgorithm="v2"}), or ACS4 ({@code signatureVersion="v4"}).
 */
public final class V2Api implements KmsApi {

    /** How the client signs. */
    public enum Signing {
        ACS3("ACS3-HMAC-SHA256"),
        RPC("RPC-HMAC-SHA1"),
        ACS4("ACS4-HMAC-SHA256");

        final String label;

        Signing(String label) {
            this.label = label;
        }
    }

    private final String name;
    private final Client client;

    private V2Api(String name, Client client) {
        this.name = name;
        this.client = client;
    }

    /**
     * A client for {@code 127.0.0.1:port}. With {@code caPem} the protocol is HTTPS and {@code Config.ca} holds the
     * server certificate. tea caches one OkHttp client per host:port for the whole JVM (first TLS config wins), so
     * every HTTPS client of one port must be given the same {@code caPem} — the harness guarantees that.
     */
    public static V2Api create(int port, String caPem, Signing signing, String accessKeyId, String accessKeySecret) {
        return create(port, caPem, signing, accessKeyId, accessKeySecret, null);
    }

    /** With {@code securityToken}: STS credentials (the SDK sends x-acs-security-token, or SecurityToken in RPC). */
    public static V2Api create(
            int port, String caPem, Signing signing, String accessKeyId, String accessKeySecret, String securityToken) {
        Config config = new Config()
                .setAccessKeyId(accessKeyId)
                .setAccessKeySecret(accessKeySecret)
                .setEndpoint("127.0.0.1:" + port)
                .setRegionId(ConformanceServer.REGION)
                .setProtocol(caPem == null ? "http" : "https")
                .setConnectTimeout(5_000)
                .setReadTimeout(15_000);
        if (caPem != null) {
            config.setCa(caPem);
        }
        if (securityToken != null) {
            config.setSecurityToken(securityToken);
        }
        switch (signing) {
            case RPC -> config.setSignatureAlgorithm("v2");
            case ACS4 -> config.setSignatureVersion("v4");
            default -> {}
        }
        try {
            String name = "V2 " + signing.label + " " + (caPem == null ? "http" : "https");
            return new V2Api(name, new Client(config));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the V2 client", e);
        }
    }

    public Client client() {
        return client;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * An action through the SDK's generic {@code callApi} (for actions its generated client lacks); returns the JSON
     * body. API errors become {@link ApiException} as for every other call.
     */
    public Map<String, Object> rpc(String action, String version, Map<String, String> query) {
        com.aliyun.teaopenapi.models.Params params = GenericCalls.rpc(action, version, name.endsWith("https"));
        com.aliyun.teaopenapi.models.OpenApiRequest request =
                new com.aliyun.teaopenapi.models.OpenApiRequest().setQuery(new java.util.HashMap<>(query));
        return GenericCalls.body(
                call(() -> client.callApi(params, request, new com.aliyun.teautil.models.RuntimeOptions())));
    }

    /** Runs one SDK call, turning TeaException into {@link ApiException}. */
    public <T> T call(Callable<T> c) {
        try {
            return c.call();
        } catch (TeaException e) {
            throw error(name, e);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": the SDK call failed without an API error", e);
        }
    }

    /** V2 puts the HTTP status in {@code statusCode} (tea ≥ 1.4) or only in {@code data.statusCode} (tea 1.3). */
    static ApiException error(String sdk, TeaException e) {
        Integer status = e.getStatusCode();
        Map<String, Object> data = e.getData();
        if (status == null && data != null && data.get("statusCode") instanceof Number n) {
            status = n.intValue();
        }
        String requestId = data == null ? null : String.valueOf(data.getOrDefault("RequestId", data.get("requestId")));
        return new ApiException(
                sdk, e.getCode(), status == null ? -1 : status, e.getMessage(), requestId, String.valueOf(data), false);
    }

    private static String requestId(String id) {
        if (id == null || id.isEmpty()) {
            throw new AssertionError("response without RequestId");
        }
        return id;
    }

    // ---- key lifecycle -------------------------------------------------------------------------------------

    @Override
    public KeyMeta createKey(CreateKey r) {
        var body = call(() -> client.createKey(new CreateKeyRequest()
                        .setDescription(r.description)
                        .setKeySpec(r.keySpec)
                        .setKeyUsage(r.keyUsage)
                        .setOrigin(r.origin)
                        .setProtectionLevel(r.protectionLevel)
                        .setEnableAutomaticRotation(r.enableAutomaticRotation)
                        .setRotationInterval(r.rotationInterval)
                        .setTags(r.tags)))
                .getBody();
        requestId(body.getRequestId());
        var m = body.getKeyMetadata();
        return new KeyMeta(
                m.getKeyId(),
                m.getArn(),
                m.getDescription(),
                m.getKeySpec(),
                m.getKeyUsage(),
                m.getKeyState(),
                m.getOrigin(),
                m.getProtectionLevel(),
                m.getCreationDate(),
                m.getCreator(),
                m.getDeleteDate(),
                m.getMaterialExpireTime(),
                m.getPrimaryKeyVersion(),
                m.getLastRotationDate(),
                m.getAutomaticRotation(),
                m.getRotationInterval(),
                m.getNextRotationDate(),
                null,
                null);
    }

    @Override
    public KeyMeta describeKey(String keyId) {
        var body = call(() -> client.describeKey(new DescribeKeyRequest().setKeyId(keyId)))
                .getBody();
        requestId(body.getRequestId());
        var m = body.getKeyMetadata();
        return new KeyMeta(
                m.getKeyId(),
                m.getArn(),
                m.getDescription(),
                m.getKeySpec(),
                m.getKeyUsage(),
                m.getKeyState(),
                m.getOrigin(),
                m.getProtectionLevel(),
                m.getCreationDate(),
                m.getCreator(),
                m.getDeleteDate(),
                m.getMaterialExpireTime(),
                m.getPrimaryKeyVersion(),
                m.getLastRotationDate(),
                m.getAutomaticRotation(),
                m.getRotationInterval(),
                m.getNextRotationDate(),
                m.getDeletionProtection(),
                m.getDeletionProtectionDescription());
    }

    @Override
    public Page<KeyRef> listKeys(Integer pageNumber, Integer pageSize, String filtersJson) {
        var body = call(() -> client.listKeys(new ListKeysRequest()
                        .setPageNumber(pageNumber)
                        .setPageSize(pageSize)
                        .setFilters(filtersJson)))
                .getBody();
        requestId(body.getRequestId());
        List<KeyRef> items = body.getKeys() == null || body.getKeys().getKey() == null
                ? null
                : body.getKeys().getKey().stream()
                        .map(k -> new KeyRef(k.getKeyId(), k.getKeyArn()))
                        .toList();
        return new Page<>(items, body.getPageNumber(), body.getPageSize(), body.getTotalCount());
    }

    @Override
    public void updateKeyDescription(String keyId, String description) {
        requestId(call(() -> client.updateKeyDescription(
                        new UpdateKeyDescriptionRequest().setKeyId(keyId).setDescription(description)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void enableKey(String keyId) {
        requestId(call(() -> client.enableKey(new EnableKeyRequest().setKeyId(keyId)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void disableKey(String keyId) {
        requestId(call(() -> client.disableKey(new DisableKeyRequest().setKeyId(keyId)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void scheduleKeyDeletion(String keyId, Integer days) {
        requestId(call(() -> client.scheduleKeyDeletion(
                        new ScheduleKeyDeletionRequest().setKeyId(keyId).setPendingWindowInDays(days)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void cancelKeyDeletion(String keyId) {
        requestId(call(() -> client.cancelKeyDeletion(new CancelKeyDeletionRequest().setKeyId(keyId)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void setDeletionProtection(String arn, Boolean enable, String description) {
        requestId(call(() -> client.setDeletionProtection(new SetDeletionProtectionRequest()
                        .setProtectedResourceArn(arn)
                        .setEnableDeletionProtection(enable)
                        .setDeletionProtectionDescription(description)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void updateRotationPolicy(String keyId, Boolean enable, String interval) {
        requestId(call(() -> client.updateRotationPolicy(new UpdateRotationPolicyRequest()
                        .setKeyId(keyId)
                        .setEnableAutomaticRotation(enable)
                        .setRotationInterval(interval)))
                .getBody()
                .getRequestId());
    }

    @Override
    public KeyVersion createKeyVersion(String keyId) {
        var body = call(() -> client.createKeyVersion(new CreateKeyVersionRequest().setKeyId(keyId)))
                .getBody();
        requestId(body.getRequestId());
        var v = body.getKeyVersion();
        return v == null ? null : new KeyVersion(v.getKeyId(), v.getKeyVersionId(), v.getCreationDate());
    }

    @Override
    public KeyVersion describeKeyVersion(String keyId, String keyVersionId) {
        var body = call(() -> client.describeKeyVersion(
                        new DescribeKeyVersionRequest().setKeyId(keyId).setKeyVersionId(keyVersionId)))
                .getBody();
        requestId(body.getRequestId());
        var v = body.getKeyVersion();
        return v == null ? null : new KeyVersion(v.getKeyId(), v.getKeyVersionId(), v.getCreationDate());
    }

    @Override
    public Page<KeyVersion> listKeyVersions(String keyId, Integer pageNumber, Integer pageSize) {
        var body = call(() -> client.listKeyVersions(new ListKeyVersionsRequest()
                        .setKeyId(keyId)
                        .setPageNumber(pageNumber)
                        .setPageSize(pageSize)))
                .getBody();
        requestId(body.getRequestId());
        List<KeyVersion> items =
                body.getKeyVersions() == null || body.getKeyVersions().getKeyVersion() == null
                        ? null
                        : body.getKeyVersions().getKeyVersion().stream()
                                .map(v -> new KeyVersion(v.getKeyId(), v.getKeyVersionId(), v.getCreationDate()))
                                .toList();
        return new Page<>(items, body.getPageNumber(), body.getPageSize(), body.getTotalCount());
    }

    // ---- aliases -------------------------------------------------------------------------------------------

    @Override
    public void createAlias(String aliasName, String keyId) {
        requestId(call(() -> client.createAlias(
                        new CreateAliasRequest().setAliasName(aliasName).setKeyId(keyId)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void updateAlias(String aliasName, String keyId) {
        requestId(call(() -> client.updateAlias(
                        new UpdateAliasRequest().setAliasName(aliasName).setKeyId(keyId)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void deleteAlias(String aliasName) {
        requestId(call(() -> client.deleteAlias(new DeleteAliasRequest().setAliasName(aliasName)))
                .getBody()
                .getRequestId());
    }

    @Override
    public Page<Alias> listAliases(Integer pageNumber, Integer pageSize) {
        var body = call(() -> client.listAliases(
                        new ListAliasesRequest().setPageNumber(pageNumber).setPageSize(pageSize)))
                .getBody();
        requestId(body.getRequestId());
        List<Alias> items = body.getAliases() == null || body.getAliases().getAlias() == null
                ? null
                : body.getAliases().getAlias().stream()
                        .map(a -> new Alias(a.getAliasName(), a.getAliasArn(), a.getKeyId()))
                        .toList();
        return new Page<>(items, body.getPageNumber(), body.getPageSize(), body.getTotalCount());
    }

    @Override
    public Page<Alias> listAliasesByKeyId(String keyId, Integer pageNumber, Integer pageSize) {
        var body = call(() -> client.listAliasesByKeyId(new ListAliasesByKeyIdRequest()
                        .setKeyId(keyId)
                        .setPageNumber(pageNumber)
                        .setPageSize(pageSize)))
                .getBody();
        requestId(body.getRequestId());
        List<Alias> items = body.getAliases() == null || body.getAliases().getAlias() == null
                ? null
                : body.getAliases().getAlias().stream()
                        .map(a -> new Alias(a.getAliasName(), a.getAliasArn(), a.getKeyId()))
                        .toList();
        return new Page<>(items, body.getPageNumber(), body.getPageSize(), body.getTotalCount());
    }

    // ---- tags ----------------------------------------------------------------------------------------------

    @Override
    public void tagResource(String keyId, String tagsJson) {
        requestId(call(() -> client.tagResource(
                        new TagResourceRequest().setKeyId(keyId).setTags(tagsJson)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void untagResource(String keyId, String tagKeysJson) {
        requestId(call(() -> client.untagResource(
                        new UntagResourceRequest().setKeyId(keyId).setTagKeys(tagKeysJson)))
                .getBody()
                .getRequestId());
    }

    @Override
    public List<Tag> listResourceTags(String keyId) {
        var body = call(() -> client.listResourceTags(new ListResourceTagsRequest().setKeyId(keyId)))
                .getBody();
        requestId(body.getRequestId());
        return body.getTags() == null || body.getTags().getTag() == null
                ? null
                : body.getTags().getTag().stream()
                        .map(t -> new Tag(t.getKeyId(), t.getTagKey(), t.getTagValue()))
                        .toList();
    }

    @Override
    public void tagResources(String resourceType, List<String> resourceIds, Map<String, String> tags) {
        List<TagResourcesRequest.TagResourcesRequestTag> list = null;
        if (tags != null) {
            list = new ArrayList<>();
            for (Map.Entry<String, String> t : tags.entrySet()) {
                list.add(new TagResourcesRequest.TagResourcesRequestTag()
                        .setKey(t.getKey())
                        .setValue(t.getValue()));
            }
        }
        List<TagResourcesRequest.TagResourcesRequestTag> tagList = list;
        requestId(call(() -> client.tagResources(new TagResourcesRequest()
                        .setRegionId(ConformanceServer.REGION)
                        .setResourceType(resourceType)
                        .setResourceId(resourceIds)
                        .setTag(tagList)))
                .getBody()
                .getRequestId());
    }

    @Override
    public void untagResources(String resourceType, List<String> resourceIds, List<String> tagKeys, Boolean all) {
        requestId(call(() -> client.untagResources(new UntagResourcesRequest()
                        .setRegionId(ConformanceServer.REGION)
                        .setResourceType(resourceType)
                        .setResourceId(resourceIds)
                        .setTagKey(tagKeys)
                        .setAll(all)))
                .getBody()
                .getRequestId());
    }

    @Override
    public TagPage listTagResources(
            String resourceType, List<String> resourceIds, Map<String, String> tagFilter, String nextToken) {
        List<ListTagResourcesRequest.ListTagResourcesRequestTag> list = null;
        if (tagFilter != null) {
            list = new ArrayList<>();
            for (Map.Entry<String, String> t : tagFilter.entrySet()) {
                list.add(new ListTagResourcesRequest.ListTagResourcesRequestTag()
                        .setKey(t.getKey())
                        .setValue(t.getValue()));
            }
        }
        List<ListTagResourcesRequest.ListTagResourcesRequestTag> tagList = list;
        var body = call(() -> client.listTagResources(new ListTagResourcesRequest()
                        .setRegionId(ConformanceServer.REGION)
                        .setResourceType(resourceType)
                        .setResourceId(resourceIds)
                        .setTag(tagList)
                        .setNextToken(nextToken)))
                .getBody();
        requestId(body.getRequestId());
        List<TagResource> rows =
                body.getTagResources() == null || body.getTagResources().getTagResource() == null
                        ? null
                        : body.getTagResources().getTagResource().stream()
                                .map(t -> new TagResource(
                                        t.getResourceId(), t.getResourceType(), t.getTagKey(), t.getTagValue()))
                                .toList();
        return new TagPage(rows, body.getNextToken());
    }

    // ---- account -------------------------------------------------------------------------------------------

    @Override
    public List<String> describeRegions() {
        var body = call(client::describeRegions).getBody();
        requestId(body.getRequestId());
        return body.getRegions() == null || body.getRegions().getRegion() == null
                ? null
                : body.getRegions().getRegion().stream()
                        .map(r -> r.getRegionId())
                        .toList();
    }

    @Override
    public String describeAccountKmsStatus() {
        var body = call(client::describeAccountKmsStatus).getBody();
        requestId(body.getRequestId());
        return body.getAccountStatus();
    }

    @Override
    public void openKmsService() {
        requestId(call(client::openKmsService).getBody().getRequestId());
    }

    // ---- cryptography --------------------------------------------------------------------------------------

    private static Map<String, ?> map(Map<String, String> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }

    @Override
    public Encrypted encrypt(String keyId, String plaintext, Map<String, String> context, String dryRun) {
        var body = call(() -> client.encrypt(new EncryptRequest()
                        .setKeyId(keyId)
                        .setPlaintext(plaintext)
                        .setEncryptionContext(map(context))
                        .setDryRun(dryRun)))
                .getBody();
        requestId(body.getRequestId());
        return new Encrypted(body.getCiphertextBlob(), body.getKeyId(), body.getKeyVersionId());
    }

    @Override
    public Decrypted decrypt(String blob, Map<String, String> context, String dryRun) {
        var body = call(() -> client.decrypt(new DecryptRequest()
                        .setCiphertextBlob(blob)
                        .setEncryptionContext(map(context))
                        .setDryRun(dryRun)))
                .getBody();
        requestId(body.getRequestId());
        return new Decrypted(body.getPlaintext(), body.getKeyId(), body.getKeyVersionId());
    }

    @Override
    public DataKey generateDataKey(
            String keyId, String keySpec, Integer n, Map<String, String> context, String dryRun) {
        var body = call(() -> client.generateDataKey(new GenerateDataKeyRequest()
                        .setKeyId(keyId)
                        .setKeySpec(keySpec)
                        .setNumberOfBytes(n)
                        .setEncryptionContext(map(context))
                        .setDryRun(dryRun)))
                .getBody();
        requestId(body.getRequestId());
        return new DataKey(body.getPlaintext(), body.getCiphertextBlob(), body.getKeyId(), body.getKeyVersionId());
    }

    @Override
    public DataKey generateDataKeyWithoutPlaintext(
            String keyId, String keySpec, Integer n, Map<String, String> context, String dryRun) {
        var body = call(() -> client.generateDataKeyWithoutPlaintext(new GenerateDataKeyWithoutPlaintextRequest()
                        .setKeyId(keyId)
                        .setKeySpec(keySpec)
                        .setNumberOfBytes(n)
                        .setEncryptionContext(map(context))
                        .setDryRun(dryRun)))
                .getBody();
        requestId(body.getRequestId());
        return new DataKey(null, body.getCiphertextBlob(), body.getKeyId(), body.getKeyVersionId());
    }

    @Override
    public Encrypted reEncrypt(
            String blob,
            Map<String, String> sourceContext,
            String destinationKeyId,
            Map<String, String> destinationContext,
            String dryRun) {
        var body = call(() -> client.reEncrypt(new ReEncryptRequest()
                        .setCiphertextBlob(blob)
                        .setSourceEncryptionContext(map(sourceContext))
                        .setDestinationKeyId(destinationKeyId)
                        .setDestinationEncryptionContext(map(destinationContext))
                        .setDryRun(dryRun)))
                .getBody();
        requestId(body.getRequestId());
        return new Encrypted(body.getCiphertextBlob(), body.getKeyId(), body.getKeyVersionId());
    }
}
