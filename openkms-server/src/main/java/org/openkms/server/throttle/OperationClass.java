package org.openkms.server.throttle;

import java.util.Locale;
import java.util.Set;

/**
 * The classes of operation a limit is set for. Alibaba throttles the shared gateway by class of API (cryptographic
 * calls, secret reads, and the rest at lower rates; "Limits" in
 * https://www.alibabacloud.com/help/en/kms/key-management-service/support/limits); OpenKMS lets the
 * operator set each class's rate.
 */
public enum OperationClass {
    /** Encrypt, Decrypt, data keys, ReEncrypt, asymmetric and MAC operations, and their KMS Instance API forms. */
    CRYPTO("crypto"),
    /** GetSecretValue, BatchGetSecretValue, DescribeSecret. */
    SECRET_READ("secretRead"),
    /** Everything else: keys, aliases, tags, secrets' writes and lists, RAM, STS, instances. */
    MANAGEMENT("management");

    private static final Set<String> CRYPTO_ACTIONS = Set.of(
            // OpenAPI (2016-01-20)
            "Encrypt",
            "Decrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "ReEncrypt",
            "ExportDataKey",
            "GenerateAndExportDataKey",
            "AsymmetricSign",
            "AsymmetricVerify",
            "AsymmetricEncrypt",
            "AsymmetricDecrypt",
            "GetPublicKey",
            "GenerateMac",
            "VerifyMac",
            // KMS Instance API
            "AdvanceEncrypt",
            "AdvanceDecrypt",
            "AdvanceGenerateDataKey",
            "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext",
            "AdvanceGenerateDataKeyPair",
            "AdvanceGenerateDataKeyPairWithoutPlaintext",
            "KmsEncrypt",
            "KmsDecrypt",
            "Hmac",
            "Hash",
            "GenerateRandom",
            "Sign",
            "Verify");
    private static final Set<String> SECRET_READ_ACTIONS =
            Set.of("GetSecretValue", "BatchGetSecretValue", "DescribeSecret");

    private final String label;

    OperationClass(String label) {
        this.label = label;
    }

    /** The name in configuration and in the metric's label. */
    public String label() {
        return label;
    }

    public static OperationClass of(String action) {
        if (action == null) {
            return MANAGEMENT;
        }
        if (CRYPTO_ACTIONS.contains(action)) {
            return CRYPTO;
        }
        return SECRET_READ_ACTIONS.contains(action) ? SECRET_READ : MANAGEMENT;
    }

    /** By its configuration name, case-insensitively; null if there is none. */
    public static OperationClass byLabel(String label) {
        for (OperationClass c : values()) {
            if (c.label.toLowerCase(Locale.ROOT).equals(label.trim().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }
}
