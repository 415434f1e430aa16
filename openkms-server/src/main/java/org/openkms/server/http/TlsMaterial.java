package org.openkms.server.http;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.openkms.crypto.SecureRandoms;

/**
 * The HTTPS listener's certificate and key: the operator's PEM files, or a self-signed certificate made on
 * first start and kept in {@code <data-dir>/tls/} (server.crt, server.key 0600). The self-signed one carries
 * SANs IP:127.0.0.1, IP:::1 and DNS:localhost, which the official SDKs check; clients trust it by passing
 * server.crt as their CA (V2 SDK: Config.ca).
 *
 * <p>Operator files are checked before they are used, at start and on every reload ({@link TlsReloader}), so
 * that a bad pair is one clear message naming the file instead of a handshake that fails for every client:
 * a chain of PEM certificates (server certificate first), an unencrypted private key (PKCS#8, PKCS#1 or SEC1)
 * that belongs to the first certificate, RSA of 2048 bits or more or EC on P-256/P-384/P-521, key usages that
 * allow a TLS server, and every certificate within its validity period.
 */
public final class TlsMaterial {
    /** A PEM file larger than this is not a certificate chain or a key (a chain of ten RSA 4096 certificates is ~20 KiB). */
    static final int MAX_FILE_SIZE = 1 << 20;

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    /** Which file a problem is in, so that the start-up error can name the option to fix. */
    public enum Source {
        CERTIFICATE,
        KEY,
        PAIR
    }

    /** Certificate or key files that cannot be used; the message says why and what to do, without the file names. */
    public static final class InvalidMaterialException extends GeneralSecurityException {
        private final Source source;

        InvalidMaterialException(Source source, String message) {
            super(message);
            this.source = source;
        }

        InvalidMaterialException(Source source, String message, Throwable cause) {
            super(message, cause);
            this.source = source;
        }

        public Source source() {
            return source;
        }
    }

    private final KeyStore keyStore;
    private final X509Certificate[] chain;
    private final Path certificateFile;
    /** The key file when the material is the operator's (and so watched for renewal), else null. */
    private final Path operatorKeyFile;
    /** SHA-256 of the certificate and key file contents this was made from (see {@link #digest}). */
    private final byte[] contentDigest;
    /** A self-signed certificate and key made in memory and not written yet ({@link #save}), else null. */
    private String[] unsavedPems;

