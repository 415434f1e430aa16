package org.openkms.core.iam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Built-in policies named as Alibaba's. Their exact action lists are not published in the KMS docs
 * (https://www.alibabacloud.com/help/en/kms/security-and-compliance/use-ram-to-manage-access-to-kms-resources/), so
 * they are modelled on the documented intent: full, read-only, crypto use, secret administration and secret use.
 */
public final class SystemPolicies {
    private SystemPolicies() {}

    /** name → {description, document}. */
    public static Map<String, String[]> all() {
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put("AliyunKMSFullAccess", new String[] {"Full access to Key Management Service (KMS).", allow("\"kms:*\"")});
        m.put("AliyunKMSReadOnlyAccess", new String[] {
            "Read-only access to Key Management Service (KMS).", allow("\"kms:Describe*\",\"kms:List*\",\"kms:Get*\"")
        });
        m.put("AliyunKMSCryptoAdminAccess", new String[] {
            "Manage keys of Key Management Service (KMS).",
            allow(
                    "\"kms:*Key\",\"kms:*Keys\",\"kms:*KeyVersion*\",\"kms:*Alias*\",\"kms:*Tag*\",\"kms:*RotationPolicy\","
                            + "\"kms:*DeletionProtection\",\"kms:*KeyDeletion\",\"kms:GetParametersForImport\",\"kms:ImportKeyMaterial\","
                            + "\"kms:DeleteKeyMaterial\",\"kms:Describe*\",\"kms:List*\",\"kms:*KeyPolicy\"")
        });
        m.put("AliyunKMSCryptoUserAccess", new String[] {
            "Use keys of Key Management Service (KMS) for cryptographic operations.",
            allow("\"kms:Encrypt\",\"kms:Decrypt\",\"kms:GenerateDataKey*\",\"kms:ReEncrypt*\",\"kms:Asymmetric*\","
                    + "\"kms:GenerateAndExportDataKey\",\"kms:ExportDataKey\",\"kms:GetPublicKey\",\"kms:GenerateMac\",\"kms:VerifyMac\","
                    + "\"kms:Describe*\",\"kms:List*\"")
        });
        m.put("AliyunKMSSecretAdminAccess", new String[] {
            "Manage secrets of Key Management Service (KMS).",
            allow("\"kms:*Secret*\",\"kms:GetRandomPassword\",\"kms:Describe*\",\"kms:List*\",\"kms:*Tag*\","
                    + "\"kms:Decrypt\",\"kms:GenerateDataKey\"")
        });
        m.put("AliyunKMSSecretUserAccess", new String[] {
            "Read secret values from Key Management Service (KMS).",
            allow("\"kms:GetSecretValue\",\"kms:BatchGetSecretValue\",\"kms:DescribeSecret\",\"kms:ListSecrets\","
                    + "\"kms:ListSecretVersionIds\",\"kms:Decrypt\"")
        });
        return m;
    }

    private static String allow(String actions) {
        return "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions
                + "],\"Resource\":[\"*\"]}]}";
    }
}
