package org.openkms.server.instance;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.wire.ProtoWire;

/**
 * The KMS Instance API's protobuf messages (package api of alibabacloud-dkms-gcs-openapi-util 0.5.2, as compiled
 * into its ApiModels descriptor; the api.proto in aliyun/alibabacloud-dkms-gcs-java-sdk lacks the newer
 * messages): per x-kms-apiname, the request's and the response's fields by name, number and type. Requests are
 * decoded into the declared operations' parameters, responses encoded from the fields they return.
 */
final class InstanceMessages {
    enum Type {
        STRING,
        BYTES,
        INT32,
        BOOL,
        REPEATED_STRING
    }

    record FieldSpec(String name, int number, Type type) {}

    record Api(List<FieldSpec> request, List<FieldSpec> response) {}

    private static final Map<String, Api> APIS = new LinkedHashMap<>();

    private static FieldSpec s(String name, int n) {
        return new FieldSpec(name, n, Type.STRING);
    }

    private static FieldSpec b(String name, int n) {
        return new FieldSpec(name, n, Type.BYTES);
    }

    private static FieldSpec i(String name, int n) {
        return new FieldSpec(name, n, Type.INT32);
    }

    private static FieldSpec bool(String name, int n) {
        return new FieldSpec(name, n, Type.BOOL);
    }

    static {
        List<FieldSpec> encryptRequest = List.of(
                s("KeyId", 1), b("Plaintext", 2), s("Algorithm", 3), b("Aad", 4), b("Iv", 5), s("PaddingMode", 6));
        List<FieldSpec> encryptResponse = List.of(
                s("KeyId", 1),
                b("CiphertextBlob", 2),
                b("Iv", 3),
                s("RequestId", 4),
                s("Algorithm", 5),
                s("PaddingMode", 6));
        APIS.put("Encrypt", new Api(encryptRequest, encryptResponse));
        APIS.put("AdvanceEncrypt", new Api(encryptRequest, with(encryptResponse, s("KeyVersionId", 7))));
        List<FieldSpec> decryptRequest = List.of(
                b("CiphertextBlob", 1), s("KeyId", 2), s("Algorithm", 3), b("Aad", 4), b("Iv", 5), s("PaddingMode", 6));
        List<FieldSpec> decryptResponse =
                List.of(s("KeyId", 1), b("Plaintext", 2), s("RequestId", 3), s("Algorithm", 4), s("PaddingMode", 5));
        APIS.put("Decrypt", new Api(decryptRequest, decryptResponse));
        APIS.put("AdvanceDecrypt", new Api(decryptRequest, with(decryptResponse, s("KeyVersionId", 6))));
        APIS.put(
                "GenerateDataKey",
                new Api(
                        List.of(s("KeyId", 1), s("Algorithm", 2), i("NumberOfBytes", 3), b("Aad", 4)),
                        List.of(
                                s("KeyId", 1),
                                b("Iv", 2),
                                b("Plaintext", 3),
                                b("CiphertextBlob", 4),
                                s("RequestId", 5),
                                s("Algorithm", 6))));
        APIS.put(
                "AdvanceGenerateDataKey",
                new Api(
                        List.of(s("KeyId", 1), i("NumberOfBytes", 2), b("Aad", 3)),
                        List.of(
                                s("KeyId", 1),
                                b("Iv", 2),
                                b("Plaintext", 3),
                                b("CiphertextBlob", 4),
                                s("RequestId", 5),
                                s("Algorithm", 6),
                                s("KeyVersionId", 7))));
        List<FieldSpec> pairRequest =
                List.of(s("KeyId", 1), s("Algorithm", 2), s("KeyPairSpec", 3), s("KeyFormat", 4), b("Aad", 5));
        List<FieldSpec> advancePairRequest =
                List.of(s("KeyId", 1), s("KeyPairSpec", 2), s("KeyFormat", 3), b("Aad", 4));
        List<FieldSpec> pairResponse = List.of(
                s("KeyId", 1),
                b("Iv", 2),
                s("KeyPairSpec", 3),
                b("PrivateKeyPlaintext", 4),
                b("PrivateKeyCiphertextBlob", 5),
                b("PublicKey", 6),
                s("RequestId", 7),
                s("Algorithm", 8));
        List<FieldSpec> pairWithoutPlaintextResponse = List.of(
                s("KeyId", 1),
                b("Iv", 2),
                s("KeyPairSpec", 3),
                b("PrivateKeyCiphertextBlob", 4),
                b("PublicKey", 5),
                s("RequestId", 6),
                s("Algorithm", 7));
        APIS.put("GenerateDataKeyPair", new Api(pairRequest, pairResponse));
        APIS.put("GenerateDataKeyPairWithoutPlaintext", new Api(pairRequest, pairWithoutPlaintextResponse));
        APIS.put("AdvanceGenerateDataKeyPair", new Api(advancePairRequest, with(pairResponse, s("KeyVersionId", 9))));
        APIS.put(
                "AdvanceGenerateDataKeyPairWithoutPlaintext",
                new Api(advancePairRequest, with(pairWithoutPlaintextResponse, s("KeyVersionId", 8))));
        // In the SDK's descriptor but called by no SDK method: api names as the message names say.
        APIS.put(
                "KmsEncrypt",
                new Api(
                        List.of(s("KeyId", 1), b("Plaintext", 2), b("Aad", 3)),
                        List.of(s("KeyId", 1), b("CiphertextBlob", 2), s("RequestId", 3))));
        APIS.put(
                "KmsDecrypt",
                new Api(
                        List.of(b("CiphertextBlob", 1), b("Aad", 2)),
                        List.of(s("KeyId", 1), b("Plaintext", 2), s("RequestId", 3))));
        APIS.put(
                "Hmac",
                new Api(
                        List.of(s("KeyId", 1), b("Message", 2)),
                        List.of(s("KeyId", 1), b("Signature", 2), s("RequestId", 3))));
        APIS.put(
                "Hash",
                new Api(List.of(b("Message", 1), s("Algorithm", 2)), List.of(b("Digest", 1), s("RequestId", 3))));
        APIS.put("GenerateRandom", new Api(List.of(i("Length", 1)), List.of(b("Random", 1), s("RequestId", 2))));
        APIS.put(
                "GetPublicKey",
                new Api(List.of(s("KeyId", 1)), List.of(s("KeyId", 1), s("PublicKey", 2), s("RequestId", 3))));
        APIS.put(
                "Sign",
                new Api(
                        List.of(s("KeyId", 1), b("Digest", 2), s("Algorithm", 3), b("Message", 4), s("MessageType", 5)),
                        List.of(
                                s("KeyId", 1),
                                b("Signature", 2),
                                s("RequestId", 3),
                                s("Algorithm", 4),
                                s("MessageType", 5))));
        APIS.put(
                "Verify",
                new Api(
                        List.of(
                                s("KeyId", 1),
                                b("Digest", 2),
                                b("Signature", 3),
                                s("Algorithm", 4),
                                b("Message", 5),
                                s("MessageType", 6)),
                        List.of(
                                s("KeyId", 1),
                                bool("Value", 2),
                                s("RequestId", 3),
                                s("Algorithm", 4),
                                s("MessageType", 5))));
        APIS.put(
                "GetSecretValue",
                new Api(
                        List.of(
                                s("SecretName", 1),
                                s("VersionStage", 2),
                                s("VersionId", 3),
                                bool("FetchExtendedConfig", 4)),
                        List.of(
                                s("SecretName", 1),
                                s("SecretType", 2),
                                s("SecretData", 3),
                                s("SecretDataType", 4),
                                new FieldSpec("VersionStages", 5, Type.REPEATED_STRING),
                                s("VersionId", 6),
                                s("CreateTime", 7),
                                s("RequestId", 8),
                                s("LastRotationDate", 9),
                                s("NextRotationDate", 10),
                                s("ExtendedConfig", 11),
                                s("AutomaticRotation", 12),
                                s("RotationInterval", 13))));
    }

