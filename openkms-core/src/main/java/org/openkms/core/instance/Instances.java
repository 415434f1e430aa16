package org.openkms.core.instance;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openkms.core.Account;
import org.openkms.core.Ids;
import org.openkms.core.error.KmsException;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;
import org.openkms.crypto.rootkey.RootKeyProvider;

/**
 * The KMS instances this server is. On first start it creates one, with its own CA and a TLS server certificate
 * for its gateway signed by that CA, the way an Alibaba instance publishes a CA (GetKmsInstance
 * CaCertificateChainPem) that clients of the instance endpoint pin
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getkmsinstance).
 * Both private keys reach storage only sealed under the root key, bound to the instance and their role by the
 * associated data, like key material.
 */
public final class Instances {
    public static final String STATUS_IN_USE = "InUse";
    /**
     * An instance whose gateway is not served: a labelled instance no longer in the configuration. Alibaba's
     * GetKmsInstance lists "Disconnected: The instance is disconnected"
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getkmsinstance).
     */
    public static final String STATUS_DISCONNECTED = "Disconnected";
    /** Long enough that a self-hosted instance does not silently stop serving; the CA outlives the leaf. */
    private static final Duration CA_VALIDITY = Duration.ofDays(20 * 365);

    private static final Duration TLS_VALIDITY = Duration.ofDays(10 * 365);

    /**
     * The TLS identity of an instance's gateway: its key, certificate, the CA that signed it, and the chain a TLS
     * server sends (the certificate, then each CA up to the root).
     */
    public record Tls(PrivateKey key, X509Certificate certificate, X509Certificate ca, List<X509Certificate> chain) {}

    private final Account account;
    private final InstanceRepository repository;
    private final RootKeyProvider rootKey;
    private final Clock clock;
    /** The default instance's id once known: instances are never removed, so the default stays the default. */
    private volatile String defaultId;
    /** The ids of the labelled instances this server serves (the configured ones); others are Disconnected. */
    private volatile Set<String> configured = Set.of();

    public Instances(Account account, InstanceRepository repository, RootKeyProvider rootKey, Clock clock) {
        this.account = account;
        this.repository = repository;
        this.rootKey = rootKey;
        this.clock = clock;
    }

    /**
     * The default instance, created with {@code extraNames} as further subject alternative names of its certificate
     * when the server has none yet. It is the instance without a label (its name is its id), the one
     * {@code --instance-listen} serves; configured instances ({@link #ensureLabelled}) carry their label as name.
     */
    public InstanceRecord ensureDefault(List<String> extraNames) {
        Optional<InstanceRecord> existing =
                repository.list().stream().filter(Instances::isDefaultShaped).findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        String id = Ids.newInstanceId(account.region());
        InstanceRecord created = mint(id, id, extraNames);
        if (!repository.create(created)) {
            throw new IllegalStateException("instance id collision: " + created.instanceId());
        }
        return defaultOf(repository.list()).orElseThrow();
    }

    /**
     * The instance configured under {@code label}, created (id, CA, certificate with {@code extraNames}) the first
     * time the label is seen. The label is stored as the instance's name, so a restart binds the same instance to
     * the same label. Call after {@link #ensureDefault}, under the same bootstrap lock as it.
     */
    public InstanceRecord ensureLabelled(String label, List<String> extraNames) {
        if (!validLabel(label)) {
            throw new IllegalArgumentException("not an instance label: " + label);
        }
        Optional<InstanceRecord> existing = labelled(label);
        if (existing.isPresent()) {
            return existing.get();
        }
        InstanceRecord created = mint(Ids.newInstanceId(account.region()), label, extraNames);
        if (!repository.create(created)) {
            throw new IllegalStateException("instance id collision: " + created.instanceId());
        }
        return labelled(label).orElseThrow();
    }

    /** The instance stored under {@code label}, if any. */
    public Optional<InstanceRecord> labelled(String label) {
        return repository.list().stream()
                .filter(r -> !isDefaultShaped(r) && r.instanceName().equals(label))
                .findFirst();
    }

    /**
     * A label names an instance in the configuration and is stored as its InstanceName: letters, digits, '-' and
     * '_', 1 to 64 characters, not starting with "kst-" (the shape of an instance id, which is the default
     * instance's name).
     */
    public static boolean validLabel(String label) {
        return label != null
                && label.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
                && !label.toLowerCase(java.util.Locale.ROOT).startsWith("kst-");
    }

    /** The ids of the labelled instances the server serves now; any other labelled instance is Disconnected. */
    public void configured(Set<String> instanceIds) {
        this.configured = Set.copyOf(instanceIds);
    }

