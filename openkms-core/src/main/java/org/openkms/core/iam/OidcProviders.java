package org.openkms.core.iam;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openkms.core.Account;
import org.openkms.core.error.KmsException;

/**
 * RAM's OIDC identity providers (CreateOIDCProvider, GetOIDCProvider, ListOIDCProviders, UpdateOIDCProvider,
 * DeleteOIDCProvider, AddClientIdToOIDCProvider, RemoveClientIdFromOIDCProvider), with the limits Alibaba documents
 * (https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-createoidcprovider): 100 providers
 * per account, 50 client IDs and 5 fingerprints per provider, IssuanceLimitTime 1 to 168 hours (12 by default).
 * Read from storage on every call: they are used only by RAM calls and AssumeRoleWithOIDC, never by the hot path,
 * so there is no cache to keep coherent between nodes.
 */
public final class OidcProviders {
    public static final int MAX_PROVIDERS = 100;
    public static final int MAX_CLIENT_IDS = 50;
    public static final int MAX_FINGERPRINTS = 5;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-fA-F]{40}");

    private final Account account;
    private final IamRepository repository;
    private final Clock clock;

    public OidcProviders(Account account, IamRepository repository, Clock clock) {
        this.account = account;
        this.repository = repository;
        this.clock = clock;
    }

    public synchronized OidcProvider create(
            String name,
            String issuerUrl,
            String fingerprints,
            String clientIds,
            Integer issuanceLimitTime,
            String description) {
        checkName(name);
        URI issuer = issuer(issuerUrl);
        List<String> prints = fingerprints(fingerprints);
        if (prints.isEmpty() && !loopbackHttp(issuer)) {
            throw missing("Fingerprints");
        }
        List<String> ids = clientIds(clientIds);
        int limit = issuanceLimitTime(issuanceLimitTime == null ? 12 : issuanceLimitTime);
        String desc = description(description);
        List<OidcProvider> all = repository.listOidcProviders();
        for (OidcProvider p : all) {
            if (p.name().equals(name)) {
                throw IamErrors.alreadyExists("OIDCProvider", name);
            }
            if (p.issuerUrl().equals(issuerUrl)) {
                throw new KmsException(
                        409,
                        "EntityAlreadyExists.OIDCProvider.IssuerUrl",
                        "The issuer URL is already used by OIDC provider " + p.name() + ".");
            }
        }
        if (all.size() >= MAX_PROVIDERS) {
            throw IamErrors.limitExceeded(
                    "OIDCProvider", "An account can have at most " + MAX_PROVIDERS + " OIDC providers.");
        }
        Instant now = now();
        OidcProvider p = new OidcProvider(name, issuerUrl, prints, ids, limit, desc, now, now);
        repository.createOidcProvider(p);
        return p;
    }

    public OidcProvider get(String name) {
        if (name == null || name.isEmpty()) {
            throw missing("OIDCProviderName");
        }
        return find(name).orElseThrow(() -> IamErrors.notExist("OIDCProvider", name));
    }

    public Optional<OidcProvider> find(String name) {
        return repository.listOidcProviders().stream()
                .filter(p -> p.name().equals(name))
                .findFirst();
    }

    /** A provider named by its ARN {@code acs:ram::<uid>:oidc-provider/<name>}. */
    public Optional<OidcProvider> byArn(String arn) {
        String prefix = "acs:ram::" + account.uid() + ":oidc-provider/";
        if (arn == null || !arn.startsWith(prefix)) {
            return Optional.empty();
        }
        return find(arn.substring(prefix.length()));
    }

    public List<OidcProvider> list() {
        return repository.listOidcProviders();
    }

    public synchronized void delete(String name) {
        get(name);
        repository.deleteOidcProvider(name);
    }

    /** UpdateOIDCProvider: each given parameter replaces the stored value; absent ones are kept. */
    public synchronized OidcProvider update(
            String name, String clientIds, Integer issuanceLimitTime, String description) {
        OidcProvider p = get(name);
        OidcProvider next = new OidcProvider(
                p.name(),
                p.issuerUrl(),
                p.fingerprints(),
                clientIds == null ? p.clientIds() : clientIds(clientIds),
                issuanceLimitTime == null ? p.issuanceLimitTime() : issuanceLimitTime(issuanceLimitTime),
                description == null ? p.description() : description(description),
                p.createDate(),
                now());
        repository.updateOidcProvider(next);
        return next;
    }

    public synchronized OidcProvider addClientId(String name, String clientId) {
        OidcProvider p = get(name);
        checkClientId(clientId);
        if (p.clientIds().contains(clientId)) {
            throw IamErrors.alreadyExists("OIDCProvider.ClientId", clientId);
        }
        if (p.clientIds().size() >= MAX_CLIENT_IDS) {
            throw IamErrors.limitExceeded(
                    "OIDCProvider.ClientId", "An OIDC provider can have at most " + MAX_CLIENT_IDS + " client IDs.");
        }
        List<String> ids = new ArrayList<>(p.clientIds());
        ids.add(clientId);
        OidcProvider next = p.withClientIds(ids, now());
        repository.updateOidcProvider(next);
        return next;
    }

    public synchronized OidcProvider removeClientId(String name, String clientId) {
        OidcProvider p = get(name);
        if (clientId == null || clientId.isEmpty()) {
            throw missing("ClientId");
        }
        if (!p.clientIds().contains(clientId)) {
            throw IamErrors.notExist("OIDCProvider.ClientId", clientId);
        }
        List<String> ids = new ArrayList<>(p.clientIds());
        ids.remove(clientId);
        OidcProvider next = p.withClientIds(ids, now());
        repository.updateOidcProvider(next);
        return next;
    }

    /**
     * Alibaba requires an https issuer without query, fragment or user information, at most 255 characters. This
     * server also takes {@code http://} for a loopback host (127.0.0.0/8, ::1, localhost): a local issuer, as tests
     * use; its keys are then fetched over that loopback connection, which no one else can intercept.
     */
    static URI issuer(String url) {
        if (url == null || url.isEmpty()) {
            throw missing("IssuerUrl");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw IamErrors.invalidParameter("IssuerUrl", "IssuerUrl is not a URL.");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        boolean ok = url.length() <= 255
                && u.getHost() != null
                && u.getRawQuery() == null
                && u.getRawFragment() == null
                && u.getRawUserInfo() == null
                && (scheme.equals("https") || scheme.equals("http") && loopbackHttp(u));
        if (!ok) {
            throw IamErrors.invalidParameter(
                    "IssuerUrl",
                    "IssuerUrl must be an https URL of at most 255 characters without query, fragment or user"
                            + " information (http only for a loopback host).");
        }
        return u;
    }

    /** An http issuer on a loopback host. */
    public static boolean loopbackHttp(URI u) {
        if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            return false;
        }
        String h = u.getHost();
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || h.startsWith("127.");
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw missing("OIDCProviderName");
        }
        if (!NAME.matcher(name).matches()) {
            throw IamErrors.invalidParameter(
                    "OIDCProviderName",
                    "OIDCProviderName must be at most 128 letters, digits, '.', '-' or '_', and neither start nor"
                            + " end with '.', '-' or '_'.");
        }
    }

    private static List<String> fingerprints(String csv) {
        List<String> out = split(csv);
        if (out.size() > MAX_FINGERPRINTS) {
            throw IamErrors.limitExceeded(
                    "OIDCProvider.Fingerprint",
                    "An OIDC provider can have at most " + MAX_FINGERPRINTS + " fingerprints.");
        }
        for (String f : out) {
            if (!FINGERPRINT.matcher(f).matches()) {
                throw IamErrors.invalidParameter(
                        "Fingerprints", "A fingerprint is the SHA-1 of a CA certificate: 40 hexadecimal digits.");
            }
        }
        return out.stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
    }

    private static List<String> clientIds(String csv) {
        List<String> out = split(csv);
        if (out.size() > MAX_CLIENT_IDS) {
            throw IamErrors.limitExceeded(
                    "OIDCProvider.ClientId", "An OIDC provider can have at most " + MAX_CLIENT_IDS + " client IDs.");
        }
        out.forEach(OidcProviders::checkClientId);
        return out;
    }

    private static void checkClientId(String id) {
        if (id == null || id.isEmpty()) {
            throw missing("ClientId");
        }
        if (!CLIENT_ID.matcher(id).matches()) {
            throw IamErrors.invalidParameter(
                    "ClientId",
                    "A client ID is at most 128 letters, digits, '.', '-', '_', ':' or '/', starting with a letter"
                            + " or digit.");
        }
    }

    private static int issuanceLimitTime(int hours) {
        if (hours < 1 || hours > 168) {
            throw IamErrors.invalidParameter("IssuanceLimitTime", "IssuanceLimitTime must be 1 to 168 hours.");
        }
        return hours;
    }

    private static String description(String d) {
        if (d == null) {
            return "";
        }
        if (d.length() > 256) {
            throw IamErrors.invalidParameter("Description", "Description must be at most 256 characters.");
        }
        return d;
    }

    /** A comma-separated list, as RAM takes Fingerprints and ClientIds; duplicates collapse. */
    private static List<String> split(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return List.copyOf(out);
    }

    /** Milliseconds, as storage keeps them: a created or updated provider equals what is read back. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static KmsException missing(String param) {
        return new KmsException(
                400,
                "MissingParameter",
                "The input parameter \"" + param + "\" that is mandatory for processing this request is not supplied.");
    }
}
