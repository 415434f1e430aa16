package org.openkms.server.actions;

import java.util.List;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.server.gateway.ActionRegistry;

/** Account and region calls (api-semantics.md §3.10): this server is one always-opened account in one region. */
public final class AccountActions {
    private AccountActions() {
    }

    public static void register(ActionRegistry r) {
        r.register("DescribeRegions", c -> Map.of("Regions",
                Views.wrap("Region", List.of(Map.of("RegionId", c.kms().account().region())))))
                .register("DescribeAccountKmsStatus", c -> Map.of("AccountStatus", "Enabled"))
                .register("OpenKmsService", c -> {
                    throw Errors.forbiddenOpened();
                });
    }
}
