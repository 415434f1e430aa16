package org.openkms.server.http;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;

/**
 * A test certificate authority shaped like a public one: a root, an intermediate it issued, and server
 * certificates the intermediate issues (SANs localhost and 127.0.0.1, digitalSignature, serverAuth), with
 * their keys written in the PEM encodings operators meet: PKCS#8, PKCS#1 (RSA), SEC1 (EC), and encrypted ones.
 */
final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();
    final KeyPair rootKey;
    final X509Certificate root;
    final KeyPair intermediateKey;
    final X509Certificate intermediate;

    record Leaf(X509Certificate certificate, KeyPair keyPair) {
        PrivateKey key() {
            return keyPair.getPrivate();
        }
    }

    private TestPki() throws Exception {
        rootKey = keyPair("P-256");
        Instant now = Instant.now();
        root = certificate(
                new X500Name("CN=OpenKMS Test Root CA"),
                rootKey.getPublic(),
                new X500Name("CN=OpenKMS Test Root CA"),
                rootKey,
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)),
                true);
        intermediateKey = keyPair("P-256");
        intermediate = certificate(
                new X500Name("CN=OpenKMS Test Intermediate CA"),
                intermediateKey.getPublic(),
                new X500Name("CN=OpenKMS Test Root CA"),
                rootKey,
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)),
                true);
    }

    static TestPki create() throws Exception {
        return new TestPki();
    }

    /** "RSA-2048", "RSA-3072", "RSA-1024", "P-256", "P-384", "secp256k1". */
    static KeyPair keyPair(String type) throws Exception {
        if (type.startsWith("RSA-")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(Integer.parseInt(type.substring(4)), RANDOM);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = type.equals("secp256k1") // the JDK dropped secp256k1 (JDK-8251547)
                ? KeyPairGenerator.getInstance("EC", org.openkms.crypto.Providers.bouncyCastle())
                : KeyPairGenerator.getInstance("EC");
        g.initialize(
                new ECGenParameterSpec(
                        switch (type) {
                            case "P-256" -> "secp256r1";
                            case "P-384" -> "secp384r1";
                            default -> type;
                        }),
                RANDOM);
        return g.generateKeyPair();
    }

    /** A server certificate for a new key of {@code type}, valid from yesterday for 30 days. */
    Leaf leaf(String type) throws Exception {
        KeyPair kp = keyPair(type);
        return leaf(kp, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
    }

    /** A server certificate for {@code kp}, valid from {@code notBefore} to {@code notAfter}. */
    Leaf leaf(KeyPair kp, Instant notBefore, Instant notAfter) throws Exception {
        return leaf(
                kp,
                notBefore,
                notAfter,
                kp.getPublic().getAlgorithm().equals("RSA")
                        ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                        : KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_serverAuth);
    }

    /** A server certificate with the given key usage bits and extended key usage. */
    Leaf leaf(KeyPair kp, Instant notBefore, Instant notAfter, int keyUsage, KeyPurposeId extendedKeyUsage)
            throws Exception {
        return new Leaf(
                certificate(
                        new X500Name("CN=localhost"),
                        kp.getPublic(),
                        new X500Name("CN=OpenKMS Test Intermediate CA"),
                        intermediateKey,
                        notBefore,
                        notAfter,
                        false,
                        keyUsage,
                        extendedKeyUsage),
                kp);
    }

    private X509Certificate certificate(
            X500Name subject,
            PublicKey pub,
            X500Name issuer,
            KeyPair issuerKey,
            Instant notBefore,
            Instant notAfter,
            boolean ca)
            throws Exception {
        return certificate(
                subject,
                pub,
                issuer,
                issuerKey,
                notBefore,
                notAfter,
                ca,
                KeyUsage.keyCertSign | KeyUsage.cRLSign,
                null);
    }

    private X509Certificate certificate(
            X500Name subject,
            PublicKey pub,
            X500Name issuer,
            KeyPair issuerKey,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            int keyUsage,
            KeyPurposeId extendedKeyUsage)
            throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                issuer, new BigInteger(64, RANDOM).setBit(63), Date.from(notBefore), Date.from(notAfter), subject, pub);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pub));
        b.addExtension(
                Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey.getPublic()));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        if (!ca) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
        }
        String alg = issuerKey.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(alg)
                        .build(issuerKey.getPrivate())));
    }

    /** The chain file an operator installs: the server certificate, then the intermediate. */
    String chainPem(Leaf leaf) throws IOException {
        return pem(leaf.certificate()) + pem(intermediate);
    }

    static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        }
        return s.toString();
    }

    /** "-----BEGIN PRIVATE KEY-----". */
    static String pkcs8(PrivateKey key) throws IOException {
        return pem(new JcaPKCS8Generator(key, null));
    }

    /** OpenSSL's traditional form: "-----BEGIN RSA PRIVATE KEY-----" (PKCS#1) or "-----BEGIN EC PRIVATE KEY-----" (SEC1). */
    static String traditional(KeyPair kp) throws IOException {
        if (!(kp.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec)) {
            return pem(kp.getPrivate()); // PKCS#1 RSAPrivateKey
        }
        // RFC 5915 ECPrivateKey with the curve and the public key, as openssl writes it; BouncyCastle's writer would
        // take the JDK's inner PKCS#8 structure, which leaves both out (they are in PKCS#8's algorithm identifier).
        var params = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(ec.getEncoded())
                .getPrivateKeyAlgorithm()
                .getParameters();
        var pub = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                        kp.getPublic().getEncoded())
                .getPublicKeyData();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                ec.getParams().getOrder().bitLength(), ec.getS(), pub, params);
        return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    /** "-----BEGIN ENCRYPTED PRIVATE KEY-----" (PKCS#8 with PBES2). */
    static String encryptedPkcs8(PrivateKey key) throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(
                        org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC)
                .setPassword("passphrase".toCharArray())
                .setRandom(RANDOM)
                .build();
        return pem(new JcaPKCS8Generator(key, encryptor));
    }

    /** OpenSSL's traditional encrypted form ("Proc-Type: 4,ENCRYPTED" headers). */
    static String encryptedTraditional(PrivateKey key) throws Exception {
        return pem(new JcaMiscPEMGenerator(
                key,
                new JcePEMEncryptorBuilder("AES-128-CBC")
                        .setSecureRandom(RANDOM)
                        .build("passphrase".toCharArray())));
    }

    static Path write(Path file, String content) throws IOException {
        // Write-then-rename, as renewal tools do, so a poll never reads half a file.
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        return Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A client context that trusts this authority's root only. */
    SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    static boolean openSslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
