package org.openkms.conformance;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.SignatureVersion;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.HttpResponse;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.kms.model.v20160120.CancelKeyDeletionRequest;
import com.aliyuncs.kms.model.v20160120.CreateAliasRequest;
import com.aliyuncs.kms.model.v20160120.CreateKeyRequest;
import com.aliyuncs.kms.model.v20160120.CreateKeyVersionRequest;
import com.aliyuncs.kms.model.v20160120.DecryptRequest;
import com.aliyuncs.kms.model.v20160120.DeleteAliasRequest;
import com.aliyuncs.kms.model.v20160120.DescribeAccountKmsStatusRequest;
import com.aliyuncs.kms.model.v20160120.DescribeKeyRequest;
import com.aliyuncs.kms.model.v20160120.DescribeKeyVersionRequest;
import com.aliyuncs.kms.model.v20160120.DescribeRegionsRequest;
import com.aliyuncs.kms.model.v20160120.DisableKeyRequest;
import com.aliyuncs.kms.model.v20160120.EnableKeyRequest;
import com.aliyuncs.kms.model.v20160120.EncryptRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyWithoutPlaintextRequest;
import com.aliyuncs.kms.model.v20160120.ListAliasesByKeyIdRequest;
import com.aliyuncs.kms.model.v20160120.ListAliasesRequest;
import com.aliyuncs.kms.model.v20160120.ListKeyVersionsRequest;
import com.aliyuncs.kms.model.v20160120.ListKeysRequest;
import com.aliyuncs.kms.model.v20160120.ListResourceTagsRequest;
import com.aliyuncs.kms.model.v20160120.ListTagResourcesRequest;
import com.aliyuncs.kms.model.v20160120.OpenKmsServiceRequest;
import com.aliyuncs.kms.model.v20160120.ReEncryptRequest;
import com.aliyuncs.kms.model.v20160120.ScheduleKeyDeletionRequest;
import com.aliyuncs.kms.model.v20160120.SetDeletionProtectionRequest;
import com.aliyuncs.kms.model.v20160120.TagResourceRequest;
import com.aliyuncs.kms.model.v20160120.TagResourcesRequest;
import com.aliyuncs.kms.model.v20160120.UntagResourceRequest;
import com.aliyuncs.kms.model.v20160120.UntagResourcesRequest;
import com.aliyuncs.kms.model.v20160120.UpdateAliasRequest;
import com.aliyuncs.kms.model.v20160120.UpdateKeyDescriptionRequest;
import com.aliyuncs.kms.model.v20160120.UpdateRotationPolicyRequest;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.profile.IClientProfile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.X509TrustManager;

/**
 * {@link KmsApi} through the "V1.0" SDK {@code aliyun-java-sdk-kms:2.16.6} on {@code aliyun-java-sdk-core:4.7.10}
 * (RPC HMAC-SHA1 by default). The endpoint and protocol are set per request ({@code setSysEndpoint},
 * {@code setSysProtocol}): V1 request constructors force HTTPS, so plain HTTP needs the per-request override.
 *
 * <p>TLS: V1's {@code ApacheHttpClient} is a JVM-wide singleton built from the first client's
 * {@link HttpClientConfig}; every client made here carries the same {@link TrustedCertificates} trust manager, so
 * whichever comes first, every server certificate the harness registers is trusted.
 *
 * <p>The V1 exceptions carry no HTTP status, so the client is a {@link RecordingClient}: every SDK call goes
 * through {@code DefaultAcsClient.doAction(AcsRequest)} ({@code getAcsResponse} and {@code getCommonResponse}
 * both call it, then parse what it returned), which keeps the {@link HttpResponse} it returned for the calling
 * thread. An error's status and body are those of the very answer the SDK turned into the exception; nothing is
 * re-sent.
 */
