package org.openkms.conformance;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The one trust manager every V1 client in this JVM is built with. The V1 SDK keeps a single
 * {@code ApacheHttpClient} for the whole JVM, configured by whichever {@code DefaultAcsClient} came first; its
 * composite trust manager asks this object on every handshake. So each server the harness starts registers its
 * certificate here ({@link #trust}) and every V1 client, whenever it was built, trusts it — with full PKIX path
 * validation against exactly those certificates, and Apache's normal SAN host-name check on top.
 */
public final class TrustedCertificates implements X509TrustManager {
    public static final TrustedCertificates INSTANCE = new TrustedCertificates();
    private final List<X509Certificate> anchors = new CopyOnWriteArrayList<>();
    private volatile X509TrustManager delegate;

    private TrustedCertificates() {}

    /** Adds the certificate(s) of a PEM document to the trusted set. */
    public synchronized void trust(String pem) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (var c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                X509Certificate x = (X509Certificate) c;
                if (!anchors.contains(x)) {
                    anchors.add(x);
                }
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate x : anchors) {
                ks.setCertificateEntry("openkms-" + i++, x);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    delegate = x;
                }
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot trust the server certificate", e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not used");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509TrustManager d = delegate;
        if (d == null) {
            throw new CertificateException("no OpenKMS certificate registered");
        }
        d.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return anchors.toArray(new X509Certificate[0]);
    }
}
