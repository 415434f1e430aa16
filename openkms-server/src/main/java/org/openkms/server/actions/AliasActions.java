package org.openkms.server.actions;

import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.Account;
import org.openkms.core.key.AliasRecord;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;

/** Aliases (api-semantics.md §3.5). */
public final class AliasActions {
    private AliasActions() {
    }

    public static void register(ActionRegistry r) {
        r.register("CreateAlias", c -> {
            String alias = aliasName(c);
            c.kms().aliases().createAlias(alias, c.params().required("KeyId"));
            return Map.of();
        }).register("UpdateAlias", c -> {
            String alias = aliasName(c);
            c.kms().aliases().updateAlias(alias, c.params().required("KeyId"));
            return Map.of();
        }).register("DeleteAlias", c -> {
            c.kms().aliases().deleteAlias(aliasName(c));
            return Map.of();
        }).register("ListAliases", c -> Views.page("Aliases", "Alias", c.kms().aliases().listAliases(),
                c.params().integer("PageNumber", 1, 1, Integer.MAX_VALUE), c.params().integer("PageSize", 10, 1, 100),
                a -> view(c.kms().account(), a))
        ).register("ListAliasesByKeyId", c -> Views.page("Aliases", "Alias",
                c.kms().aliases().listAliasesByKeyId(KeyActions.keyId(c)),
                c.params().integer("PageNumber", 1, 1, Integer.MAX_VALUE), c.params().integer("PageSize", 10, 1, 100),
                a -> view(c.kms().account(), a)));
    }

    private static String aliasName(Call c) {
        String alias = c.params().required("AliasName");
        c.resource(c.kms().account().aliasArn(alias));
        return alias;
    }

    private static Map<String, Object> view(Account account, AliasRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AliasName", a.aliasName());
        m.put("AliasArn", account.aliasArn(a.aliasName()));
        m.put("KeyId", a.keyId());
        return m;
    }
}
