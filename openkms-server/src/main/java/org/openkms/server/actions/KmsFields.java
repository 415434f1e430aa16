package org.openkms.server.actions;

import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.crypto.asymmetric.SignatureAlgorithm;
import org.openkms.crypto.mac.MacAlgorithm;
import org.openkms.server.gateway.Field;

/** The KMS parameters several actions share, declared once with their validation and error answers. */
public final class KmsFields {
    private KmsFields() {}

    /** A key by ID, alias or ARN; the handler acts on {@code Call.keyId()}, the key it resolves to. */
    public static final Field<String> KEY_ID = Field.required("KeyId");

    public static final Field<String> KEY_VERSION_ID = Field.required("KeyVersionId");
    public static final Field<String> SECRET_NAME = Field.required("SecretName");
    public static final Field<String> VERSION_ID = Field.optional("VersionId");
    public static final Field<String> VERSION_STAGE = Field.optional("VersionStage");
    public static final Field<byte[]> PLAINTEXT = Field.base64("Plaintext");
    public static final Field<byte[]> CIPHERTEXT_BLOB = Field.base64("CiphertextBlob");
    public static final Field<Map<String, String>> ENCRYPTION_CONTEXT = Field.stringMap("EncryptionContext");
    public static final Field<Integer> PAGE_NUMBER = Field.integer("PageNumber", 1, 1, Integer.MAX_VALUE);
    public static final Field<Integer> PAGE_SIZE = Field.integer("PageSize", 10, 1, 100);
    public static final Field<byte[]> DIGEST = Field.base64("Digest");
    public static final Field<byte[]> MESSAGE = Field.base64("Message");

    /** AsymmetricSign / AsymmetricVerify's Algorithm. */
    public static final Field<SignatureAlgorithm> SIGNATURE_ALGORITHM = Field.of(
            "Algorithm",
            p -> SignatureAlgorithm.fromWire(p.required("Algorithm"))
                    .orElseThrow(() -> Errors.invalidParameter(
                            "Algorithm", "It must be RSA_PSS_SHA_256, RSA_PKCS1_SHA_256, ECDSA_SHA_256 or SM2DSA.")));

    /** AsymmetricEncrypt / AsymmetricDecrypt's Algorithm; RSAES_PKCS1_V1_5 exists only for key import. */
    public static final Field<EncryptionAlgorithm> ENCRYPTION_ALGORITHM = encryptionAlgorithm("Algorithm");

    /** GenerateMac / VerifyMac's Algorithm. */
    public static final Field<MacAlgorithm> MAC_ALGORITHM = Field.of(
            "Algorithm",
            p -> MacAlgorithm.fromWire(p.required("Algorithm"))
                    .orElseThrow(() -> Errors.invalidParameter(
                            "Algorithm",
                            "It must be HMAC_SM3, HMAC_SHA_224, HMAC_SHA_256, HMAC_SHA_384 or HMAC_SHA_512.")));

    /** An asymmetric encryption algorithm parameter (Algorithm, SourceEncryptionAlgorithm). */
    public static Field<EncryptionAlgorithm> encryptionAlgorithm(String name) {
        return Field.of(
                name,
                p -> EncryptionAlgorithm.fromWire(p.required(name))
                        .filter(a -> a != EncryptionAlgorithm.RSAES_PKCS1_V1_5)
                        .orElseThrow(() -> Errors.invalidParameter(
                                name, "It must be RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1 or SM2PKE.")));
    }
}
