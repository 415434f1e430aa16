package org.openkms.agent;

import com.aliyun.credentials.Client;
import com.aliyun.credentials.models.Config;
import com.aliyun.credentials.provider.DefaultCredentialsProvider;
import com.aliyun.credentials.provider.RamRoleArnCredentialProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Alibaba Cloud default credential chain
 * (https://www.alibabacloud.com/help/en/sdk/developer-reference/v2-manage-access-credentials), first match wins:
 *
 * <ol>
 *   <li>the agent's own options ({@code credentials_type = access_key | ram_role_arn});
 *   <li>{@code ALIBABA_CLOUD_ACCESS_KEY_ID} / {@code _SECRET} / {@code ALIBABA_CLOUD_SECURITY_TOKEN};
 *   <li>the credentials file: option {@code credentials_file}, else {@code ALIBABA_CLOUD_CREDENTIALS_FILE}, else
 *       {@code ~/.alibabacloud/credentials}, else {@code ~/.alibabacloud/credentials.ini}; profile
 *       {@code ALIBABA_CLOUD_PROFILE} or {@code default}; {@code type = access_key} or {@code ram_role_arn};
 *   <li>credentials-java's own chain (OIDC role in ACK, ECS instance role).
 * </ol>
 *
 * <p>The file is read here rather than by credentials-java 0.3.3 because that version only knows the {@code .ini}
 * name, and its RamRoleArn profile always calls {@code sts.aliyuncs.com}; a RamRoleArn here goes to
 * {@code sts_endpoint} (our STS), or to the KMS endpoint's host when that is unset.
 */
final class AgentCredentials {
    private AgentCredentials() {}

    static Client resolve(AgentConfig c, Map<String, String> env) {
        if (c.credentialsType().equals("access_key")) {
            return accessKey(c.accessKeyId(), c.accessKeySecret(), null);
        }
        if (c.credentialsType().equals("ram_role_arn")) {
            return ramRole(c, c.accessKeyId(), c.accessKeySecret(), c.roleArn(), c.roleSessionName(), c.policy(), null);
        }
        String id = env.get("ALIBABA_CLOUD_ACCESS_KEY_ID");
        String secret = env.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        if (notEmpty(id) && notEmpty(secret)) {
            return accessKey(id, secret, env.get("ALIBABA_CLOUD_SECURITY_TOKEN"));
        }
        for (Path file : candidateFiles(c, env)) {
            if (Files.isRegularFile(file)) {
                return fromFile(c, file, env.getOrDefault("ALIBABA_CLOUD_PROFILE", "default"));
            }
        }
        return new Client(new DefaultCredentialsProvider());
    }

    private static List<Path> candidateFiles(AgentConfig c, Map<String, String> env) {
        List<Path> out = new ArrayList<>();
        if (c.credentialsFile() != null) {
            if (!Files.isRegularFile(c.credentialsFile())) {
                throw new AgentConfigException("credentials_file " + c.credentialsFile() + " does not exist");
            }
            out.add(c.credentialsFile());
            return out;
        }
        String fromEnv = env.get("ALIBABA_CLOUD_CREDENTIALS_FILE");
        if (notEmpty(fromEnv)) {
            out.add(Path.of(fromEnv));
        }
        Path home = Path.of(System.getProperty("user.home"), ".alibabacloud");
        out.add(home.resolve("credentials"));
        out.add(home.resolve("credentials.ini"));
        return out;
    }

    private static Client fromFile(AgentConfig c, Path file, String profile) {
        Map<String, String> p = readIni(file).get(profile);
        if (p == null) {
            throw new AgentConfigException("credentials file " + file + " has no profile [" + profile + "]");
        }
        String type = p.getOrDefault("type", "access_key").toLowerCase(Locale.ROOT);
        String id = p.get("access_key_id");
        String secret = p.get("access_key_secret");
        if (!notEmpty(id) || !notEmpty(secret)) {
            throw new AgentConfigException(
                    "credentials file " + file + " [" + profile + "] needs access_key_id and access_key_secret");
        }
        return switch (type) {
            case "access_key" -> accessKey(id, secret, p.get("security_token"));
            case "ram_role_arn" -> {
                if (!notEmpty(p.get("role_arn"))) {
                    throw new AgentConfigException("credentials file " + file + " [" + profile + "] needs role_arn");
                }
                yield ramRole(
                        c,
                        id,
                        secret,
                        p.get("role_arn"),
                        p.getOrDefault("role_session_name", c.roleSessionName()),
                        p.get("policy"),
                        p.get("sts_endpoint"));
            }
            default ->
                throw new AgentConfigException(
                        "credentials file " + file + " [" + profile + "]: type " + type + " is not supported here");
        };
    }

    /** Minimal INI: {@code [profile]} sections, {@code key = value} lines, {@code #}/{@code ;} comments. */
    static Map<String, Map<String, String>> readIni(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AgentConfigException("credentials file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, Map<String, String>> out = new HashMap<>();
        Map<String, String> section = null;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section =
                        out.computeIfAbsent(line.substring(1, line.length() - 1).trim(), k -> new HashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (section != null && eq > 0) {
                section.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return out;
    }

    private static Client accessKey(String id, String secret, String token) {
        Config cfg = new Config().setAccessKeyId(id).setAccessKeySecret(secret);
        if (notEmpty(token)) {
            cfg.setType("sts").setSecurityToken(token);
        } else {
            cfg.setType("access_key");
        }
        return new Client(cfg);
    }

    private static Client ramRole(
            AgentConfig c,
            String id,
            String secret,
            String roleArn,
            String session,
            String policy,
            String stsEndpointOverride) {
        String sts = stsEndpointOverride != null ? stsEndpointOverride : c.stsEndpoint();
        if (sts == null) {
            // credentials-java always speaks HTTPS to STS; our server answers STS on its HTTPS listener.
            sts = c.endpoint().getScheme().equals("https") ? c.endpoint().getAuthority() : "sts.aliyuncs.com";
        }
        Config cfg = new Config()
                .setType("ram_role_arn")
                .setAccessKeyId(id)
                .setAccessKeySecret(secret)
                .setRoleArn(roleArn)
                .setRoleSessionName(session)
                .setSTSEndpoint(sts);
        if (policy != null) {
            cfg.setPolicy(policy);
        }
        return new Client(new RamRoleArnCredentialProvider(cfg));
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
