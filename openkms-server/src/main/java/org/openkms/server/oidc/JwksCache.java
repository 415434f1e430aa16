package org.openkms.server.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.OidcProvider;
import org.openkms.core.iam.OidcProviders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of each OIDC provider's issuer, found as OpenID Connect Discovery says
 * ({@code <IssuerUrl>/.well-known/openid-configuration} → {@code jwks_uri}) and cached.
 *
 * <p>AssumeRoleWithOIDC is anonymous, so nothing here may let a caller make the server fetch without bound: a
 * provider's keys are fetched at most once per {@link #MIN_REFETCH} whatever callers send (a miss, an expired entry
 * or a key id not in the set all wait for that), each fetch has short timeouts, follows no redirect and reads at most
 * {@link #MAX_BODY} bytes, and the cache holds at most {@link #MAX_ENTRIES} providers. Issuers must be https, their
 * chain pinned by the provider's fingerprints ({@link FingerprintTrust}); plain http only for a loopback issuer
 * (see {@link OidcProviders#loopbackHttp}), whose jwks_uri must then be loopback http too.
 */
final class JwksCache {
    static final Duration TTL = Duration.ofMinutes(15);
    static final Duration MIN_REFETCH = Duration.ofSeconds(10);
    static final int MAX_BODY = 64 * 1024;
    static final int MAX_ENTRIES = OidcProviders.MAX_PROVIDERS * 2;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    JwksCache(Clock clock) {
        this.clock = clock;
    }

    /** One provider's keys; its monitor serialises fetches, so concurrent callers share one. */
    private static final class Slot {
        JWKSet keys;
        long fetchedAt;
        long lastAttempt = Long.MIN_VALUE / 2;
    }

    /**
     * The provider's keys: cached ones while fresh (and {@code refresh} is false), else newly fetched if the last
     * attempt is old enough, else the stale ones (or IssuerConfigurationBroken if there are none).
     */
    JWKSet keys(OidcProvider provider, boolean refresh) {
        Slot slot = slot(provider);
        synchronized (slot) {
            long now = clock.millis();
            boolean fresh = slot.keys != null && now - slot.fetchedAt < TTL.toMillis();
            if (fresh && !refresh) {
                return slot.keys;
            }
            if (now - slot.lastAttempt < MIN_REFETCH.toMillis()) {
                if (slot.keys != null) {
                    return slot.keys;
                }
                throw OidcErrors.issuerConfigurationBroken(provider.issuerUrl());
            }
            slot.lastAttempt = now;
            try {
                slot.keys = fetch(provider);
                slot.fetchedAt = now;
                return slot.keys;
            } catch (KmsException e) {
                if (fresh) {
                    return slot.keys; // a failed refresh keeps the keys that are still fresh
                }
                throw e;
            }
        }
    }

    private Slot slot(OidcProvider p) {
        // Keyed by everything that decides where and how keys are fetched: an updated provider starts afresh.
        String key = p.name() + "\n" + p.issuerUrl() + "\n" + String.join(",", p.fingerprints());
        Slot s = slots.get(key);
        if (s != null) {
            return s;
        }
        if (slots.size() >= MAX_ENTRIES) {
            evictOne();
        }
        return slots.computeIfAbsent(key, k -> new Slot());
    }

    private void evictOne() {
        Iterator<String> it = slots.keySet().iterator();
        if (it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private JWKSet fetch(OidcProvider p) {
        URI issuer = URI.create(p.issuerUrl());
        boolean loopback = OidcProviders.loopbackHttp(issuer);
        HttpClient client = client(p, loopback);
        String base = p.issuerUrl().endsWith("/")
                ? p.issuerUrl().substring(0, p.issuerUrl().length() - 1)
                : p.issuerUrl();
        try {
            JsonNode discovery = JSON.readTree(get(client, URI.create(base + "/.well-known/openid-configuration")));
            if (!p.issuerUrl().equals(discovery.path("issuer").asText())) {
                LOG.warn("OIDC provider {}: the discovery document names another issuer", p.name());
                throw OidcErrors.issuerConfigurationBroken(p.issuerUrl());
            }
            URI jwks = URI.create(discovery.path("jwks_uri").asText(""));
            boolean allowed = loopback
                    ? OidcProviders.loopbackHttp(jwks) || "https".equalsIgnoreCase(jwks.getScheme())
                    : "https".equalsIgnoreCase(jwks.getScheme());
            if (!allowed || jwks.getHost() == null) {
                LOG.warn("OIDC provider {}: jwks_uri is not an https URL", p.name());
                throw OidcErrors.issuerConfigurationBroken(p.issuerUrl());
            }
            // Only public keys are ever used, whatever the document holds.
            return JWKSet.parse(get(client, jwks)).toPublicJWKSet();
        } catch (SSLHandshakeException e) {
            LOG.warn("OIDC provider {}: TLS to the issuer failed: {}", p.name(), e.getMessage());
            throw OidcErrors.httpsUrlInvalid();
        } catch (IOException | ParseException | IllegalArgumentException e) {
            LOG.warn("OIDC provider {}: cannot read the issuer's keys: {}", p.name(), e.toString());
            throw OidcErrors.issuerConfigurationBroken(p.issuerUrl());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OidcErrors.issuerConfigurationBroken(p.issuerUrl());
        }
    }

    private static HttpClient client(OidcProvider p, boolean loopback) {
        HttpClient.Builder b =
                HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        if (!loopback) {
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {new FingerprintTrust(p.fingerprints())}, null);
                b.sslContext(tls);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS is not available", e);
            }
        }
        return b.build();
    }

    /** The body of a 200 answer, at most MAX_BODY bytes. */
    private static String get(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> res = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
            if (res.statusCode() != 200) {
                throw new IOException("HTTP " + res.statusCode() + " from " + uri);
            }
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("more than " + MAX_BODY + " bytes from " + uri);
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
