package org.openkms.core.key;

import java.util.Optional;
import org.openkms.crypto.symmetric.SymmetricAlgorithm;

/** KeySpec values of the API (api-semantics.md §4.1). Asymmetric specs are named here; their crypto lands later. */
public enum KeySpec {
    Aliyun_AES_256(SymmetricAlgorithm.AES_GCM, 32),
    Aliyun_AES_192(SymmetricAlgorithm.AES_GCM, 24),
    Aliyun_AES_128(SymmetricAlgorithm.AES_GCM, 16),
    Aliyun_SM4(SymmetricAlgorithm.SM4_GCM, 16),
    RSA_2048(null, 0),
    RSA_3072(null, 0),
    EC_P256(null, 0),
    EC_P256K(null, 0),
    EC_SM2(null, 0);

    private final SymmetricAlgorithm symmetricAlgorithm;
    private final int materialLength;

    KeySpec(SymmetricAlgorithm symmetricAlgorithm, int materialLength) {
        this.symmetricAlgorithm = symmetricAlgorithm;
        this.materialLength = materialLength;
    }

    public boolean symmetric() {
        return symmetricAlgorithm != null;
    }

    public SymmetricAlgorithm symmetricAlgorithm() {
        return symmetricAlgorithm;
    }

    public int materialLength() {
        return materialLength;
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
