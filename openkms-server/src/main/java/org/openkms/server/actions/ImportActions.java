package org.openkms.server.actions;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.key.ImportService;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Params;

/** BYOK: GetParametersForImport, ImportKeyMaterial, DeleteKeyMaterial (api-semantics.md §3.4). */
public final class ImportActions {
    private ImportActions() {
    }

    public static void register(ActionRegistry r) {
        r.register("GetParametersForImport", ImportActions::getParametersForImport)
                .register("ImportKeyMaterial", ImportActions::importKeyMaterial)
                .register("DeleteKeyMaterial", c -> {
                    c.kms().keys().deleteKeyMaterial(KeyActions.keyId(c));
                    return Map.of();
                });
    }

    private static Map<String, Object> getParametersForImport(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        EncryptionAlgorithm algorithm = EncryptionAlgorithm.fromWire(p.required("WrappingAlgorithm"))
                .orElseThrow(() -> Errors.invalidParameter("WrappingAlgorithm",
                        "It must be RSAES_PKCS1_V1_5, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256 or SM2PKE."));
        AsymmetricKeyType spec = switch (p.required("WrappingKeySpec")) {
            case "RSA_2048" -> AsymmetricKeyType.RSA_2048;
            case "EC_SM2" -> AsymmetricKeyType.EC_SM2;
            default -> throw Errors.invalidParameter("WrappingKeySpec", "It must be RSA_2048 or EC_SM2.");
        };
        ImportService.ImportParameters ip = c.kms().imports().getParametersForImport(keyId, algorithm, spec);
        c.keyResource(ip.keyId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ImportToken", ip.importToken());
        out.put("KeyId", ip.keyId());
        out.put("PublicKey", Base64.getEncoder().encodeToString(ip.publicKey()));
        out.put("TokenExpireTime", Views.time(ip.tokenExpireTime()));
        return out;
    }

    private static Map<String, Object> importKeyMaterial(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        byte[] material = p.base64("EncryptedKeyMaterial");
        String token = p.required("ImportToken");
        long expireUnix = expireUnix(p);
        c.kms().imports().importKeyMaterial(keyId, material, token, expireUnix);
        c.resource(keyId);
        return Map.of();
    }

    /** KeyMaterialExpireUnix: the SDK marks it required, the docs optional; absent or 0 means never. */
    private static long expireUnix(Params p) {
        String v = p.optional("KeyMaterialExpireUnix");
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw Errors.invalidParameter("KeyMaterialExpireUnix", "It must be Unix seconds.");
        }
    }
}
