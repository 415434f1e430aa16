package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.KEY_ID;
import static org.openkms.server.actions.KmsFields.MAC_ALGORITHM;
import static org.openkms.server.actions.KmsFields.MESSAGE;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.key.MacService;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.DryRun;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.iam.KmsResources;

/** GenerateMac and VerifyMac (api-semantics.md §3.2); both honour DryRun. */
public final class MacActions {
    static final Field<byte[]> MAC = Field.base64("Mac");

    private MacActions() {}

    public static void register(ActionRegistry r) {
        DryRun check = DryRun.check(c -> c.kms().mac().target(c.keyId(), c.get(MAC_ALGORITHM), c.get(MESSAGE)));
        r.register(Operation.named("GenerateMac")
                        .fields(KEY_ID, MAC_ALGORITHM, MESSAGE)
                        .targets(KmsResources.key())
                        .dryRun(check)
                        .handle(MacActions::generateMac))
                .register(Operation.named("VerifyMac")
                        .fields(KEY_ID, MAC_ALGORITHM, MESSAGE, MAC)
                        .targets(KmsResources.key())
                        .dryRun(check)
                        .handle(MacActions::verifyMac));
    }

    private static Map<String, Object> generateMac(Call c) {
        MacService.Mac mac = c.kms().mac().generate(c.keyId(), c.get(MAC_ALGORITHM), c.get(MESSAGE));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Algorithm", mac.algorithm().name());
        out.put("KeyId", mac.keyId());
        out.put("Mac", Base64.getEncoder().encodeToString(mac.value()));
        return out;
    }

    private static Map<String, Object> verifyMac(Call c) {
        MacService.Verified v = c.kms().mac().verify(c.keyId(), c.get(MAC_ALGORITHM), c.get(MESSAGE), c.get(MAC));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Algorithm", v.algorithm().name());
        out.put("KeyId", v.keyId());
        out.put("Value", v.value());
        return out;
    }
}
