package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.KEY_ID;
import static org.openkms.server.actions.KmsFields.PAGE_NUMBER;
import static org.openkms.server.actions.KmsFields.PAGE_SIZE;

import java.util.LinkedHashMap;
import java.util.Map;
import org.openkms.core.Account;
import org.openkms.core.key.AliasRecord;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Field;
import org.openkms.server.gateway.Operation;
import org.openkms.server.iam.KmsResources;

/** Aliases (api-semantics.md §3.5). */
public final class AliasActions {
    private AliasActions() {}

    static final Field<String> ALIAS_NAME = Field.required("AliasName");

    public static void register(ActionRegistry r) {
        r.register(Operation.named("CreateAlias")
                        .fields(ALIAS_NAME, KEY_ID)
                        .targets(KmsResources.aliasAndKey())
                        .handle(c -> {
                            c.kms().aliases().createAlias(c.get(ALIAS_NAME), c.get(KEY_ID));
                            return Map.of();
                        }))
                .register(Operation.named("UpdateAlias")
                        .fields(ALIAS_NAME, KEY_ID)
                        .targets(KmsResources.aliasAndKey())
                        .handle(c -> {
                            c.kms().aliases().updateAlias(c.get(ALIAS_NAME), c.get(KEY_ID));
                            return Map.of();
                        }))
                .register(Operation.named("DeleteAlias")
                        .fields(ALIAS_NAME)
                        .targets(KmsResources.aliasAndItsKey())
                        .handle(c -> {
                            c.kms().aliases().deleteAlias(c.get(ALIAS_NAME));
                            return Map.of();
                        }))
                .register(Operation.named("ListAliases")
                        .fields(PAGE_NUMBER, PAGE_SIZE)
                        .targets(KmsResources.container("alias"))
                        .handle(c -> Views.page(
                                "Aliases",
                                "Alias",
                                c.kms().aliases().listAliases(),
                                c.get(PAGE_NUMBER),
                                c.get(PAGE_SIZE),
                                a -> view(c.kms().account(), a))))
                .register(Operation.named("ListAliasesByKeyId")
                        .fields(KEY_ID, PAGE_NUMBER, PAGE_SIZE)
                        .targets(KmsResources.key())
                        .handle(c -> Views.page(
                                "Aliases",
                                "Alias",
                                c.kms().aliases().listAliasesByKeyId(c.keyId()),
                                c.get(PAGE_NUMBER),
                                c.get(PAGE_SIZE),
                                a -> view(c.kms().account(), a))));
    }

    private static Map<String, Object> view(Account account, AliasRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AliasName", a.aliasName());
        m.put("AliasArn", account.aliasArn(a.aliasName()));
        m.put("KeyId", a.keyId());
        return m;
    }
}
