package org.openkms.agent;

import com.aliyun.dkms.gcs.openapi.models.Config;
import com.aliyun.dkms.gcs.openapi.util.models.RuntimeOptions;
import com.aliyun.dkms.gcs.sdk.Client;
import com.aliyun.dkms.gcs.sdk.models.GetSecretValueRequest;
import com.aliyun.dkms.gcs.sdk.models.GetSecretValueResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/**
 * A KMS instance's own API (protobuf over TLS, signed with an application access point's ClientKey) through the
 * official instance SDK {@code com.aliyun:alibabacloud-dkms-gcs-sdk}, configured as Alibaba documents it
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/initialize-the-client):
 * protocol https, the ClientKey file and its password, the instance endpoint and the instance CA.
 *
 * <p>That API has GetSecretValue and no DescribeSecret, so {@link #describes()} is false: the cache cannot check
 * freshness cheaply and fetches the value again once the TTL has passed. The answer carries no ARN either.
 */
final class InstanceSecretsUpstream implements SecretsUpstream {
    private final Client client;
    private final RuntimeOptions runtime;

    InstanceSecretsUpstream(AgentConfig c, Map<String, String> env) {
        String password = password(c, env);
        Config cfg = new Config()
                .setProtocol("https")
                .setEndpoint(c.endpoint().getAuthority())
                .setRegionId(c.region())
                .setClientKeyFile(c.clientKeyFile().toString())
                .setPassword(password)
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
            // The SDK opens the PKCS#12 here: a wrong password or a damaged file ends up in this message. The
            // message names the file, never the password.
            throw new AgentConfigException("client_key_file " + c.clientKeyFile()
                    + " cannot be opened with the configured password: " + rootMessage(e));
        }
        this.runtime = new RuntimeOptions()
                .setAutoretry(false)
                .setConnectTimeout((int) c.connectTimeout().toMillis())
                .setReadTimeout((int) c.readTimeout().toMillis());
    }

    @Override
    public boolean describes() {
        return false;
    }

    @Override
    public Description describe(String secretName) {
        return Description.UNKNOWN;
    }

    @Override
    public SecretValue get(String secretName, String versionId, String versionStage, String arn)
            throws UpstreamException {
        try {
            GetSecretValueResponse r = client.getSecretValueWithOptions(
                    new GetSecretValueRequest()
                            .setSecretName(secretName)
                            .setVersionId(versionId)
                            .setVersionStage(versionStage)
                            .setFetchExtendedConfig(true),
                    runtime);
            return new SecretValue(
                    r.getSecretName(),
                    arn,
                    r.getVersionId(),
                    r.getVersionStages(),
                    r.getCreateTime(),
                    r.getSecretData(),
                    r.getSecretDataType(),
                    r.getSecretType(),
                    r.getAutomaticRotation(),
                    r.getExtendedConfig(),
                    r.getRotationInterval(),
                    r.getNextRotationDate(),
                    r.getLastRotationDate());
        } catch (Exception e) {
            throw classify(e);
        }
    }

    /**
     * The instance answers a ClientKey it does not accept with 401 Unauthorized: like a refused AccessKey, that is
     * the agent's own fault, so a gateway error, never passed on as the caller's.
     */
    static UpstreamException classify(Exception e) {
        UpstreamException u = OpenApiSecretsUpstream.classify(e);
        if (u.code().equals("Unauthorized")) {
            return new UpstreamException(502, u.code(), u.getMessage(), false, null);
        }
        return u;
    }

    /** The password from the file the console downloads ({@code clientKey_…_Password.txt}) or a variable. */
    static String password(AgentConfig c, Map<String, String> env) {
        if (c.clientKeyPasswordFile() != null) {
            try {
                return Files.readString(c.clientKeyPasswordFile(), StandardCharsets.UTF_8)
                        .strip();
            } catch (IOException e) {
                throw new AgentConfigException(
                        "client_key_password_file " + c.clientKeyPasswordFile() + " cannot be read: " + e.getMessage());
            }
        }
        String v = env.get(c.clientKeyPasswordEnv());
        if (v == null || v.isEmpty()) {
            throw new AgentConfigException("client_key_password_env names " + c.clientKeyPasswordEnv()
                    + ", which is not set: export it or use client_key_password_file");
        }
        return v;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
