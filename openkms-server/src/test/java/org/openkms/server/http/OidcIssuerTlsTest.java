package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.OidcProvider;
import org.openkms.server.oidc.OidcTokenVerifier;
import org.openkms.server.oidc.TestIssuer;

/**
 * An https issuer's keys are fetched only over a chain one of whose certificates has a fingerprint the OIDC provider
 * registered (RAM's Fingerprints: the SHA-1 of the issuer's CA certificate); otherwise the token is refused with
 * AuthenticationFail.OIDCToken.HttpsUrlInvalid, as Alibaba's STS does.
 */
class OidcIssuerTlsTest {
    static TestPki pki;
    static TestIssuer issuer;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create();
        TestPki.Leaf leaf = pki.leaf("P-256");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", leaf.keyPair().getPrivate(), new char[0], new Certificate[] {
            leaf.certificate(), pki.intermediate
        });
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        issuer = new TestIssuer("tls-key", tls);
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static OidcProvider provider(String name, X509Certificate pinned) throws Exception {
        String sha1 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(pinned.getEncoded()));
        Instant t = Instant.now();
        return new OidcProvider(name, issuer.url(), List.of(sha1), List.of("sts.aliyuncs.com"), 1, "", t, t);
    }

    @Test
    void theIntermediatesFingerprintLetsTheKeysBeFetched() throws Exception {
        assertThat(issuer.url()).startsWith("https://");
        var verified = new OidcTokenVerifier(Clock.systemUTC())
                .verify(provider("pinned", pki.intermediate), issuer.token("sts.aliyuncs.com", "sub-1"));
        assertThat(verified.subject()).isEqualTo("sub-1");
        assertThat(verified.audience()).isEqualTo("sts.aliyuncs.com");
    }

    @Test
    void aChainWithoutARegisteredFingerprintIsRefused() throws Exception {
        TestPki other = TestPki.create();
        KmsException e = catchThrowableOfType(
                KmsException.class,
                () -> new OidcTokenVerifier(Clock.systemUTC())
                        .verify(provider("other", other.intermediate), issuer.token("sts.aliyuncs.com", "sub-1")));
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.code()).isEqualTo("AuthenticationFail.OIDCToken.HttpsUrlInvalid");
    }
}
