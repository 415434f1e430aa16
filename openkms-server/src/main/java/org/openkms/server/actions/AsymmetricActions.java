package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.CIPHERTEXT_BLOB;
import static org.openkms.server.actions.KmsFields.DIGEST;
import static org.openkms.server.actions.KmsFields.ENCRYPTION_ALGORITHM;
import static org.openkms.server.actions.KmsFields.KEY_ID;
import static org.openkms.server.actions.KmsFields.KEY_VERSION_ID;
import static org.openkms.server.actions.KmsFields.PLAINTEXT;
import static org.openkms.server.actions.KmsFields.SIGNATURE_ALGORITHM;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.key.AsymmetricService;
import org.openkms.core.key.KeyUsage;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.DryRun;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.iam.KmsResources;

/**
 * AsymmetricSign, AsymmetricVerify, AsymmetricEncrypt, AsymmetricDecrypt, GetPublicKey (api-semantics.md
 * §3.2). KeyVersionId is mandatory on all of them; every operation honours DryRun.
 */
public final class AsymmetricActions {
    static final Field<byte[]> SIGNATURE = Field.base64("Value");

    private AsymmetricActions() {}

    public static void register(ActionRegistry r) {
        DryRun checkSignature = DryRun.check(c -> AsymmetricService.checkSignatureInput(
                c.kms().asymmetric().target(c.keyId(), c.get(KEY_VERSION_ID), KeyUsage.SIGN_VERIFY),
                c.get(SIGNATURE_ALGORITHM),
                c.get(DIGEST)));
        r.register(Operation.named("AsymmetricSign")
                        .fields(KEY_ID, KEY_VERSION_ID, SIGNATURE_ALGORITHM, DIGEST)
                        .targets(KmsResources.key())
                        .dryRun(checkSignature)
                        .handle(AsymmetricActions::sign))
                .register(Operation.named("AsymmetricVerify")
                        .fields(KEY_ID, KEY_VERSION_ID, SIGNATURE_ALGORITHM, DIGEST, SIGNATURE)
                        .targets(KmsResources.key())
                        .dryRun(checkSignature)
                        .handle(AsymmetricActions::verify))
                .register(Operation.named("AsymmetricEncrypt")
                        .fields(KEY_ID, KEY_VERSION_ID, ENCRYPTION_ALGORITHM, PLAINTEXT)
                        .targets(KmsResources.key())
                        .dryRun(DryRun.check(c -> AsymmetricService.checkEncryptionInput(
                                c.kms().asymmetric().target(c.keyId(), c.get(KEY_VERSION_ID), KeyUsage.ENCRYPT_DECRYPT),
                                c.get(ENCRYPTION_ALGORITHM),
                                c.get(PLAINTEXT))))
                        .handle(AsymmetricActions::encrypt))
                // As for Decrypt: a dry run fails exactly where the real call would (bad ciphertext), so decrypt and
                // discard.
                .register(Operation.named("AsymmetricDecrypt")
                        .fields(KEY_ID, KEY_VERSION_ID, ENCRYPTION_ALGORITHM, CIPHERTEXT_BLOB)
                        .targets(KmsResources.key())
                        .dryRun(DryRun.check(c -> Arrays.fill(decrypted(c).data(), (byte) 0)))
                        .handle(AsymmetricActions::decrypt))
                .register(Operation.named("GetPublicKey")
                        .fields(KEY_ID, KEY_VERSION_ID)
                        .targets(KmsResources.key())
                        .dryRun(DryRun.check(c -> c.kms().asymmetric().target(c.keyId(), c.get(KEY_VERSION_ID), null)))
                        .handle(AsymmetricActions::getPublicKey));
    }

    private static Map<String, Object> sign(Call c) {
        AsymmetricService.Signed signed =
                c.kms().asymmetric().sign(c.keyId(), c.get(KEY_VERSION_ID), c.get(SIGNATURE_ALGORITHM), c.get(DIGEST));
        Map<String, Object> out = versioned(signed.keyId(), signed.keyVersionId());
        out.put("Value", Base64.getEncoder().encodeToString(signed.value()));
        return out;
    }

    private static Map<String, Object> verify(Call c) {
        AsymmetricService.Verified v = c.kms()
                .asymmetric()
                .verify(c.keyId(), c.get(KEY_VERSION_ID), c.get(SIGNATURE_ALGORITHM), c.get(DIGEST), c.get(SIGNATURE));
        Map<String, Object> out = versioned(v.keyId(), v.keyVersionId());
        out.put("Value", v.value());
        return out;
    }

    private static Map<String, Object> encrypt(Call c) {
        AsymmetricService.Output o = c.kms()
                .asymmetric()
                .encrypt(c.keyId(), c.get(KEY_VERSION_ID), c.get(ENCRYPTION_ALGORITHM), c.get(PLAINTEXT));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", Base64.getEncoder().encodeToString(o.data()));
        out.putAll(versioned(o.keyId(), o.keyVersionId()));
        return out;
    }

    private static AsymmetricService.Output decrypted(Call c) {
        return c.kms()
                .asymmetric()
                .decrypt(c.keyId(), c.get(KEY_VERSION_ID), c.get(ENCRYPTION_ALGORITHM), c.get(CIPHERTEXT_BLOB));
    }

    private static Map<String, Object> decrypt(Call c) {
        AsymmetricService.Output o = decrypted(c);
        Map<String, Object> out = versioned(o.keyId(), o.keyVersionId());
        out.put("Plaintext", Base64.getEncoder().encodeToString(o.data()));
        return out;
    }

    private static Map<String, Object> getPublicKey(Call c) {
        AsymmetricService.Output o = c.kms().asymmetric().publicKey(c.keyId(), c.get(KEY_VERSION_ID));
        Map<String, Object> out = versioned(o.keyId(), o.keyVersionId());
        out.put("PublicKey", new String(o.data(), StandardCharsets.US_ASCII));
        return out;
    }

    private static Map<String, Object> versioned(String keyId, String keyVersionId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", keyId);
        out.put("KeyVersionId", keyVersionId);
        return out;
    }
}
