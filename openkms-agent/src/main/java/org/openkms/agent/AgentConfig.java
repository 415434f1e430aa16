package org.openkms.agent;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Every option of the agent (docs/agent.md lists them). Values come from, later winning: the defaults, the properties
 * file named by {@code --config}, and command-line options ({@code --http-port 2025} or {@code --http_port=2025} set
 * the key {@code http_port}; {@code --port} and {@code --ca} are short for {@code http_port} and {@code ca_file}).
 *
 * <p>Defaults follow Alibaba's KMS Agent
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/kms-agent-overview): port 2025,
 * headers {@code X-KMS-Token}/{@code X-Vault-Token}, token variables {@code KMS_TOKEN}, {@code KMS_SESSION_TOKEN},
 * {@code KMS_CONTAINER_AUTHORIZATION_TOKEN}, 800 connections, TTL 300 s, 1,000 cached secrets, transient errors
 * ignored. The ranges are AWS's agent's (https://github.com/aws/aws-secretsmanager-agent, README "Configure").
 * Unknown keys are refused, so a misspelt option cannot silently keep its default.
 */
public record AgentConfig(
        int httpPort,
        String pathPrefix,
        List<String> ssrfHeaders,
        List<String> ssrfEnvVariables,
        Path tokenFile,
        int maxConn,
        int maxThreads,
        Duration ttl,
        int cacheSize,
        boolean ignoreTransientErrors,
        ResponseFormat responseType,
        URI endpoint,
        Path caFile,
        String region,
        Duration connectTimeout,
        Duration readTimeout,
        String credentialsType,
        String accessKeyId,
        String accessKeySecret,
        String roleArn,
        String roleSessionName,
        String policy,
        String stsEndpoint,
        Path credentialsFile,
        Path clientKeyFile,
        Path clientKeyPasswordFile,
        String clientKeyPasswordEnv,
        String logLevel) {

    static final Set<String> KEYS = Set.of(
            "http_port",
            "path_prefix",
            "ssrf_headers",
            "ssrf_env_variables",
            "token_file",
            "max_conn",
            "max_threads",
            "ttl_seconds",
            "cache_size",
            "ignore_transient_errors",
            "response_type",
            "endpoint",
            "ca_file",
            "region",
            "connect_timeout_ms",
            "read_timeout_ms",
            "credentials_type",
            "access_key_id",
            "access_key_secret",
            "role_arn",
            "role_session_name",
            "policy",
            "sts_endpoint",
            "credentials_file",
            "client_key_file",
            "client_key_password_file",
            "client_key_password_env",
            "log_level");

    private static final Map<String, String> ALIASES = Map.of("port", "http_port", "ca", "ca_file");

    /** Parses command-line arguments (and the file named by {@code --config}) against the process environment. */
    public static AgentConfig fromArgs(String[] args, Map<String, String> env) {
        Map<String, String> cli = new LinkedHashMap<>();
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new AgentConfigException("unexpected argument '" + a + "' (options are --name value)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new AgentConfigException("option --" + name + " needs a value");
            }
            if (name.equals("config")) {
                configFile = Path.of(value);
                continue;
            }
            String key = ALIASES.getOrDefault(name, name.replace('-', '_'));
            if (!KEYS.contains(key)) {
                throw new AgentConfigException("unknown option --" + name + " (see docs/agent.md)");
            }
            cli.put(key, value);
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (configFile != null) {
            values.putAll(readFile(configFile));
        }
        values.putAll(cli);
        return from(values, env);
    }

    /** Reads a properties file ({@code key = value}, {@code #} comments); unknown keys are an error. */
    static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new AgentConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            if (!KEYS.contains(k)) {
                throw new AgentConfigException("unknown option '" + k + "' in " + file + " (see docs/agent.md)");
            }
            out.put(k, p.getProperty(k).trim());
        }
        return out;
    }

    /** Builds and checks a configuration from option keys (as in the properties file). */
    public static AgentConfig from(Map<String, String> v, Map<String, String> env) {
        for (String k : v.keySet()) {
            if (!KEYS.contains(k)) {
                throw new AgentConfigException("unknown option '" + k + "' (see docs/agent.md)");
            }
        }
        // 0 binds a free port (tests, or an operator who reads the port from the start-up line).
        int port = integer(v, "http_port", 2025, 0, 65535);
        String prefix = v.getOrDefault("path_prefix", "/v1/");
        if (!prefix.startsWith("/")) {
            throw new AgentConfigException("path_prefix must start with '/', got '" + prefix + "'");
        }
        if (!prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (prefix.equals("/secretsmanager/") || prefix.equals("/")) {
            throw new AgentConfigException("path_prefix '" + prefix + "' would hide /secretsmanager/get or /ping");
        }
        List<String> headers = list(v, "ssrf_headers", "X-KMS-Token,X-Vault-Token");
        List<String> envVars =
                list(v, "ssrf_env_variables", "KMS_TOKEN,KMS_SESSION_TOKEN,KMS_CONTAINER_AUTHORIZATION_TOKEN");
        Path tokenFile = v.containsKey("token_file") ? Path.of(v.get("token_file")) : defaultTokenFile(env);
        int maxConn = integer(v, "max_conn", 800, 1, 1000);
        int maxThreads = integer(v, "max_threads", 64, 8, 1000);
        int ttl = integer(v, "ttl_seconds", 300, 0, 3600);
        int cacheSize = integer(v, "cache_size", 1000, 1, 1000);
        boolean ignore = bool(v, "ignore_transient_errors", true);
        ResponseFormat format = ResponseFormat.parse(v.getOrDefault("response_type", "kms"));
        String region = v.getOrDefault("region", env.getOrDefault("ALIBABA_CLOUD_REGION_ID", ""));
        URI endpoint = endpoint(v.get("endpoint"), region);
        if (region.isEmpty()) {
            // With an explicit endpoint the region only goes into the signature scope; our server accepts any.
            region = "cn-hangzhou";
        }
        Path ca = v.containsKey("ca_file") ? Path.of(v.get("ca_file")) : null;
        if (ca != null && !Files.isReadable(ca)) {
            throw new AgentConfigException("ca_file " + ca + " is not a readable file");
        }
        if (ca != null && !endpoint.getScheme().equals("https")) {
            throw new AgentConfigException("ca_file is set but endpoint " + endpoint + " is not https");
        }
        String type = v.getOrDefault("credentials_type", "default").toLowerCase(Locale.ROOT);
        if (!List.of("default", "access_key", "ram_role_arn", "client_key").contains(type)) {
            throw new AgentConfigException(
                    "credentials_type must be default, access_key, ram_role_arn or client_key, got '" + type + "'");
        }
        Path clientKeyFile = v.containsKey("client_key_file") ? Path.of(v.get("client_key_file")) : null;
        Path passwordFile =
                v.containsKey("client_key_password_file") ? Path.of(v.get("client_key_password_file")) : null;
        String passwordEnv = v.get("client_key_password_env");
        if (type.equals("client_key")) {
            checkClientKey(endpoint, clientKeyFile, passwordFile, passwordEnv);
        } else if (clientKeyFile != null || passwordFile != null || passwordEnv != null) {
            throw new AgentConfigException(
                    "client_key_file and its password are only used with credentials_type client_key");
        }
        String akId = v.get("access_key_id");
        String akSecret = v.get("access_key_secret");
        if ((type.equals("access_key") || type.equals("ram_role_arn")) && (akId == null || akSecret == null)) {
            throw new AgentConfigException("credentials_type " + type + " needs access_key_id and access_key_secret");
        }
        String roleArn = v.get("role_arn");
        if (type.equals("ram_role_arn") && roleArn == null) {
            throw new AgentConfigException("credentials_type ram_role_arn needs role_arn");
        }
        String logLevel = v.getOrDefault("log_level", "info").toLowerCase(Locale.ROOT);
        if (!List.of("debug", "info", "warn", "error", "off").contains(logLevel)) {
            throw new AgentConfigException("log_level must be debug, info, warn, error or off, got '" + logLevel + "'");
        }
        return new AgentConfig(
                port,
                prefix,
                headers,
                envVars,
                tokenFile,
                maxConn,
                maxThreads,
                Duration.ofSeconds(ttl),
                cacheSize,
                ignore,
                format,
                endpoint,
                ca,
                region,
                Duration.ofMillis(integer(v, "connect_timeout_ms", 5_000, 100, 60_000)),
                Duration.ofMillis(integer(v, "read_timeout_ms", 10_000, 100, 120_000)),
                type,
                akId,
                akSecret,
                roleArn,
                v.getOrDefault("role_session_name", "openkms-agent"),
                v.get("policy"),
                v.get("sts_endpoint"),
                v.containsKey("credentials_file") ? Path.of(v.get("credentials_file")) : null,
                clientKeyFile,
                passwordFile,
                passwordEnv,
                logLevel);
    }

    /**
     * A KMS instance endpoint is HTTPS only, and a ClientKey is the file plus its password, the pair the console
     * downloads (https://www.alibabacloud.com/help/en/kms/key-management-service/user-guide/create-an-aap).
     */
    private static void checkClientKey(URI endpoint, Path clientKeyFile, Path passwordFile, String passwordEnv) {
        if (!endpoint.getScheme().equals("https")) {
            throw new AgentConfigException("credentials_type client_key needs an https endpoint (the KMS instance"
                    + " endpoint, e.g. https://127.0.0.1:8444), got " + endpoint);
        }
        if (clientKeyFile == null || !Files.isReadable(clientKeyFile)) {
            throw new AgentConfigException("credentials_type client_key needs client_key_file, the readable"
                    + " clientKey_….json" + (clientKeyFile == null ? "" : " (" + clientKeyFile + " is not)"));
        }
        if ((passwordFile == null) == (passwordEnv == null)) {
            throw new AgentConfigException("credentials_type client_key needs exactly one of client_key_password_file"
                    + " (clientKey_…_Password.txt) and client_key_password_env (a variable holding the password)");
        }
        if (passwordFile != null && !Files.isReadable(passwordFile)) {
            throw new AgentConfigException("client_key_password_file " + passwordFile + " is not a readable file");
        }
    }

    /**
     * Alibaba's agent writes {@code /var/run/kmstoken}; that directory is root's, so an unprivileged agent uses its
     * runtime directory or its home instead. The path is printed at start-up either way.
     */
    static Path defaultTokenFile(Map<String, String> env) {
        Path varRun = Path.of("/var/run");
        if (Files.isWritable(varRun)) {
            return varRun.resolve("kmstoken");
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty() && Files.isWritable(Path.of(runtime))) {
            return Path.of(runtime, "openkms", "kmstoken");
        }
        return Path.of(System.getProperty("user.home"), ".openkms", "kmstoken");
    }

    private static URI endpoint(String value, String region) {
        if (value == null || value.isEmpty()) {
            if (region.isEmpty()) {
                throw new AgentConfigException(
                        "endpoint is not set (e.g. --endpoint http://127.0.0.1:8080), nor region");
            }
            return URI.create("https://kms." + region + ".aliyuncs.com");
        }
        URI u;
        try {
            u = new URI(value.contains("://") ? value : "https://" + value);
        } catch (URISyntaxException e) {
            throw new AgentConfigException("endpoint '" + value + "' is not a URL");
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new AgentConfigException("endpoint must be http:// or https://, got '" + value + "'");
        }
        if (u.getHost() == null) {
            throw new AgentConfigException("endpoint '" + value + "' has no host");
        }
        if (u.getRawPath() != null
                && !u.getRawPath().isEmpty()
                && !u.getRawPath().equals("/")) {
            throw new AgentConfigException("endpoint '" + value + "' must not have a path");
        }
        return u;
    }

    private static int integer(Map<String, String> v, String key, int def, int min, int max) {
        String s = v.get(key);
        if (s == null) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new AgentConfigException(key + " must be a whole number, got '" + s + "'");
        }
        if (n < min || n > max) {
            throw new AgentConfigException(key + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private static boolean bool(Map<String, String> v, String key, boolean def) {
        String s = v.get(key);
        if (s == null) {
            return def;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new AgentConfigException(key + " must be true or false, got '" + s + "'");
        };
    }

    private static List<String> list(Map<String, String> v, String key, String def) {
        List<String> out = new ArrayList<>();
        for (String s : Arrays.asList(v.getOrDefault(key, def).split(","))) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        if (out.isEmpty()) {
            throw new AgentConfigException(key + " must name at least one entry");
        }
        return List.copyOf(out);
    }
}
