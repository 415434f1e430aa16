package org.openkms.core.key;

import java.util.Arrays;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.asymmetric.AsymmetricPublicKey;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;

/**
 * ExportDataKey and GenerateAndExportDataKey
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-exportdatakey,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-generateandexportdatakey):
 * a data key leaves KMS only encrypted under a public key the caller supplies (RSA_2048 with OAEP, or EC_SM2 with
 * SM2PKE); the plaintext never appears in a response.
 */
public final class DataKeyExportService {
    private final CryptoService crypto;

    public DataKeyExportService(CryptoService crypto) {
        this.crypto = crypto;
    }

    /** A recipient public key with its algorithm, checked. */
    public record Recipient(AsymmetricPublicKey publicKey, EncryptionAlgorithm algorithm) {}

    public record Exported(String keyId, String keyVersionId, byte[] exportedDataKey, byte[] ciphertextBlob) {}

    /** Validates PublicKeyBlob (DER SubjectPublicKeyInfo), WrappingKeySpec and WrappingAlgorithm together. */
    public static Recipient recipient(byte[] publicKeyBlob, String wrappingAlgorithm, String wrappingKeySpec) {
        AsymmetricKeyType spec = switch (wrappingKeySpec) {
            case "RSA_2048" -> AsymmetricKeyType.RSA_2048;
            case "EC_SM2" -> AsymmetricKeyType.EC_SM2;
            default -> throw Errors.invalidParameter("WrappingKeySpec", "It must be RSA_2048 or EC_SM2.");
        };
        EncryptionAlgorithm algorithm = EncryptionAlgorithm.fromWire(wrappingAlgorithm)
                .filter(a -> a != EncryptionAlgorithm.RSAES_PKCS1_V1_5 && a.supports(spec))
                .orElseThrow(() -> Errors.invalidParameter(
                        "WrappingAlgorithm",
                        "It must be RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1 with RSA_2048, or SM2PKE with EC_SM2."));
        try {
            return new Recipient(AsymmetricPublicKey.parse(spec, publicKeyBlob), algorithm);
        } catch (CryptoException e) {
            throw Errors.invalidParameter(
                    "PublicKeyBlob", "It must be a Base64 DER SubjectPublicKeyInfo of a " + spec + " key.");
        }
    }

    public Exported exportDataKey(byte[] ciphertextBlob, Map<String, String> context, Recipient recipient) {
        CryptoService.Decrypted d = crypto.decrypt(ciphertextBlob, context);
        try {
            return new Exported(d.keyId(), d.keyVersionId(), wrap(recipient, d.plaintext()), null);
        } finally {
            Arrays.fill(d.plaintext(), (byte) 0);
        }
    }

    public Exported generateAndExportDataKey(
            String keyIdParam, int numberOfBytes, Map<String, String> context, Recipient recipient) {
        checkLength(recipient, numberOfBytes);
        CryptoService.DataKey dk = crypto.generateDataKey(keyIdParam, numberOfBytes, context);
        try {
            return new Exported(dk.keyId(), dk.keyVersionId(), wrap(recipient, dk.plaintext()), dk.ciphertextBlob());
        } finally {
            Arrays.fill(dk.plaintext(), (byte) 0);
        }
    }

    /** A data key longer than the recipient algorithm can carry (RSA-2048 OAEP-SHA-256: 190 bytes) is refused up front. */
    public static void checkLength(Recipient recipient, int numberOfBytes) {
        int max = recipient.algorithm().maxPlaintext(recipient.publicKey().type());
        if (numberOfBytes > max) {
            throw Errors.invalidParameter(
                    "NumberOfBytes", "With " + recipient.algorithm() + " at most " + max + " bytes can be exported.");
        }
    }

    private static byte[] wrap(Recipient recipient, byte[] plaintext) {
        try {
            return recipient.algorithm().encrypt(recipient.publicKey(), plaintext);
        } catch (CryptoException e) {
            throw Errors.invalidParameter(
                    "CiphertextBlob", "The data key is too long for " + recipient.algorithm() + ".");
        }
    }
}