    /**
     * The status GetKmsInstance reports: the stored one, except for a labelled instance that is no longer configured
     * (its keys and secrets are kept and work on the shared gateway, but no listener serves it).
     */
    public String status(InstanceRecord r) {
        return isDefaultShaped(r) || configured.contains(r.instanceId()) ? r.status() : STATUS_DISCONNECTED;
    }

    /** The default instance has no label: its name is its id. */
    private static boolean isDefaultShaped(InstanceRecord r) {
        return r.instanceName().equals(r.instanceId());
    }

    /** The first instance without a label by id; the first by id when every one has one. */
    private static Optional<InstanceRecord> defaultOf(List<InstanceRecord> all) {
        return all.stream()
                .filter(Instances::isDefaultShaped)
                .findFirst()
                .or(() -> all.stream().findFirst());
    }

    /**
     * The id of the default instance: the instance whose dedicated gateway {@code --instance-listen} serves, and the
     * one {@link #ensureDefault} made. Null while the server has none.
     */
    public String defaultInstanceId() {
        String id = defaultId;
        if (id == null) {
            Optional<InstanceRecord> found = defaultOf(repository.list());
            if (found.isEmpty()) {
                return null;
            }
            id = found.get().instanceId();
            defaultId = id;
        }
        return id;
    }

    public List<InstanceRecord> list() {
        return repository.list();
    }

    public Optional<InstanceRecord> find(String instanceId) {
        return instanceId == null ? Optional.empty() : repository.find(instanceId);
    }

    /** The instance, or Alibaba's error for an instance id that names none. */
    public InstanceRecord get(String instanceId) {
        return find(instanceId).orElseThrow(Instances::notFound);
    }

    public static KmsException notFound() {
        return new KmsException(404, "Forbidden.DKMSInstanceNotFound", "The specified DKMS instance is not found.");
    }

    public String arn(String instanceId) {
        return "acs:kms:" + account.region() + ":" + account.uid() + ":keystore/" + instanceId;
    }

    /** The host name Alibaba gives an instance's gateway: {@code <instanceId>.cryptoservice.kms.aliyuncs.com}. */
    public static String endpoint(String instanceId) {
        return instanceId + ".cryptoservice.kms.aliyuncs.com";
    }

    /** Unseals the gateway's TLS identity (at start, to configure the listener). */
    public Tls tls(String instanceId) {
        InstanceRecord r = get(instanceId);
        X509Certificate leaf = certificate(r.certificatePem());
        // The CA PEM lists the root first, then the sub CA that signs the gateway's certificate (one certificate for
        // instances created before the sub CA was introduced).
        List<X509Certificate> cas = certificates(r.caCertificatePem());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        for (int i = cas.size() - 1; i >= 0; i--) {
            chain.add(cas.get(i));
        }
        return new Tls(
                unsealKey(r.sealedKey(), context(instanceId, "tls")),
                leaf,
                cas.get(cas.size() - 1),
                List.copyOf(chain));
    }

    /**
     * The gateway's TLS identity answering to {@code extraNames} too (the {@code instanceNames} option: the names
     * and addresses clients use to reach the gateway beyond loopback and {@link #endpoint}). When the stored
     * certificate lacks one of them, a new one is issued by the instance's CA for this run; clients trust the CA,
     * so a certificate made at start is as good as the stored one, and the stored record is left as it was.
     */
    public Tls tls(String instanceId, List<String> extraNames) {
        Tls stored = tls(instanceId);
        if (extraNames.isEmpty() || namesOf(stored.certificate()).containsAll(extraNames)) {
            return stored;
        }
        InstanceRecord r = get(instanceId);
        try {
            KeyPair leaf = ecKeyPair();
            X509Certificate cert = leafCertificate(
                    instanceId,
                    leaf,
                    stored.ca(),
                    unsealKey(r.sealedCaKey(), context(instanceId, "ca")),
                    extraNames,
                    clock.instant().truncatedTo(ChronoUnit.SECONDS));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            chain.addAll(stored.chain().subList(1, stored.chain().size()));
            return new Tls(leaf.getPrivate(), cert, stored.ca(), List.copyOf(chain));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue the instance gateway certificate", e);
        }
    }