    private TlsMaterial(
            KeyStore keyStore,
            X509Certificate[] chain,
            Path certificateFile,
            Path operatorKeyFile,
            byte[] contentDigest) {
        this.keyStore = keyStore;
        this.chain = chain;
        this.certificateFile = certificateFile;
        this.operatorKeyFile = operatorKeyFile;
        this.contentDigest = contentDigest;
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    /** The PEM certificate a client should trust. */
    public Path certificateFile() {
        return certificateFile;
    }

    /** The server certificate (the first of the chain). */
    public X509Certificate certificate() {
        return chain[0];
    }

    /** The operator's key file, watched with the certificate file for renewals; null for the self-signed material. */
    Path operatorKeyFile() {
        return operatorKeyFile;
    }

    /** Whether this came from the operator's --tls-cert/--tls-key, which {@link TlsReloader} watches. */
    public boolean reloadable() {
        return operatorKeyFile != null;
    }

    byte[] contentDigest() {
        return contentDigest.clone();
    }

    /** One line for logs: subject, serial, key type and expiry of the server certificate. */
    public String describe() {
        X509Certificate c = chain[0];
        return c.getSubjectX500Principal().getName() + " (serial "
                + c.getSerialNumber().toString(16) + ", " + keyDescription(c.getPublicKey()) + ", expires "
                + c.getNotAfter().toInstant() + ")";
    }

    /** The operator's PEM files, checked (see the class comment); problems are {@link InvalidMaterialException}s. */
    public static TlsMaterial load(Path certificatePem, Path keyPem) throws InvalidMaterialException {
        return parse(
                read(certificatePem, Source.CERTIFICATE),
                read(keyPem, Source.KEY),
                certificatePem,
                keyPem,
                Instant.now());
    }

    /** A file's bytes, refusing what cannot be a PEM certificate chain or key rather than reading it all. */
    static byte[] read(Path file, Source source) throws InvalidMaterialException {
        try {
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw new InvalidMaterialException(
                        source,
                        "larger than " + (MAX_FILE_SIZE >> 20) + " MiB, not a PEM "
                                + (source == Source.KEY ? "private key" : "certificate chain"));
            }
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidMaterialException(source, "no such file (check the path)", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InvalidMaterialException(
                    source,
                    "cannot read it (permission denied; the server runs as " + System.getProperty("user.name") + ")",
                    e);
        } catch (IOException e) {
            throw new InvalidMaterialException(source, "cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /** SHA-256 over both files' contents, length-prefixed so that moving bytes between the files changes it. */
    static byte[] digest(byte[] certificatePem, byte[] keyPem) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(4).putInt(certificatePem.length).array());
            sha.update(certificatePem);
            sha.update(keyPem);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Parses and checks a PEM certificate chain and private key; {@code certificateFile} and {@code keyFile} are
     * only remembered (for {@link #certificateFile} and for watching), never read here.
     */
    static TlsMaterial parse(byte[] certificatePem, byte[] keyPem, Path certificateFile, Path keyFile, Instant now)
            throws InvalidMaterialException {
        X509Certificate[] chain = certificates(certificatePem);
        keyType(chain[
                0]); // first: a key on a curve the JDK does not know would otherwise fail as an unreadable key file
        PrivateKey key = privateKey(keyPem);
        check(chain, key, now);
        KeyStore ks;
        try {
            ks = keyStore(key, chain);
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidMaterialException(Source.PAIR, "cannot be put in a key store (" + e.getMessage() + ")", e);
        }
        return new TlsMaterial(ks, chain, certificateFile, keyFile, digest(certificatePem, keyPem));
    }

    private static PEMParser parser(byte[] pem) {
        // PEM is ASCII; ISO-8859-1 maps every byte to one char, so binary (DER) input cannot fail decoding here.
        return new PEMParser(new StringReader(new String(pem, StandardCharsets.ISO_8859_1)));
    }

    private static X509Certificate[] certificates(byte[] pem) throws InvalidMaterialException {
        List<X509Certificate> chain = new ArrayList<>();
        boolean sawKey = false;
        try (PEMParser p = parser(pem)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(new JcaX509CertificateConverter().getCertificate(h));
                } else if (o instanceof PEMKeyPair
                        || o instanceof PrivateKeyInfo
                        || o instanceof PEMEncryptedKeyPair
                        || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    sawKey = true;
                }
            }
        } catch (IOException
                | CertificateException
                | RuntimeException e) { // BouncyCastle's ASN.1 errors are runtime exceptions
            throw new InvalidMaterialException(
                    Source.CERTIFICATE, "not a valid PEM certificate file (" + e.getMessage() + ")", e);
        }
        if (chain.isEmpty()) {
            throw new InvalidMaterialException(
                    Source.CERTIFICATE,
                    sawKey
                            ? "holds a private key but no certificate (were --tls-cert and --tls-key swapped?)"
                            : "no certificate in it (expected PEM: -----BEGIN CERTIFICATE----- blocks, the server certificate first, then its intermediates)");
        }
        return chain.toArray(new X509Certificate[0]);
    }

    private static PrivateKey privateKey(byte[] pem) throws InvalidMaterialException {
        boolean sawCertificate = false;
        try (PEMParser p = parser(pem)) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof PEMKeyPair kp) { // PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY"
                    return conv.getPrivateKey(kp.getPrivateKeyInfo()); // a SEC1 key may omit its public key
                } else if (o instanceof PrivateKeyInfo info) { // PKCS#8 "PRIVATE KEY"
                    return conv.getPrivateKey(info);
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    // The server starts unattended (systemd, containers, renewals), so there is nobody to ask for a
                    // passphrase.
                    throw new InvalidMaterialException(
                            Source.KEY,
                            "the private key is encrypted; the server reads only unencrypted keys"
                                    + " (decrypt it with: openssl pkey -in KEY -out KEY.plain, and keep that file readable by the server's user only)");
                } else if (o instanceof X509CertificateHolder) {
                    sawCertificate = true;
                }
                // Anything else (an "EC PARAMETERS" block from openssl ecparam -genkey, a public key) is skipped.
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidMaterialException(
                    Source.KEY, "not a valid PEM private key file (" + e.getMessage() + ")", e);
        }
        throw new InvalidMaterialException(
                Source.KEY,
                sawCertificate
                        ? "holds a certificate but no private key (were --tls-cert and --tls-key swapped?)"
                        : "no private key in it (expected PEM: -----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }

    /**
     * What clients would otherwise find out in a failed handshake: the key matching the first certificate, the
     * server certificate's key usages, and every certificate's validity period.
     */
    private static void check(X509Certificate[] chain, PrivateKey key, Instant now) throws InvalidMaterialException {
        X509Certificate leaf = chain[0];
        if (!belongs(key, leaf)) {
            for (int i = 1; i < chain.length; i++) {
                if (belongs(key, chain[i])) {
                    throw new InvalidMaterialException(
                            Source.CERTIFICATE,
                            "the private key belongs to certificate " + (i + 1) + " in the file ("
                                    + chain[i].getSubjectX500Principal().getName()
                                    + "), not to the first; put the server certificate first, then its intermediates");
                }
            }
            throw new InvalidMaterialException(
                    Source.PAIR,
                    "the private key does not belong to the certificate "
                            + leaf.getSubjectX500Principal().getName() + " (serial "
                            + leaf.getSerialNumber().toString(16) + ")");
        }
        // RFC 8446 §4.4.2.2: "the digitalSignature bit MUST be set if the Key Usage extension is present"; ECDHE
        // in TLS 1.2 signs with the key too (RFC 8422 §5.4, RFC 5246 §7.4.3). Every offered suite is ECDHE or TLS 1.3.
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage != null && !keyUsage[0]) {
            throw new InvalidMaterialException(
                    Source.CERTIFICATE,
                    "the server certificate's key usage lacks digitalSignature,"
                            + " which every TLS 1.3 and ECDHE handshake needs (RFC 8446 section 4.4.2.2); issue one with digitalSignature");
        }
        // RFC 5280 §4.2.1.12: with an extendedKeyUsage extension, the certificate is for the listed purposes only.
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(SERVER_AUTH) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
                throw new InvalidMaterialException(
                        Source.CERTIFICATE,
                        "the server certificate's extended key usage does not include"
                                + " serverAuth, so clients would refuse it (RFC 5280 section 4.2.1.12); issue one for TLS Web Server Authentication");
            }
        } catch (CertificateParsingException e) {
            throw new InvalidMaterialException(
                    Source.CERTIFICATE, "unreadable extended key usage (" + e.getMessage() + ")", e);
        }
        Date at = Date.from(now);
        for (int i = 0; i < chain.length; i++) {
            X509Certificate c = chain[i];
            String which = i == 0
                    ? "the server certificate " + c.getSubjectX500Principal().getName()
                    : "certificate " + (i + 1) + " in the file ("
                            + c.getSubjectX500Principal().getName() + ")";
            if (at.after(c.getNotAfter())) {
                throw new InvalidMaterialException(
                        Source.CERTIFICATE,
                        which + " expired on " + c.getNotAfter().toInstant() + " (renew it)");
            }
            if (at.before(c.getNotBefore())) {
                throw new InvalidMaterialException(
                        Source.CERTIFICATE,
                        which + " is not valid before " + c.getNotBefore().toInstant() + " (check the clock)");
            }
        }
    }

