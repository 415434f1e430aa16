package org.openkms.server.actions;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.AsymmetricService;
import org.openkms.core.key.CryptoService;
import org.openkms.core.key.DataKeyExportService;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Params;

/**
 * Symmetric cryptography and data keys (api-semantics.md §3.1), including data-key export to a caller's public
 * key and ReEncrypt from public-key ciphertext. Every operation honours DryRun.
 */
public final class CryptoActions {
    private CryptoActions() {
    }

    public static void register(ActionRegistry r) {
        r.register("Encrypt", CryptoActions::encrypt)
                .register("Decrypt", CryptoActions::decrypt)
                .register("GenerateDataKey", c -> generateDataKey(c, true))
                .register("GenerateDataKeyWithoutPlaintext", c -> generateDataKey(c, false))
                .register("ReEncrypt", CryptoActions::reEncrypt)
                .register("ExportDataKey", CryptoActions::exportDataKey)
                .register("GenerateAndExportDataKey", CryptoActions::generateAndExportDataKey);
    }

    private static Map<String, Object> encrypt(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        byte[] plaintext = p.base64("Plaintext");
        Map<String, String> context = p.stringMap("EncryptionContext");
        if (p.dryRun()) {
            c.kms().crypto().encryptionKey(keyId);
            if (plaintext.length > CryptoService.MAX_PLAINTEXT) {
                throw Errors.invalidParameter("Plaintext", "The plaintext must not exceed 6 KiB.");
            }
            throw Errors.dryRun();
        }
        CryptoService.Encrypted e = c.kms().crypto().encrypt(keyId, plaintext, context);
        c.keyResource(e.keyId());
        return encrypted(e);
    }

    private static Map<String, Object> decrypt(Call c) {
        Params p = c.params();
        byte[] blob = p.base64("CiphertextBlob");
        Map<String, String> context = p.stringMap("EncryptionContext");
        CryptoService.Decrypted d = c.kms().crypto().decrypt(blob, context);
        if (p.dryRun()) {
            // A dry run must fail exactly where the real call would (wrong context, tampered blob): decrypt, discard.
            java.util.Arrays.fill(d.plaintext(), (byte) 0);
            throw Errors.dryRun();
        }
        c.keyResource(d.keyId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", d.keyId());
        out.put("KeyVersionId", d.keyVersionId());
        out.put("Plaintext", Base64.getEncoder().encodeToString(d.plaintext()));
        return out;
    }

    private static Map<String, Object> generateDataKey(Call c, boolean withPlaintext) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        int bytes = dataKeyLength(p);
        Map<String, String> context = p.stringMap("EncryptionContext");
        if (p.dryRun()) {
            c.kms().crypto().encryptionKey(keyId);
            throw Errors.dryRun();
        }
        CryptoService.DataKey dk = c.kms().crypto().generateDataKey(keyId, bytes, context);
        c.keyResource(dk.keyId());
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

    private static Map<String, Object> reEncrypt(Call c) {
        Params p = c.params();
        byte[] blob = p.base64("CiphertextBlob");
        String destination = p.required("DestinationKeyId");
        c.resource(destination);
        Map<String, String> sourceContext = p.stringMap("SourceEncryptionContext");
        Map<String, String> destinationContext = p.stringMap("DestinationEncryptionContext");
        String sourceAlgorithm = p.optional("SourceEncryptionAlgorithm");
        if (sourceAlgorithm != null && !sourceAlgorithm.isEmpty()) {
            return reEncryptFromAsymmetric(c, blob, destination, destinationContext);
        }
        if (p.dryRun()) {
            c.kms().crypto().encryptionKey(destination);
            java.util.Arrays.fill(c.kms().crypto().decrypt(blob, sourceContext).plaintext(), (byte) 0);
            throw Errors.dryRun();
        }
        CryptoService.Encrypted e = c.kms().crypto().reEncrypt(blob, sourceContext, destination, destinationContext);
        c.keyResource(e.keyId());
        return encrypted(e);
    }

    /** ReEncrypt whose CiphertextBlob is public-key ciphertext of SourceKeyId/SourceKeyVersionId. */
    private static Map<String, Object> reEncryptFromAsymmetric(Call c, byte[] blob, String destination,
                                                               Map<String, String> destinationContext) {
        Params p = c.params();
        EncryptionAlgorithm algorithm = AsymmetricActions.encryptionAlgorithm(p, "SourceEncryptionAlgorithm");
        String sourceKeyId = p.required("SourceKeyId");
        String sourceVersion = p.required("SourceKeyVersionId");
        if (p.dryRun()) {
            AsymmetricService.checkEncryptionAlgorithm(
                    c.kms().asymmetric().target(sourceKeyId, sourceVersion, KeyUsage.ENCRYPT_DECRYPT), algorithm);
            c.kms().crypto().encryptionKey(destination);
            throw Errors.dryRun();
        }
        CryptoService.Encrypted e = c.kms().asymmetric().reEncrypt(sourceKeyId, sourceVersion, algorithm, blob,
                destination, destinationContext);
        c.keyResource(e.keyId());
        return encrypted(e);
    }

    private static Map<String, Object> exportDataKey(Call c) {
        Params p = c.params();
        byte[] blob = p.base64("CiphertextBlob");
        Map<String, String> context = p.stringMap("EncryptionContext");
        DataKeyExportService.Recipient recipient = recipient(p);
        if (p.dryRun()) {
            // As Decrypt's dry run: fail exactly where the real call would, then discard the plaintext.
            java.util.Arrays.fill(c.kms().crypto().decrypt(blob, context).plaintext(), (byte) 0);
            throw Errors.dryRun();
        }
        DataKeyExportService.Exported x = c.kms().dataKeyExport().exportDataKey(blob, context, recipient);
        c.keyResource(x.keyId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ExportedDataKey", Base64.getEncoder().encodeToString(x.exportedDataKey()));
        out.put("KeyId", x.keyId());
        out.put("KeyVersionId", x.keyVersionId());
        return out;
    }

    private static Map<String, Object> generateAndExportDataKey(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        int bytes = dataKeyLength(p);
        Map<String, String> context = p.stringMap("EncryptionContext");
        DataKeyExportService.Recipient recipient = recipient(p);
        if (p.dryRun()) {
            c.kms().crypto().encryptionKey(keyId);
            DataKeyExportService.checkLength(recipient, bytes);
            throw Errors.dryRun();
        }
        DataKeyExportService.Exported x = c.kms().dataKeyExport().generateAndExportDataKey(keyId, bytes, context, recipient);
        c.keyResource(x.keyId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", Base64.getEncoder().encodeToString(x.ciphertextBlob()));
        out.put("ExportedDataKey", Base64.getEncoder().encodeToString(x.exportedDataKey()));
        out.put("KeyId", x.keyId());
        out.put("KeyVersionId", x.keyVersionId());
        return out;
    }

    private static DataKeyExportService.Recipient recipient(Params p) {
        byte[] publicKey = p.base64("PublicKeyBlob");
        return DataKeyExportService.recipient(publicKey, p.required("WrappingAlgorithm"), p.required("WrappingKeySpec"));
    }

    private static Map<String, Object> encrypted(CryptoService.Encrypted e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", Base64.getEncoder().encodeToString(e.ciphertextBlob()));
        out.put("KeyId", e.keyId());
        out.put("KeyVersionId", e.keyVersionId());
        return out;
    }
}
