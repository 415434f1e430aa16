package org.openkms.server.oidc;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts an issuer's HTTPS server when its certificate chain is well formed (each certificate signed by the next,
 * all within their validity) and one certificate of it has a SHA-1 fingerprint the OIDC provider lists — RAM's
 * Fingerprints, "the fingerprints of the HTTPS CA certificates" of the issuer
 * (https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-createoidcprovider). The JDK still
 * checks the host name against the server certificate (HttpClient enables HTTPS endpoint identification and wraps
 * a plain X509TrustManager to apply it).
 */
final class FingerprintTrust implements X509TrustManager {
    private final List<String> fingerprints;

    FingerprintTrust(List<String> fingerprints) {
        this.fingerprints = List.copyOf(fingerprints);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no certificate");
        }
        boolean pinned = false;
        try {
            for (int i = 0; i < chain.length; i++) {
                chain[i].checkValidity();
                if (i + 1 < chain.length) {
                    chain[i].verify(chain[i + 1].getPublicKey());
                }
                String sha1 = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-1").digest(chain[i].getEncoded()));
                pinned |= fingerprints.contains(sha1);
            }
        } catch (GeneralSecurityException e) {
            throw new CertificateException("certificate chain does not verify", e);
        }
        if (!pinned) {
            throw new CertificateException("no certificate of the chain has a registered fingerprint");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not checked here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
