package org.openkms.conformance;

import java.util.Map;

/**
 * The operations of issue 3 (asymmetric keys, MAC, BYOK, data-key export) through one official SDK
 * configuration. Kept beside {@link KmsApi} rather than in it so the two grow independently; {@link #of}
 * adapts any SDK configuration of the harness matrix. Errors surface as {@link ApiException}, like KmsApi.
 * GenerateMac/VerifyMac are newer than both pinned SDK models, so they go through each SDK's generic call
 * (V2 {@code callApi}, V1 {@code CommonRequest}), which signs and sends exactly as the generated methods do.
 */
public interface AsymmetricApi {
    String name();

    Signed asymmetricSign(String keyId, String keyVersionId, String algorithm, String digest, String dryRun);

    Verified asymmetricVerify(String keyId, String keyVersionId, String algorithm, String digest, String value);

    KmsApi.Encrypted asymmetricEncrypt(String keyId, String keyVersionId, String algorithm, String plaintext);

    KmsApi.Decrypted asymmetricDecrypt(String keyId, String keyVersionId, String algorithm, String ciphertextBlob);

    PublicKey getPublicKey(String keyId, String keyVersionId);

    ImportParameters getParametersForImport(String keyId, String wrappingAlgorithm, String wrappingKeySpec);

    void importKeyMaterial(String keyId, String importToken, String encryptedKeyMaterial, Long keyMaterialExpireUnix);

    void deleteKeyMaterial(String keyId);

    Exported exportDataKey(
            String ciphertextBlob,
            Map<String, String> context,
            String publicKeyBlob,
            String wrappingAlgorithm,
            String wrappingKeySpec);

    Exported generateAndExportDataKey(
            String keyId,
            Integer numberOfBytes,
            String publicKeyBlob,
            String wrappingAlgorithm,
            String wrappingKeySpec);

    KmsApi.Encrypted reEncryptFromAsymmetric(
            String ciphertextBlob,
            String sourceKeyId,
            String sourceKeyVersionId,
            String sourceEncryptionAlgorithm,
            String destinationKeyId);

    Mac generateMac(String keyId, String algorithm, String message);

    Boolean verifyMac(String keyId, String algorithm, String message, String mac);

    static AsymmetricApi of(KmsApi api) {
        if (api instanceof V2Api v2) {
            return new V2AsymmetricApi(v2);
        }
        if (api instanceof V1Api v1) {
            return new V1AsymmetricApi(v1);
        }
        throw new IllegalArgumentException("unknown SDK configuration " + api.name());
    }

    record Signed(String value, String keyId, String keyVersionId) {}

    record Verified(Boolean value, String keyId, String keyVersionId) {}

    record PublicKey(String publicKey, String keyId, String keyVersionId) {}

    record ImportParameters(String importToken, String publicKey, String keyId, String tokenExpireTime) {}

    /** ExportDataKey leaves ciphertextBlob null. */
    record Exported(String exportedDataKey, String ciphertextBlob, String keyId, String keyVersionId) {}

    record Mac(String mac, String algorithm, String keyId) {}
}
