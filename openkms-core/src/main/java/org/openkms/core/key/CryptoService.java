package org.openkms.core.key;

import java.time.Clock;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;
import org.openkms.crypto.blob.CiphertextBlob;
import org.openkms.crypto.context.EncryptionContexts;
import org.openkms.crypto.symmetric.SymmetricAlgorithm;
import org.openkms.crypto.symmetric.SymmetricKey;

/**
 * Symmetric cryptography: Encrypt, Decrypt, GenerateDataKey(WithoutPlaintext), ReEncrypt. Reads keys only
 * from {@link KeyCache}: no database access on this path once a key is warm.
 *
 * <p>Associated data = the blob's 36-byte version header ‖ canonical EncryptionContext, so neither the header
 * nor the context can be altered without the tag failing.
 */
public final class CryptoService {
    public static final int MAX_PLAINTEXT = 6 * 1024;
    private final KeyCache cache;
    private final KeyResolver resolver;
    private final Clock clock;

    public CryptoService(KeyCache cache, KeyResolver resolver, Clock clock) {
        this.cache = cache;
        this.resolver = resolver;
        this.clock = clock;
    }

    public record Encrypted(byte[] ciphertextBlob, String keyId, String keyVersionId) {}

    public record Decrypted(byte[] plaintext, String keyId, String keyVersionId) {}

    public record DataKey(byte[] plaintext, byte[] ciphertextBlob, String keyId, String keyVersionId) {}

    /** The KMS Instance API's symmetric output: raw ciphertext (with its GCM tag), the IV, and where it came from. */
    public record Sealed(String keyId, String keyVersionId, byte[] iv, byte[] ciphertext) {}

    /**
     * The KMS Instance API's Encrypt and AdvanceEncrypt
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/encrypt-2): AES-GCM under
     * the key's initial version (Encrypt) or its primary one (AdvanceEncrypt), with the caller's Aad as associated
     * data and the caller's 12-byte IV, or a fresh one.
     */
    public Sealed encryptRaw(String keyIdParam, boolean initialVersion, byte[] plaintext, byte[] aad, byte[] iv) {
        LoadedKey key = encryptionKey(keyIdParam);
        String versionId = initialVersion ? key.initialVersion() : key.record().primaryKeyVersion();
        VersionKey version = versionId == null ? null : key.versions().get(versionId);
        if (version == null) {
            throw Errors.keyNotFound();
        }
        byte[] nonce = iv == null || iv.length == 0 ? SymmetricKey.newIv() : iv;
        if (nonce.length != SymmetricAlgorithm.IV_LENGTH) {
            throw Errors.invalidParameter("Iv", "The Iv must be 12 bytes for AES_GCM.");
        }
        byte[] ct = version.symmetric().encrypt(nonce, plaintext, aad == null ? new byte[0] : aad);
        return new Sealed(key.record().keyId(), versionId, nonce, ct);
    }

    /**
     * Opens {@link #encryptRaw} output: under {@code keyVersionId} when given (AdvanceDecrypt's blob, the transfer
     * client's x-kms-migrationkeyversionid), else under the key's initial version, as Encrypt used it.
     */
    public Decrypted decryptRaw(String keyIdParam, String keyVersionId, byte[] iv, byte[] ciphertext, byte[] aad) {
        LoadedKey key;
        if (keyVersionId != null && !keyVersionId.isEmpty()) {
            key = cache.byVersion(keyVersionId).orElseThrow(Errors::keyNotFound);
            if (keyIdParam != null
                    && !keyIdParam.isEmpty()
                    && !resolver.resolve(keyIdParam).equals(key.record().keyId())) {
                throw Errors.invalidCiphertext();
            }
        } else {
            key = cache.get(resolver.resolve(keyIdParam)).orElseThrow(Errors::keyNotFound);
        }
        checkUsable(key.record());
        String versionId = keyVersionId != null && !keyVersionId.isEmpty() ? keyVersionId : key.initialVersion();
        VersionKey version = versionId == null ? null : key.versions().get(versionId);
        if (version == null) {
            throw Errors.keyNotFound();
        }
        if (iv == null || iv.length != SymmetricAlgorithm.IV_LENGTH) {
            throw Errors.invalidParameter("Iv", "The Iv must be 12 bytes for AES_GCM.");
        }
        try {
            return new Decrypted(
                    version.symmetric().decrypt(iv, ciphertext, aad == null ? new byte[0] : aad),
                    key.record().keyId(),
                    versionId);
        } catch (CryptoException e) {
            throw Errors.invalidCiphertext();
        }
    }

