package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.SECRET_NAME;
import static org.openkms.server.actions.KmsFields.VERSION_ID;
import static org.openkms.server.actions.KmsFields.VERSION_STAGE;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.core.key.AsymmetricService;
import org.openkms.core.key.CryptoService;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.secret.SecretRecord;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;
import org.openkms.crypto.asymmetric.AsymmetricKeyPair;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.asymmetric.SignatureAlgorithm;
import org.openkms.crypto.blob.CiphertextBlob;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.Targets;
import org.openkms.server.iam.KmsResources;

/**
 * The KMS Instance API's calls (dkms-gcs-0.2,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-reference-kms-instance-api),
 * declared like every other action and served by the same gateway pipeline and core services; only the wire
 * format (protobuf, decoded by the instance front end into these parameters) differs. Byte fields arrive and leave
 * as byte arrays: the front end puts a protobuf {@code bytes} field into the parameters as Base64.
 *
 * <p>Policy actions are those of the shared gateway's equivalents (AdvanceEncrypt is kms:Encrypt, Sign is
 * kms:AsymmetricSign), so that an application access point's templates mean the same on both gateways.
 */
public final class InstanceActions {
    /** The version the instance front end dispatches on (x-kms-apiversion). */
    public static final String VERSION = "dkms-gcs-0.2";
    /** The front end passes the x-kms-migrationkeyversionid request header under this name. */
    public static final String MIGRATION_KEY_VERSION_ID = "MigrationKeyVersionId";

    static final String AES_GCM = "AES_GCM";

    private static final Field<String> ALGORITHM = Field.optional("Algorithm");
    private static final Field<String> PADDING_MODE = Field.optional("PaddingMode");
    private static final Field<Integer> NUMBER_OF_BYTES = Field.integer("NumberOfBytes", 32, 1, 1024);
    private static final Field<AsymmetricKeyType> KEY_PAIR_SPEC = Field.of("KeyPairSpec", p -> {
        String v = p.required("KeyPairSpec");
        for (AsymmetricKeyType t : AsymmetricKeyType.values()) {
            if (t.name().equals(v)) {
                return t;
            }
        }
        throw Errors.invalidParameter(
                "KeyPairSpec", "It must be RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P256K or EC_SM2.");
    });
    private static final Field<String> KEY_FORMAT = Field.of("KeyFormat", p -> {
        String v = p.optional("KeyFormat");
        if (v == null || v.isEmpty()) {
            return "PEM";
        }
        if (!v.equals("PEM") && !v.equals("DER")) {
            throw Errors.invalidParameter("KeyFormat", "It must be PEM or DER.");
        }
        return v;
    });
    private static final Field<Integer> LENGTH = Field.integer("Length", 32, 1, 1024);

    private InstanceActions() {}

    /** The operations of the default instance's gateway (the one {@code --instance-listen} serves). */
    public static ActionRegistry registry() {
        return registry(null);
    }

