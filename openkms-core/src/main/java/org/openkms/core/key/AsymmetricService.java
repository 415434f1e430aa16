package org.openkms.core.key;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.asymmetric.AsymmetricKeyPair;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.crypto.asymmetric.SignatureAlgorithm;

/**
 * AsymmetricSign, AsymmetricVerify, AsymmetricEncrypt, AsymmetricDecrypt, GetPublicKey and ReEncrypt from
 * an asymmetric source
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-asymmetricsign
 * and its sibling pages). Every call names a key version explicitly. Keys come from {@link KeyCache} already parsed:
 * the private-key path reads no database and parses no key.
 */
public final class AsymmetricService {
    private final KeyCache cache;
    private final KeyResolver resolver;
    private final CryptoService crypto;
    private final Clock clock;

    public AsymmetricService(KeyCache cache, KeyResolver resolver, CryptoService crypto, Clock clock) {
        this.cache = cache;
        this.resolver = resolver;
        this.crypto = crypto;
        this.clock = clock;
    }

    /** A checked key version ready for one operation. */
    public record Target(String keyId, String keyVersionId, AsymmetricKeyPair keyPair) {}

    public record Signed(String keyId, String keyVersionId, byte[] value) {}

    public record Verified(String keyId, String keyVersionId, boolean value) {}

    public record Output(String keyId, String keyVersionId, byte[] data) {}

    /**
     * The version a call names, with every check done (also what DryRun runs): the key exists, its state
     * allows crypto, it is asymmetric with the usage the operation needs (null = either, for GetPublicKey),
     * and the version belongs to it.
     */
    public Target target(String keyIdParam, String keyVersionId, KeyUsage usage) {
        LoadedKey key = cache.get(resolver.resolve(keyIdParam)).orElseThrow(Errors::keyNotFound);
        KeyRecord k = key.record();
        KeyGuards.usable(k, clock.instant());
        if (!k.keySpec().asymmetric()) {
            throw Errors.unsupportedOperation("The key is not an asymmetric key.");
        }
        if (usage != null && k.keyUsage() != usage) {
            throw Errors.unsupportedOperation("The operation needs a key whose KeyUsage is " + usage.wire()
                    + "; this key's is " + k.keyUsage().wire() + ".");
        }
        VersionKey v = key.versions().get(keyVersionId);
        if (v == null) {
            throw Errors.keyVersionNotFound();
        }
        return new Target(k.keyId(), keyVersionId, v.asymmetric());
    }

    public Signed sign(String keyIdParam, String keyVersionId, SignatureAlgorithm algorithm, byte[] digest) {
        Target t = target(keyIdParam, keyVersionId, KeyUsage.SIGN_VERIFY);
        checkSignatureInput(t, algorithm, digest);
        try {
            return new Signed(t.keyId(), t.keyVersionId(), algorithm.sign(t.keyPair(), digest));
        } catch (CryptoException e) {
            throw Errors.invalidParameter("Digest", e.getMessage() + ".");
        }
    }

    public Verified verify(
            String keyIdParam, String keyVersionId, SignatureAlgorithm algorithm, byte[] digest, byte[] signature) {
        Target t = target(keyIdParam, keyVersionId, KeyUsage.SIGN_VERIFY);
        checkSignatureInput(t, algorithm, digest);
        try {
            return new Verified(
                    t.keyId(), t.keyVersionId(), algorithm.verify(t.keyPair().publicKey(), digest, signature));
        } catch (CryptoException e) {
            throw Errors.invalidParameter("Digest", e.getMessage() + ".");
        }
    }

    /** Parameter checks of Sign/Verify, shared with DryRun. */
    public static void checkSignatureInput(Target t, SignatureAlgorithm algorithm, byte[] digest) {
        if (!algorithm.supports(t.keyPair().type())) {
            throw Errors.invalidParameter(
                    "Algorithm",
                    algorithm + " cannot be used with KeySpec " + t.keyPair().type() + ".");
        }
        if (digest.length != SignatureAlgorithm.DIGEST_LENGTH) {
            throw Errors.invalidParameter(
                    "Digest",
                    "It must be a Base64-encoded " + SignatureAlgorithm.DIGEST_LENGTH
                            + "-byte digest (SHA-256, or SM3(Z‖M) for SM2DSA).");
        }
    }

    public Output encrypt(String keyIdParam, String keyVersionId, EncryptionAlgorithm algorithm, byte[] plaintext) {
        Target t = target(keyIdParam, keyVersionId, KeyUsage.ENCRYPT_DECRYPT);
        checkEncryptionInput(t, algorithm, plaintext);
        try {
            return new Output(
                    t.keyId(), t.keyVersionId(), algorithm.encrypt(t.keyPair().publicKey(), plaintext));
        } catch (CryptoException e) {
            throw Errors.invalidParameter("Plaintext", e.getMessage() + ".");
        }
    }

    public static void checkEncryptionInput(Target t, EncryptionAlgorithm algorithm, byte[] plaintext) {
        checkEncryptionAlgorithm(t, algorithm);
        int max = algorithm.maxPlaintext(t.keyPair().type());
        if (plaintext.length > max) {
            throw Errors.invalidParameter(
                    "Plaintext",
                    "With " + algorithm + " and KeySpec " + t.keyPair().type() + " the plaintext must not exceed " + max
                            + " bytes.");
        }
    }

    public static void checkEncryptionAlgorithm(Target t, EncryptionAlgorithm algorithm) {
        if (algorithm == EncryptionAlgorithm.RSAES_PKCS1_V1_5
                || !algorithm.supports(t.keyPair().type())) {
            throw Errors.invalidParameter(
                    "Algorithm",
                    algorithm + " cannot be used with KeySpec " + t.keyPair().type() + ".");
        }
    }

    public Output decrypt(String keyIdParam, String keyVersionId, EncryptionAlgorithm algorithm, byte[] ciphertext) {
        Target t = target(keyIdParam, keyVersionId, KeyUsage.ENCRYPT_DECRYPT);
        checkEncryptionAlgorithm(t, algorithm);
        try {
            return new Output(t.keyId(), t.keyVersionId(), algorithm.decrypt(t.keyPair(), ciphertext));
        } catch (CryptoException e) {
            throw Errors.invalidParameter(
                    "CiphertextBlob", "It cannot be decrypted with this key version and algorithm.");
        }
    }

    /** GetPublicKey: PEM SubjectPublicKeyInfo of the version. */
    public Output publicKey(String keyIdParam, String keyVersionId) {
        Target t = target(keyIdParam, keyVersionId, null);
        return new Output(
                t.keyId(),
                t.keyVersionId(),
                t.keyPair().publicKey().pem().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** ReEncrypt whose source is public-key ciphertext: private-key decrypt, then Encrypt under the destination. */
    public CryptoService.Encrypted reEncrypt(
            String sourceKeyId,
            String sourceKeyVersionId,
            EncryptionAlgorithm algorithm,
            byte[] ciphertext,
            String destinationKeyId,
            Map<String, String> destinationContext) {
        crypto.encryptionKey(destinationKeyId); // destination problems first: nothing is decrypted for a bad target
        byte[] plaintext =
                decrypt(sourceKeyId, sourceKeyVersionId, algorithm, ciphertext).data();
        try {
            return crypto.encryptUnder(destinationKeyId, plaintext, destinationContext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }
}
