package org.openkms.clientconfig;

import com.aliyun.credentials.models.Config;
import java.util.Locale;
import java.util.Map;

/**
 * {@code credentials_*} keys (Alibaba's secrets-manager client names,
 * https://github.com/aliyun/aliyun-secretsmanager-jdbc/blob/master/README_config.md) mapped onto credentials-java.
 */
final class Credentials {
    private Credentials() {}

    static com.aliyun.credentials.Client of(Map<String, String> c, ClientConfig.Source source) {
        String type = c.get(ClientConfig.CREDENTIALS_TYPE);
        if (type == null) {
            // No credentials_type: credentials-java's default chain (environment, profile file, ECS role, OIDC).
            try {
                return new com.aliyun.credentials.Client();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(ClientConfig.CREDENTIALS_TYPE
                        + " is not set and the default credential chain found nothing: set "
                        + ClientConfig.CREDENTIALS_TYPE
                        + "=ak with " + ClientConfig.ACCESS_KEY_ID + " and " + ClientConfig.ACCESS_SECRET);
            }
        }
        Config cfg = new Config();
        switch (type.toLowerCase(Locale.ROOT)) {
            case "ak":
                cfg.setType("access_key")
                        .setAccessKeyId(need(c, source, ClientConfig.ACCESS_KEY_ID, type))
                        .setAccessKeySecret(need(c, source, ClientConfig.ACCESS_SECRET, type));
                break;
            case "sts":
            case "ram_role":
                cfg.setType("ram_role_arn")
                        .setAccessKeyId(need(c, source, ClientConfig.ACCESS_KEY_ID, type))
                        .setAccessKeySecret(need(c, source, ClientConfig.ACCESS_SECRET, type))
                        .setRoleArn(need(c, source, ClientConfig.ROLE_ARN, type))
                        .setRoleSessionName(c.getOrDefault(ClientConfig.ROLE_SESSION_NAME, source.clientName));
                break;
            case "ecs_ram_role":
                cfg.setType("ecs_ram_role").setRoleName(need(c, source, ClientConfig.ROLE_NAME, type));
                break;
            case "oidc_role_arn":
                cfg.setType("oidc_role_arn")
                        .setRoleArn(need(c, source, ClientConfig.ROLE_ARN, type))
                        .setRoleSessionName(c.getOrDefault(ClientConfig.ROLE_SESSION_NAME, source.clientName))
                        .setOidcProviderArn(need(c, source, ClientConfig.OIDC_PROVIDER_ARN, type));
                // credentials-java 0.3.3: this setter returns void.
                cfg.setOidcTokenFilePath(need(c, source, ClientConfig.OIDC_TOKEN_FILE, type));
                break;
            default:
                throw new IllegalArgumentException(ClientConfig.CREDENTIALS_TYPE + "=" + type + " is not supported by "
                        + source.clientName + ": use ak, sts, ram_role, ecs_ram_role or oidc_role_arn");
        }
        return new com.aliyun.credentials.Client(cfg);
    }

    private static String need(Map<String, String> c, ClientConfig.Source source, String key, String type) {
        String v = c.get(key);
        if (v == null) {
            throw new IllegalArgumentException(ClientConfig.CREDENTIALS_TYPE + "=" + type + " needs " + key + " (in "
                    + source.fileName + " or the environment)");
        }
        return v;
    }
}
