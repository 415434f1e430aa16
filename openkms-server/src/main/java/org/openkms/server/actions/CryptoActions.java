package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.CIPHERTEXT_BLOB;
import static org.openkms.server.actions.KmsFields.ENCRYPTION_CONTEXT;
import static org.openkms.server.actions.KmsFields.KEY_ID;
import static org.openkms.server.actions.KmsFields.PLAINTEXT;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.key.AsymmetricService;
import org.openkms.core.key.CryptoService;
import org.openkms.core.key.DataKeyExportService;
import org.openkms.core.key.KeyUsage;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.DryRun;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.Params;
import org.openkms.server.iam.KmsResources;

/**
 * Symmetric cryptography and data keys (api-semantics.md §3.1), including data-key export to a caller's public
 * key and ReEncrypt from public-key ciphertext. Every operation honours DryRun.
 */
public final class CryptoActions {
    /** NumberOfBytes (1–1024) wins; else KeySpec AES_256 → 32, AES_128 → 16; else 32. */
    static final Field<Integer> DATA_KEY_LENGTH = Field.of("NumberOfBytes", CryptoActions::dataKeyLength);
    /** The caller's public key a data key is exported to: PublicKeyBlob, WrappingAlgorithm, WrappingKeySpec. */
    static final Field<DataKeyExportService.Recipient> RECIPIENT = Field.of("PublicKeyBlob", CryptoActions::recipient);

    static final Field<String> DESTINATION_KEY_ID = Field.required("DestinationKeyId");
    static final Field<Map<String, String>> SOURCE_CONTEXT = Field.stringMap("SourceEncryptionContext");
    static final Field<Map<String, String>> DESTINATION_CONTEXT = Field.stringMap("DestinationEncryptionContext");
    static final Field<String> SOURCE_ALGORITHM_NAME = Field.optional("SourceEncryptionAlgorithm");
    static final Field<EncryptionAlgorithm> SOURCE_ALGORITHM =
            KmsFields.encryptionAlgorithm("SourceEncryptionAlgorithm");
    static final Field<String> SOURCE_KEY_ID = Field.required("SourceKeyId");
    static final Field<String> SOURCE_KEY_VERSION_ID = Field.required("SourceKeyVersionId");

    private CryptoActions() {}

