package org.openkms.crypto.symmetric;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.Cipher;
import org.openkms.crypto.Providers;

/** The authenticated ciphers behind the symmetric key specs. Both use a 12-byte IV and a 16-byte tag. */
public enum SymmetricAlgorithm {
    /** AES-GCM from the JDK (SunJCE): fastest available implementation, AES-NI backed. */
    AES_GCM("AES", "AES/GCM/NoPadding", null),
    /** SM4-GCM from BouncyCastle: the JDK has no SM4. */
    SM4_GCM("SM4", "SM4/GCM/NoPadding", Providers.bouncyCastle());

    public static final int IV_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private final String keyAlgorithm;
    private final String transformation;
    private final Provider provider;
    private final ThreadLocal<Cipher> cipher;

    SymmetricAlgorithm(String keyAlgorithm, String transformation, Provider provider) {
        this.keyAlgorithm = keyAlgorithm;
        this.transformation = transformation;
        this.provider = provider;
        // Cipher.getInstance costs more than encrypting a small message; keep one per thread and re-init it.
        this.cipher = ThreadLocal.withInitial(this::newCipher);
    }

    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    Cipher threadCipher() {
        return cipher.get();
    }

    private Cipher newCipher() {
        try {
            return provider == null ? Cipher.getInstance(transformation) : Cipher.getInstance(transformation, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " is not available", e);
        }
    }
}
