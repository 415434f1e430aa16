package org.openkms.crypto.asymmetric;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.HexFormat;
import java.util.Optional;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.Providers;
import org.openkms.crypto.SecureRandoms;

/**
 * AsymmetricSign/AsymmetricVerify algorithms
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-asymmetricsign).
 * Every one signs a caller-computed 32-byte digest, never the message, so each uses a "pre-hashed" primitive:
 * <ul>
 *   <li>RSA_PKCS1_SHA_256: JDK {@code NONEwithRSA} over DigestInfo(SHA-256) ‖ digest — exactly RSASSA-PKCS1-v1_5.</li>
 *   <li>RSA_PSS_SHA_256: BC {@code NONEwithRSASSA-PSS}, MGF1-SHA-256, salt length 32 (= digest length).</li>
 *   <li>ECDSA_SHA_256: {@code NONEwithECDSA} (JDK 21+ signs P-256, BC everything else), DER {@code SEQUENCE {r, s}}.</li>
 *   <li>SM2DSA: {@link Sm2}, DER.</li>
 * </ul>
 * Signature objects are per thread: {@code getInstance} costs more than an ECDSA signature.
 */
public enum SignatureAlgorithm {
    RSA_PSS_SHA_256,
    RSA_PKCS1_SHA_256,
    ECDSA_SHA_256,
    SM2DSA;

    public static final int DIGEST_LENGTH = 32;
    /** DER of DigestInfo { AlgorithmIdentifier sha256 NULL, OCTET STRING (32) } without the digest itself. */
    private static final byte[] SHA256_DIGEST_INFO = HexFormat.of().parseHex("3031300d060960864801650304020105000420");

    private static final PSSParameterSpec PSS =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
    private static final ThreadLocal<Signature> JDK_RSA = perThread("NONEwithRSA", null);
    private static final ThreadLocal<Signature> BC_PSS = perThread("NONEwithRSASSA-PSS", Providers.bouncyCastle());
    private static final ThreadLocal<Signature> JDK_ECDSA = perThread("NONEwithECDSA", null);
    private static final ThreadLocal<Signature> BC_ECDSA = perThread("NONEwithECDSA", Providers.bouncyCastle());
    /**
     * SunEC's P-256 got its fast field arithmetic in JDK 20 (measured here: 145 µs per signature on JDK 25
     * against 210 µs for BC, but 750–2,500 µs on JDK 17 against BC's 350 µs), so P-256 signs on the JDK only
     * where the JDK is the faster of the two.
     */
    private static final boolean JDK_SIGNS_P256 = Runtime.version().feature() >= 21;

    public static Optional<SignatureAlgorithm> fromWire(String name) {
        for (SignatureAlgorithm a : values()) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Whether this algorithm is defined for keys of {@code type}. */
    public boolean supports(AsymmetricKeyType type) {
        return switch (this) {
            case RSA_PSS_SHA_256, RSA_PKCS1_SHA_256 -> type.rsa();
            case ECDSA_SHA_256 -> type == AsymmetricKeyType.EC_P256 || type == AsymmetricKeyType.EC_P256K;
            case SM2DSA -> type == AsymmetricKeyType.EC_SM2;
        };
    }

    public byte[] sign(AsymmetricKeyPair key, byte[] digest) throws CryptoException {
        checkInput(key.type(), digest);
        if (this == SM2DSA) {
            return Sm2.signDigest(key.sm2Private(), digest, SecureRandoms.current());
        }
        try {
            Signature s = signature(key.type());
            s.initSign(key.privateKey(), SecureRandoms.current());
            if (this == RSA_PSS_SHA_256) {
                s.setParameter(PSS);
            }
            feed(s, digest);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    name() + " signing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** False for any signature that does not verify, including malformed encodings. */
    public boolean verify(AsymmetricPublicKey key, byte[] digest, byte[] signature) throws CryptoException {
        checkInput(key.type(), digest);
        if (this == SM2DSA) {
            return Sm2.verifyDigest(key.sm2Public(), digest, signature);
        }
        if (this == ECDSA_SHA_256 && !strictDer(key.type(), signature)) {
            return false;
        }
        try {
            // ECDSA verification always runs on BC: JDK 17's P-256 verifier rejects valid signatures whose
            // k·G has an x-coordinate ≥ n (Wycheproof "k*G has a large x-coordinate"). Signing stays on the JDK.
            Signature s = this == ECDSA_SHA_256 ? BC_ECDSA.get() : signature(key.type());
            s.initVerify(key.key());
            if (this == RSA_PSS_SHA_256) {
                s.setParameter(PSS);
            }
            feed(s, digest);
            return s.verify(signature);
        } catch (java.security.SignatureException | IllegalArgumentException e) {
            return false; // malformed signature bytes: "does not verify", not an error
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    name() + " verification failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The JDK's ECDSA verifier accepts some non-DER encodings (e.g. an integer missing its leading zero,
     * Wycheproof "MissingZero"); signatures are only accepted in the one canonical encoding, as BC checks it.
     */
    private static boolean strictDer(AsymmetricKeyType type, byte[] signature) {
        try {
            BigInteger n = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByName(type.curve())
                    .getN();
            org.bouncycastle.crypto.signers.StandardDSAEncoding.INSTANCE.decode(n, signature);
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private void checkInput(AsymmetricKeyType type, byte[] digest) throws CryptoException {
        if (!supports(type)) {
            throw new CryptoException(name() + " is not defined for " + type);
        }
        if (digest.length != DIGEST_LENGTH) {
            throw new CryptoException("the digest must be " + DIGEST_LENGTH + " bytes");
        }
    }

    private void feed(Signature s, byte[] digest) throws GeneralSecurityException {
        if (this == RSA_PKCS1_SHA_256) {
            s.update(SHA256_DIGEST_INFO);
        }
        s.update(digest);
    }

    private Signature signature(AsymmetricKeyType type) {
        return switch (this) {
            case RSA_PKCS1_SHA_256 -> JDK_RSA.get();
            case RSA_PSS_SHA_256 -> BC_PSS.get();
            case ECDSA_SHA_256 ->
                type == AsymmetricKeyType.EC_P256 && JDK_SIGNS_P256 ? JDK_ECDSA.get() : BC_ECDSA.get();
            case SM2DSA -> throw new IllegalStateException("SM2 has no JCA signature over a digest");
        };
    }

    private static ThreadLocal<Signature> perThread(String name, Provider provider) {
        return ThreadLocal.withInitial(() -> {
            try {
                return provider == null ? Signature.getInstance(name) : Signature.getInstance(name, provider);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(name + " is not available", e);
            }
        });
    }
}