    private InstanceMessages() {}

    private static List<FieldSpec> with(List<FieldSpec> base, FieldSpec extra) {
        return java.util.stream.Stream.concat(base.stream(), java.util.stream.Stream.of(extra))
                .toList();
    }

    /** The API's messages, or null for a name the Instance API does not have (or this server does not serve). */
    static Api api(String apiName) {
        return apiName == null ? null : APIS.get(apiName);
    }

    /** The request as operation parameters: bytes as Base64, numbers in decimal, bools as true/false. */
    static Map<String, String> decode(Api api, byte[] body) throws ProtoWire.MalformedException {
        ProtoWire.Message m = ProtoWire.decode(body);
        Map<String, String> params = new LinkedHashMap<>();
        for (FieldSpec f : api.request()) {
            switch (f.type()) {
                case STRING -> {
                    String v = m.string(f.number());
                    if (v != null && !v.isEmpty()) {
                        params.put(f.name(), v);
                    }
                }
                case BYTES -> {
                    byte[] v = m.bytes(f.number());
                    if (v != null && v.length > 0) {
                        params.put(f.name(), Base64.getEncoder().encodeToString(v));
                    }
                }
                case INT32 -> {
                    Long v = m.varint(f.number());
                    if (v != null && v != 0) {
                        params.put(f.name(), Integer.toString((int) v.longValue()));
                    }
                }
                case BOOL -> {
                    Long v = m.varint(f.number());
                    if (v != null) {
                        params.put(f.name(), v != 0 ? "true" : "false");
                    }
                }
                case REPEATED_STRING -> params.put(f.name(), String.join(",", m.strings(f.number())));
            }
        }
        return params;
    }

    /** The response message from the operation's result; fields the message does not have are left out. */
    static byte[] encode(Api api, Map<String, Object> body, String requestId) {
        ProtoWire.Writer w = new ProtoWire.Writer();
        for (FieldSpec f : api.response()) {
            Object v = "RequestId".equals(f.name()) ? requestId : body.get(f.name());
            if (v == null) {
                continue;
            }
            switch (f.type()) {
                case STRING -> w.string(f.number(), String.valueOf(v));
                case BYTES ->
                    w.bytes(
                            f.number(),
                            v instanceof byte[] bytes
                                    ? bytes
                                    : Base64.getDecoder().decode(String.valueOf(v)));
                case INT32 -> w.int32(f.number(), ((Number) v).longValue());
                case BOOL -> w.bool(f.number(), Boolean.TRUE.equals(v));
                case REPEATED_STRING ->
                    w.strings(
                            f.number(),
                            ((List<?>) v).stream().map(String::valueOf).toList());
            }
        }
        return w.toByteArray();
    }

    /** The Error message every failure on the instance port is answered with. */
    static byte[] error(int status, String code, String message, String requestId) {
        return new ProtoWire.Writer()
                .int32(1, status)
                .string(2, code)
                .string(3, message)
                .string(4, requestId)
                .toByteArray();
    }
}
