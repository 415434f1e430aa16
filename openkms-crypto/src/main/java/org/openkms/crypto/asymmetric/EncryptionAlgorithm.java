package org.openkms.crypto.asymmetric;

import java.security.GeneralSecurityException;
import java.security.spec.MGF1ParameterSpec;
import java.util.Optional;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;

/**
 * Public-key encryption algorithms of AsymmetricEncrypt/Decrypt, ExportDataKey and key import. Output is the
 * raw algorithm output, no KMS header
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-asymmetricencrypt).
 * OAEP always gets an explicit {@link OAEPParameterSpec}: SunJCE would otherwise use SHA-1 for MGF1 even with
 * "OAEPWithSHA-256". RSAES_PKCS1_V1_5 exists only as an import wrapping algorithm (GetParametersForImport).
 */
public enum EncryptionAlgorithm {
    RSAES_OAEP_SHA_256("SHA-256", MGF1ParameterSpec.SHA256, 32),
    RSAES_OAEP_SHA_1("SHA-1", MGF1ParameterSpec.SHA1, 20),
    RSAES_PKCS1_V1_5(null, null, 0),
    SM2PKE(null, null, 0);

    /**
     * SM2PKE plaintext limit from the AsymmetricEncrypt algorithm table
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-asymmetricencrypt).
     */
    public static final int SM2_MAX_PLAINTEXT = 6047;

    private static final ThreadLocal<Cipher> OAEP = cipher("RSA/ECB/OAEPPadding");
    private static final ThreadLocal<Cipher> PKCS1 = cipher("RSA/ECB/PKCS1Padding");

    private final String digest;
    private final MGF1ParameterSpec mgf1;
    private final int hashLength;

    EncryptionAlgorithm(String digest, MGF1ParameterSpec mgf1, int hashLength) {
        this.digest = digest;
        this.mgf1 = mgf1;
        this.hashLength = hashLength;
    }

    public static Optional<EncryptionAlgorithm> fromWire(String name) {
        for (EncryptionAlgorithm a : values()) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public boolean supports(AsymmetricKeyType type) {
        return this == SM2PKE ? type == AsymmetricKeyType.EC_SM2 : type.rsa();
    }

    /** Largest plaintext this algorithm takes with a key of {@code type} (OAEP: k − 2·hLen − 2). */
    public int maxPlaintext(AsymmetricKeyType type) {
        return switch (this) {
            case SM2PKE -> SM2_MAX_PLAINTEXT;
            case RSAES_PKCS1_V1_5 -> type.modulusBytes() - 11;
            default -> type.modulusBytes() - 2 * hashLength - 2;
        };
    }

    public byte[] encrypt(AsymmetricPublicKey key, byte[] plaintext) throws CryptoException {
        check(key.type());
        if (plaintext.length > maxPlaintext(key.type())) {
            throw new CryptoException("plaintext is longer than " + maxPlaintext(key.type()) + " bytes");
        }
        if (this == SM2PKE) {
            return Sm2.encrypt(key.sm2Public(), plaintext, SecureRandoms.current());
        }
        try {
            Cipher c = rsaCipher();
            if (this == RSAES_PKCS1_V1_5) {
                c.init(Cipher.ENCRYPT_MODE, key.key(), SecureRandoms.current());
            } else {
                c.init(Cipher.ENCRYPT_MODE, key.key(), spec(new byte[0]), SecureRandoms.current());
            }
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name() + " encryption failed", e);
        }
    }

    public byte[] decrypt(AsymmetricKeyPair key, byte[] ciphertext) throws CryptoException {
        return decrypt(key, ciphertext, new byte[0]);
    }

    /** With an OAEP label: the API never sends one; known-answer tests do. */
    public byte[] decrypt(AsymmetricKeyPair key, byte[] ciphertext, byte[] label) throws CryptoException {
        check(key.type());
        if (this == SM2PKE) {
            return Sm2.decrypt(key.sm2Private(), ciphertext);
        }
        if (ciphertext.length != key.type().modulusBytes()) {
            throw new CryptoException("ciphertext must be " + key.type().modulusBytes() + " bytes");
        }
        try {
            Cipher c = rsaCipher();
            if (this == RSAES_PKCS1_V1_5) {
                c.init(Cipher.DECRYPT_MODE, key.privateKey());
            } else {
                c.init(Cipher.DECRYPT_MODE, key.privateKey(), spec(label));
            }
            return c.doFinal(ciphertext);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new CryptoException("decryption failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name() + " decryption failed", e);
        }
    }

    private void check(AsymmetricKeyType type) throws CryptoException {
        if (!supports(type)) {
            throw new CryptoException(name() + " is not defined for " + type);
        }
    }

    private Cipher rsaCipher() {
        return this == RSAES_PKCS1_V1_5 ? PKCS1.get() : OAEP.get();
    }

    private OAEPParameterSpec spec(byte[] label) {
        return new OAEPParameterSpec(digest, "MGF1", mgf1, new PSource.PSpecified(label));
    }

    private static ThreadLocal<Cipher> cipher(String transformation) {
        return ThreadLocal.withInitial(() -> {
            try {
                return Cipher.getInstance(transformation);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(transformation + " is not available", e);
            }
        });
    }
}