    /**
     * RSA of 2048 bits or more (NIST SP 800-131A Rev. 2 disallows less) or EC on a curve TLS 1.3 signs with
     * (RFC 8446 §4.2.3: ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, ecdsa_secp521r1_sha512).
     */
    private static void keyType(X509Certificate leaf) throws InvalidMaterialException {
        PublicKey pub = leaf.getPublicKey();
        String advice = "; use RSA (2048 bits or more) or EC P-256, P-384 or P-521";
        if (pub instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new InvalidMaterialException(
                        Source.CERTIFICATE,
                        "the server certificate has a " + rsa.getModulus().bitLength() + "-bit RSA key, too short"
                                + advice);
            }
        } else if (pub instanceof ECPublicKey
                || pub.getAlgorithm().equals("EC")) { // the JDK decodes unknown curves as a plain X509Key
            if (curve(pub) == null) {
                throw new InvalidMaterialException(
                        Source.CERTIFICATE,
                        "the server certificate's EC key is on a curve TLS clients do not" + " accept for signatures"
                                + advice);
            }
        } else {
            throw new InvalidMaterialException(
                    Source.CERTIFICATE, "the server certificate has a " + pub.getAlgorithm() + " key" + advice);
        }
    }

    /** "P-256", "P-384" or "P-521" for a key on those curves, else null. */
    private static String curve(PublicKey pub) {
        ASN1Encodable params = SubjectPublicKeyInfo.getInstance(pub.getEncoded())
                .getAlgorithm()
                .getParameters();
        if (params instanceof ASN1ObjectIdentifier oid) {
            if (oid.equals(SECObjectIdentifiers.secp256r1)) {
                return "P-256";
            } else if (oid.equals(SECObjectIdentifiers.secp384r1)) {
                return "P-384";
            } else if (oid.equals(SECObjectIdentifiers.secp521r1)) {
                return "P-521";
            }
        }
        return null;
    }

    private static String keyDescription(PublicKey pub) {
        if (pub instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        String curve = curve(pub);
        return curve != null ? "EC " + curve : pub.getAlgorithm();
    }

    /**
     * Whether {@code key} is the private half of the certificate's public key: it signs a random challenge that
     * the certificate's key verifies, which is what a handshake will ask of it (and works the same for RSA and EC).
     */
    private static boolean belongs(PrivateKey key, X509Certificate certificate) {
        PublicKey pub = certificate.getPublicKey();
        String algorithm = switch (pub.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            SecureRandoms.current().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // an RSA key for an EC certificate, an EC key on another curve than the certificate's
        }
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
            TlsMaterial saved = load(cert, key);
            // Ours, not the operator's: not watched for renewals (it is valid for ten years and nobody renews it).
            return new TlsMaterial(saved.keyStore, saved.chain, cert, null, saved.contentDigest);
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), SecureRandoms.current());
        KeyPair kp = g.generateKeyPair();
        X509Certificate certificate = selfSignedLeaf(kp);
        TlsMaterial tls = new TlsMaterial(
                keyStore(kp.getPrivate(), new X509Certificate[] {certificate}),
                new X509Certificate[] {certificate},
                cert,
                null,
                new byte[32]);
        // PKCS#8 ("PRIVATE KEY") keeps the curve parameters; OpenSSL and every PEM reader accept it.
        tls.unsavedPems = new String[] {
            pem(certificate),
            "-----BEGIN PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(kp.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n"
        };
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
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir); // non-POSIX file system
            }
        }
        Path keyFile = dir.resolve("server.key");
        Files.deleteIfExists(keyFile); // a key without its certificate: replaced together with it
        try {
            Files.createFile(
                    keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
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
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                name,
                new BigInteger(64, SecureRandoms.current()).setBit(63),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(3650))),
                name,
                kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.iPAddress, InetAddress.getByName("::1").getHostAddress())
        }));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        // digitalSignature only: the key is EC, which signs the (EC)DHE handshake; RFC 5480 §3 does not allow
        // keyEncipherment for an EC public key (that bit is for RSA key transport).
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(
                Extension.subjectKeyIdentifier,
                false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(kp.getPublic()));
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
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

    private static KeyStore keyStore(PrivateKey key, X509Certificate[] chain)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, new char[0], chain);
        return ks;
    }
}