    /**
     * The operations of one instance's gateway: they act only on keys and secrets of {@code instanceId} (null: the
     * default instance, looked up per call).
     */
    public static ActionRegistry registry(String instanceId) {
        ActionRegistry r = new ActionRegistry();
        Targets encryptKey = KmsResources.keyAs("kms:Encrypt", c -> c.params().optional("KeyId"));
        Targets generateKey =
                KmsResources.keyAs("kms:GenerateDataKey", c -> c.params().optional("KeyId"));
        r.register(Operation.named("Encrypt")
                        .fields(ALGORITHM, PADDING_MODE)
                        .targets(encryptKey)
                        .handle(c -> encrypt(c, false)))
                .register(Operation.named("AdvanceEncrypt")
                        .fields(ALGORITHM, PADDING_MODE)
                        .targets(encryptKey)
                        .handle(c -> encrypt(c, true)))
                .register(Operation.named("Decrypt")
                        .fields(ALGORITHM, PADDING_MODE)
                        .targets(KmsResources.keyAs("kms:Decrypt", InstanceActions::decryptKey))
                        .handle(c -> decrypt(c, false)))
                .register(Operation.named("AdvanceDecrypt")
                        .fields(ALGORITHM, PADDING_MODE)
                        .targets(KmsResources.keyAs("kms:Decrypt", InstanceActions::advanceDecryptKey))
                        .handle(c -> decrypt(c, true)))
                .register(Operation.named("GenerateDataKey")
                        .fields(ALGORITHM, NUMBER_OF_BYTES)
                        .targets(generateKey)
                        .handle(c -> generateDataKey(c, false)))
                .register(Operation.named("AdvanceGenerateDataKey")
                        .fields(NUMBER_OF_BYTES)
                        .targets(generateKey)
                        .handle(c -> generateDataKey(c, true)))
                .register(Operation.named("GenerateDataKeyPair")
                        .fields(ALGORITHM, KEY_PAIR_SPEC, KEY_FORMAT)
                        .targets(generateKey)
                        .handle(c -> dataKeyPair(c, false, true)))
                .register(Operation.named("GenerateDataKeyPairWithoutPlaintext")
                        .fields(ALGORITHM, KEY_PAIR_SPEC, KEY_FORMAT)
                        .targets(generateKey)
                        .handle(c -> dataKeyPair(c, false, false)))
                .register(Operation.named("AdvanceGenerateDataKeyPair")
                        .fields(KEY_PAIR_SPEC, KEY_FORMAT)
                        .targets(generateKey)
                        .handle(c -> dataKeyPair(c, true, true)))
                .register(Operation.named("AdvanceGenerateDataKeyPairWithoutPlaintext")
                        .fields(KEY_PAIR_SPEC, KEY_FORMAT)
                        .targets(generateKey)
                        .handle(c -> dataKeyPair(c, true, false)))
                .register(Operation.named("KmsEncrypt").targets(encryptKey).handle(c -> {
                    Map<String, Object> out = encrypt(c, true);
                    out.keySet().retainAll(java.util.Set.of("KeyId", "CiphertextBlob", "KeyVersionId"));
                    return out;
                }))
                .register(Operation.named("KmsDecrypt")
                        .targets(KmsResources.keyAs("kms:Decrypt", InstanceActions::advanceDecryptKey))
                        .handle(c -> {
                            if (advancedBlob(c) == null) {
                                throw Errors.invalidCiphertext();
                            }
                            return decrypt(c, true);
                        }))
                .register(Operation.named("Hmac")
                        .targets(KmsResources.keyAs(
                                "kms:GenerateMac", c -> c.params().optional("KeyId")))
                        .handle(InstanceActions::hmac))
                .register(Operation.named("Hash").targets(Targets.NONE).handle(InstanceActions::hash))
                .register(Operation.named("GenerateRandom")
                        .fields(LENGTH)
                        .targets(Targets.NONE)
                        .handle(c -> {
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("Random", SecureRandoms.bytes(c.get(LENGTH)));
                            return out;
                        }))
                .register(Operation.named("GetPublicKey")
                        .targets(KmsResources.keyAs(
                                "kms:GetPublicKey", c -> c.params().optional("KeyId")))
                        .handle(InstanceActions::getPublicKey))
                .register(Operation.named("Sign")
                        .targets(KmsResources.keyAs(
                                "kms:AsymmetricSign", c -> c.params().optional("KeyId")))
                        .handle(InstanceActions::sign))
                .register(Operation.named("Verify")
                        .targets(KmsResources.keyAs(
                                "kms:AsymmetricVerify", c -> c.params().optional("KeyId")))
                        .handle(InstanceActions::verify))
                .register(Operation.named("GetSecretValue")
                        .fields(SECRET_NAME, VERSION_ID, VERSION_STAGE)
                        .targets(KmsResources.secretOnly("kms:GetSecretValue"))
                        .handle(InstanceActions::getSecretValue));
        return scopedToInstance(r, instanceId);
    }

    /**
     * An instance's gateway serves only what the instance holds: a key or secret created with DKMSInstanceId = this
     * instance. A default key (of no instance) or one of another instance is answered as a key the gateway does not
     * have: Forbidden.KeyNotFound, "The specified Key is not found." (the Instance API's common errors,
     * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/common-error-codes-1); a
     * secret likewise with the not-found error GetSecretValue gives for a secret it does not know,
     * Forbidden.ResourceNotFound (the Instance API documents no other).
     *
     * <p>Applied once, to every operation, after authorisation and before the handler: a key outside the instance
     * then gets the answer an unknown key gets once authorised, not an early not-found that would tell a caller whose
     * policy does not reach the name that the key exists elsewhere.
     */
    private static ActionRegistry scopedToInstance(ActionRegistry declared, String instanceId) {
        ActionRegistry scoped = new ActionRegistry();
        for (Operation o : declared.all().values()) {
            boolean namesSecret = o.fields().contains(SECRET_NAME);
            scoped.register(new Operation(o.name(), o.fields(), o.targets(), o.dryRun(), o.created(), c -> {
                requireHeldByInstance(c, namesSecret, instanceId);
                return o.handler().handle(c);
            }));
        }
        return scoped;
    }

