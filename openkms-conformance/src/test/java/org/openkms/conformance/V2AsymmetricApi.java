package org.openkms.conformance;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.AsymmetricDecryptRequest;
import com.aliyun.kms20160120.models.AsymmetricEncryptRequest;
import com.aliyun.kms20160120.models.AsymmetricSignRequest;
import com.aliyun.kms20160120.models.AsymmetricVerifyRequest;
import com.aliyun.kms20160120.models.DeleteKeyMaterialRequest;
import com.aliyun.kms20160120.models.ExportDataKeyRequest;
import com.aliyun.kms20160120.models.GenerateAndExportDataKeyRequest;
import com.aliyun.kms20160120.models.GetParametersForImportRequest;
import com.aliyun.kms20160120.models.GetPublicKeyRequest;
import com.aliyun.kms20160120.models.ImportKeyMaterialRequest;
import com.aliyun.kms20160120.models.ReEncryptRequest;
import java.util.HashMap;
import java.util.Map;

/** {@link AsymmetricApi} through the V2 SDK ({@code com.aliyun:kms20160120}), one SDK call per method. */
final class V2AsymmetricApi implements AsymmetricApi {
    private final V2Api api;
    private final Client client;

    V2AsymmetricApi(V2Api api) {
        this.api = api;
        this.client = api.client();
    }

    @Override
    public String name() {
        return api.name();
    }

    @Override
    public String toString() {
        return api.name();
    }

    @Override
    public Signed asymmetricSign(String keyId, String keyVersionId, String algorithm, String digest, String dryRun) {
        var b = api.call(() -> client.asymmetricSign(new AsymmetricSignRequest()
                        .setKeyId(keyId)
                        .setKeyVersionId(keyVersionId)
                        .setAlgorithm(algorithm)
                        .setDigest(digest)
                        .setDryRun(dryRun)))
                .getBody();
        return new Signed(b.getValue(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public Verified asymmetricVerify(String keyId, String keyVersionId, String algorithm, String digest, String value) {
        var b = api.call(() -> client.asymmetricVerify(new AsymmetricVerifyRequest()
                        .setKeyId(keyId)
                        .setKeyVersionId(keyVersionId)
                        .setAlgorithm(algorithm)
                        .setDigest(digest)
                        .setValue(value)))
                .getBody();
        return new Verified(b.getValue(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public KmsApi.Encrypted asymmetricEncrypt(String keyId, String keyVersionId, String algorithm, String plaintext) {
        var b = api.call(() -> client.asymmetricEncrypt(new AsymmetricEncryptRequest()
                        .setKeyId(keyId)
                        .setKeyVersionId(keyVersionId)
                        .setAlgorithm(algorithm)
                        .setPlaintext(plaintext)))
                .getBody();
        return new KmsApi.Encrypted(b.getCiphertextBlob(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public KmsApi.Decrypted asymmetricDecrypt(
            String keyId, String keyVersionId, String algorithm, String ciphertextBlob) {
        var b = api.call(() -> client.asymmetricDecrypt(new AsymmetricDecryptRequest()
                        .setKeyId(keyId)
                        .setKeyVersionId(keyVersionId)
                        .setAlgorithm(algorithm)
                        .setCiphertextBlob(ciphertextBlob)))
                .getBody();
        return new KmsApi.Decrypted(b.getPlaintext(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public PublicKey getPublicKey(String keyId, String keyVersionId) {
        var b = api.call(() -> client.getPublicKey(
                        new GetPublicKeyRequest().setKeyId(keyId).setKeyVersionId(keyVersionId)))
                .getBody();
        return new PublicKey(b.getPublicKey(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public ImportParameters getParametersForImport(String keyId, String wrappingAlgorithm, String wrappingKeySpec) {
        var b = api.call(() -> client.getParametersForImport(new GetParametersForImportRequest()
                        .setKeyId(keyId)
                        .setWrappingAlgorithm(wrappingAlgorithm)
                        .setWrappingKeySpec(wrappingKeySpec)))
                .getBody();
        return new ImportParameters(b.getImportToken(), b.getPublicKey(), b.getKeyId(), b.getTokenExpireTime());
    }

    @Override
    public void importKeyMaterial(String keyId, String importToken, String encryptedKeyMaterial, Long expireUnix) {
        api.call(() -> client.importKeyMaterial(new ImportKeyMaterialRequest()
                .setKeyId(keyId)
                .setImportToken(importToken)
                .setEncryptedKeyMaterial(encryptedKeyMaterial)
                .setKeyMaterialExpireUnix(expireUnix)));
    }

    @Override
    public void deleteKeyMaterial(String keyId) {
        api.call(() -> client.deleteKeyMaterial(new DeleteKeyMaterialRequest().setKeyId(keyId)));
    }

    @Override
    public Exported exportDataKey(
            String blob, Map<String, String> context, String publicKeyBlob, String alg, String spec) {
        var b = api.call(() -> client.exportDataKey(new ExportDataKeyRequest()
                        .setCiphertextBlob(blob)
                        .setEncryptionContext(context == null ? null : new HashMap<>(context))
                        .setPublicKeyBlob(publicKeyBlob)
                        .setWrappingAlgorithm(alg)
                        .setWrappingKeySpec(spec)))
                .getBody();
        return new Exported(b.getExportedDataKey(), null, b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public Exported generateAndExportDataKey(String keyId, Integer n, String publicKeyBlob, String alg, String spec) {
        var b = api.call(() -> client.generateAndExportDataKey(new GenerateAndExportDataKeyRequest()
                        .setKeyId(keyId)
                        .setNumberOfBytes(n)
                        .setPublicKeyBlob(publicKeyBlob)
                        .setWrappingAlgorithm(alg)
                        .setWrappingKeySpec(spec)))
                .getBody();
        return new Exported(b.getExportedDataKey(), b.getCiphertextBlob(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public KmsApi.Encrypted reEncryptFromAsymmetric(
            String blob, String sourceKeyId, String sourceKeyVersionId, String alg, String destinationKeyId) {
        var b = api.call(() -> client.reEncrypt(new ReEncryptRequest()
                        .setCiphertextBlob(blob)
                        .setSourceKeyId(sourceKeyId)
                        .setSourceKeyVersionId(sourceKeyVersionId)
                        .setSourceEncryptionAlgorithm(alg)
                        .setDestinationKeyId(destinationKeyId)))
                .getBody();
        return new KmsApi.Encrypted(b.getCiphertextBlob(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public Mac generateMac(String keyId, String algorithm, String message) {
        Map<String, Object> b =
                generic("GenerateMac", Map.of("KeyId", keyId, "Algorithm", algorithm, "Message", message));
        return new Mac((String) b.get("Mac"), (String) b.get("Algorithm"), (String) b.get("KeyId"));
    }

    @Override
    public Boolean verifyMac(String keyId, String algorithm, String message, String mac) {
        return (Boolean)
                generic("VerifyMac", Map.of("KeyId", keyId, "Algorithm", algorithm, "Message", message, "Mac", mac))
                        .get("Value");
    }

    private Map<String, Object> generic(String action, Map<String, String> query) {
        return api.rpc(action, "2016-01-20", query);
    }
}