    public static void register(ActionRegistry r) {
        r.register(Operation.named("Encrypt")
                        .fields(KEY_ID, PLAINTEXT, ENCRYPTION_CONTEXT)
                        .targets(KmsResources.key())
                        .dryRun(DryRun.check(c -> {
                            c.kms().crypto().encryptionKey(c.keyId());
                            if (c.get(PLAINTEXT).length > CryptoService.MAX_PLAINTEXT) {
                                throw Errors.invalidParameter("Plaintext", "The plaintext must not exceed 6 KiB.");
                            }
                        }))
                        .handle(c -> encrypted(
                                c.kms().crypto().encrypt(c.keyId(), c.get(PLAINTEXT), c.get(ENCRYPTION_CONTEXT)))))
                // A dry run must fail exactly where the real call would (wrong context, tampered blob): decrypt,
                // discard.
                .register(Operation.named("Decrypt")
                        .fields(CIPHERTEXT_BLOB, ENCRYPTION_CONTEXT)
                        .targets(KmsResources.keyInBlob())
                        .dryRun(DryRun.check(CryptoActions::decryptAndDiscard))
                        .handle(CryptoActions::decrypt))
                .register(Operation.named("GenerateDataKey")
                        .fields(KEY_ID, DATA_KEY_LENGTH, ENCRYPTION_CONTEXT)
                        .targets(KmsResources.key())
                        .dryRun(DryRun.check(c -> c.kms().crypto().encryptionKey(c.keyId())))
                        .handle(c -> generateDataKey(c, true)))
                .register(Operation.named("GenerateDataKeyWithoutPlaintext")
                        .fields(KEY_ID, DATA_KEY_LENGTH, ENCRYPTION_CONTEXT)
                        .targets(KmsResources.key())
                        .dryRun(DryRun.check(c -> c.kms().crypto().encryptionKey(c.keyId())))
                        .handle(c -> generateDataKey(c, false)))
                .register(Operation.named("ReEncrypt")
                        .fields(
                                CIPHERTEXT_BLOB,
                                DESTINATION_KEY_ID,
                                SOURCE_CONTEXT,
                                DESTINATION_CONTEXT,
                                SOURCE_ALGORITHM_NAME)
                        .targets(KmsResources.reEncrypt())
                        .dryRun(DryRun.check(CryptoActions::checkReEncrypt))
                        .handle(CryptoActions::reEncrypt))
                .register(Operation.named("ExportDataKey")
                        .fields(CIPHERTEXT_BLOB, ENCRYPTION_CONTEXT, RECIPIENT)
                        .targets(KmsResources.keyInBlob())
                        .dryRun(DryRun.check(CryptoActions::decryptAndDiscard))
                        .handle(CryptoActions::exportDataKey))
                .register(Operation.named("GenerateAndExportDataKey")
                        .fields(KEY_ID, DATA_KEY_LENGTH, ENCRYPTION_CONTEXT, RECIPIENT)
                        .targets(KmsResources.key())
                        .dryRun(DryRun.check(c -> {
                            c.kms().crypto().encryptionKey(c.keyId());
                            DataKeyExportService.checkLength(c.get(RECIPIENT), c.get(DATA_KEY_LENGTH));
                        }))
                        .handle(CryptoActions::generateAndExportDataKey));
    }

    private static void decryptAndDiscard(Call c) {
        Arrays.fill(
                c.kms()
                        .crypto()
                        .decrypt(c.get(CIPHERTEXT_BLOB), c.get(ENCRYPTION_CONTEXT))
                        .plaintext(),
                (byte) 0);
    }

    private static Map<String, Object> decrypt(Call c) {
        CryptoService.Decrypted d = c.kms().crypto().decrypt(c.get(CIPHERTEXT_BLOB), c.get(ENCRYPTION_CONTEXT));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", d.keyId());
        out.put("KeyVersionId", d.keyVersionId());
        out.put("Plaintext", Base64.getEncoder().encodeToString(d.plaintext()));
        return out;
    }

    private static Map<String, Object> generateDataKey(Call c, boolean withPlaintext) {
        CryptoService.DataKey dk =
                c.kms().crypto().generateDataKey(c.keyId(), c.get(DATA_KEY_LENGTH), c.get(ENCRYPTION_CONTEXT));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", dk.keyId());
        out.put("KeyVersionId", dk.keyVersionId());
        out.put("CiphertextBlob", Base64.getEncoder().encodeToString(dk.ciphertextBlob()));
        if (withPlaintext) {
            out.put("Plaintext", Base64.getEncoder().encodeToString(dk.plaintext()));
        }
        return out;
    }

    /** NumberOfBytes (1–1024) wins; else KeySpec AES_256 → 32, AES_128 → 16; else 32. */
    static int dataKeyLength(Params p) {
        String n = p.optional("NumberOfBytes");
        if (n != null && !n.isEmpty()) {
            return p.integer("NumberOfBytes", 32, 1, 1024);
        }
        String spec = p.optional("KeySpec");
        if (spec == null || spec.isEmpty() || spec.equals("AES_256")) {
            return 32;
        }
        if (spec.equals("AES_128")) {
            return 16;
        }
        throw Errors.invalidParameter("KeySpec", "It must be AES_256 or AES_128.");
    }

    /** The destination key: DestinationKeyId after alias resolution (as given when it names nothing). */
    private static String destination(Call c) {
        String resolved = c.resolved().keyId();
        return resolved != null ? resolved : c.get(DESTINATION_KEY_ID);
    }

