package org.openkms.server.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An OIDC issuer for tests, as a Kubernetes API server is one for RRSA: an RSA key pair, its discovery document and
 * JWKS served on loopback HTTP, and service-account-like tokens signed with it.
 */
public final class TestIssuer implements AutoCloseable {
    private final HttpServer http;
    private final RSAKey key;
    public final AtomicInteger jwksFetches = new AtomicInteger();

    private final boolean https;

    public TestIssuer(String kid) throws IOException, JOSEException {
        this(kid, null);
    }

    /** Served over HTTPS with {@code tls} when it is not null. */
    public TestIssuer(String kid, SSLContext tls) throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID(kid).generate();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        https = tls != null;
        if (https) {
            HttpsServer server = HttpsServer.create(loopback, 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            http = server;
        } else {
            http = HttpServer.create(loopback, 0);
        }
        http.createContext("/.well-known/openid-configuration", ex -> {
            byte[] b = ("{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + url() + "/openid/v1/jwks\","
                            + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.createContext("/openid/v1/jwks", ex -> {
            jwksFetches.incrementAndGet();
            byte[] b = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.start();
    }

    public String url() {
        return (https ? "https" : "http") + "://127.0.0.1:" + http.getAddress().getPort();
    }

    /** A token as the kubelet projects it: iss, sub, aud, iat, nbf, exp. */
    public String token(String issuer, String audience, String subject, Instant issued, Instant expires)
            throws JOSEException {
        return sign(key, issuer, audience, subject, issued, expires);
    }

    public String token(String audience, String subject) throws JOSEException {
        Instant now = Instant.now();
        return token(url(), audience, subject, now, now.plusSeconds(3600));
    }

    public RSAKey key() {
        return key;
    }

    public static String sign(
            RSAKey key, String issuer, String audience, String subject, Instant issued, Instant expires)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .subject(subject)
                        .audience(audience)
                        .issueTime(Date.from(issued))
                        .notBeforeTime(Date.from(issued))
                        .expirationTime(Date.from(expires))
                        .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
