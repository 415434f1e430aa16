package org.openkms.ramplugin;

import com.aliyun.tea.TeaException;

/**
 * Runs a V2 SDK call and, when it is refused with {@code InvalidAccessKeyId.NotFound} or {@code InvalidAccessKeyId}
 * (the AccessKey was rotated away), reads the RAM secret again and retries the call once, as Alibaba's RAM secret
 * plug-in does (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/ram-secret-plug-in).
 * When the refresh is rate-limited or fails, the caller sees the original error.
 */
public final class RamSecretRetry {
    /** One SDK call. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws Exception;
    }

    private final RamSecret secret;

    public RamSecretRetry(RamSecret secret) {
        this.secret = secret;
    }

    public <T> T call(Call<T> call) throws Exception {
        RamSecret.AccessKey used = secret.accessKey();
        try {
            return call.run();
        } catch (Exception e) {
            if (!accessKeyExpired(e) || !refreshed(used)) {
                throw e;
            }
            return call.run();
        }
    }

    private boolean refreshed(RamSecret.AccessKey used) {
        try {
            return secret.refreshUnlessChanged(used);
        } catch (RamSecretException e) {
            return false;
        }
    }

    static boolean accessKeyExpired(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TeaException
                    && RamSecret.ACCESS_KEY_EXPIRED_CODES.contains(((TeaException) t).getCode())) {
                return true;
            }
        }
        return false;
    }
}
