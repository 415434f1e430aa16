package org.openkms.server.actions.ram;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.iam.OidcProvider;
import org.openkms.core.iam.OidcProviders;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.iam.IamContext;

/**
 * RAM's OIDC identity provider actions (2015-05-01), with Alibaba's response shape
 * (https://www.alibabacloud.com/help/en/ram/developer-reference/api-addclientidtooidcprovider): an {@code OIDCProvider}
 * object whose Fingerprints and ClientIds are comma-separated strings.
 */
final class OidcProviderActions {
    private final IamContext ctx;

    private OidcProviderActions(IamContext ctx) {
        this.ctx = ctx;
    }

    static void register(ActionRegistry r, IamContext ctx) {
        OidcProviderActions a = new OidcProviderActions(ctx);
        r.register("CreateOIDCProvider", a::create)
                .register("GetOIDCProvider", c -> a.one(c, providers(ctx).get(name(c))))
                .register("ListOIDCProviders", a::list)
                .register("UpdateOIDCProvider", a::update)
                .register("DeleteOIDCProvider", c -> {
                    providers(ctx).delete(name(c));
                    return Map.of();
                })
                .register(
                        "AddClientIdToOIDCProvider",
                        c -> a.one(
                                c,
                                providers(ctx).addClientId(name(c), c.params().required("ClientId"))))
                .register(
                        "RemoveClientIdFromOIDCProvider",
                        c -> a.one(
                                c,
                                providers(ctx)
                                        .removeClientId(name(c), c.params().required("ClientId"))));
    }

    private static OidcProviders providers(IamContext ctx) {
        return ctx.oidcProviders();
    }

    private static String name(Call c) {
        return c.params().required("OIDCProviderName");
    }

    private Map<String, Object> create(Call c) {
        OidcProvider p = providers(ctx)
                .create(
                        c.params().required("OIDCProviderName"),
                        c.params().required("IssuerUrl"),
                        c.params().optional("Fingerprints"),
                        c.params().optional("ClientIds"),
                        hours(c),
                        c.params().optional("Description"));
        c.auditDetail("created OIDC provider " + p.name() + " for issuer " + p.issuerUrl());
        return one(c, p);
    }

    private Map<String, Object> update(Call c) {
        OidcProvider p = providers(ctx)
                .update(
                        name(c),
                        c.params().optional("ClientIds"),
                        hours(c),
                        c.params().optional("NewDescription"));
        return one(c, p);
    }

    private Map<String, Object> list(Call c) {
        List<OidcProvider> all = providers(ctx).list();
        return RamViews.page(
                c.params(), all, OidcProvider::name, p -> view(p, uid(c)), "OIDCProviders", "OIDCProvider");
    }

    /** IssuanceLimitTime if given (1 to 168 is checked by OidcProviders), else null. */
    private static Integer hours(Call c) {
        String v = c.params().optional("IssuanceLimitTime");
        return v == null || v.isEmpty() ? null : c.params().integer("IssuanceLimitTime", 12, 0, 100_000);
    }

    private Map<String, Object> one(Call c, OidcProvider p) {
        return Map.of("OIDCProvider", view(p, uid(c)));
    }

    private static String uid(Call c) {
        return c.kms().account().uid();
    }

    static Map<String, Object> view(OidcProvider p, String uid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("OIDCProviderName", p.name());
        m.put("Arn", p.arn(uid));
        m.put("Description", p.description());
        m.put("IssuerUrl", p.issuerUrl());
        m.put("Fingerprints", String.join(",", p.fingerprints()));
        m.put("ClientIds", String.join(",", p.clientIds()));
        m.put("IssuanceLimitTime", p.issuanceLimitTime());
        m.put("CreateDate", RamViews.date(p.createDate()));
        m.put("UpdateDate", RamViews.date(p.updateDate()));
        m.put("GmtCreate", String.valueOf(p.createDate().toEpochMilli()));
        m.put("GmtModified", String.valueOf(p.updateDate().toEpochMilli()));
        return m;
    }
}
