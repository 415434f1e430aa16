package org.openkms.clientconfig;

import com.aliyun.teaopenapi.models.Config;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of a client library built on the official V2 SDK, read like Alibaba's secrets-manager client
 * reads it (https://github.com/aliyun/aliyun-secretsmanager-jdbc/blob/master/README_config.md): a properties file
 * (working directory first, then the class path; its name is the {@link Source}'s), then environment variables of
 * the same names, which replace the file's credentials and add regions. A system property named by the source
 * names another file instead (an OpenKMS extension, for applications that keep one file per environment).
 *
 * <p>Keys: {@code credentials_type} ({@code ak}, {@code sts} / {@code ram_role}, {@code ecs_ram_role},
 * {@code oidc_role_arn}; unset: the default credential chain of credentials-java), {@code credentials_access_key_id},
 * {@code credentials_access_secret}, {@code credentials_role_arn}, {@code credentials_role_session_name},
 * {@code credentials_role_name}, {@code credentials_oidc_provider_arn}, {@code credentials_oidc_token_file_path},
 * {@code cache_client_region_id} (JSON array of {@code {"regionId","endpoint","vpc","caFilePath"}}) and the source's
 * refresh key (milliseconds: {@code refresh_secret_ttl} for the JDBC driver, {@code rotation_interval} for the RAM
 * secret plug-in).
 */
public final class ClientConfig {
    /** What differs between the libraries that read this configuration. */
    public static final class Source {
        final String fileName;
        final String configFileProperty;
        final String refreshKey;
        final String clientName;

        /**
         * @param fileName the properties file looked for in the working directory and on the class path
         * @param configFileProperty the system property that names another file instead
         * @param refreshKey the key of the refresh interval in milliseconds
         * @param clientName the library's name: User-Agent, default role session name, and in messages
         */
        public Source(String fileName, String configFileProperty, String refreshKey, String clientName) {
            this.fileName = fileName;
            this.configFileProperty = configFileProperty;
            this.refreshKey = refreshKey;
            this.clientName = clientName;
        }

        public String fileName() {
            return fileName;
        }

        public String configFileProperty() {
            return configFileProperty;
        }
    }

    public static final String CREDENTIALS_TYPE = "credentials_type";
    public static final String ACCESS_KEY_ID = "credentials_access_key_id";
    public static final String ACCESS_SECRET = "credentials_access_secret";
    public static final String ROLE_ARN = "credentials_role_arn";
    public static final String ROLE_SESSION_NAME = "credentials_role_session_name";
    public static final String ROLE_NAME = "credentials_role_name";
    public static final String OIDC_PROVIDER_ARN = "credentials_oidc_provider_arn";
    public static final String OIDC_TOKEN_FILE = "credentials_oidc_token_file_path";
    public static final String REGIONS = "cache_client_region_id";

    /** Alibaba's default and floor for the refresh interval of a secret without RotationInterval. */
    public static final long DEFAULT_TTL_MILLIS = 6 * 3600_000L;

    public static final long MIN_TTL_MILLIS = 5 * 60_000L;

    private static final String[] CREDENTIAL_KEYS = {
        CREDENTIALS_TYPE,
        ACCESS_KEY_ID,
        ACCESS_SECRET,
        ROLE_ARN,
        ROLE_SESSION_NAME,
        ROLE_NAME,
        OIDC_PROVIDER_ARN,
        OIDC_TOKEN_FILE
    };

    /** One {@code cache_client_region_id} entry. */
    public static final class Region {
        public final String regionId;
        public final String endpoint;
        public final String protocol;
        public final String caFilePath;

        Region(String regionId, String endpoint, String protocol, String caFilePath) {
            this.regionId = regionId;
            this.endpoint = endpoint;
            this.protocol = protocol;
            this.caFilePath = caFilePath;
        }
    }

    private final Source source;
    /** The {@code credentials_*} values that were set. */
    public final Map<String, String> credentials;
    /** {@code cache_client_region_id}, at least one. */
    public final List<Region> regions;
    /** The source's refresh interval, at least 5 minutes. */
    public final long refreshTtlMillis;

    ClientConfig(Source source, Map<String, String> credentials, List<Region> regions, long refreshTtlMillis) {
        this.source = source;
        this.credentials = Collections.unmodifiableMap(credentials);
        this.regions = Collections.unmodifiableList(regions);
        this.refreshTtlMillis = refreshTtlMillis;
    }

    /** Reads the file (if any) and the environment; a bad value is a one-line error naming the key. */
    public static ClientConfig load(Source source) {
        Properties file = readFile(source);
        return from(source, file, System.getenv());
    }

    public static ClientConfig from(Source source, Properties file, Map<String, String> env) {
        Map<String, String> credentials = new HashMap<>();
        boolean envCredentials = env.get(CREDENTIALS_TYPE) != null;
        for (String k : CREDENTIAL_KEYS) {
            String v = envCredentials ? env.get(k) : file.getProperty(k);
            if (v != null && !v.trim().isEmpty()) {
                credentials.put(k, v.trim());
            }
        }
        List<Region> regions = new ArrayList<>();
        regions.addAll(parseRegions(file.getProperty(REGIONS)));
        regions.addAll(parseRegions(env.get(REGIONS)));
        if (regions.isEmpty()) {
            throw new IllegalArgumentException(REGIONS + " is not set: put e.g. " + REGIONS
                    + "=[{\"regionId\":\"cn-hangzhou\",\"endpoint\":\"kms.example.com:8443\"}] in " + source.fileName
                    + " or the environment");
        }
        String refreshKey = source.refreshKey;
        String ttl = env.get(refreshKey) != null ? env.get(refreshKey) : file.getProperty(refreshKey);
        long ttlMillis = DEFAULT_TTL_MILLIS;
        if (ttl != null && !ttl.trim().isEmpty()) {
            try {
                ttlMillis = Long.parseLong(ttl.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(refreshKey + " must be a number of milliseconds, got '" + ttl + "'");
            }
            // Alibaba's client: a value <= 0 means the default, anything else is at least 5 minutes.
            ttlMillis = ttlMillis <= 0 ? DEFAULT_TTL_MILLIS : Math.max(MIN_TTL_MILLIS, ttlMillis);
        }
        return new ClientConfig(source, credentials, regions, ttlMillis);
    }

    /** The credentials-java client for the {@code credentials_*} values ({@link Credentials}). */
    public com.aliyun.credentials.Client credentialsClient() {
        return Credentials.of(credentials, source);
    }

    /**
     * A V2 SDK client configuration for one region: its endpoint and protocol, the credentials, the region's CA
     * (certificate checks stay on), 5 s to connect and 10 s to read.
     */
    public Config kmsConfig(Region r, com.aliyun.credentials.Client credentialsClient) {
        Config c = new Config()
                .setCredential(credentialsClient)
                .setEndpoint(r.endpoint)
                .setProtocol(r.protocol)
                .setRegionId(r.regionId)
                .setConnectTimeout(5000)
                .setReadTimeout(10000)
                .setUserAgent(source.clientName);
        if (r.caFilePath != null) {
            try {
                c.setCa(new String(Files.readAllBytes(new File(r.caFilePath).toPath()), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException(REGIONS + ": caFilePath " + r.caFilePath + " cannot be read ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return c;
    }

    private static Properties readFile(Source source) {
        Properties p = new Properties();
        String explicit = System.getProperty(source.configFileProperty);
        if (explicit != null && !explicit.isEmpty()) {
            File f = new File(explicit);
            if (!f.isFile()) {
                throw new IllegalArgumentException("system property " + source.configFileProperty + " names " + explicit
                        + ", which is not a file");
            }
            load(p, f);
            return p;
        }
        File f = new File(source.fileName);
        if (f.isFile()) {
            load(p, f);
            return p;
        }
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        if (l == null) {
            l = ClientConfig.class.getClassLoader();
        }
        try (InputStream in = l.getResourceAsStream(source.fileName)) {
            if (in != null) {
                try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    source.fileName + " on the class path cannot be read: " + e.getMessage());
        }
        return p;
    }

    private static void load(Properties p, File f) {
        try (Reader r = new InputStreamReader(new FileInputStream(f), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException(f + " cannot be read: " + e.getMessage());
        }
    }

    static List<Region> parseRegions(String json) {
        List<Region> out = new ArrayList<>();
        if (json == null || json.trim().isEmpty()) {
            return out;
        }
        JsonArray array;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonArray()) {
                throw new JsonParseException("not an array");
            }
            array = e.getAsJsonArray();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(
                    REGIONS + " must be a JSON array like [{\"regionId\":\"cn-hangzhou\",\"endpoint\":\"host:port\"}]");
        }
        for (JsonElement e : array) {
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(REGIONS + " entries must be JSON objects with a regionId");
            }
            JsonObject o = e.getAsJsonObject();
            String regionId = string(o, "regionId");
            if (regionId == null) {
                throw new IllegalArgumentException(REGIONS + " entry " + o + " has no regionId");
            }
            String endpoint = string(o, "endpoint");
            boolean vpc = o.has("vpc")
                    && o.get("vpc").isJsonPrimitive()
                    && o.get("vpc").getAsBoolean();
            String protocol = "https";
            if (endpoint == null) {
                // The public endpoints Alibaba's client uses when none is given.
                endpoint = (vpc ? "kms-vpc." : "kms.") + regionId + ".aliyuncs.com";
            } else if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
                // An OpenKMS extension: a scheme in the endpoint (http only for a server on a trusted network).
                protocol = endpoint.substring(0, endpoint.indexOf(':')).toLowerCase(Locale.ROOT);
                endpoint = endpoint.substring(protocol.length() + 3);
            }
            out.add(new Region(regionId, endpoint, protocol, string(o, "caFilePath")));
        }
        return out;
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        String s = e.getAsString().trim();
        return s.isEmpty() ? null : s;
    }
}
