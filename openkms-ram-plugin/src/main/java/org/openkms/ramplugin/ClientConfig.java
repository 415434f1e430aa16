package org.openkms.ramplugin;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The plug-in's configuration, read like Alibaba's RAM secret plug-in reads it
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/ram-secret-plug-in): the file
 * {@code managed_credentials_providers.properties} (working directory first, then the class path), then environment
 * variables of the same names, which replace the file's credentials and add regions. The system property
 * {@value #CONFIG_FILE_PROPERTY} names another file instead (an OpenKMS extension). Copied from openkms-jdbc's
 * ClientConfig (same keys) so that the plug-in has no dependency on the JDBC driver.
 *
 * <p>Keys: {@code credentials_type} ({@code ak}, {@code sts} / {@code ram_role}, {@code ecs_ram_role},
 * {@code oidc_role_arn}; unset: the default credential chain of credentials-java), {@code credentials_access_key_id},
 * {@code credentials_access_secret}, {@code credentials_role_arn}, {@code credentials_role_session_name},
 * {@code credentials_role_name}, {@code credentials_oidc_provider_arn}, {@code credentials_oidc_token_file_path},
 * {@code cache_client_region_id} (JSON array of {@code {"regionId","endpoint","vpc","caFilePath"}}) and
 * {@code rotation_interval} (milliseconds between re-reads of the secret, default 6 hours).
 */
final class ClientConfig {
    static final String FILE_NAME = "managed_credentials_providers.properties";
    static final String CONFIG_FILE_PROPERTY = "openkms.ramplugin.config";

    static final String CREDENTIALS_TYPE = "credentials_type";
    static final String ACCESS_KEY_ID = "credentials_access_key_id";
    static final String ACCESS_SECRET = "credentials_access_secret";
    static final String ROLE_ARN = "credentials_role_arn";
    static final String ROLE_SESSION_NAME = "credentials_role_session_name";
    static final String ROLE_NAME = "credentials_role_name";
    static final String OIDC_PROVIDER_ARN = "credentials_oidc_provider_arn";
    static final String OIDC_TOKEN_FILE = "credentials_oidc_token_file_path";
    static final String REGIONS = "cache_client_region_id";
    static final String REFRESH_SECRET_TTL = "rotation_interval";

    /** Alibaba's default and floor for the refresh interval of a secret without RotationInterval. */
    static final long DEFAULT_TTL_MILLIS = 6 * 3600_000L;

    static final long MIN_TTL_MILLIS = 5 * 60_000L;

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
    static final class Region {
        final String regionId;
        final String endpoint;
        final String protocol;
        final String caFilePath;

        Region(String regionId, String endpoint, String protocol, String caFilePath) {
            this.regionId = regionId;
            this.endpoint = endpoint;
            this.protocol = protocol;
            this.caFilePath = caFilePath;
        }
    }

    final Map<String, String> credentials;
    final List<Region> regions;
    final long refreshTtlMillis;

    ClientConfig(Map<String, String> credentials, List<Region> regions, long refreshTtlMillis) {
        this.credentials = Collections.unmodifiableMap(credentials);
        this.regions = Collections.unmodifiableList(regions);
        this.refreshTtlMillis = refreshTtlMillis;
    }

    /** Reads the file (if any) and the environment; a bad value is a one-line error naming the key. */
    static ClientConfig load() {
        Properties file = readFile();
        return from(file, System.getenv());
    }

    static ClientConfig from(Properties file, Map<String, String> env) {
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
                    + "=[{\"regionId\":\"cn-hangzhou\",\"endpoint\":\"kms.example.com:8443\"}] in " + FILE_NAME
                    + " or the environment");
        }
        String ttl = env.get(REFRESH_SECRET_TTL) != null
                ? env.get(REFRESH_SECRET_TTL)
                : file.getProperty(REFRESH_SECRET_TTL);
        long ttlMillis = DEFAULT_TTL_MILLIS;
        if (ttl != null && !ttl.trim().isEmpty()) {
            try {
                ttlMillis = Long.parseLong(ttl.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        REFRESH_SECRET_TTL + " must be a number of milliseconds, got '" + ttl + "'");
            }
            // Alibaba's client: a value <= 0 means the default, anything else is at least 5 minutes.
            ttlMillis = ttlMillis <= 0 ? DEFAULT_TTL_MILLIS : Math.max(MIN_TTL_MILLIS, ttlMillis);
        }
        return new ClientConfig(credentials, regions, ttlMillis);
    }

    private static Properties readFile() {
        Properties p = new Properties();
        String explicit = System.getProperty(CONFIG_FILE_PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            File f = new File(explicit);
            if (!f.isFile()) {
                throw new IllegalArgumentException(
                        "system property " + CONFIG_FILE_PROPERTY + " names " + explicit + ", which is not a file");
            }
            load(p, f);
            return p;
        }
        File f = new File(FILE_NAME);
        if (f.isFile()) {
            load(p, f);
            return p;
        }
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        if (l == null) {
            l = ClientConfig.class.getClassLoader();
        }
        try (InputStream in = l.getResourceAsStream(FILE_NAME)) {
            if (in != null) {
                try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(FILE_NAME + " on the class path cannot be read: " + e.getMessage());
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
