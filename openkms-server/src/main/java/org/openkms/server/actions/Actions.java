package org.openkms.server.actions;

import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.iam.IamContext;

/** Every API operation this server answers. */
public final class Actions {
    private Actions() {}

    /** @param ctx the identities, policies and access points the policy and access-point actions work with */
    public static ActionRegistry all(IamContext ctx) {
        ActionRegistry r = new ActionRegistry();
        KeyActions.register(r);
        CryptoActions.register(r);
        AsymmetricActions.register(r);
        MacActions.register(r);
        ImportActions.register(r);
        AliasActions.register(r);
        TagActions.register(r);
        SecretActions.register(r);
        AccountActions.register(r);
        KmsInstanceActions.register(r);
        ResourcePolicyActions.register(r, ctx);
        AccessPointActions.register(r, ctx);
        return r;
    }
}
