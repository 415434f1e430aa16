package org.openkms.crypto.asymmetric;

import java.security.Provider;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import org.openkms.crypto.Providers;

/**
 * The asymmetric key types behind the API's key specs. RSA and NIST P-256 come from the JDK (fastest, and
 * FIPS configurations stay possible); secp256k1 and SM2 are not in the JDK, so they come from BouncyCastle.
 */
public enum AsymmetricKeyType {
    RSA_2048("RSA", 2048, null),
    RSA_3072("RSA", 3072, null),
    RSA_4096("RSA", 4096, null),
    EC_P256("EC", 256, "secp256r1"),
    EC_P256K("EC", 256, "secp256k1"),
    EC_SM2("EC", 256, "sm2p256v1");

    private final String keyAlgorithm;
    private final int bits;
    private final String curve;

    AsymmetricKeyType(String keyAlgorithm, int bits, String curve) {
        this.keyAlgorithm = keyAlgorithm;
        this.bits = bits;
        this.curve = curve;
    }

    public boolean rsa() {
        return curve == null;
    }

    public int bits() {
        return bits;
    }

    /** RSA modulus length in bytes (= ciphertext and signature length); 0 for EC keys. */
    public int modulusBytes() {
        return rsa() ? bits / 8 : 0;
    }

    String keyAlgorithm() {
        return keyAlgorithm;
    }

    String curve() {
        return curve;
    }

    /** Null for the JDK's default providers. */
    Provider provider() {
        return this == EC_P256K || this == EC_SM2 ? Providers.bouncyCastle() : null;
    }

    AlgorithmParameterSpec generationSpec() {
        return rsa() ? new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4) : new ECGenParameterSpec(curve);
    }
}
