package org.openkms.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.openkms.server.http.HttpLimits;
import org.openkms.server.throttle.ThrottleConfig;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Builds a {@link ServerConfig}: defaults, then the YAML file (if any), then {@code OPENKMS_*} environment
 * variables. Command-line flags are applied by the caller on top.
 *
 * <pre>
 * listen: 127.0.0.1:8080
 * httpsListen: 127.0.0.1:8443
 * instanceListen: 127.0.0.1:8444
 * instanceNames: [kms.example.internal, 10.0.0.5]
 * instances:                                   # further KMS instances, each on its own listener
 *   - { name: team-a, listen: 127.0.0.1:8445, names: [a.kms.example.internal] }
 * dataDir: ./openkms-data
 * region: cn-hangzhou
 * accountId: "1234567890123456"
 * storage: { url: jdbc:postgresql://127.0.0.1:5432/openkms?user=openkms, cacheSyncInterval: 1s, cacheListen: true }
 * tls: { certificate: server.crt, key: server.key }
 * keys: { maintenanceInterval: 60s, minKeyVersionInterval: 7d, minRotationInterval: 7d, ramSecretOverlap: 24h }
 * audit: { maxFileSize: 100MiB, maxFiles: 10, maxTotalSize: 1GiB, rotateInterval: 1d, failClosed: false }
 * metrics: { enabled: true }
 * console: { enabled: true }
 * http2: { enabled: true }
 * throttle: { perCredential: "crypto=100:200,secretRead=50", perInstance: "crypto=1000", maxBuckets: 100000 }
 * </pre>
 *
 * A value that cannot be used fails the start with an {@link IllegalArgumentException} naming the option.
 */
public final class ConfigLoader {
    /** Where the KMS instance gateway listens unless configured otherwise. */
    public static final String DEFAULT_INSTANCE_LISTEN = "127.0.0.1:8444";

    private ConfigLoader() {}

    /**
     * Fails with a {@link ConfigException} naming the file, YAML key or environment variable when a file is
     * missing or unreadable, the YAML is malformed or has a key nothing reads, or a value does not parse.
     */
    public static ServerConfig load(Path yamlFile, Map<String, String> env) {
        // The instance gateway is on by default for `openkms server` (off in ServerConfig.defaults(), see there).
        ServerConfig c = ServerConfig.defaults().withInstanceListen(DEFAULT_INSTANCE_LISTEN);
        if (yamlFile != null) {
            c = applyYamlFile(c, yamlFile);
        }
        return applyEnvChecked(c, env);
    }

    private static ServerConfig applyYamlFile(ServerConfig c, Path file) {
        String option = "--config " + file;
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(option, "no such file (check the path)");
        } catch (AccessDeniedException e) {
            throw new ConfigException(option, "cannot read it (permission denied)");
        } catch (IOException e) {
            throw new ConfigException(option, "cannot read it (" + e.getMessage() + ")");
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory())
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(option, "not valid YAML " + yamlProblem(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return c; // an empty file: defaults
        }
        if (!root.isObject()) {
            throw new ConfigException(
                    option,
                    "expected settings as \"key: value\" lines, found "
                            + (root.isArray() ? "a list" : "a single value"));
        }
        // Every key applyYaml reads is recorded, so a key nobody reads (a typo, a misplaced section) is an error
        // rather than a silently ignored setting, and a key added to applyYaml is known without a second list.
        YamlReads reads = new YamlReads();
        YAML_READS.set(reads);
        try {
            c = applyYaml(c, root);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new ConfigException(option, reads.lastPath(root) + ": " + e.getMessage());
        } finally {
            YAML_READS.remove();
        }
        String unknown = reads.firstUnread(root, "");
        if (unknown != null) {
            throw new ConfigException(
                    option,
                    "unknown setting '" + unknown + "' (the Configuration table of README.md lists the YAML keys)");
        }
        return c;
    }

    /**
     * "at line 3, column 5: mapping values are not allowed here". SnakeYAML's message spans several lines (a
     * source excerpt with a caret); its problem and mark are what an operator needs.
     */
    private static String yamlProblem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            return "at line " + (m.getProblemMark().getLine() + 1) + ", column "
                    + (m.getProblemMark().getColumn() + 1) + ": " + m.getProblem()
                    + (m.getContext() != null ? " (" + m.getContext() + ")" : "");
        }
        JsonLocation at = e.getLocation();
        String what = e.getOriginalMessage() == null
                ? "syntax error"
                : e.getOriginalMessage().lines().findFirst().orElse("syntax error");
        return (at == null ? "" : "at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + what;
    }

    private static ServerConfig applyEnvChecked(ServerConfig c, Map<String, String> env) {
        String[] last = new String[1];
        // Remembers the last variable asked for, so a value that does not parse is reported under its name.
        Map<String, String> recording = new java.util.AbstractMap<>() {
            @Override
            public String get(Object key) {
                last[0] = (String) key;
                return env.get(key);
            }

            @Override
            public java.util.Set<Entry<String, String>> entrySet() {
                return env.entrySet();
            }
        };
        try {
            return applyEnv(c, recording);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new ConfigException(last[0] + "=" + env.get(last[0]), e.getMessage());
        }
    }

    static ServerConfig applyYaml(ServerConfig c, JsonNode y) {
        if (y == null || y.isMissingNode() || y.isNull()) {
            return c;
        }
        if (text(y, "listen") != null) {
            c = c.withListen(text(y, "listen"));
        }
        if (text(y, "httpsListen") != null) {
            c = c.withHttpsListen(text(y, "httpsListen"));
        }
        if (text(y, "instanceListen") != null) {
            c = c.withInstanceListen(text(y, "instanceListen"));
        }
        if (text(y, "instanceNames") != null) {
            JsonNode names = y.path("instanceNames");
            List<String> raw = new java.util.ArrayList<>();
            if (names.isArray()) {
                names.forEach(n -> raw.add(n.asText()));
            } else {
                raw.addAll(List.of(names.asText().split(",")));
            }
            c = c.withInstanceNames(instanceNames("instanceNames", raw));
        }
        if (text(y, "instances") != null) {
            c = c.withInstances(yamlInstances(y.path("instances")));
        }
        if (text(y, "dataDir") != null) {
            c = c.withDataDir(Path.of(text(y, "dataDir")));
        }
        if (text(y, "region") != null) {
            c = c.withRegion(text(y, "region"));
        }
        if (text(y, "accountId") != null) {
            c = c.withAccountId(text(y, "accountId"));
        }
        JsonNode storage = y.path("storage");
        if (text(storage, "url") != null) {
            c = c.withStorageUrl(text(storage, "url"));
        }
        if (text(storage, "cacheSyncInterval") != null) {
            c = c.withCacheSyncInterval(duration(text(storage, "cacheSyncInterval")));
        }
        if (text(storage, "cacheListen") != null) {
            c = c.withCacheListen(bool(text(storage, "cacheListen")));
        }
        JsonNode tls = y.path("tls");
        if (text(tls, "certificate") != null || text(tls, "key") != null) {
            c = c.withTls(path(text(tls, "certificate")), path(text(tls, "key")));
        }
        JsonNode keys = y.path("keys");
        if (text(keys, "maintenanceInterval") != null) {
            c = c.withMaintenanceInterval(duration(text(keys, "maintenanceInterval")));
        }
        if (text(keys, "minKeyVersionInterval") != null) {
            c = c.withMinKeyVersionInterval(duration(text(keys, "minKeyVersionInterval")));
        }
        if (text(keys, "minRotationInterval") != null) {
            c = c.withMinRotationInterval(duration(text(keys, "minRotationInterval")));
        }
        if (text(keys, "ramSecretOverlap") != null) {
            c = c.withRamSecretOverlap(duration(text(keys, "ramSecretOverlap")));
        }
        JsonNode audit = y.path("audit");
        AuditConfig a = c.audit();
        a = auditOption(a, "audit.maxFileSize", text(audit, "maxFileSize"), (x, v) -> x.withMaxFileSize(size(v)));
        a = auditOption(a, "audit.maxFiles", text(audit, "maxFiles"), (x, v) -> x.withMaxFiles(integer(v)));
        a = auditOption(a, "audit.maxTotalSize", text(audit, "maxTotalSize"), (x, v) -> x.withMaxTotalSize(size(v)));
        a = auditOption(
                a, "audit.rotateInterval", text(audit, "rotateInterval"), (x, v) -> x.withRotateInterval(duration(v)));
        a = auditOption(a, "audit.failClosed", text(audit, "failClosed"), (x, v) -> x.withFailClosed(bool(v)));
        JsonNode http = y.path("http");
        HttpLimits h = c.http();
        h = option(h, "http.maxConnections", text(http, "maxConnections"), (x, v) -> x.withMaxConnections(positive(v)));
        h = option(
                h,
                "http.maxConnectionsPerSource",
                text(http, "maxConnectionsPerSource"),
                (x, v) -> x.withMaxConnectionsPerSource(positive(v)));
        h = option(h, "http.maxThreads", text(http, "maxThreads"), (x, v) -> x.withMaxThreads(positive(v)));
        JsonNode metrics = y.path("metrics");
        if (text(metrics, "enabled") != null) {
            c = c.withMetricsEnabled(bool(text(metrics, "enabled").trim()));
        }
        JsonNode console = y.path("console");
        if (text(console, "enabled") != null) {
            c = c.withConsoleEnabled(bool(text(console, "enabled").trim()));
        }
        JsonNode http2 = y.path("http2");
        if (text(http2, "enabled") != null) {
            c = c.withHttp2Enabled(bool(text(http2, "enabled").trim()));
        }
        JsonNode throttle = y.path("throttle");
        if (text(throttle, "perCredential") != null) {
            c = c.withThrottle(c.throttle().withPerCredential(ThrottleConfig.parse(text(throttle, "perCredential"))));
        }
        if (text(throttle, "perInstance") != null) {
            c = c.withThrottle(c.throttle().withPerInstance(ThrottleConfig.parse(text(throttle, "perInstance"))));
        }
        if (text(throttle, "maxBuckets") != null) {
            c = c.withThrottle(c.throttle()
                    .withMaxBuckets(positive(text(throttle, "maxBuckets").trim())));
        }
        return c.withAudit(a).withHttp(h);
    }

    static ServerConfig applyEnv(ServerConfig c, Map<String, String> env) {
        if (env.get("OPENKMS_LISTEN") != null) {
            c = c.withListen(env.get("OPENKMS_LISTEN"));
        }
        if (env.get("OPENKMS_HTTPS_LISTEN") != null) {
            c = c.withHttpsListen(env.get("OPENKMS_HTTPS_LISTEN"));
        }
        if (env.get("OPENKMS_INSTANCE_LISTEN") != null) {
            c = c.withInstanceListen(env.get("OPENKMS_INSTANCE_LISTEN"));
        }
        if (env.get("OPENKMS_INSTANCE_NAMES") != null) {
            c = c.withInstanceNames(instanceNames(
                    "OPENKMS_INSTANCE_NAMES",
                    List.of(env.get("OPENKMS_INSTANCE_NAMES").split(","))));
        }
        if (env.get("OPENKMS_INSTANCES") != null) {
            c = c.withInstances(instances(env.get("OPENKMS_INSTANCES")));
        }
        if (env.get("OPENKMS_DATA_DIR") != null) {
            c = c.withDataDir(Path.of(env.get("OPENKMS_DATA_DIR")));
        }
        if (env.get("OPENKMS_REGION") != null) {
            c = c.withRegion(env.get("OPENKMS_REGION"));
        }
        if (env.get("OPENKMS_ACCOUNT_ID") != null) {
            c = c.withAccountId(env.get("OPENKMS_ACCOUNT_ID"));
        }
        if (env.get("OPENKMS_STORAGE_URL") != null) {
            c = c.withStorageUrl(env.get("OPENKMS_STORAGE_URL"));
        }
        if (env.get("OPENKMS_TLS_CERT") != null || env.get("OPENKMS_TLS_KEY") != null) {
            c = c.withTls(path(env.get("OPENKMS_TLS_CERT")), path(env.get("OPENKMS_TLS_KEY")));
        }
        if (env.get("OPENKMS_CACHE_SYNC_INTERVAL") != null) {
            c = c.withCacheSyncInterval(duration(env.get("OPENKMS_CACHE_SYNC_INTERVAL")));
        }
        if (env.get("OPENKMS_CACHE_LISTEN") != null) {
            c = c.withCacheListen(bool(env.get("OPENKMS_CACHE_LISTEN").trim()));
        }
        if (env.get("OPENKMS_MAINTENANCE_INTERVAL") != null) {
            c = c.withMaintenanceInterval(duration(env.get("OPENKMS_MAINTENANCE_INTERVAL")));
        }
        if (env.get("OPENKMS_MIN_KEY_VERSION_INTERVAL") != null) {
            c = c.withMinKeyVersionInterval(duration(env.get("OPENKMS_MIN_KEY_VERSION_INTERVAL")));
        }
        if (env.get("OPENKMS_MIN_ROTATION_INTERVAL") != null) {
            c = c.withMinRotationInterval(duration(env.get("OPENKMS_MIN_ROTATION_INTERVAL")));
        }
        if (env.get("OPENKMS_RAM_SECRET_OVERLAP") != null) {
            c = c.withRamSecretOverlap(duration(env.get("OPENKMS_RAM_SECRET_OVERLAP")));
        }
        if (env.get("OPENKMS_ROOT_ACCESS_KEY_ID") != null && env.get("OPENKMS_ROOT_ACCESS_KEY_SECRET") != null) {
            c = c.withRootAccessKey(env.get("OPENKMS_ROOT_ACCESS_KEY_ID"), env.get("OPENKMS_ROOT_ACCESS_KEY_SECRET"));
        }
        AuditConfig a = c.audit();
        a = auditOption(
                a,
                "OPENKMS_AUDIT_MAX_FILE_SIZE",
                env.get("OPENKMS_AUDIT_MAX_FILE_SIZE"),
                (x, v) -> x.withMaxFileSize(size(v)));
        a = auditOption(
                a, "OPENKMS_AUDIT_MAX_FILES", env.get("OPENKMS_AUDIT_MAX_FILES"), (x, v) -> x.withMaxFiles(integer(v)));
        a = auditOption(
                a,
                "OPENKMS_AUDIT_MAX_TOTAL_SIZE",
                env.get("OPENKMS_AUDIT_MAX_TOTAL_SIZE"),
                (x, v) -> x.withMaxTotalSize(size(v)));
        a = auditOption(
                a,
                "OPENKMS_AUDIT_ROTATE_INTERVAL",
                env.get("OPENKMS_AUDIT_ROTATE_INTERVAL"),
                (x, v) -> x.withRotateInterval(duration(v)));
        a = auditOption(
                a,
                "OPENKMS_AUDIT_FAIL_CLOSED",
                env.get("OPENKMS_AUDIT_FAIL_CLOSED"),
                (x, v) -> x.withFailClosed(bool(v)));
        HttpLimits h = c.http();
        h = option(
                h,
                "OPENKMS_HTTP_MAX_CONNECTIONS",
                env.get("OPENKMS_HTTP_MAX_CONNECTIONS"),
                (x, v) -> x.withMaxConnections(positive(v)));
        h = option(
                h,
                "OPENKMS_HTTP_MAX_CONNECTIONS_PER_SOURCE",
                env.get("OPENKMS_HTTP_MAX_CONNECTIONS_PER_SOURCE"),
                (x, v) -> x.withMaxConnectionsPerSource(positive(v)));
        h = option(
                h,
                "OPENKMS_HTTP_MAX_THREADS",
                env.get("OPENKMS_HTTP_MAX_THREADS"),
                (x, v) -> x.withMaxThreads(positive(v)));
        if (env.get("OPENKMS_METRICS_ENABLED") != null) {
            c = c.withMetricsEnabled(bool(env.get("OPENKMS_METRICS_ENABLED").trim()));
        }
        if (env.get("OPENKMS_CONSOLE_ENABLED") != null) {
            c = c.withConsoleEnabled(bool(env.get("OPENKMS_CONSOLE_ENABLED").trim()));
        }
        if (env.get("OPENKMS_HTTP2_ENABLED") != null) {
            c = c.withHttp2Enabled(bool(env.get("OPENKMS_HTTP2_ENABLED").trim()));
        }
        if (env.get("OPENKMS_THROTTLE_PER_CREDENTIAL") != null) {
            c = c.withThrottle(
                    c.throttle().withPerCredential(ThrottleConfig.parse(env.get("OPENKMS_THROTTLE_PER_CREDENTIAL"))));
        }
        if (env.get("OPENKMS_THROTTLE_PER_INSTANCE") != null) {
            c = c.withThrottle(
                    c.throttle().withPerInstance(ThrottleConfig.parse(env.get("OPENKMS_THROTTLE_PER_INSTANCE"))));
        }
        if (env.get("OPENKMS_THROTTLE_MAX_BUCKETS") != null) {
            c = c.withThrottle(c.throttle()
                    .withMaxBuckets(
                            positive(env.get("OPENKMS_THROTTLE_MAX_BUCKETS").trim())));
        }
        return c.withAudit(a).withHttp(h);
    }

    private static AuditConfig auditOption(
            AuditConfig a, String name, String value, BiFunction<AuditConfig, String, AuditConfig> apply) {
        return option(a, name, value, apply);
    }

    private static int positive(String v) {
        int n = integer(v);
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1");
        }
        return n;
    }

    /** Applies one option if it is set; any error in its value names the option it came from. */
    private static <T> T option(T a, String name, String value, BiFunction<T, String, T> apply) {
        if (value == null) {
            return a;
        }
        try {
            return apply.apply(a, value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + "=" + value + ": " + e.getMessage(), e);
        }
    }

    /**
     * A size in bytes: a number of bytes ({@code 1048576}), or a number with a unit: {@code KB}, {@code MB},
     * {@code GB}, {@code TB} (powers of 1000) or {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB} (powers of
     * 1024), e.g. {@code 100MiB}, {@code 10MB}; {@code B} and the case of the unit are optional.
     */
    public static long size(String s) {
        String t = s.trim();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("not a size: " + s + " (use e.g. 100MiB, 10MB or a number of bytes)");
        }
        String unit = t.substring(i).trim().toLowerCase(java.util.Locale.ROOT);
        long multiplier = switch (unit) {
            case "", "b" -> 1L;
            case "k", "kb" -> 1000L;
            case "m", "mb" -> 1000L * 1000;
            case "g", "gb" -> 1000L * 1000 * 1000;
            case "t", "tb" -> 1000L * 1000 * 1000 * 1000;
            case "ki", "kib" -> 1L << 10;
            case "mi", "mib" -> 1L << 20;
            case "gi", "gib" -> 1L << 30;
            case "ti", "tib" -> 1L << 40;
            default ->
                throw new IllegalArgumentException(
                        "not a size: " + s + " (use e.g. 100MiB, 10MB or a number of bytes)");
        };
        try {
            return Math.multiplyExact(Long.parseLong(t.substring(0, i)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size too large: " + s);
        }
    }

    private static int integer(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: " + s);
        }
    }

    private static boolean bool(String s) {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("not true or false: " + s);
    }

    /** {@code 90s}, {@code 5m}, {@code 2h}, {@code 7d}, or an ISO-8601 duration ({@code PT90S}). */
    public static Duration duration(String s) {
        IllegalArgumentException bad =
                new IllegalArgumentException("not a duration: '" + s + "' (use e.g. 90s, 5m, 2h, 7d or PT90S)");
        String t = s.trim();
        Duration d;
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                d = Duration.parse(t);
            } else if (t.length() < 2) {
                throw bad;
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw bad;
                };
            }
        } catch (NumberFormatException | java.time.DateTimeException | ArithmeticException e) {
            throw bad;
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("a duration cannot be negative: '" + s + "'");
        }
        return d;
    }

    private static String text(JsonNode n, String field) {
        YamlReads reads = YAML_READS.get();
        if (reads != null) {
            reads.read(n, field);
        }
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /** The keys of the YAML document being applied that applyYaml looked at (set only while it runs). */
    private static final ThreadLocal<YamlReads> YAML_READS = new ThreadLocal<>();

    private static final class YamlReads {
        private final Map<JsonNode, Set<String>> read = new IdentityHashMap<>();
        private JsonNode lastNode;
        private String lastField;

        void read(JsonNode parent, String field) {
            read.computeIfAbsent(parent, k -> new HashSet<>()).add(field);
            lastNode = parent;
            lastField = field;
        }

        /** The dotted path of the key read last, e.g. keys.minKeyVersionInterval. */
        String lastPath(JsonNode root) {
            String parent = lastNode == null ? null : pathOf(root, lastNode, "");
            return parent == null ? String.valueOf(lastField) : parent + lastField;
        }

        private static String pathOf(JsonNode node, JsonNode target, String prefix) {
            if (node == target) {
                return prefix;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String found = pathOf(e.getValue(), target, prefix + e.getKey() + ".");
                if (found != null) {
                    return found;
                }
            }
            return null;
        }

        /** The dotted path of the first key that holds a value nobody read, or null. */
        String firstUnread(JsonNode node, String prefix) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isObject()) {
                    String inner = firstUnread(e.getValue(), prefix + e.getKey() + ".");
                    if (inner != null) {
                        return inner;
                    }
                } else if (!read.getOrDefault(node, Set.of()).contains(e.getKey())) {
                    return prefix + e.getKey();
                }
            }
            return null;
        }
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    /**
     * The instance gateway's extra certificate names: DNS names or IP addresses, comma-separated on the command line
     * and in the environment.
     */
    public static List<String> instanceNames(String option, List<String> raw) {
        List<String> out = new java.util.ArrayList<>();
        for (String r : raw) {
            String n = r.trim();
            if (n.isEmpty()) {
                continue;
            }
            if (!n.matches("[A-Za-z0-9.:*-]+") || n.length() > 253) {
                throw new IllegalArgumentException(option + ": '" + n
                        + "' is not a DNS name or an IP address (use e.g. kms.example.internal,10.0.0.5)");
            }
            out.add(n);
        }
        return out;
    }

    /**
     * Further instances as the command line and the environment write them: {@code NAME=HOST:PORT}, several separated
     * by commas ({@code a=127.0.0.1:8445,b=127.0.0.1:8446}). Labels and addresses are checked by
     * {@link ConfigChecks}, which sees them wherever they came from.
     */
    public static List<InstanceListener> instances(String spec) {
        List<InstanceListener> out = new java.util.ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            out.add(instance(p));
        }
        return out;
    }

    /** One {@code NAME=HOST:PORT}. */
    public static InstanceListener instance(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("'" + spec
                    + "' is not NAME=HOST:PORT (use e.g. team-a=127.0.0.1:8445; several separated by commas)");
        }
        return new InstanceListener(
                spec.substring(0, eq).trim(), spec.substring(eq + 1).trim(), List.of());
    }

    /** YAML {@code instances:}: a list of {@code {name, listen, names}}. */
    private static List<InstanceListener> yamlInstances(JsonNode list) {
        if (!list.isArray()) {
            throw new IllegalArgumentException(
                    "expected a list of {name: <label>, listen: <host:port>, names: [..]}, e.g."
                            + " [{name: team-a, listen: 127.0.0.1:8445}]");
        }
        List<InstanceListener> out = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String where = "item " + (i + 1) + " ";
            if (!item.isObject()) {
                throw new IllegalArgumentException(where + "is not {name: <label>, listen: <host:port>}");
            }
            for (Iterator<String> keys = item.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!Set.of("name", "listen", "names").contains(key)) {
                    throw new IllegalArgumentException(
                            where + "has an unknown setting '" + key + "' (an instance has name, listen and names)");
                }
            }
            JsonNode name = item.path("name");
            JsonNode listen = item.path("listen");
            if (!name.isValueNode() || !listen.isValueNode()) {
                throw new IllegalArgumentException(
                        where + "needs both name and listen (e.g. {name: team-a," + " listen: 127.0.0.1:8445})");
            }
            List<String> raw = new java.util.ArrayList<>();
            JsonNode names = item.path("names");
            if (names.isArray()) {
                names.forEach(n -> raw.add(n.asText()));
            } else if (!names.isMissingNode() && !names.isNull()) {
                raw.addAll(List.of(names.asText().split(",")));
            }
            out.add(new InstanceListener(
                    name.asText().trim(),
                    listen.asText().trim(),
                    instanceNames("instances item " + (i + 1) + " names", raw)));
        }
        return out;
    }
}