    private static Set<String> namesOf(X509Certificate cert) {
        Set<String> names = new LinkedHashSet<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> n : cert.getSubjectAlternativeNames()) {
                    names.add(String.valueOf(n.get(1)));
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return Set.of();
        }
        // An IPv6 address comes back in its long form (0:0:0:0:0:0:0:1): compare as addresses too.
        Set<String> out = new LinkedHashSet<>(names);
        for (String n : names) {
            if (n.indexOf(':') >= 0) {
                try {
                    out.add(java.net.InetAddress.getByName(n).getHostAddress());
                } catch (java.net.UnknownHostException ignored) {
                    // not an address
                }
            }
        }
        return out;
    }

    /** The gateway's certificate: {@link #endpoint}, loopback and {@code extraNames}, signed by the (sub) CA. */
    private X509Certificate leafCertificate(
            String instanceId,
            KeyPair leaf,
            X509Certificate issuer,
            java.security.PrivateKey issuerKey,
            List<String> extraNames,
            Instant now)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        String host = endpoint(instanceId);
        var leafBuilder = new JcaX509v3CertificateBuilder(
                issuer,
                serial(),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(TLS_VALIDITY)),
                new X500Name("CN=" + host),
                leaf.getPublic());
        leafBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        leafBuilder.addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        leafBuilder.addExtension(
                Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        leafBuilder.addExtension(
                Extension.authorityKeyIdentifier,
                false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer));
        leafBuilder.addExtension(Extension.subjectAlternativeName, false, sans(host, extraNames));
        return sign(leafBuilder, issuerKey);
    }

    private InstanceRecord mint(String instanceId, String name, List<String> extraNames) {
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            KeyPair root = ecKeyPair();
            X500Name caName = new X500Name("CN=OpenKMS instance CA " + instanceId + ",O=OpenKMS");
            var caBuilder = new JcaX509v3CertificateBuilder(
                    caName,
                    serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(CA_VALIDITY)),
                    caName,
                    root.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
            caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caBuilder.addExtension(
                    Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(root.getPublic()));
            X509Certificate rootCert = sign(caBuilder, root.getPrivate());
            // A sub CA signs the gateway's certificate and CaCertificateChainPem lists both, as Alibaba's instance CA
            // chain does: the Instance SDK 0.2.x (and the kms-transfer-client 0.1.0 built on it) pins the chain's
            // certificate that is not self-signed and refuses a lone root; 0.5.x pins the second certificate of the
            // file. The root's private key is not kept: nothing is signed with it again.
            KeyPair sub = ecKeyPair();
            X500Name subName = new X500Name("CN=OpenKMS instance sub CA " + instanceId + ",O=OpenKMS");
            var subBuilder = new JcaX509v3CertificateBuilder(
                    rootCert,
                    serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(CA_VALIDITY)),
                    subName,
                    sub.getPublic());
            subBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            subBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            subBuilder.addExtension(
                    Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(sub.getPublic()));
            subBuilder.addExtension(
                    Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(rootCert));
            X509Certificate caCert = sign(subBuilder, root.getPrivate());

            KeyPair leaf = ecKeyPair();
            X509Certificate leafCert = leafCertificate(instanceId, leaf, caCert, sub.getPrivate(), extraNames, now);

            return new InstanceRecord(
                    instanceId,
                    name,
                    STATUS_IN_USE,
                    now,
                    pem(rootCert) + pem(caCert),
                    seal(sub.getPrivate(), context(instanceId, "ca")),
                    pem(leafCert),
                    seal(leaf.getPrivate(), context(instanceId, "tls")));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the instance CA", e);
        }
    }

    private static GeneralNames sans(String host, List<String> extraNames) {
        Set<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "::1", "localhost", host));
        names.addAll(extraNames);
        List<GeneralName> out = new ArrayList<>();
        for (String n : names) {
            boolean ip = n.indexOf(':') >= 0 || n.matches("[0-9.]+");
            out.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        return new GeneralNames(out.toArray(GeneralName[]::new));
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), SecureRandoms.current());
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, SecureRandoms.current()).add(BigInteger.ONE);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private byte[] seal(PrivateKey key, byte[] aad) {
        byte[] der = key.getEncoded();
        try {
            return rootKey.seal(der, aad);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private PrivateKey unsealKey(byte[] sealed, byte[] aad) {
        byte[] der = null;
        try {
            der = rootKey.unseal(sealed, aad);
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (CryptoException | GeneralSecurityException e) {
            throw new IllegalStateException("the instance's private key cannot be unsealed: " + e.getMessage());
        } finally {
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
        }
    }

    /** Associated data binding a sealed key to its instance and role: rows cannot be swapped. */
    private static byte[] context(String instanceId, String role) {
        return ("openkms:instance:" + instanceId + ":" + role).getBytes(StandardCharsets.UTF_8);
    }

    static String pem(X509Certificate c) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(c);
        }
        return out.toString();
    }

    /** Every certificate of a PEM document, in order. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(new JcaX509CertificateConverter().getCertificate(h));
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("unreadable certificate", e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no certificate in the instance CA");
        }
        return out;
    }

    public static X509Certificate certificate(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) p.readObject());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("unreadable certificate", e);
        }
    }
}