    private static void requireHeldByInstance(Call c, boolean namesSecret, String servedId) {
        String instanceId = servedId != null ? servedId : c.kms().instances().defaultInstanceId();
        String keyId = c.resolved().keyId(); // the key the call acts on, however it was named (ID, alias, blob)
        if (keyId != null) {
            KeyRecord key;
            try {
                key = c.kms().keys().describeKey(keyId);
            } catch (KmsException e) {
                return; // gone meanwhile: the handler reports it as for any unknown key
            }
            if (!key.inInstance(instanceId)) {
                throw Errors.keyNotFound();
            }
        }
        String secretName = namesSecret ? c.params().optional("SecretName") : null;
        if (secretName != null && !secretName.isEmpty()) {
            SecretRecord secret;
            try {
                secret = c.kms().secrets().describeSecret(secretName);
            } catch (KmsException e) {
                return; // unknown secret: the handler reports it
            }
            if (!secret.inInstance(instanceId)) {
                throw Errors.resourceNotFound();
            }
        }
    }

    // ---- symmetric

    /**
     * Encrypt uses the key's initial version, AdvanceEncrypt its primary one and answers a CiphertextBlob that
     * carries the version (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/advanceencrypt).
     */
    private static Map<String, Object> encrypt(Call c, boolean advance) {
        checkAlgorithm(c);
        byte[] plaintext = bytes(c, "Plaintext", true);
        if (plaintext.length > CryptoService.MAX_PLAINTEXT) {
            throw Errors.invalidParameter("Plaintext", "The plaintext must not exceed 6 KiB.");
        }
        CryptoService.Sealed s = c.kms()
                .crypto()
                .encryptRaw(c.keyId(), !advance, plaintext, bytes(c, "Aad", false), bytes(c, "Iv", false));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", s.keyId());
        out.put(
                "CiphertextBlob",
                advance ? new CiphertextBlob(s.keyVersionId(), s.iv(), s.ciphertext()).encode() : s.ciphertext());
        out.put("Iv", s.iv());
        out.put("Algorithm", AES_GCM);
        out.put("KeyVersionId", s.keyVersionId());
        return out;
    }

