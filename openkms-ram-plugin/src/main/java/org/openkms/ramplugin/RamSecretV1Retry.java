package org.openkms.ramplugin;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;

/**
 * {@link IAcsClient#getAcsResponse(AcsRequest)} for the V1 SDK with the RAM secret plug-in's rule: a call refused
 * with {@code InvalidAccessKeyId.NotFound} or {@code InvalidAccessKeyId} reads the secret again (rate-limited) and is
 * retried once; otherwise the caller sees the original error.
 */
public final class RamSecretV1Retry {
    private final RamSecret secret;

    public RamSecretV1Retry(RamSecret secret) {
        this.secret = secret;
    }

    public <T extends AcsResponse> T getAcsResponse(IAcsClient client, AcsRequest<T> request) throws ClientException {
        RamSecret.AccessKey used = secret.accessKey();
        try {
            return client.getAcsResponse(request);
        } catch (ClientException e) {
            if (!RamSecret.ACCESS_KEY_EXPIRED_CODES.contains(e.getErrCode()) || !refreshed(used)) {
                throw e;
            }
            return client.getAcsResponse(request);
        }
    }

    private boolean refreshed(RamSecret.AccessKey used) {
        try {
            return secret.refreshUnlessChanged(used);
        } catch (RamSecretException e) {
            return false;
        }
    }
}