    /** The key an encrypt-type call would use, with its state and usage checked (also what DryRun checks). */
    public LoadedKey encryptionKey(String keyIdParam) {
        LoadedKey key = cache.get(resolver.resolve(keyIdParam)).orElseThrow(Errors::keyNotFound);
        checkUsable(key.record());
        if (key.primary() == null) {
            throw Errors.pendingImport();
        }
        return key;
    }

    public Encrypted encrypt(String keyIdParam, byte[] plaintext, Map<String, String> context) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw Errors.invalidParameter("Plaintext", "The plaintext must not exceed 6 KiB.");
        }
        return seal(encryptionKey(keyIdParam), plaintext, context);
    }

    public Decrypted decrypt(byte[] ciphertextBlob, Map<String, String> context) {
        CiphertextBlob blob;
        try {
            blob = CiphertextBlob.decode(ciphertextBlob);
        } catch (CryptoException e) {
            throw Errors.invalidCiphertext();
        }
        LoadedKey key = cache.byVersion(blob.keyVersionId()).orElseThrow(Errors::keyNotFound);
        checkUsable(key.record());
        VersionKey found = key.versions().get(blob.keyVersionId());
        if (found == null) {
            throw Errors.keyNotFound();
        }
        SymmetricKey version = found.symmetric();
        try {
            byte[] plaintext = version.decrypt(blob.iv(), blob.ciphertext(), aad(blob.header(), context));
            return new Decrypted(plaintext, key.record().keyId(), blob.keyVersionId());
        } catch (CryptoException e) {
            throw Errors.invalidCiphertext();
        }
    }

    /** Whether a key may decrypt now (state and usage), from memory: Secrets Manager's check before a cached value. */
    public void checkDecryptKey(String keyId) {
        checkUsable(cache.get(keyId).orElseThrow(Errors::keyNotFound).record());
    }

    public DataKey generateDataKey(String keyIdParam, int numberOfBytes, Map<String, String> context) {
        LoadedKey key = encryptionKey(keyIdParam);
        byte[] plaintext = SecureRandoms.bytes(numberOfBytes);
        Encrypted sealed = seal(key, plaintext, context);
        return new DataKey(plaintext, sealed.ciphertextBlob(), sealed.keyId(), sealed.keyVersionId());
    }

    /** Decrypts under the blob's key and encrypts under the destination key's primary version. */
    public Encrypted reEncrypt(
            byte[] ciphertextBlob,
            Map<String, String> sourceContext,
            String destinationKeyId,
            Map<String, String> destinationContext) {
        LoadedKey destination = encryptionKey(destinationKeyId);
        Decrypted plain = decrypt(ciphertextBlob, sourceContext);
        try {
            return seal(destination, plain.plaintext(), destinationContext);
        } finally {
            java.util.Arrays.fill(plain.plaintext(), (byte) 0);
        }
    }

    /** Encrypts already-decrypted plaintext under a key's primary version (ReEncrypt with an asymmetric source). */
    Encrypted encryptUnder(String keyIdParam, byte[] plaintext, Map<String, String> context) {
        return seal(encryptionKey(keyIdParam), plaintext, context);
    }

    private static Encrypted seal(LoadedKey key, byte[] plaintext, Map<String, String> context) {
        String versionId = key.record().primaryKeyVersion();
        byte[] iv = SymmetricKey.newIv();
        CiphertextBlob header = new CiphertextBlob(versionId, iv, new byte[0]);
        byte[] ct = key.primary().encrypt(iv, plaintext, aad(header.header(), context));
        return new Encrypted(
                new CiphertextBlob(versionId, iv, ct).encode(), key.record().keyId(), versionId);
    }

    private static byte[] aad(byte[] header, Map<String, String> context) {
        byte[] ctx = EncryptionContexts.canonical(context);
        byte[] out = new byte[header.length + ctx.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(ctx, 0, out, header.length, ctx.length);
        return out;
    }

    private void checkUsable(KeyRecord k) {
        KeyGuards.usable(k, clock.instant());
        if (!k.keySpec().symmetric() || k.keyUsage() != KeyUsage.ENCRYPT_DECRYPT) {
            throw Errors.unsupportedOperation("The key is not a symmetric ENCRYPT/DECRYPT key.");
        }
    }
}
