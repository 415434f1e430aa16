package org.openkms.crypto.asymmetric;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.openkms.crypto.CryptoException;

/**
 * A public key with its type: verification, encryption, and the exported forms (DER SubjectPublicKeyInfo,
 * and the PEM that GetPublicKey returns). Also used for caller-supplied keys (ExportDataKey's PublicKeyBlob).
 */
public final class AsymmetricPublicKey {
    private final AsymmetricKeyType type;
    private final PublicKey key;
    private final byte[] der;
    private final ECPublicKeyParameters sm2Public;

    private AsymmetricPublicKey(AsymmetricKeyType type, PublicKey key) {
        this.type = type;
        this.key = key;
        this.der = key.getEncoded();
        try {
            this.sm2Public = type == AsymmetricKeyType.EC_SM2
                    ? (ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(key)
                    : null;
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException("SM2 public key not usable", e);
        }
    }

    static AsymmetricPublicKey of(AsymmetricKeyType type, PublicKey key) {
        return new AsymmetricPublicKey(type, key);
    }

    /**
     * Parses a DER SubjectPublicKeyInfo and checks it really is a key of {@code type} (RSA size, curve), so a
     * caller cannot pass a P-256 key where an SM2 key is expected or a 1024-bit RSA key for RSA_2048.
     */
    public static AsymmetricPublicKey parse(AsymmetricKeyType type, byte[] spki) throws CryptoException {
        PublicKey k;
        try {
            KeyFactory f = type.provider() == null
                    ? KeyFactory.getInstance(type.keyAlgorithm())
                    : KeyFactory.getInstance(type.keyAlgorithm(), type.provider());
            k = f.generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CryptoException("public key cannot be parsed");
        }
        if (type.rsa()) {
            if (!(k instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() != type.bits()) {
                throw new CryptoException("public key is not an RSA key of " + type.bits() + " bits");
            }
        } else {
            if (!(k instanceof ECPublicKey ec) || !Curves.matches(ec, type)) {
                throw new CryptoException("public key is not on the curve of " + type);
            }
        }
        return new AsymmetricPublicKey(type, k);
    }

    public AsymmetricKeyType type() {
        return type;
    }

    /** DER SubjectPublicKeyInfo. */
    public byte[] der() {
        return der.clone();
    }

    /** PEM as GetPublicKey returns it: 64-character lines separated by {@code \n}, trailing newline. */
    public String pem() {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    PublicKey key() {
        return key;
    }

    ECPublicKeyParameters sm2Public() {
        return sm2Public;
    }
}
