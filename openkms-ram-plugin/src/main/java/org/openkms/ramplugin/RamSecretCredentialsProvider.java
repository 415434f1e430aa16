package org.openkms.ramplugin;

import com.aliyun.credentials.models.CredentialModel;
import com.aliyun.credentials.provider.AlibabaCloudCredentialsProvider;

/**
 * A credentials provider for the V2 SDKs ({@code com.aliyun:credentials-java}, used by every Tea-OpenAPI client)
 * that signs with the AccessKey held in a RAM secret. The SDK asks the provider on every request, so a refreshed
 * secret takes effect at the next call:
 *
 * <pre>{@code
 * RamSecret secret = RamSecret.open(kmsConfig, "acs/ram/user/app");
 * Config config = new Config()
 *         .setCredential(new com.aliyun.credentials.Client(new RamSecretCredentialsProvider(secret)))
 *         .setEndpoint("kms.cn-hangzhou.aliyuncs.com");
 * }</pre>
 */
public final class RamSecretCredentialsProvider implements AlibabaCloudCredentialsProvider {
    private final RamSecret secret;

    public RamSecretCredentialsProvider(RamSecret secret) {
        this.secret = secret;
    }

    @Override
    public CredentialModel getCredentials() {
        RamSecret.AccessKey k = secret.accessKey();
        return CredentialModel.builder()
                .accessKeyId(k.accessKeyId())
                .accessKeySecret(k.accessKeySecret())
                .type("access_key")
                .build();
    }
}
