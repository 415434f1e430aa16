package org.openkms.crypto.asymmetric;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;

/**
 * One version's key pair, parsed once and reused by every call (parsing PKCS#8 costs more than an ECDSA
 * signature). Immutable and thread-safe. SM2 keys also keep BouncyCastle's lightweight parameters because
 * signing over a caller-supplied digest has no JCA name.
 *
 * <p>Stored form ({@link #encode}): {@code 0x01 ‖ u16 length ‖ PKCS#8 ‖ SubjectPublicKeyInfo}. The public key
 * is stored beside the private one because the JDK's EC PKCS#8 omits it and recomputing it needs curve maths.
 */
public final class AsymmetricKeyPair {
    private static final byte FORMAT_V1 = 1;
    private final AsymmetricKeyType type;
    private final PrivateKey privateKey;
    private final AsymmetricPublicKey publicKey;
    private final ECPrivateKeyParameters sm2Private;

    private AsymmetricKeyPair(AsymmetricKeyType type, PrivateKey privateKey, AsymmetricPublicKey publicKey) {
        this.type = type;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        try {
            this.sm2Private = type == AsymmetricKeyType.EC_SM2
                    ? (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(privateKey)
                    : null;
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException("SM2 private key not usable", e);
        }
    }

    public static AsymmetricKeyPair generate(AsymmetricKeyType type) {
        try {
            KeyPairGenerator g = type.provider() == null
                    ? KeyPairGenerator.getInstance(type.keyAlgorithm())
                    : KeyPairGenerator.getInstance(type.keyAlgorithm(), type.provider());
            g.initialize(type.generationSpec(), SecureRandoms.current());
            KeyPair kp = g.generateKeyPair();
            return new AsymmetricKeyPair(type, kp.getPrivate(), AsymmetricPublicKey.of(type, kp.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + type, e);
        }
    }

    /** Parses {@link #encode} output. */
    public static AsymmetricKeyPair decode(AsymmetricKeyType type, byte[] encoded) throws CryptoException {
        try {
            ByteBuffer b = ByteBuffer.wrap(encoded);
            if (b.get() != FORMAT_V1) {
                throw new CryptoException("unknown key pair format");
            }
            byte[] pkcs8 = new byte[b.getShort() & 0xffff];
            b.get(pkcs8);
            byte[] spki = new byte[b.remaining()];
            b.get(spki);
            KeyFactory f = type.provider() == null
                    ? KeyFactory.getInstance(type.keyAlgorithm())
                    : KeyFactory.getInstance(type.keyAlgorithm(), type.provider());
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            Arrays.fill(pkcs8, (byte) 0);
            return new AsymmetricKeyPair(type, priv, AsymmetricPublicKey.parse(type, spki));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CryptoException("key pair cannot be parsed");
        }
    }

    /**
     * A key pair from a bare PKCS#8 private key (imported material, test vectors): the public key is derived,
     * from the CRT fields for RSA and as d·G for EC keys.
     */
    public static AsymmetricKeyPair fromPkcs8(AsymmetricKeyType type, byte[] pkcs8) throws CryptoException {
        try {
            KeyFactory f = type.provider() == null
                    ? KeyFactory.getInstance(type.keyAlgorithm())
                    : KeyFactory.getInstance(type.keyAlgorithm(), type.provider());
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey pub;
            if (priv instanceof java.security.interfaces.RSAPrivateCrtKey rsa) {
                pub = f.generatePublic(
                        new java.security.spec.RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            } else {
                ECPrivateKeyParameters d = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(priv);
                var q = new org.bouncycastle.math.ec.FixedPointCombMultiplier()
                        .multiply(d.getParameters().getG(), d.getD())
                        .normalize();
                var bcSpec = new org.bouncycastle.jce.spec.ECPublicKeySpec(
                        q, org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec(type.curve()));
                byte[] spki = KeyFactory.getInstance("EC", org.openkms.crypto.Providers.bouncyCastle())
                        .generatePublic(bcSpec)
                        .getEncoded();
                return new AsymmetricKeyPair(type, priv, AsymmetricPublicKey.parse(type, spki));
            }
            return new AsymmetricKeyPair(type, priv, AsymmetricPublicKey.parse(type, pub.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CryptoException("private key cannot be parsed as " + type);
        }
    }

    /** The stored form; the caller seals it and wipes the array. */
    public byte[] encode() {
        byte[] pkcs8 = privateKey.getEncoded();
        byte[] spki = publicKey.der();
        ByteBuffer b = ByteBuffer.allocate(3 + pkcs8.length + spki.length);
        b.put(FORMAT_V1).putShort((short) pkcs8.length).put(pkcs8).put(spki);
        Arrays.fill(pkcs8, (byte) 0);
        return b.array();
    }

    /** The private key as PKCS#8 DER, for data key pairs handed to the caller; the caller wipes the array. */
    public byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    public AsymmetricKeyType type() {
        return type;
    }

    public AsymmetricPublicKey publicKey() {
        return publicKey;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    ECPrivateKeyParameters sm2Private() {
        return sm2Private;
    }

    ECPublicKeyParameters sm2Public() {
        return publicKey.sm2Public();
    }
}
