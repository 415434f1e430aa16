package org.openkms.ramplugin;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.GetSecretValueRequest;
import com.aliyun.kms20160120.models.GetSecretValueResponseBody;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teautil.models.RuntimeOptions;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.openkms.clientconfig.ClientConfig;

/**
 * One RAM secret ({@code acs/ram/user/<UserName>}, SecretType RAMCredentials) and the AccessKey it holds, read with
 * GetSecretValue through the official V2 SDK ({@code com.aliyun:kms20160120}) and cached. The cache is read again
 * when it is older than the refresh interval (default 6 hours, Alibaba's {@code rotation_interval}) and, on demand,
 * when a cloud service refuses the AccessKey ({@link #refreshNow()}), at most 5 times per 10 minutes per secret, as
 * Alibaba's RAM secret plug-in does
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/ram-secret-plug-in).
 *
 * <p>The KMS client that reads the secret has its own identity (the {@link Config} given: endpoint, credential,
 * {@code ca} for a private certificate); certificate checks stay on.
 */
public final class RamSecret {
    /** The error codes that mean "this AccessKey is no longer valid": the signal to read the secret again. */
    public static final Set<String> ACCESS_KEY_EXPIRED_CODES = Collections.unmodifiableSet(
            new HashSet<>(Arrays.asList("InvalidAccessKeyId.NotFound", "InvalidAccessKeyId")));

    static final long DEFAULT_REFRESH_MILLIS = 6 * 3600_000L;

    /**
     * Alibaba's RAM secret plug-in reads {@code managed_credentials_providers.properties} and
     * {@code rotation_interval}
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/ram-secret-plug-in); the
     * system property is an OpenKMS extension.
     */
    static final ClientConfig.Source CONFIG = new ClientConfig.Source(
            "managed_credentials_providers.properties",
            "openkms.ramplugin.config",
            "rotation_interval",
            "openkms-ram-plugin");

    private static final RuntimeOptions RUNTIME =
            new RuntimeOptions().setAutoretry(false).setConnectTimeout(5000).setReadTimeout(10000);

    /** An AccessKey pair; {@link #toString()} never shows the secret. */
    public static final class AccessKey {
        private final String accessKeyId;
        private final String accessKeySecret;

        AccessKey(String accessKeyId, String accessKeySecret) {
            this.accessKeyId = accessKeyId;
            this.accessKeySecret = accessKeySecret;
        }

        public String accessKeyId() {
            return accessKeyId;
        }

        public String accessKeySecret() {
            return accessKeySecret;
        }

        @Override
        public String toString() {
            return "AccessKey[" + accessKeyId + "]";
        }
    }

    private final Client kms;
    private final String secretName;
    private final long refreshMillis;
    private final TokenBucket refreshes;
    private final Object lock = new Object();
    private volatile AccessKey current;
    private volatile long fetchedAtNanos;

    private RamSecret(Client kms, String secretName, long refreshMillis, TokenBucket refreshes) {
        this.kms = kms;
        this.secretName = secretName;
        this.refreshMillis = refreshMillis;
        this.refreshes = refreshes;
    }

    /**
     * A RAM secret read with the settings of {@code managed_credentials_providers.properties} and the environment
     * ({@link ClientConfig}: credentials, {@code cache_client_region_id}, {@code rotation_interval}). The first
     * region of {@code cache_client_region_id} is used.
     */
    public static RamSecret open(String secretName) throws RamSecretException {
        ClientConfig config = ClientConfig.load(CONFIG);
        Config c = config.kmsConfig(config.regions.get(0), config.credentialsClient());
        return open(c, secretName, config.refreshTtlMillis);
    }

    /**
     * A RAM secret read through a KMS client built from {@code kmsConfig}; the first read happens here, so a wrong
     * name or a missing permission fails at start-up.
     */
    public static RamSecret open(Config kmsConfig, String secretName) throws RamSecretException {
        return open(kmsConfig, secretName, DEFAULT_REFRESH_MILLIS);
    }

