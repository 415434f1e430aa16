package org.openkms.ramplugin;

import com.aliyuncs.auth.AlibabaCloudCredentials;
import com.aliyuncs.auth.AlibabaCloudCredentialsProvider;
import com.aliyuncs.auth.BasicCredentials;

/**
 * A credentials provider for the V1 SDK ({@code aliyun-java-sdk-core}) that signs with the AccessKey held in a RAM
 * secret; {@code DefaultAcsClient} asks it on every request:
 * {@code new DefaultAcsClient(DefaultProfile.getProfile(regionId), new RamSecretV1CredentialsProvider(secret))}.
 */
public final class RamSecretV1CredentialsProvider implements AlibabaCloudCredentialsProvider {
    private final RamSecret secret;

    public RamSecretV1CredentialsProvider(RamSecret secret) {
        this.secret = secret;
    }

    @Override
    public AlibabaCloudCredentials getCredentials() {
        RamSecret.AccessKey k = secret.accessKey();
        return new BasicCredentials(k.accessKeyId(), k.accessKeySecret());
    }
}
