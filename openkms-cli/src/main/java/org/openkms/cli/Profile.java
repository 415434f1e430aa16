package org.openkms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who the CLI signs as, and for which region: resolved the way the {@code aliyun} CLI does — flags, then the
 * {@code ALIBABA_CLOUD_*} variables, then a profile of {@code ~/.aliyun/config.json} (the {@code aliyun configure}
 * file, https://www.alibabacloud.com/help/en/cli/configure-profiles) — and, for a local server, the
 * {@code root-credentials} file the server writes into its data directory.
 *
 * @param mode AK, StsToken or RamRoleArn (the profile modes OpenKMS can honour)
 */
record Profile(
        String mode,
        String accessKeyId,
        String accessKeySecret,
        String stsToken,
        String ramRoleArn,
        String roleSessionName,
        String regionId,
        String source) {

    static final String DEFAULT_REGION = "cn-hangzhou";

    /** The parts of the command line that name credentials. */
    record Flags(
            String profile,
            String accessKeyId,
            String accessKeySecret,
            String stsToken,
            String ramRoleArn,
            String roleSessionName,
            String region,
            Path configPath,
            Path dataDir) {}

    /** @throws CliException naming the option to fix when nothing usable is found */
    static Profile resolve(Flags f, Map<String, String> env) {
        String region = first(f.region(), env.get("ALIBABA_CLOUD_REGION_ID"), env.get("ALIBABACLOUD_REGION_ID"));
        if (notEmpty(f.accessKeyId()) || notEmpty(f.accessKeySecret())) {
            if (!notEmpty(f.accessKeyId()) || !notEmpty(f.accessKeySecret())) {
                throw new CliException("--access-key-id and --access-key-secret go together");
            }
            return fromKeys(f, f.accessKeyId(), f.accessKeySecret(), f.stsToken(), region, "command line");
        }
        String envId = first(env.get("ALIBABA_CLOUD_ACCESS_KEY_ID"), env.get("ALIBABACLOUD_ACCESS_KEY_ID"));
        String envSecret = first(env.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), env.get("ALIBABACLOUD_ACCESS_KEY_SECRET"));
        if (notEmpty(envId) && notEmpty(envSecret) && f.profile() == null) {
            String token = first(f.stsToken(), env.get("ALIBABA_CLOUD_SECURITY_TOKEN"));
            return fromKeys(f, envId, envSecret, token, region, "environment");
        }
        Path config = f.configPath() != null
                ? f.configPath()
                : Path.of(System.getProperty("user.home"), ".aliyun", "config.json");
        String wanted = first(f.profile(), env.get("ALIBABA_CLOUD_PROFILE"), env.get("ALIBABACLOUD_PROFILE"));
        if (Files.isRegularFile(config)) {
            Profile p = fromConfigFile(config, wanted, region);
            if (p != null) {
                return p;
            }
        }
        if (wanted != null) {
            throw new CliException(
                    "--profile " + wanted + ": no such profile in " + config + " (create it with aliyun configure)");
        }
        Path rootFile = f.dataDir().resolve("root-credentials");
        if (Files.isRegularFile(rootFile)) {
            return fromRootFile(rootFile, region);
        }
        throw new CliException("no credentials: pass --access-key-id and --access-key-secret, set"
                + " ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, add a profile to " + config
                + ", or point --data-dir at the server's data directory (" + rootFile + " does not exist)");
    }

    private static Profile fromKeys(Flags f, String id, String secret, String token, String region, String source) {
        if (notEmpty(f.ramRoleArn())) {
            return new Profile(
                    "RamRoleArn",
                    id,
                    secret,
                    null,
                    f.ramRoleArn(),
                    first(f.roleSessionName(), "openkms-cli"),
                    orDefault(region),
                    source);
        }
        return new Profile(
                notEmpty(token) ? "StsToken" : "AK", id, secret, token, null, null, orDefault(region), source);
    }

    private static Profile fromConfigFile(Path config, String wanted, String region) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(config.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException(config + " is not valid JSON (" + e.getOriginalMessage() + "): fix or remove it");
        } catch (IOException e) {
            throw new CliException("cannot read " + config + ": " + e.getMessage());
        }
        String name = wanted != null ? wanted : root.path("current").asText("default");
        for (JsonNode p : root.path("profiles")) {
            if (!name.equals(p.path("name").asText())) {
                continue;
            }
            String mode = p.path("mode").asText("AK");
            String r = first(region, text(p, "region_id"));
            String source = config + " profile " + name;
            switch (mode) {
                case "AK", "StsToken", "RamRoleArn" -> {
                    return new Profile(
                            mode,
                            text(p, "access_key_id"),
                            text(p, "access_key_secret"),
                            "StsToken".equals(mode) ? text(p, "sts_token") : null,
                            "RamRoleArn".equals(mode) ? text(p, "ram_role_arn") : null,
                            first(text(p, "ram_session_name"), "openkms-cli"),
                            orDefault(r),
                            source);
                }
                default ->
                    throw new CliException("profile " + name + " in " + config + " has mode " + mode
                            + ", which OpenKMS cannot use: pick AK, StsToken or RamRoleArn (aliyun configure --mode)");
            }
        }
        return null;
    }

    private static Profile fromRootFile(Path file, String region) {
        String id = null;
        String secret = null;
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    String k = line.substring(0, eq).trim();
                    String v = line.substring(eq + 1).trim();
                    if (k.equals("OPENKMS_ACCESS_KEY_ID")) {
                        id = v;
                    } else if (k.equals("OPENKMS_ACCESS_KEY_SECRET")) {
                        secret = v;
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        if (!notEmpty(id) || !notEmpty(secret)) {
            throw new CliException(file + " has no OPENKMS_ACCESS_KEY_ID/OPENKMS_ACCESS_KEY_SECRET lines");
        }
        return new Profile("AK", id, secret, null, null, null, orDefault(region), file.toString());
    }

    private static String text(JsonNode node, String field) {
        String v = node.path(field).asText("");
        return v.isEmpty() ? null : v;
    }

    private static String orDefault(String region) {
        return notEmpty(region) ? region : DEFAULT_REGION;
    }

    static String first(String... values) {
        for (String v : values) {
            if (notEmpty(v)) {
                return v;
            }
        }
        return null;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    /** Never prints the secret or the token. */
    @Override
    public String toString() {
        return "Profile[" + mode + " " + accessKeyId + " from " + source + ", region " + regionId + "]";
    }
}