    /**
     * Decrypt needs KeyId and Iv as Encrypt used them; the transfer client sends no KeyId but the key version in
     * x-kms-migrationkeyversionid. AdvanceDecrypt reads the version and IV from its own blob, and falls back to
     * Decrypt's rules for Encrypt output.
     */
    private static Map<String, Object> decrypt(Call c, boolean advance) {
        checkAlgorithm(c);
        byte[] blob = bytes(c, "CiphertextBlob", true);
        byte[] aad = bytes(c, "Aad", false);
        CryptoService.Decrypted d;
        CiphertextBlob advanced = advance ? advancedBlob(c) : null;
        if (advanced != null) {
            d = c.kms().crypto().decryptRaw(null, advanced.keyVersionId(), advanced.iv(), advanced.ciphertext(), aad);
        } else {
            String keyId = c.params().optional("KeyId");
            d = c.kms()
                    .crypto()
                    .decryptRaw(
                            keyId == null || keyId.isEmpty() ? null : c.keyId(),
                            c.params().optional(MIGRATION_KEY_VERSION_ID),
                            bytes(c, "Iv", false),
                            blob,
                            aad);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", d.keyId());
        out.put("Plaintext", d.plaintext());
        out.put("Algorithm", AES_GCM);
        out.put("KeyVersionId", d.keyVersionId());
        return out;
    }

    private static Map<String, Object> generateDataKey(Call c, boolean advance) {
        if (!advance) {
            checkAlgorithm(c);
        }
        byte[] plaintext = SecureRandoms.bytes(c.get(NUMBER_OF_BYTES));
        CryptoService.Sealed s =
                c.kms().crypto().encryptRaw(c.keyId(), !advance, plaintext, bytes(c, "Aad", false), null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", s.keyId());
        out.put("Iv", s.iv());
        out.put("Plaintext", plaintext);
        out.put(
                "CiphertextBlob",
                advance ? new CiphertextBlob(s.keyVersionId(), s.iv(), s.ciphertext()).encode() : s.ciphertext());
        out.put("Algorithm", AES_GCM);
        out.put("KeyVersionId", s.keyVersionId());
        return out;
    }

    /**
     * A data key pair (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/generatedatakeypair):
     * a fresh key pair whose private key (PKCS#8, in KeyFormat) is encrypted as Encrypt or AdvanceEncrypt would
     * encrypt it. Authorised as kms:GenerateDataKey: it is data key material protected by the same key.
     */
    private static Map<String, Object> dataKeyPair(Call c, boolean advance, boolean withPlaintext) {
        if (!advance) {
            checkAlgorithm(c);
        }
        AsymmetricKeyType type = c.get(KEY_PAIR_SPEC);
        boolean pem = "PEM".equals(c.get(KEY_FORMAT));
        AsymmetricKeyPair pair = AsymmetricKeyPair.generate(type);
        byte[] pkcs8 = pair.privateKeyPkcs8();
        byte[] privateKey = pem ? pem("PRIVATE KEY", pkcs8) : pkcs8;
        try {
            CryptoService.Sealed s =
                    c.kms().crypto().encryptRaw(c.keyId(), !advance, privateKey, bytes(c, "Aad", false), null);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("KeyId", s.keyId());
            out.put("Iv", s.iv());
            out.put("KeyPairSpec", type.name());
            if (withPlaintext) {
                out.put("PrivateKeyPlaintext", privateKey.clone());
            }
            out.put(
                    "PrivateKeyCiphertextBlob",
                    advance ? new CiphertextBlob(s.keyVersionId(), s.iv(), s.ciphertext()).encode() : s.ciphertext());
            out.put(
                    "PublicKey",
                    pem
                            ? pair.publicKey().pem().getBytes(StandardCharsets.US_ASCII)
                            : pair.publicKey().der());
            out.put("Algorithm", AES_GCM);
            out.put("KeyVersionId", s.keyVersionId());
            return out;
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    private static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The key a Decrypt acts on: KeyId, else the one owning the version the transfer client names. */
    private static String decryptKey(Call c) {
        String keyId = c.params().optional("KeyId");
        if (keyId != null && !keyId.isEmpty()) {
            return keyId;
        }
        String version = c.params().optional(MIGRATION_KEY_VERSION_ID);
        return version == null || version.isEmpty()
                ? null
                : c.kms().keyIdOfVersion(version).orElse(null);
    }

    private static String advanceDecryptKey(Call c) {
        CiphertextBlob b = advancedBlob(c);
        return b == null
                ? decryptKey(c)
                : c.kms().keyIdOfVersion(b.keyVersionId()).orElse(null);
    }

    /** AdvanceEncrypt's blob (version ‖ IV ‖ ciphertext), or null for Encrypt output. */
    private static CiphertextBlob advancedBlob(Call c) {
        String b64 = c.params().optional("CiphertextBlob");
        if (b64 == null || b64.isEmpty()) {
            return null;
        }
        try {
            CiphertextBlob b = CiphertextBlob.decode(Base64.getDecoder().decode(b64));
            return c.kms().keyIdOfVersion(b.keyVersionId()).isPresent() ? b : null;
        } catch (CryptoException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A software instance offers AES_GCM (and SM4_GCM for SM4 keys); CBC, ECB are for hardware instances only. */
    private static void checkAlgorithm(Call c) {
        String a = c.get(ALGORITHM);
        if (a != null && !a.isEmpty() && !AES_GCM.equals(a) && !"SM4_GCM".equals(a)) {
            throw Errors.invalidParameter("Algorithm", "A software KMS instance supports AES_GCM and SM4_GCM.");
        }
        String p = c.get(PADDING_MODE);
        if (p != null && !p.isEmpty()) {
            throw Errors.invalidParameter("PaddingMode", "PaddingMode applies to AES_CBC only.");
        }
    }

    // ---- asymmetric

    private static String primaryVersion(Call c) {
        String header = c.params().optional(MIGRATION_KEY_VERSION_ID);
        if (header != null && !header.isEmpty()) {
            return header;
        }
        return c.kms().keys().describeKey(c.keyId()).primaryKeyVersion();
    }

    private static Map<String, Object> getPublicKey(Call c) {
        AsymmetricService.Output o = c.kms().asymmetric().publicKey(c.keyId(), primaryVersion(c));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", o.keyId());
        out.put("PublicKey", new String(o.data(), StandardCharsets.US_ASCII));
        out.put("KeyVersionId", o.keyVersionId());
        return out;
    }

    private static Map<String, Object> sign(Call c) {
        SignatureAlgorithm algorithm = signatureAlgorithm(c);
        String version = primaryVersion(c);
        byte[] digest = digest(c, algorithm, "Message", "Digest");
        AsymmetricService.Signed s = c.kms().asymmetric().sign(c.keyId(), version, algorithm, digest);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", s.keyId());
        out.put("Signature", s.value());
        out.put("Algorithm", algorithm.name());
        out.put("MessageType", messageType(c));
        out.put("KeyVersionId", s.keyVersionId());
        return out;
    }

    private static Map<String, Object> verify(Call c) {
        SignatureAlgorithm algorithm = signatureAlgorithm(c);
        String version = primaryVersion(c);
        byte[] digest = digest(c, algorithm, "Message", "Digest");
        byte[] signature = bytes(c, "Signature", true);
        AsymmetricService.Verified v = c.kms().asymmetric().verify(c.keyId(), version, algorithm, digest, signature);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", v.keyId());
        out.put("Value", v.value());
        out.put("Algorithm", algorithm.name());
        out.put("MessageType", messageType(c));
        out.put("KeyVersionId", v.keyVersionId());
        return out;
    }

    private static SignatureAlgorithm signatureAlgorithm(Call c) {
        String a = c.params().required("Algorithm");
        return SignatureAlgorithm.fromWire(a)
                .orElseThrow(() -> Errors.invalidParameter(
                        "Algorithm", "It must be RSA_PSS_SHA_256, RSA_PKCS1_SHA_256, ECDSA_SHA_256 or SM2DSA."));
    }

    private static String messageType(Call c) {
        String t = c.params().optional("MessageType");
        return t == null || t.isEmpty() ? "RAW" : t;
    }

    /**
     * The digest to sign: MessageType RAW (the default) hashes Message here; DIGEST takes Message as the digest.
     * The legacy Digest field is a digest too.
     */
    private static byte[] digest(Call c, SignatureAlgorithm algorithm, String messageField, String digestField) {
        byte[] legacy = bytes(c, digestField, false);
        byte[] message = bytes(c, messageField, false);
        String type = messageType(c);
        if (message.length == 0 && legacy.length > 0) {
            return legacy;
        }
        if ("DIGEST".equals(type)) {
            return message;
        }
        if (!"RAW".equals(type)) {
            throw Errors.invalidParameter("MessageType", "It must be RAW or DIGEST.");
        }
        if (algorithm == SignatureAlgorithm.SM2DSA) {
            // SM2 signs SM3(Z ‖ M), where Z depends on the signer's identity: hashing here would need the key.
            throw Errors.invalidParameter("MessageType", "SM2DSA takes MessageType DIGEST on this server.");
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- MAC and hash (in the Instance API's descriptor; SDK 0.5.2 has no method for them)

    /** HMAC with the key's own algorithm (the request names none). */
    private static Map<String, Object> hmac(Call c) {
        org.openkms.crypto.mac.MacAlgorithm algorithm =
                c.kms().keys().describeKey(c.keyId()).keySpec().macAlgorithm();
        if (algorithm == null) {
            throw Errors.unsupportedOperation("The key is not an HMAC key.");
        }
        var mac = c.kms().mac().generate(c.keyId(), algorithm, bytes(c, "Message", true));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", mac.keyId());
        out.put("Signature", mac.value());
        return out;
    }

    /** A digest computed by the gateway: SHA-256 (default), SHA-384, SHA-512 or SM3. */
    private static Map<String, Object> hash(Call c) {
        String a = c.params().optional("Algorithm");
        String name = a == null || a.isEmpty()
                ? "SHA_256"
                : a.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        MessageDigest md;
        try {
            md = switch (name) {
                case "SHA_256", "SHA256" -> MessageDigest.getInstance("SHA-256");
                case "SHA_384", "SHA384" -> MessageDigest.getInstance("SHA-384");
                case "SHA_512", "SHA512" -> MessageDigest.getInstance("SHA-512");
                case "SM3" -> MessageDigest.getInstance("SM3", org.openkms.crypto.Providers.bouncyCastle());
                default -> throw Errors.invalidParameter("Algorithm", "It must be SHA_256, SHA_384, SHA_512 or SM3.");
            };
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Digest", md.digest(bytes(c, "Message", false)));
        return out;
    }

    // ---- secrets

    private static Map<String, Object> getSecretValue(Call c) {
        Map<String, Object> v = SecretViews.secretValue(
                c.kms().secrets().getSecretValue(c.get(SECRET_NAME), c.get(VERSION_ID), c.get(VERSION_STAGE)),
                c.params().bool("FetchExtendedConfig", false));
        Object stages = v.get("VersionStages");
        if (stages instanceof Map<?, ?> m && m.get("VersionStage") instanceof java.util.List<?> l) {
            v.put("VersionStages", l.stream().map(String::valueOf).toList()); // a repeated string in the proto
        }
        return v;
    }

    // ---- helpers

    /** A bytes field (Base64 in the parameters), empty when absent unless required. */
    private static byte[] bytes(Call c, String name, boolean required) {
        String v = c.params().optional(name);
        if (v == null || v.isEmpty()) {
            if (required) {
                throw Errors.missingParameter(name);
            }
            return new byte[0];
        }
        return Base64.getDecoder().decode(v);
    }
}
