package org.openkms.core.accesspoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openkms.crypto.SecureRandoms;

/**
 * Mints a client key: an RSA-2048 key pair with a self-signed certificate for its validity window. The private
 * key leaves only once, as a PKCS#12 protected by the caller's password; the server keeps the certificate.
 */
final class ClientKeys {
    record Minted(String certificatePem, byte[] pkcs12) {}

    private ClientKeys() {}

    static Minted mint(String clientKeyId, Instant notBefore, Instant notAfter, char[] password) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, SecureRandoms.current());
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + clientKeyId);
            var builder = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(64, SecureRandoms.current()).abs().add(BigInteger.ONE),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    name,
                    kp.getPublic());
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(null, null);
            p12.setKeyEntry(clientKeyId, kp.getPrivate(), password, new X509Certificate[] {cert});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p12.store(out, password);
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
                w.writeObject(cert);
            }
            return new Minted(pem.toString(), out.toByteArray());
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot mint a client key", e);
        }
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