    /** As {@link #open(Config, String)}, re-reading the secret when the cached value is older than refreshMillis. */
    public static RamSecret open(Config kmsConfig, String secretName, long refreshMillis) throws RamSecretException {
        if (secretName == null || secretName.trim().isEmpty()) {
            throw new IllegalArgumentException("secretName is empty: name the RAM secret, e.g. acs/ram/user/NAME");
        }
        if (refreshMillis <= 0) {
            throw new IllegalArgumentException("refreshMillis must be > 0, got " + refreshMillis);
        }
        Client kms;
        try {
            kms = new Client(kmsConfig);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "no KMS client for endpoint " + kmsConfig.endpoint + ": " + e.getMessage());
        }
        RamSecret s = new RamSecret(kms, secretName, refreshMillis, new TokenBucket(5, 10 * 60_000L));
        s.fetch();
        return s;
    }

    public String secretName() {
        return secretName;
    }

    /** The cached AccessKey, read again first if it is older than the refresh interval (a failure keeps it). */
    public AccessKey accessKey() {
        if (System.nanoTime() - fetchedAtNanos > refreshMillis * 1_000_000L) {
            synchronized (lock) {
                if (System.nanoTime() - fetchedAtNanos > refreshMillis * 1_000_000L) {
                    try {
                        fetch();
                    } catch (RamSecretException e) {
                        // Keep signing with the cached key: it may still be valid; try again in a minute.
                        fetchedAtNanos = System.nanoTime() - (refreshMillis - 60_000L) * 1_000_000L;
                    }
                }
            }
        }
        return current;
    }

    /**
     * Reads the secret again now, unless the rate limit (5 per 10 minutes) is spent.
     *
     * @return whether the secret was read (a new AccessKey or the same one)
     */
    public boolean refreshNow() throws RamSecretException {
        return refreshUnlessChanged(null);
    }

    /**
     * As {@link #refreshNow()}, but when the cached AccessKey is no longer {@code refused} (another thread refreshed
     * it meanwhile) the call is worth retrying without reading the secret again: many threads refused at once
     * after a rotation spend one refresh, not the whole budget.
     */
    boolean refreshUnlessChanged(AccessKey refused) throws RamSecretException {
        synchronized (lock) {
            if (refused != null && current != refused) {
                return true;
            }
            if (!refreshes.tryTake()) {
                return false;
            }
            fetch();
            return true;
        }
    }

    private void fetch() throws RamSecretException {
        GetSecretValueResponseBody b;
        try {
            b = kms.getSecretValueWithOptions(new GetSecretValueRequest().setSecretName(secretName), RUNTIME)
                    .getBody();
        } catch (TeaException e) {
            throw new RamSecretException(e.getCode(), "GetSecretValue " + secretName + ": " + e.getCode(), e);
        } catch (Exception e) {
            throw new RamSecretException(
                    "ConnectionError",
                    "GetSecretValue " + secretName + ": " + e.getClass().getSimpleName(),
                    e);
        }
        current = parse(secretName, b.getSecretData());
        fetchedAtNanos = System.nanoTime();
    }

    /**
     * The secret value: {@code {"AccessKeyId","AccessKeySecret","GenerateTimestamp"}}, or the CreateSecret form
     * {@code {"AccessKeys":[{"AccessKeyId","AccessKeySecret"}]}} (its last entry is the newest).
     */
    static AccessKey parse(String secretName, String data) throws RamSecretException {
        try {
            JsonElement e = data == null ? null : JsonParser.parseString(data);
            if (e != null && e.isJsonObject()) {
                JsonObject o = e.getAsJsonObject();
                if (o.has("AccessKeys") && o.get("AccessKeys").isJsonArray()) {
                    JsonArray a = o.getAsJsonArray("AccessKeys");
                    if (a.size() > 0 && a.get(a.size() - 1).isJsonObject()) {
                        o = a.get(a.size() - 1).getAsJsonObject();
                    }
                }
                JsonElement id = o.get("AccessKeyId");
                JsonElement secret = o.get("AccessKeySecret");
                if (id != null && id.isJsonPrimitive() && secret != null && secret.isJsonPrimitive()) {
                    return new AccessKey(id.getAsString(), secret.getAsString());
                }
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            // reported below, without the value
        }
        throw new RamSecretException(
                "InvalidSecretValue",
                "secret " + secretName + " holds no {\"AccessKeyId\",\"AccessKeySecret\"} JSON: is it a RAM secret?",
                null);
    }

    /** A token bucket: {@code capacity} tokens, refilled evenly over {@code periodMillis}. */
    static final class TokenBucket {
        private final int capacity;
        private final long nanosPerToken;
        private double tokens;
        private long lastNanos;

        TokenBucket(int capacity, long periodMillis) {
            this.capacity = capacity;
            this.nanosPerToken = periodMillis * 1_000_000L / capacity;
            this.tokens = capacity;
            this.lastNanos = System.nanoTime();
        }

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (double) (now - lastNanos) / nanosPerToken);
            lastNanos = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
