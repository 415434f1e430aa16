package org.openkms.core.key;

import java.util.Optional;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.mac.MacAlgorithm;
import org.openkms.crypto.symmetric.SymmetricAlgorithm;

/**
 * KeySpec values of the API
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/user-guide/key-types-and-specifications) and the
 * crypto behind each. Three families: symmetric (material = random bytes), asymmetric (material = an encoded key pair),
 * HMAC (random bytes of the hash length). RSA_4096 is deliberately absent: neither the SDK's CreateKey text nor
 * Terraform's validator accepts it for OpenAPI keys (docs/asymmetric.md), although the crypto layer supports it. The
 * HMAC spec names follow the GenerateMac Algorithm names (the API's exact spec strings are unpublished).
 */
public enum KeySpec {
    Aliyun_AES_256(SymmetricAlgorithm.AES_GCM, 32, null, null),
    Aliyun_AES_192(SymmetricAlgorithm.AES_GCM, 24, null, null),
    Aliyun_AES_128(SymmetricAlgorithm.AES_GCM, 16, null, null),
    Aliyun_SM4(SymmetricAlgorithm.SM4_GCM, 16, null, null),
    RSA_2048(null, 0, AsymmetricKeyType.RSA_2048, null),
    RSA_3072(null, 0, AsymmetricKeyType.RSA_3072, null),
    EC_P256(null, 0, AsymmetricKeyType.EC_P256, null),
    EC_P256K(null, 0, AsymmetricKeyType.EC_P256K, null),
    EC_SM2(null, 0, AsymmetricKeyType.EC_SM2, null),
    HMAC_SHA_224(null, 28, null, MacAlgorithm.HMAC_SHA_224),
    HMAC_SHA_256(null, 32, null, MacAlgorithm.HMAC_SHA_256),
    HMAC_SHA_384(null, 48, null, MacAlgorithm.HMAC_SHA_384),
    HMAC_SHA_512(null, 64, null, MacAlgorithm.HMAC_SHA_512),
    HMAC_SM3(null, 32, null, MacAlgorithm.HMAC_SM3);

    private final SymmetricAlgorithm symmetricAlgorithm;
    private final int materialLength;
    private final AsymmetricKeyType asymmetricType;
    private final MacAlgorithm macAlgorithm;

    KeySpec(
            SymmetricAlgorithm symmetricAlgorithm,
            int materialLength,
            AsymmetricKeyType asymmetricType,
            MacAlgorithm macAlgorithm) {
        this.symmetricAlgorithm = symmetricAlgorithm;
        this.materialLength = materialLength;
        this.asymmetricType = asymmetricType;
        this.macAlgorithm = macAlgorithm;
    }

    public boolean symmetric() {
        return symmetricAlgorithm != null;
    }

    public boolean asymmetric() {
        return asymmetricType != null;
    }

    public boolean mac() {
        return macAlgorithm != null;
    }

    public SymmetricAlgorithm symmetricAlgorithm() {
        return symmetricAlgorithm;
    }

    public AsymmetricKeyType asymmetricType() {
        return asymmetricType;
    }

    public MacAlgorithm macAlgorithm() {
        return macAlgorithm;
    }

    /** Length of random material for symmetric and HMAC specs; 0 for asymmetric ones. */
    public int materialLength() {
        return materialLength;
    }

    /**
     * The usage a key gets when CreateKey names none (CreateKey's KeyUsage,
     * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createkey).
     */
    public KeyUsage defaultUsage() {
        if (mac()) {
            return KeyUsage.GENERATE_VERIFY_MAC;
        }
        return this == EC_P256 || this == EC_P256K ? KeyUsage.SIGN_VERIFY : KeyUsage.ENCRYPT_DECRYPT;
    }

    /** The KeySpec × KeyUsage combinations the API allows (key types page, CreateKey). */
    public boolean allows(KeyUsage usage) {
        if (symmetric()) {
            return usage == KeyUsage.ENCRYPT_DECRYPT;
        }
        if (mac()) {
            return usage == KeyUsage.GENERATE_VERIFY_MAC;
        }
        if (this == EC_P256 || this == EC_P256K) {
            return usage == KeyUsage.SIGN_VERIFY;
        }
        return usage == KeyUsage.ENCRYPT_DECRYPT || usage == KeyUsage.SIGN_VERIFY; // RSA, SM2
    }

    public static Optional<KeySpec> fromWire(String value) {
        for (KeySpec s : values()) {
            if (s.name().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
