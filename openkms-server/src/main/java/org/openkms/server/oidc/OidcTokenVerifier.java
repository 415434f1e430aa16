package org.openkms.server.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.openkms.core.iam.OidcProvider;

/**
 * Checks an OIDC token (a JWS-signed JWT) for STS AssumeRoleWithOIDC against a RAM OIDC provider, in the order that
 * spends nothing on a token that cannot be right: the token parses and uses an asymmetric algorithm; its {@code iss}
 * is the provider's IssuerUrl (before any key is fetched); its signature verifies with a key of the issuer's JWKS
 * (nimbus-jose-jwt; a key id missing from the cached set triggers one rate-limited refetch, as issuers rotate keys);
 * then {@code exp}, {@code nbf} and {@code iat} with {@link #SKEW} of tolerance; {@code iat} no longer ago than the
 * provider's IssuanceLimitTime; and one {@code aud} among the provider's ClientIds.
 */
public final class OidcTokenVerifier {
    static final Duration SKEW = Duration.ofSeconds(60);
    /** Public-key algorithms only: an HMAC "signature" would be keyed with public data. */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    private final Clock clock;
    private final JwksCache keys;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    public OidcTokenVerifier(Clock clock) {
        this.clock = clock;
        this.keys = new JwksCache(clock);
    }

    /** What a verified token says: its subject, issuer, the audience that matched, and its times. */
    public record Verified(String subject, String issuer, String audience, Instant expiration, Instant issuedAt) {}

    public Verified verify(OidcProvider provider, String token) {
        if (token == null || token.isEmpty()) {
            throw OidcErrors.invalid("The OIDCToken can not empty.");
        }
        if (token.length() < 4 || token.length() > 20_000 || token.split("\\.", -1).length != 3) {
            throw OidcErrors.invalid("The number of Jwt field should be divided into 3 parts with '.' .");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OidcErrors.invalid("The Jwt content is invalid that cannot be recognized.");
        }
        JWSHeader header = jwt.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw OidcErrors.invalid(
                    "The algorithm " + header.getAlgorithm() + " that be specified in Jwt header is unknown.");
        }
        if (!provider.issuerUrl().equals(claims.getIssuer())) {
            throw OidcErrors.issuerNotMatch();
        }
        if (!verifies(jwt, keys.keys(provider, false)) && !verifiesAfterRefresh(jwt, provider)) {
            throw OidcErrors.invalidSignature();
        }
        Instant now = clock.instant();
        Instant exp = instant(claims.getExpirationTime());
        if (exp == null) {
            throw OidcErrors.invalid("The Jwt content is invalid that cannot be recognized.");
        }
        if (now.isAfter(exp.plus(SKEW))) {
            throw OidcErrors.expired();
        }
        Instant nbf = instant(claims.getNotBeforeTime());
        Instant iat = instant(claims.getIssueTime());
        if (nbf != null && now.plus(SKEW).isBefore(nbf)
                || iat != null && now.plus(SKEW).isBefore(iat)) {
            throw OidcErrors.invalid("The Jwt is not valid yet (nbf or iat is in the future).");
        }
        if (iat != null && now.isAfter(iat.plus(Duration.ofHours(provider.issuanceLimitTime())))) {
            throw OidcErrors.issuedTooLongAgo(provider.issuanceLimitTime());
        }
        String audience = audience(claims.getAudience(), provider.clientIds());
        String subject = claims.getSubject() == null ? "" : claims.getSubject();
        return new Verified(subject, claims.getIssuer(), audience, exp, iat);
    }

    /** A key id the cached set lacks may be a rotated key: one (rate-limited) refetch before refusing. */
    private boolean verifiesAfterRefresh(SignedJWT jwt, OidcProvider provider) {
        JWKSet cached = keys.keys(provider, false);
        if (!candidates(jwt.getHeader(), cached).isEmpty()) {
            return false; // the key was there and the signature is wrong: refetching would not change that
        }
        return verifies(jwt, keys.keys(provider, true));
    }

    private boolean verifies(SignedJWT jwt, JWKSet set) {
        for (JWK key : candidates(jwt.getHeader(), set)) {
            try {
                if (!(key instanceof AsymmetricJWK asymmetric)) {
                    continue;
                }
                JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), asymmetric.toPublicKey());
                if (jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                // a key of the wrong type or size for the algorithm: try the next one
            }
        }
        return false;
    }

    /** The keys the header can mean: its kid (if any), a key type for its algorithm, usage "sig" or none. */
    private static List<JWK> candidates(JWSHeader header, JWKSet set) {
        return new JWKSelector(JWKMatcher.forJWSHeader(header)).select(set);
    }

    private static String audience(List<String> audiences, List<String> clientIds) {
        if (audiences != null) {
            for (String a : audiences) {
                if (clientIds.contains(a)) {
                    return a;
                }
            }
        }
        throw OidcErrors.audienceNotMatch();
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }
}
