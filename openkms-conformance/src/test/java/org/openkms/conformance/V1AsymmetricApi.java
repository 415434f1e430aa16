package org.openkms.conformance;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.kms.model.v20160120.AsymmetricDecryptRequest;
import com.aliyuncs.kms.model.v20160120.AsymmetricEncryptRequest;
import com.aliyuncs.kms.model.v20160120.AsymmetricSignRequest;
import com.aliyuncs.kms.model.v20160120.AsymmetricVerifyRequest;
import com.aliyuncs.kms.model.v20160120.DeleteKeyMaterialRequest;
import com.aliyuncs.kms.model.v20160120.ExportDataKeyRequest;
import com.aliyuncs.kms.model.v20160120.GenerateAndExportDataKeyRequest;
import com.aliyuncs.kms.model.v20160120.GetParametersForImportRequest;
import com.aliyuncs.kms.model.v20160120.GetPublicKeyRequest;
import com.aliyuncs.kms.model.v20160120.ImportKeyMaterialRequest;
import com.aliyuncs.kms.model.v20160120.ReEncryptRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** {@link AsymmetricApi} through the V1 SDK ({@code aliyun-java-sdk-kms}), one SDK call per method. */
final class V1AsymmetricApi implements AsymmetricApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final V1Api api;

    V1AsymmetricApi(V1Api api) {
        this.api = api;
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
        AsymmetricSignRequest r = new AsymmetricSignRequest();
        r.setKeyId(keyId);
        r.setKeyVersionId(keyVersionId);
        r.setAlgorithm(algorithm);
        r.setDigest(digest);
        r.setDryRun(dryRun);
        var b = api.call(r);
        return new Signed(b.getValue(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public Verified asymmetricVerify(String keyId, String keyVersionId, String algorithm, String digest, String value) {
        AsymmetricVerifyRequest r = new AsymmetricVerifyRequest();
        r.setKeyId(keyId);
        r.setKeyVersionId(keyVersionId);
        r.setAlgorithm(algorithm);
        r.setDigest(digest);
        r.setValue(value);
        var b = api.call(r);
        return new Verified(b.getValue(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public KmsApi.Encrypted asymmetricEncrypt(String keyId, String keyVersionId, String algorithm, String plaintext) {
        AsymmetricEncryptRequest r = new AsymmetricEncryptRequest();
        r.setKeyId(keyId);
        r.setKeyVersionId(keyVersionId);
        r.setAlgorithm(algorithm);
        r.setPlaintext(plaintext);
        var b = api.call(r);
        return new KmsApi.Encrypted(b.getCiphertextBlob(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public KmsApi.Decrypted asymmetricDecrypt(
            String keyId, String keyVersionId, String algorithm, String ciphertextBlob) {
        AsymmetricDecryptRequest r = new AsymmetricDecryptRequest();
        r.setKeyId(keyId);
        r.setKeyVersionId(keyVersionId);
        r.setAlgorithm(algorithm);
        r.setCiphertextBlob(ciphertextBlob);
        var b = api.call(r);
        return new KmsApi.Decrypted(b.getPlaintext(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public PublicKey getPublicKey(String keyId, String keyVersionId) {
        GetPublicKeyRequest r = new GetPublicKeyRequest();
        r.setKeyId(keyId);
        r.setKeyVersionId(keyVersionId);
        var b = api.call(r);
        return new PublicKey(b.getPublicKey(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public ImportParameters getParametersForImport(String keyId, String wrappingAlgorithm, String wrappingKeySpec) {
        GetParametersForImportRequest r = new GetParametersForImportRequest();
        r.setKeyId(keyId);
        r.setWrappingAlgorithm(wrappingAlgorithm);
        r.setWrappingKeySpec(wrappingKeySpec);
        var b = api.call(r);
        return new ImportParameters(b.getImportToken(), b.getPublicKey(), b.getKeyId(), b.getTokenExpireTime());
    }

    @Override
    public void importKeyMaterial(String keyId, String importToken, String encryptedKeyMaterial, Long expireUnix) {
        ImportKeyMaterialRequest r = new ImportKeyMaterialRequest();
        r.setKeyId(keyId);
        r.setImportToken(importToken);
        r.setEncryptedKeyMaterial(encryptedKeyMaterial);
        r.setKeyMaterialExpireUnix(expireUnix);
        api.call(r);
    }

    @Override
    public void deleteKeyMaterial(String keyId) {
        DeleteKeyMaterialRequest r = new DeleteKeyMaterialRequest();
        r.setKeyId(keyId);
        api.call(r);
    }

    @Override
    public Exported exportDataKey(
            String blob, Map<String, String> context, String publicKeyBlob, String alg, String spec) {
        ExportDataKeyRequest r = new ExportDataKeyRequest();
        r.setCiphertextBlob(blob);
        if (context != null) {
            r.setEncryptionContext(json(context));
        }
        r.setPublicKeyBlob(publicKeyBlob);
        r.setWrappingAlgorithm(alg);
        r.setWrappingKeySpec(spec);
        var b = api.call(r);
        return new Exported(b.getExportedDataKey(), null, b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public Exported generateAndExportDataKey(String keyId, Integer n, String publicKeyBlob, String alg, String spec) {
        GenerateAndExportDataKeyRequest r = new GenerateAndExportDataKeyRequest();
        r.setKeyId(keyId);
        r.setNumberOfBytes(n);
        r.setPublicKeyBlob(publicKeyBlob);
        r.setWrappingAlgorithm(alg);
        r.setWrappingKeySpec(spec);
        var b = api.call(r);
        return new Exported(b.getExportedDataKey(), b.getCiphertextBlob(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public KmsApi.Encrypted reEncryptFromAsymmetric(
            String blob, String sourceKeyId, String sourceKeyVersionId, String alg, String destinationKeyId) {
        ReEncryptRequest r = new ReEncryptRequest();
        r.setCiphertextBlob(blob);
        r.setSourceKeyId(sourceKeyId);
        r.setSourceKeyVersionId(sourceKeyVersionId);
        r.setSourceEncryptionAlgorithm(alg);
        r.setDestinationKeyId(destinationKeyId);
        var b = api.call(r);
        return new KmsApi.Encrypted(b.getCiphertextBlob(), b.getKeyId(), b.getKeyVersionId());
    }

    @Override
    public Mac generateMac(String keyId, String algorithm, String message) {
        JsonNode b = common("GenerateMac", Map.of("KeyId", keyId, "Algorithm", algorithm, "Message", message));
        return new Mac(
                b.path("Mac").asText(null),
                b.path("Algorithm").asText(null),
                b.path("KeyId").asText(null));
    }

    @Override
    public Boolean verifyMac(String keyId, String algorithm, String message, String mac) {
        JsonNode v = common("VerifyMac", Map.of("KeyId", keyId, "Algorithm", algorithm, "Message", message, "Mac", mac))
                .path("Value");
        return v.isBoolean() ? v.booleanValue() : null;
    }

    /** The V1 SDK's generic RPC call (CommonRequest), for operations its generated models predate. */
    private JsonNode common(String action, Map<String, String> query) {
        CommonRequest r = new CommonRequest();
        // V1Api keeps its endpoint private and only applies it to requests: let it apply it to one, and read it off.
        String[] endpoint = new String[1];
        var probe = api.target(new DeleteKeyMaterialRequest() {
            @Override
            public void setSysEndpoint(String e) {
                endpoint[0] = e;
                super.setSysEndpoint(e);
            }
        });
        r.setSysDomain(endpoint[0]);
        r.setSysProtocol(probe.getSysProtocol());
        r.setSysVersion("2016-01-20");
        r.setSysAction(action);
        r.setSysMethod(MethodType.POST);
        query.forEach(r::putQueryParameter);
        api.forgetLastAnswer();
        try {
            return JSON.readTree(api.client().getCommonResponse(r).getData());
        } catch (ClientException e) {
            // The status and body of the answer the SDK turned into this exception (V1Api.RecordingClient), not of a
            // re-send.
            throw api.error(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, String> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
