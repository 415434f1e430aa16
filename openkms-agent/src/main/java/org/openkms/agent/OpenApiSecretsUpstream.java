package org.openkms.agent;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.DescribeSecretRequest;
import com.aliyun.kms20160120.models.DescribeSecretResponseBody;
import com.aliyun.kms20160120.models.GetSecretValueRequest;
import com.aliyun.kms20160120.models.GetSecretValueResponseBody;
import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaRetryableException;
import com.aliyun.tea.TeaUnretryableException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teautil.models.RuntimeOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;

/**
 * The agent's view of KMS: DescribeSecret and GetSecretValue through the official V2 SDK
 * ({@code com.aliyun:kms20160120}, https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/sdk-for-java).
 *
 * <p>Why not {@code com.aliyun:alibabacloud-secretsmanager-client} 1.3.7 as the fetch and cache engine: its cache
 * is keyed by secret name with one fixed version stage, so {@code versionId} and {@code versionStage} requests cannot
 * be served; it only calls GetSecretValue, so the DescribeSecret freshness check is impossible; on the shared gateway
 * it always speaks HTTPS with certificate checks switched off (hard-coded {@code setIgnoreSSLCerts(true)} in its
 * {@code DefaultSecretManagerClientBuilder}), which would defeat {@code --ca} and forbid a plain-http endpoint; and
 * its stale-on-error is absent (its {@code SecretCacheHook.recoveryGetSecret} returns null). The V2 SDK gives both
 * calls, http or https with a pinned CA ({@code Config.ca}), and the credential chain of {@code credentials-java};
 * {@link SecretCache} adds the agent's cache rules on top.
 */
final class OpenApiSecretsUpstream implements SecretsUpstream {
    /** Codes Alibaba documents as retryable (throttling, internal failure) besides any 5xx. */
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "Rejected.Throttling",
            "Throttling",
            "Throttling.User",
            "ServiceUnavailableTemporary",
            "InternalFailure",
            "InternalError",
            "ServiceUnavailable");

    private final Client client;
    private final RuntimeOptions runtime;

    OpenApiSecretsUpstream(AgentConfig c, com.aliyun.credentials.Client credentials) {
        Config cfg = new Config()
                .setCredential(credentials)
                .setEndpoint(c.endpoint().getAuthority())
                .setProtocol(c.endpoint().getScheme())
                .setRegionId(c.region())
                .setConnectTimeout((int) c.connectTimeout().toMillis())
                .setReadTimeout((int) c.readTimeout().toMillis())
                .setUserAgent("openkms-agent");
        if (c.caFile() != null) {
            try {
                cfg.setCa(Files.readString(c.caFile(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AgentConfigException("ca_file " + c.caFile() + " cannot be read: " + e.getMessage());
            }
        }
        try {
            this.client = new Client(cfg);
        } catch (Exception e) {
            throw new AgentConfigException("endpoint " + c.endpoint() + ": the KMS client cannot be built: " + e);
        }
        // The agent decides about retries itself (stale-on-error); the SDK should report the first failure.
        this.runtime = new RuntimeOptions()
                .setAutoretry(false)
                .setConnectTimeout((int) c.connectTimeout().toMillis())
                .setReadTimeout((int) c.readTimeout().toMillis());
    }

    @Override
    public Description describe(String secretName) throws UpstreamException {
        try {
            DescribeSecretResponseBody b = client.describeSecretWithOptions(
                            new DescribeSecretRequest().setSecretName(secretName), runtime)
                    .getBody();
            return new Description(b.getArn(), b.getUpdateTime());
        } catch (Exception e) {
            throw classify(e);
        }
    }

    @Override
    public SecretValue get(String secretName, String versionId, String versionStage, String arn)
            throws UpstreamException {
        try {
            GetSecretValueResponseBody b = client.getSecretValueWithOptions(
                            new GetSecretValueRequest()
                                    .setSecretName(secretName)
                                    .setVersionId(versionId)
                                    .setVersionStage(versionStage)
                                    .setFetchExtendedConfig(true),
                            runtime)
                    .getBody();
            return new SecretValue(
                    b.getSecretName(),
                    arn,
                    b.getVersionId(),
                    b.getVersionStages() == null ? null : b.getVersionStages().getVersionStage(),
                    b.getCreateTime(),
                    b.getSecretData(),
                    b.getSecretDataType(),
                    b.getSecretType(),
                    b.getAutomaticRotation(),
                    b.getExtendedConfig(),
                    b.getRotationInterval(),
                    b.getNextRotationDate(),
                    b.getLastRotationDate());
        } catch (Exception e) {
            throw classify(e);
        }
    }

    static UpstreamException classify(Exception e) {
        if (e instanceof TeaException t) {
            int status = t.getStatusCode() == null ? 0 : t.getStatusCode();
            // The V2 SDK puts the HTTP status in data.statusCode, the instance SDK in data.httpCode.
            if (status == 0 && t.getData() != null && t.getData().get("statusCode") instanceof Number n) {
                status = n.intValue();
            }
            if (status == 0 && t.getData() != null && t.getData().get("httpCode") instanceof Number n) {
                status = n.intValue();
            }
            String code = t.getCode() == null ? "UpstreamError" : t.getCode();
            if (code.equals("Forbidden.ResourceNotFound") || code.equals("EntityNotExist.Secret")) {
                return new UpstreamException(404, code, message(t), false, null);
            }
            // The agent's own credentials were refused (InvalidAccessKeyId.NotFound comes with 404): the caller is
            // not at fault and the secret may well exist, so this is a gateway error, never "not found".
            if (code.startsWith("InvalidAccessKeyId")
                    || code.startsWith("InvalidSecurityToken")
                    || code.equals("SignatureDoesNotMatch")
                    || code.equals("IncompleteSignature")) {
                return new UpstreamException(502, code, message(t), false, null);
            }
            boolean transientError = status >= 500 || TRANSIENT_CODES.contains(code);
            return new UpstreamException(
                    status >= 400 ? status : (transientError ? 503 : 502), code, message(t), transientError, null);
        }
        // tea wraps I/O failures in TeaRetryableException or TeaUnretryableException; the I/O cause decides.
        Throwable cause = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                cause = t;
                break;
            }
        }
        if (cause == e && (e instanceof TeaUnretryableException || e instanceof TeaRetryableException)) {
            return new UpstreamException(
                    502, "ConnectionError", "the KMS endpoint cannot be reached: " + e.getMessage(), true, null);
        }
        if (cause instanceof SocketTimeoutException || cause instanceof InterruptedIOException) {
            return new UpstreamException(504, "TimeoutError", "the KMS endpoint did not answer in time", true, null);
        }
        if (cause instanceof IOException) {
            return new UpstreamException(
                    502, "ConnectionError", "the KMS endpoint cannot be reached: " + cause.getMessage(), true, null);
        }
        return new UpstreamException(500, "InternalFailure", "the KMS call failed: " + cause, true, null);
    }

    private static String message(TeaException t) {
        String m = t.getMessage();
        return m == null ? "" : m;
    }
}
