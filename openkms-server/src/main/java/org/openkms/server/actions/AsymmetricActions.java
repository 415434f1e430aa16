package org.openkms.server.actions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.AsymmetricService;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.crypto.asymmetric.SignatureAlgorithm;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Params;

/**
 * AsymmetricSign, AsymmetricVerify, AsymmetricEncrypt, AsymmetricDecrypt, GetPublicKey (api-semantics.md
 * §3.2). KeyVersionId is mandatory on all of them; every operation honours DryRun.
 */
public final class AsymmetricActions {
    private AsymmetricActions() {
    }

    public static void register(ActionRegistry r) {
        r.register("AsymmetricSign", AsymmetricActions::sign)
                .register("AsymmetricVerify", AsymmetricActions::verify)
                .register("AsymmetricEncrypt", AsymmetricActions::encrypt)
                .register("AsymmetricDecrypt", AsymmetricActions::decrypt)
                .register("GetPublicKey", AsymmetricActions::getPublicKey);
    }

    private static Map<String, Object> sign(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        String version = p.required("KeyVersionId");
        SignatureAlgorithm algorithm = signatureAlgorithm(p);
        byte[] digest = p.base64("Digest");
        AsymmetricService s = c.kms().asymmetric();
        if (p.dryRun()) {
            AsymmetricService.checkSignatureInput(s.target(keyId, version, KeyUsage.SIGN_VERIFY), algorithm, digest);
            throw Errors.dryRun();
        }
        AsymmetricService.Signed signed = s.sign(keyId, version, algorithm, digest);
        c.keyResource(signed.keyId());
        Map<String, Object> out = versioned(signed.keyId(), signed.keyVersionId());
        out.put("Value", Base64.getEncoder().encodeToString(signed.value()));
        return out;
    }

    private static Map<String, Object> verify(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        String version = p.required("KeyVersionId");
        SignatureAlgorithm algorithm = signatureAlgorithm(p);
        byte[] digest = p.base64("Digest");
        byte[] value = p.base64("Value");
        AsymmetricService s = c.kms().asymmetric();
        if (p.dryRun()) {
            AsymmetricService.checkSignatureInput(s.target(keyId, version, KeyUsage.SIGN_VERIFY), algorithm, digest);
            throw Errors.dryRun();
        }
        AsymmetricService.Verified v = s.verify(keyId, version, algorithm, digest, value);
        c.keyResource(v.keyId());
        Map<String, Object> out = versioned(v.keyId(), v.keyVersionId());
        out.put("Value", v.value());
        return out;
    }

    private static Map<String, Object> encrypt(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        String version = p.required("KeyVersionId");
        EncryptionAlgorithm algorithm = encryptionAlgorithm(p, "Algorithm");
        byte[] plaintext = p.base64("Plaintext");
        AsymmetricService s = c.kms().asymmetric();
        if (p.dryRun()) {
            AsymmetricService.checkEncryptionInput(s.target(keyId, version, KeyUsage.ENCRYPT_DECRYPT), algorithm, plaintext);
            throw Errors.dryRun();
        }
        AsymmetricService.Output o = s.encrypt(keyId, version, algorithm, plaintext);
        c.keyResource(o.keyId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", Base64.getEncoder().encodeToString(o.data()));
        out.putAll(versioned(o.keyId(), o.keyVersionId()));
        return out;
    }

    private static Map<String, Object> decrypt(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        String version = p.required("KeyVersionId");
        EncryptionAlgorithm algorithm = encryptionAlgorithm(p, "Algorithm");
        byte[] ciphertext = p.base64("CiphertextBlob");
        AsymmetricService s = c.kms().asymmetric();
        AsymmetricService.Output o = s.decrypt(keyId, version, algorithm, ciphertext);
        if (p.dryRun()) {
            // As for Decrypt: a dry run fails exactly where the real call would (bad ciphertext), so decrypt and discard.
            java.util.Arrays.fill(o.data(), (byte) 0);
            throw Errors.dryRun();
        }
        c.keyResource(o.keyId());
        Map<String, Object> out = versioned(o.keyId(), o.keyVersionId());
        out.put("Plaintext", Base64.getEncoder().encodeToString(o.data()));
        return out;
    }

    private static Map<String, Object> getPublicKey(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        String version = p.required("KeyVersionId");
        AsymmetricService s = c.kms().asymmetric();
        if (p.dryRun()) {
            s.target(keyId, version, null);
            throw Errors.dryRun();
        }
        AsymmetricService.Output o = s.publicKey(keyId, version);
        c.keyResource(o.keyId());
        Map<String, Object> out = versioned(o.keyId(), o.keyVersionId());
        out.put("PublicKey", new String(o.data(), StandardCharsets.US_ASCII));
        return out;
    }

    static SignatureAlgorithm signatureAlgorithm(Params p) {
        return SignatureAlgorithm.fromWire(p.required("Algorithm")).orElseThrow(() -> Errors.invalidParameter("Algorithm",
                "It must be RSA_PSS_SHA_256, RSA_PKCS1_SHA_256, ECDSA_SHA_256 or SM2DSA."));
    }

    /** Encryption algorithms of the asymmetric calls; RSAES_PKCS1_V1_5 exists only for key import. */
    static EncryptionAlgorithm encryptionAlgorithm(Params p, String name) {
        return EncryptionAlgorithm.fromWire(p.required(name))
                .filter(a -> a != EncryptionAlgorithm.RSAES_PKCS1_V1_5)
                .orElseThrow(() -> Errors.invalidParameter(name, "It must be RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1 or SM2PKE."));
    }

    private static Map<String, Object> versioned(String keyId, String keyVersionId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", keyId);
        out.put("KeyVersionId", keyVersionId);
        return out;
    }
}