public final class V1Api implements KmsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final RecordingClient client;
    private final String endpoint;
    private final ProtocolType protocol;

    private V1Api(String name, RecordingClient client, String endpoint, ProtocolType protocol) {
        this.name = name;
        this.client = client;
        this.endpoint = endpoint;
        this.protocol = protocol;
    }

    public static V1Api create(
            int port, boolean https, String accessKeyId, String accessKeySecret, SignatureVersion signatureVersion) {
        return create(port, https, accessKeyId, accessKeySecret, null, signatureVersion);
    }

    /** With {@code securityToken}: STS credentials (the V1 SDK sends the SecurityToken parameter). */
    public static V1Api create(
            int port,
            boolean https,
            String accessKeyId,
            String accessKeySecret,
            String securityToken,
            SignatureVersion signatureVersion) {
        DefaultProfile profile = securityToken == null
                ? DefaultProfile.getProfile(ConformanceServer.REGION, accessKeyId, accessKeySecret)
                : DefaultProfile.getProfile(ConformanceServer.REGION, accessKeyId, accessKeySecret, securityToken);
        HttpClientConfig http = HttpClientConfig.getDefault();
        http.setX509TrustManagers(new X509TrustManager[] {TrustedCertificates.INSTANCE});
        http.setConnectionTimeoutMillis(5_000);
        http.setReadTimeoutMillis(15_000);
        profile.setHttpClientConfig(http);
        RecordingClient client = new RecordingClient(profile);
        String label = "HMAC-SHA1";
        if (signatureVersion != null) {
            client.setSignatureVersion(signatureVersion);
            label = signatureVersion == SignatureVersion.V3 ? "ACS3-HMAC-SHA256" : label;
        }
        return new V1Api(
                "V1 " + label + " " + (https ? "https" : "http"),
                client,
                "127.0.0.1:" + port,
                https ? ProtocolType.HTTPS : ProtocolType.HTTP);
    }

    public DefaultAcsClient client() {
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

    /** Points a request at this client's server. */
    public <T extends AcsResponse> AcsRequest<T> target(AcsRequest<T> request) {
        request.setSysEndpoint(endpoint);
        request.setSysProtocol(protocol);
        return request;
    }

    /** Sends the request once; an error answer becomes {@link ApiException} with that answer's HTTP status and body. */
    public <T extends AcsResponse> T call(AcsRequest<T> request) {
        target(request);
        forgetLastAnswer();
        try {
            return client.getAcsResponse(request);
        } catch (ClientException e) {
            throw error(e);
        }
    }

    /** The last answer this thread received through this client, or null. */
    HttpResponse lastAnswer() {
        return client.last();
    }

    /** Drops this thread's recorded answer, so that a call failing before any answer cannot be given an older one. */
    void forgetLastAnswer() {
        client.forget();
    }

    /**
     * The {@link ApiException} for an SDK exception, from the answer the SDK parsed it from (recorded by
     * {@link RecordingClient} for this thread). Call it right after the failed SDK call, on the same thread.
     */
    ApiException error(ClientException e) {
        HttpResponse answer = client.last();
        if (answer == null) {
            throw new IllegalStateException(name + ": the SDK call failed without an HTTP answer: " + e, e);
        }
        int status = answer.getStatus();
        String body = answer.getHttpContent() == null
                ? ""
                : new String(answer.getHttpContent(), java.nio.charset.StandardCharsets.UTF_8);
        if (status < 400) {
            throw new IllegalStateException(
                    name + ": the SDK reported " + e.getErrCode() + " for an answer with HTTP " + status + ": " + body,
                    e);
        }
        if (e.getRequestId() != null && !e.getRequestId().isEmpty() && !body.contains(e.getRequestId())) {
            // Every answer has its own RequestId: another one here would mean the recorded answer is not the SDK's.
            throw new IllegalStateException(
                    name + ": recorded answer " + body + " is not the one the SDK reported (RequestId "
                            + e.getRequestId() + ")",
                    e);
        }
        return new ApiException(
                name, e.getErrCode(), status, e.getErrMsg(), e.getRequestId(), body, e instanceof ServerException);
    }

    /**
     * The V1 client, remembering per thread the last answer {@code doAction(AcsRequest)} returned. aliyun-java-sdk-core
     * 4.7.10's {@code getAcsResponse(request)} is {@code parseAcsResponse(request, this.doAction(request))} and
     * {@code getCommonResponse} likewise calls {@code this.doAction(request.buildRequest())} (public, overridable
     * methods of {@code DefaultAcsClient}), so the recorded answer is the one the SDK read the error from.
     */
    static final class RecordingClient extends DefaultAcsClient {
        private final ThreadLocal<HttpResponse> last = new ThreadLocal<>();

        RecordingClient(IClientProfile profile) {
            super(profile);
        }

        @Override
        public <T extends AcsResponse> HttpResponse doAction(AcsRequest<T> request)
                throws ClientException, ServerException {
            HttpResponse answer = super.doAction(request);
            last.set(answer);
            return answer;
        }

        void forget() {
            last.remove();
        }

        HttpResponse last() {
            return last.get();
        }
    }

    /** The raw HTTP answer (status, Content-Type, body) to a request, as V1 received it. */
    public HttpResponse raw(AcsRequest<?> request) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        AcsRequest<AcsResponse> r = (AcsRequest) request;
        target(r);
        try {
            return client.doAction(r);
        } catch (ClientException e) {
            throw new IllegalStateException(name + ": no HTTP answer", e);
        }
    }

    private static String requestId(String id) {
        if (id == null || id.isEmpty()) {
            throw new AssertionError("response without RequestId");
        }
        return id;
    }

    static String json(Object o) {
        if (o == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    // ---- key lifecycle -------------------------------------------------------------------------------------

    @Override
    public KeyMeta createKey(CreateKey r) {
        CreateKeyRequest req = new CreateKeyRequest();
        req.setDescription(r.description);
        req.setKeySpec(r.keySpec);
        req.setKeyUsage(r.keyUsage);
        req.setOrigin(r.origin);
        req.setProtectionLevel(r.protectionLevel);
        req.setEnableAutomaticRotation(r.enableAutomaticRotation);
        req.setRotationInterval(r.rotationInterval);
        req.setTags(r.tags);
        var resp = call(req);
        requestId(resp.getRequestId());
        var m = resp.getKeyMetadata();
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
        DescribeKeyRequest req = new DescribeKeyRequest();
        req.setKeyId(keyId);
        var resp = call(req);
        requestId(resp.getRequestId());
        var m = resp.getKeyMetadata();
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
        ListKeysRequest req = new ListKeysRequest();
        req.setPageNumber(pageNumber);
        req.setPageSize(pageSize);
        req.setFilters(filtersJson);
        var resp = call(req);
        requestId(resp.getRequestId());
        List<KeyRef> items = resp.getKeys() == null
                ? null
                : resp.getKeys().stream()
                        .map(k -> new KeyRef(k.getKeyId(), k.getKeyArn()))
                        .toList();
        return new Page<>(items, resp.getPageNumber(), resp.getPageSize(), resp.getTotalCount());
    }

    @Override
    public void updateKeyDescription(String keyId, String description) {
        UpdateKeyDescriptionRequest req = new UpdateKeyDescriptionRequest();
        req.setKeyId(keyId);
        req.setDescription(description);
        requestId(call(req).getRequestId());
    }

    @Override
    public void enableKey(String keyId) {
        EnableKeyRequest req = new EnableKeyRequest();
        req.setKeyId(keyId);
        requestId(call(req).getRequestId());
    }

    @Override
    public void disableKey(String keyId) {
        DisableKeyRequest req = new DisableKeyRequest();
        req.setKeyId(keyId);
        requestId(call(req).getRequestId());
    }

    @Override
    public void scheduleKeyDeletion(String keyId, Integer days) {
        ScheduleKeyDeletionRequest req = new ScheduleKeyDeletionRequest();
        req.setKeyId(keyId);
        req.setPendingWindowInDays(days);
        requestId(call(req).getRequestId());
    }

    @Override
    public void cancelKeyDeletion(String keyId) {
        CancelKeyDeletionRequest req = new CancelKeyDeletionRequest();
        req.setKeyId(keyId);
        requestId(call(req).getRequestId());
    }

    @Override
    public void setDeletionProtection(String arn, Boolean enable, String description) {
        SetDeletionProtectionRequest req = new SetDeletionProtectionRequest();
        req.setProtectedResourceArn(arn);
        req.setEnableDeletionProtection(enable);
        req.setDeletionProtectionDescription(description);
        requestId(call(req).getRequestId());
    }

    @Override
    public void updateRotationPolicy(String keyId, Boolean enable, String interval) {
        UpdateRotationPolicyRequest req = new UpdateRotationPolicyRequest();
        req.setKeyId(keyId);
        req.setEnableAutomaticRotation(enable);
        req.setRotationInterval(interval);
        requestId(call(req).getRequestId());
    }

    @Override
    public KeyVersion createKeyVersion(String keyId) {
        CreateKeyVersionRequest req = new CreateKeyVersionRequest();
        req.setKeyId(keyId);
        var resp = call(req);
        requestId(resp.getRequestId());
        var v = resp.getKeyVersion();
        return v == null ? null : new KeyVersion(v.getKeyId(), v.getKeyVersionId(), v.getCreationDate());
    }

    @Override
    public KeyVersion describeKeyVersion(String keyId, String keyVersionId) {
        DescribeKeyVersionRequest req = new DescribeKeyVersionRequest();
        req.setKeyId(keyId);
        req.setKeyVersionId(keyVersionId);
        var resp = call(req);
        requestId(resp.getRequestId());
        var v = resp.getKeyVersion();
        return v == null ? null : new KeyVersion(v.getKeyId(), v.getKeyVersionId(), v.getCreationDate());
    }

    @Override
    public Page<KeyVersion> listKeyVersions(String keyId, Integer pageNumber, Integer pageSize) {
        ListKeyVersionsRequest req = new ListKeyVersionsRequest();
        req.setKeyId(keyId);
        req.setPageNumber(pageNumber);
        req.setPageSize(pageSize);
        var resp = call(req);
        requestId(resp.getRequestId());
        List<KeyVersion> items = resp.getKeyVersions() == null
                ? null
                : resp.getKeyVersions().stream()
                        .map(v -> new KeyVersion(v.getKeyId(), v.getKeyVersionId(), v.getCreationDate()))
                        .toList();
        return new Page<>(items, resp.getPageNumber(), resp.getPageSize(), resp.getTotalCount());
    }

    // ---- aliases -------------------------------------------------------------------------------------------

    @Override
    public void createAlias(String aliasName, String keyId) {
        CreateAliasRequest req = new CreateAliasRequest();
        req.setAliasName(aliasName);
        req.setKeyId(keyId);
        requestId(call(req).getRequestId());
    }

    @Override
    public void updateAlias(String aliasName, String keyId) {
        UpdateAliasRequest req = new UpdateAliasRequest();
        req.setAliasName(aliasName);
        req.setKeyId(keyId);
        requestId(call(req).getRequestId());
    }

    @Override
    public void deleteAlias(String aliasName) {
        DeleteAliasRequest req = new DeleteAliasRequest();
        req.setAliasName(aliasName);
        requestId(call(req).getRequestId());
    }

    @Override
    public Page<Alias> listAliases(Integer pageNumber, Integer pageSize) {
        ListAliasesRequest req = new ListAliasesRequest();
        req.setPageNumber(pageNumber);
        req.setPageSize(pageSize);
        var resp = call(req);
        requestId(resp.getRequestId());
        List<Alias> items = resp.getAliases() == null
                ? null
                : resp.getAliases().stream()
                        .map(a -> new Alias(a.getAliasName(), a.getAliasArn(), a.getKeyId()))
                        .toList();
        return new Page<>(items, resp.getPageNumber(), resp.getPageSize(), resp.getTotalCount());
    }

    @Override
    public Page<Alias> listAliasesByKeyId(String keyId, Integer pageNumber, Integer pageSize) {
        ListAliasesByKeyIdRequest req = new ListAliasesByKeyIdRequest();
        req.setKeyId(keyId);
        req.setPageNumber(pageNumber);
        req.setPageSize(pageSize);
        var resp = call(req);
        requestId(resp.getRequestId());
        List<Alias> items = resp.getAliases() == null
                ? null
                : resp.getAliases().stream()
                        .map(a -> new Alias(a.getAliasName(), a.getAliasArn(), a.getKeyId()))
                        .toList();
        return new Page<>(items, resp.getPageNumber(), resp.getPageSize(), resp.getTotalCount());
    }

    // ---- tags ----------------------------------------------------------------------------------------------

    @Override
    public void tagResource(String keyId, String tagsJson) {
        TagResourceRequest req = new TagResourceRequest();
        req.setKeyId(keyId);
        req.setTags(tagsJson);
        requestId(call(req).getRequestId());
    }

    @Override
    public void untagResource(String keyId, String tagKeysJson) {
        UntagResourceRequest req = new UntagResourceRequest();
        req.setKeyId(keyId);
        req.setTagKeys(tagKeysJson);
        requestId(call(req).getRequestId());
    }

    @Override
    public List<Tag> listResourceTags(String keyId) {
        ListResourceTagsRequest req = new ListResourceTagsRequest();
        req.setKeyId(keyId);
        var resp = call(req);
        requestId(resp.getRequestId());
        return resp.getTags() == null
                ? null
                : resp.getTags().stream()
                        .map(t -> new Tag(t.getKeyId(), t.getTagKey(), t.getTagValue()))
                        .toList();
    }

    @Override
    public void tagResources(String resourceType, List<String> resourceIds, Map<String, String> tags) {
        TagResourcesRequest req = new TagResourcesRequest();
        req.setResourceType(resourceType);
        req.setResourceIds(resourceIds);
        if (tags != null) {
            List<TagResourcesRequest.Tag> list = new ArrayList<>();
            for (Map.Entry<String, String> t : tags.entrySet()) {
                TagResourcesRequest.Tag tag = new TagResourcesRequest.Tag();
                tag.setKey(t.getKey());
                tag.setValue(t.getValue());
                list.add(tag);
            }
            req.setTags(list);
        }
        requestId(call(req).getRequestId());
    }

    @Override
    public void untagResources(String resourceType, List<String> resourceIds, List<String> tagKeys, Boolean all) {
        UntagResourcesRequest req = new UntagResourcesRequest();
        req.setResourceType(resourceType);
        req.setResourceIds(resourceIds);
        req.setTagKeys(tagKeys);
        req.setAll(all);
        requestId(call(req).getRequestId());
    }

    @Override
    public TagPage listTagResources(
            String resourceType, List<String> resourceIds, Map<String, String> tagFilter, String nextToken) {
        ListTagResourcesRequest req = new ListTagResourcesRequest();
        req.setResourceType(resourceType);
        req.setResourceIds(resourceIds);
        req.setNextToken(nextToken);
        if (tagFilter != null) {
            List<ListTagResourcesRequest.Tag> list = new ArrayList<>();
            for (Map.Entry<String, String> t : tagFilter.entrySet()) {
                ListTagResourcesRequest.Tag tag = new ListTagResourcesRequest.Tag();
                tag.setKey(t.getKey());
                tag.setValue(t.getValue());
                list.add(tag);
            }
            req.setTags(list);
        }
        var resp = call(req);
        requestId(resp.getRequestId());
        List<TagResource> rows = resp.getTagResources() == null
                ? null
                : resp.getTagResources().stream()
                        .map(t ->
                                new TagResource(t.getResourceId(), t.getResourceType(), t.getTagKey(), t.getTagValue()))
                        .toList();
        return new TagPage(rows, resp.getNextToken());
    }

    // ---- account -------------------------------------------------------------------------------------------

    @Override
    public List<String> describeRegions() {
        var resp = call(new DescribeRegionsRequest());
        requestId(resp.getRequestId());
        return resp.getRegions() == null
                ? null
                : resp.getRegions().stream().map(r -> r.getRegionId()).toList();
    }

    @Override
    public String describeAccountKmsStatus() {
        var resp = call(new DescribeAccountKmsStatusRequest());
        requestId(resp.getRequestId());
        return resp.getAccountStatus();
    }

    @Override
    public void openKmsService() {
        requestId(call(new OpenKmsServiceRequest()).getRequestId());
    }

    // ---- cryptography --------------------------------------------------------------------------------------

    @Override
    public Encrypted encrypt(String keyId, String plaintext, Map<String, String> context, String dryRun) {
        EncryptRequest req = new EncryptRequest();
        req.setKeyId(keyId);
        req.setPlaintext(plaintext);
        req.setEncryptionContext(json(context));
        req.setDryRun(dryRun);
        var resp = call(req);
        requestId(resp.getRequestId());
        return new Encrypted(resp.getCiphertextBlob(), resp.getKeyId(), resp.getKeyVersionId());
    }

    @Override
    public Decrypted decrypt(String blob, Map<String, String> context, String dryRun) {
        DecryptRequest req = new DecryptRequest();
        req.setCiphertextBlob(blob);
        req.setEncryptionContext(json(context));
        req.setDryRun(dryRun);
        var resp = call(req);
        requestId(resp.getRequestId());
        return new Decrypted(resp.getPlaintext(), resp.getKeyId(), resp.getKeyVersionId());
    }

    @Override
    public DataKey generateDataKey(
            String keyId, String keySpec, Integer n, Map<String, String> context, String dryRun) {
        GenerateDataKeyRequest req = new GenerateDataKeyRequest();
        req.setKeyId(keyId);
        req.setKeySpec(keySpec);
        req.setNumberOfBytes(n);
        req.setEncryptionContext(json(context));
        req.setDryRun(dryRun);
        var resp = call(req);
        requestId(resp.getRequestId());
        return new DataKey(resp.getPlaintext(), resp.getCiphertextBlob(), resp.getKeyId(), resp.getKeyVersionId());
    }

    @Override
    public DataKey generateDataKeyWithoutPlaintext(
            String keyId, String keySpec, Integer n, Map<String, String> context, String dryRun) {
        GenerateDataKeyWithoutPlaintextRequest req = new GenerateDataKeyWithoutPlaintextRequest();
        req.setKeyId(keyId);
        req.setKeySpec(keySpec);
        req.setNumberOfBytes(n);
        req.setEncryptionContext(json(context));
        req.setDryRun(dryRun);
        var resp = call(req);
        requestId(resp.getRequestId());
        return new DataKey(null, resp.getCiphertextBlob(), resp.getKeyId(), resp.getKeyVersionId());
    }

    @Override
    public Encrypted reEncrypt(
            String blob,
            Map<String, String> sourceContext,
            String destinationKeyId,
            Map<String, String> destinationContext,
            String dryRun) {
        ReEncryptRequest req = new ReEncryptRequest();
        req.setCiphertextBlob(blob);
        req.setSourceEncryptionContext(json(sourceContext));
        req.setDestinationKeyId(destinationKeyId);
        req.setDestinationEncryptionContext(json(destinationContext));
        req.setDryRun(dryRun);
        var resp = call(req);
        requestId(resp.getRequestId());
        return new Encrypted(resp.getCiphertextBlob(), resp.getKeyId(), resp.getKeyVersionId());
    }
}