    /** Public-key ciphertext names its algorithm (SourceEncryptionAlgorithm) and its key (SourceKeyId). */
    private static boolean fromAsymmetric(Call c) {
        String algorithm = c.get(SOURCE_ALGORITHM_NAME);
        return algorithm != null && !algorithm.isEmpty();
    }

    private static void checkReEncrypt(Call c) {
        if (fromAsymmetric(c)) {
            EncryptionAlgorithm algorithm = c.get(SOURCE_ALGORITHM);
            String sourceKeyId = c.get(SOURCE_KEY_ID);
            String sourceVersion = c.get(SOURCE_KEY_VERSION_ID);
            AsymmetricService.checkEncryptionAlgorithm(
                    c.kms().asymmetric().target(sourceKeyId, sourceVersion, KeyUsage.ENCRYPT_DECRYPT), algorithm);
            c.kms().crypto().encryptionKey(destination(c));
        } else {
            c.kms().crypto().encryptionKey(destination(c));
            Arrays.fill(
                    c.kms()
                            .crypto()
                            .decrypt(c.get(CIPHERTEXT_BLOB), c.get(SOURCE_CONTEXT))
                            .plaintext(),
                    (byte) 0);
        }
    }

    private static Map<String, Object> reEncrypt(Call c) {
        if (fromAsymmetric(c)) {
            // The CiphertextBlob is public-key ciphertext of SourceKeyId/SourceKeyVersionId.
            EncryptionAlgorithm algorithm = c.get(SOURCE_ALGORITHM);
            String sourceKeyId = c.get(SOURCE_KEY_ID);
            String sourceVersion = c.get(SOURCE_KEY_VERSION_ID);
            return encrypted(c.kms()
                    .asymmetric()
                    .reEncrypt(
                            sourceKeyId,
                            sourceVersion,
                            algorithm,
                            c.get(CIPHERTEXT_BLOB),
                            destination(c),
                            c.get(DESTINATION_CONTEXT)));
        }
        return encrypted(c.kms()
                .crypto()
                .reEncrypt(c.get(CIPHERTEXT_BLOB), c.get(SOURCE_CONTEXT), destination(c), c.get(DESTINATION_CONTEXT)));
    }

    private static Map<String, Object> exportDataKey(Call c) {
        DataKeyExportService.Exported x = c.kms()
                .dataKeyExport()
                .exportDataKey(c.get(CIPHERTEXT_BLOB), c.get(ENCRYPTION_CONTEXT), c.get(RECIPIENT));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ExportedDataKey", Base64.getEncoder().encodeToString(x.exportedDataKey()));
        out.put("KeyId", x.keyId());
        out.put("KeyVersionId", x.keyVersionId());
        return out;
    }

    private static Map<String, Object> generateAndExportDataKey(Call c) {
        DataKeyExportService.Exported x = c.kms()
                .dataKeyExport()
                .generateAndExportDataKey(
                        c.keyId(), c.get(DATA_KEY_LENGTH), c.get(ENCRYPTION_CONTEXT), c.get(RECIPIENT));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", Base64.getEncoder().encodeToString(x.ciphertextBlob()));
        out.put("ExportedDataKey", Base64.getEncoder().encodeToString(x.exportedDataKey()));
        out.put("KeyId", x.keyId());
        out.put("KeyVersionId", x.keyVersionId());
        return out;
    }

    private static DataKeyExportService.Recipient recipient(Params p) {
        byte[] publicKey = p.base64("PublicKeyBlob");
        return DataKeyExportService.recipient(
                publicKey, p.required("WrappingAlgorithm"), p.required("WrappingKeySpec"));
    }

    private static Map<String, Object> encrypted(CryptoService.Encrypted e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", Base64.getEncoder().encodeToString(e.ciphertextBlob()));
        out.put("KeyId", e.keyId());
        out.put("KeyVersionId", e.keyVersionId());
        return out;
    }
}
