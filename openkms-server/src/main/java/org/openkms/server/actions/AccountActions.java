package org.openkms.server.actions;

import java.util.List;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.Targets;
import org.openkms.server.iam.KmsResources;

/** Account and region calls (api-semantics.md §3.10): this server is one always-opened account in one region. */
public final class AccountActions {
    private AccountActions() {}

    public static void register(ActionRegistry r) {
        r.register(Operation.named("DescribeRegions")
                        .targets(Targets.NONE)
                        .handle(c -> Map.of(
                                "Regions",
                                Views.wrap(
                                        "Region",
                                        List.of(Map.of(
                                                "RegionId", c.kms().account().region()))))))
                .register(Operation.named("DescribeAccountKmsStatus")
                        .targets(Targets.NONE)
                        .handle(c -> Map.of("AccountStatus", "Enabled")))
                .register(Operation.named("OpenKmsService")
                        .targets(KmsResources.container("key"))
                        .handle(c -> {
                            throw Errors.forbiddenOpened();
                        }));
    }
}
