package org.openkms.server.http;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openkms.crypto.SecureRandoms;

/**
 * The HTTPS listener's certificate and key: the operator's PEM files, or a self-signed certificate made on
 * first start and kept in {@code <data-dir>/tls/} (server.crt, server.key 0600). The self-signed one carries
 * SANs IP:127.0.0.1, IP:::1 and DNS:localhost, which the official SDKs check; clients trust it by passing
 * server.crt as their CA (V2 SDK: Config.ca).
 */
public final class TlsMaterial {
    private final KeyStore keyStore;
    private final Path certificateFile;
    /** A self-signed certificate and key made in memory and not written yet ({@link #save}), else null. */
    private String[] unsavedPems;

    private TlsMaterial(KeyStore keyStore, Path certificateFile) {
        this.keyStore = keyStore;
        this.certificateFile = certificateFile;
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    /** The PEM certificate a client should trust. */
    public Path certificateFile() {
        return certificateFile;
    }

    public static TlsMaterial load(Path certificatePem, Path keyPem) throws IOException, GeneralSecurityException {
        List<Certificate> chain = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(certificatePem); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(new JcaX509CertificateConverter().getCertificate(h));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IOException("no certificate in " + certificatePem);
        }
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(keyPem); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                key = conv.getPrivateKey(kp.getPrivateKeyInfo());
            } else if (o instanceof PrivateKeyInfo info) {
                key = conv.getPrivateKey(info);
            } else {
                throw new IOException("no private key in " + keyPem);
            }
        }
        return new TlsMaterial(keyStore(key, chain.toArray(new Certificate[0])), certificatePem);
    }

    /** The self-signed material of {@code tlsDir}, made and written there if it does not exist yet. */
    public static TlsMaterial selfSigned(Path tlsDir) throws IOException, GeneralSecurityException {
        TlsMaterial tls = prepareSelfSigned(tlsDir);
        tls.save();
        return tls;
    }

    /**
     * The self-signed material of {@code tlsDir}: read from there if it exists, else made in memory only, so
     * that the server can bind its listeners (and fail on a port in use) before it writes anything; it writes
     * the files with {@link #save} once the start has got that far.
     */
    public static TlsMaterial prepareSelfSigned(Path tlsDir) throws IOException, GeneralSecurityException {
        Path cert = tlsDir.resolve("server.crt");
        Path key = tlsDir.resolve("server.key");
        if (Files.exists(cert) && Files.exists(key)) {
            return load(cert, key);
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), SecureRandoms.current());
        KeyPair kp = g.generateKeyPair();
        X509Certificate certificate = selfSignedLeaf(kp);
        TlsMaterial tls = new TlsMaterial(keyStore(kp.getPrivate(), new Certificate[] {certificate}), cert);
        // PKCS#8 ("PRIVATE KEY") keeps the curve parameters; OpenSSL and every PEM reader accept it.
        tls.unsavedPems = new String[] {pem(certificate), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n"};
        return tls;
    }

    /**
     * Writes material made by {@link #prepareSelfSigned}: the folder 0700 and the key 0600 from the moment they
     * exist (created with those modes, not chmod-ed afterwards), the key before the certificate, so a crash in
     * between leaves no certificate without its key. Does nothing for material read from files.
     */
    public void save() throws IOException {
        if (unsavedPems == null) {
            return;
        }
        Path dir = certificateFile.getParent();
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir); // non-POSIX file system
            }
        }
        Path keyFile = dir.resolve("server.key");
        Files.deleteIfExists(keyFile); // a key without its certificate: replaced together with it
        try {
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(keyFile);
        }
        Files.writeString(keyFile, unsavedPems[1]);
        Files.writeString(certificateFile, unsavedPems[0]);
        unsavedPems = null;
    }

    /**
     * A self-signed end-entity certificate, shaped like one a CA would issue for a TLS server (RFC 5280
     * §4.2.1.3, §4.2.1.9, §4.2.1.12): not a CA (a leaked key then cannot sign certificates for other names that
     * a client trusting this file would accept), usable only for TLS server authentication. Clients put it in
     * their trust store as is; Java's PKIX validation, OpenSSL (Node, curl) and OkHttp accept a self-signed
     * leaf that is itself a trust anchor.
     */
    static X509Certificate selfSignedLeaf(KeyPair kp) throws IOException, GeneralSecurityException {
        X500Name name = new X500Name("CN=OpenKMS self-signed");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, SecureRandoms.current()).setBit(63),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, InetAddress.getByName("::1").getHostAddress())}));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        // digitalSignature only: the key is EC, which signs the (EC)DHE handshake; RFC 5480 §3 does not allow
        // keyEncipherment for an EC public key (that bit is for RSA key transport).
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(kp.getPublic()));
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the self-signed certificate", e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        }
        return s.toString();
    }

    private static KeyStore keyStore(PrivateKey key, Certificate[] chain) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, new char[0], chain);
        return ks;
    }
}
