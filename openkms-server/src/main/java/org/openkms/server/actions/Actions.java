package org.openkms.server.actions;

import org.openkms.server.gateway.ActionRegistry;

/** Every API operation this server answers. */
public final class Actions {
    private Actions() {
    }

    public static ActionRegistry all() {
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
        ResourcePolicyActions.register(r);
        AccessPointActions.register(r);
        return r;
    }
}
