package org.openkms.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openkms.server.api.ApiResponse;

/**
 * The fuzzers' findings as readable regression tests, through the same in-process server. (The inputs themselves
 * are in the corpus too and replay with every test run.)
 */
class FuzzFindingsTest {

    @Test
    void clientKeyValidityOutsideFourDigitYearsIsAnInvalidParameterNotA500() throws Exception {
        // Instant.parse takes "+10000-…" and "+1000000000-…": the first broke the client certificate, the second
        // overflowed the epoch milliseconds; both were InternalFailure.
        FuzzServer server = FuzzServers.get();
        ok(server.rpc(
                "root",
                "CreateNetworkRule",
                Map.of("Name", "net-findings", "Type", "Private", "SourcePrivateIp", "[\"10.0.0.0/8\"]")));
        ok(server.rpc(
                "root",
                "CreatePolicy",
                Map.of(
                        "Name",
                        "policy-findings",
                        "KmsInstance",
                        "shared",
                        "Permissions",
                        "[\"RbacPermission/Template/CryptoServiceKeyUser\"]",
                        "Resources",
                        "[\"key/*\"]",
                        "AccessControlRules",
                        "{\"NetworkRules\":[\"net-findings\"]}")));
        ok(server.rpc(
                "root",
                "CreateApplicationAccessPoint",
                Map.of(
                        "Name",
                        "aap-findings",
                        "AuthenticationMethod",
                        "ClientKey",
                        "Policies",
                        "[\"policy-findings\"]")));
        for (String[] validity : new String[][] {
            {"2026-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"},
            {"-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z"},
            {"-0001-12-31T23:59:59Z", "2026-01-01T00:00:00Z"}
        }) {
            ApiResponse r = server.rpc(
                    "root",
                    "CreateClientKey",
                    Map.of(
                            "AapName",
                            "aap-findings",
                            "Password",
                            "fuzz-Passw0rd",
                            "NotBefore",
                            validity[0],
                            "NotAfter",
                            validity[1]));
            assertThat(AlibabaAnswers.check(r)).isEqualTo("InvalidParameter");
        }
        ApiResponse r = server.rpc(
                "root",
                "CreateClientKey",
                Map.of(
                        "AapName",
                        "aap-findings",
                        "Password",
                        "fuzz-Passw0rd",
                        "NotBefore",
                        "2026-01-01T00:00:00Z",
                        "NotAfter",
                        "9999-12-31T23:59:59Z"));
        assertThat(new ObjectMapper().readTree(ok(r)).path("NotAfter").asText()).isEqualTo("9999-12-31T23:59:59Z");
    }

    @Test
    void importedMaterialExpiringAfterTheYear9999IsRefusedAndDescribeKeyKeepsWorking() {
        FuzzServer server = FuzzServers.get();
        for (String expire : new String[] {"999999999999999999", "9223372036854775807", "300000000000"}) {
            ApiResponse r = server.rpc(
                    "root",
                    "ImportKeyMaterial",
                    Map.of(
                            "KeyId",
                            server.placeholders.get("EXT"),
                            "ImportToken",
                            server.placeholders.get("TOKEN"),
                            "EncryptedKeyMaterial",
                            server.placeholders.get("WRAPPED"),
                            "KeyMaterialExpireUnix",
                            expire));
            assertThat(AlibabaAnswers.check(r)).isEqualTo("InvalidParameter");
        }
        assertThat(AlibabaAnswers.check(
                        server.rpc("root", "DescribeKey", Map.of("KeyId", server.placeholders.get("EXT")))))
                .isNull();
    }

    private static String ok(ApiResponse r) {
        assertThat(AlibabaAnswers.check(r)).isNull();
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
