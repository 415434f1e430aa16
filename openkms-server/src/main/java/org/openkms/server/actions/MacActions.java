package org.openkms.server.actions;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.key.MacService;
import org.openkms.crypto.mac.MacAlgorithm;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Params;

/** GenerateMac and VerifyMac (api-semantics.md §3.2); both honour DryRun. */
public final class MacActions {
    private MacActions() {
    }

    public static void register(ActionRegistry r) {
        r.register("GenerateMac", MacActions::generateMac)
                .register("VerifyMac", MacActions::verifyMac);
    }

    private static Map<String, Object> generateMac(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        MacAlgorithm algorithm = algorithm(p);
        byte[] message = p.base64("Message");
        if (p.dryRun()) {
            c.kms().mac().target(keyId, algorithm, message);
            throw Errors.dryRun();
        }
        MacService.Mac mac = c.kms().mac().generate(keyId, algorithm, message);
        c.keyResource(mac.keyId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Algorithm", mac.algorithm().name());
        out.put("KeyId", mac.keyId());
        out.put("Mac", Base64.getEncoder().encodeToString(mac.value()));
        return out;
    }

    private static Map<String, Object> verifyMac(Call c) {
        Params p = c.params();
        String keyId = KeyActions.keyId(c);
        MacAlgorithm algorithm = algorithm(p);
        byte[] message = p.base64("Message");
        byte[] mac = p.base64("Mac");
        if (p.dryRun()) {
            c.kms().mac().target(keyId, algorithm, message);
            throw Errors.dryRun();
        }
        MacService.Verified v = c.kms().mac().verify(keyId, algorithm, message, mac);
        c.keyResource(v.keyId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Algorithm", v.algorithm().name());
        out.put("KeyId", v.keyId());
        out.put("Value", v.value());
        return out;
    }

    private static MacAlgorithm algorithm(Params p) {
        return MacAlgorithm.fromWire(p.required("Algorithm")).orElseThrow(() -> Errors.invalidParameter("Algorithm",
                "It must be HMAC_SM3, HMAC_SHA_224, HMAC_SHA_256, HMAC_SHA_384 or HMAC_SHA_512."));
    }
}
