package org.openkms.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link GatewayCost}, small: every request it sends is answered 200, and it reports CPU and allocation. */
class GatewayCostTest {
    @Test
    void measuresEncryptAndGetSecretValue() {
        try (FuzzServer server = FuzzServer.start()) {
            for (String action : new String[] {"Encrypt", "GetSecretValue"}) {
                GatewayCost.Cost cost = GatewayCost.measure(server, action, 200, 1, 3);
                assertThat(cost.medianNanos()).isPositive();
                assertThat(cost.minNanos()).isPositive().isLessThanOrEqualTo(cost.medianNanos());
                assertThat(cost.bytes()).isPositive();
                assertThat(cost.line()).startsWith(action).contains("us/request", "bytes allocated/request");
            }
        }
    }
}
