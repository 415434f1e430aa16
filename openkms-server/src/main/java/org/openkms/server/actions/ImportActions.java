package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.KEY_ID;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.key.ImportService;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.Params;
import org.openkms.server.iam.KmsResources;

/** BYOK: GetParametersForImport, ImportKeyMaterial, DeleteKeyMaterial (api-semantics.md §3.4). */
public final class ImportActions {
    static final Field<EncryptionAlgorithm> WRAPPING_ALGORITHM = Field.of(
            "WrappingAlgorithm",
            p -> EncryptionAlgorithm.fromWire(p.required("WrappingAlgorithm"))
                    .orElseThrow(() -> Errors.invalidParameter(
                            "WrappingAlgorithm",
                            "It must be RSAES_PKCS1_V1_5, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256 or SM2PKE.")));
    static final Field<AsymmetricKeyType> WRAPPING_KEY_SPEC =
            Field.of("WrappingKeySpec", p -> switch (p.required("WrappingKeySpec")) {
                case "RSA_2048" -> AsymmetricKeyType.RSA_2048;
                case "EC_SM2" -> AsymmetricKeyType.EC_SM2;
                default -> throw Errors.invalidParameter("WrappingKeySpec", "It must be RSA_2048 or EC_SM2.");
            });
    static final Field<byte[]> ENCRYPTED_KEY_MATERIAL = Field.base64("EncryptedKeyMaterial");
    static final Field<String> IMPORT_TOKEN = Field.required("ImportToken");
    static final Field<Long> EXPIRE_UNIX = Field.of("KeyMaterialExpireUnix", ImportActions::expireUnix);

    private ImportActions() {}

    public static void register(ActionRegistry r) {
        r.register(Operation.named("GetParametersForImport")
                        .fields(KEY_ID, WRAPPING_ALGORITHM, WRAPPING_KEY_SPEC)
                        .targets(KmsResources.key())
                        .handle(ImportActions::getParametersForImport))
                .register(Operation.named("ImportKeyMaterial")
                        .fields(KEY_ID, ENCRYPTED_KEY_MATERIAL, IMPORT_TOKEN, EXPIRE_UNIX)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            c.kms()
                                    .imports()
                                    .importKeyMaterial(
                                            c.keyId(),
                                            c.get(ENCRYPTED_KEY_MATERIAL),
                                            c.get(IMPORT_TOKEN),
                                            c.get(EXPIRE_UNIX));
                            return Map.of();
                        }))
                .register(Operation.named("DeleteKeyMaterial")
                        .fields(KEY_ID)
                        .targets(KmsResources.key())
                        .handle(c -> {
                            c.kms().keys().deleteKeyMaterial(c.keyId());
                            return Map.of();
                        }));
    }

    private static Map<String, Object> getParametersForImport(Call c) {
        ImportService.ImportParameters ip = c.kms()
                .imports()
                .getParametersForImport(c.keyId(), c.get(WRAPPING_ALGORITHM), c.get(WRAPPING_KEY_SPEC));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ImportToken", ip.importToken());
        out.put("KeyId", ip.keyId());
        out.put("PublicKey", Base64.getEncoder().encodeToString(ip.publicKey()));
        out.put("TokenExpireTime", Views.time(ip.tokenExpireTime()));
        return out;
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
