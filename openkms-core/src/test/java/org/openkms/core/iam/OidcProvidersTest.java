package org.openkms.core.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openkms.core.Account;
import org.openkms.core.error.KmsException;
import org.openkms.core.store.memory.InMemoryStorage;

/** RAM's validation of OIDC providers, and trust policies naming them as Federated principals. */
class OidcProvidersTest {
    private static final String FP = "902ef2deeb3c5b13ea4c3d5193629309e231ae55";
    private final InMemoryStorage storage = new InMemoryStorage();
    private final Account account = new Account("1234567890123456", "cn-hangzhou");
    private final OidcProviders providers = new OidcProviders(account, storage.iam(), Clock.systemUTC());

    @AfterEach
    void close() {
        storage.close();
    }

    private static void refused(String code, ThrowingCallable call) {
        KmsException e = catchThrowableOfType(KmsException.class, call);
        assertThat(e).as("expected " + code).isNotNull();
        assertThat(e.code()).isEqualTo(code);
    }

    @Test
    void createValidatesAsRamDoes() {
        refused("MissingParameter", () -> providers.create("", "https://a.example", FP, "", null, null));
        refused(
                "InvalidParameter.OIDCProviderName",
                () -> providers.create("-x", "https://a.example", FP, "", null, null));
        refused("InvalidParameter.IssuerUrl", () -> providers.create("a", "https://a.example?x=1", FP, "", null, null));
        refused("InvalidParameter.IssuerUrl", () -> providers.create("a", "https://u@a.example", FP, "", null, null));
        refused("InvalidParameter.IssuerUrl", () -> providers.create("a", "http://a.example", FP, "", null, null));
        refused("MissingParameter", () -> providers.create("a", "https://a.example", "", "", null, null));
        refused(
                "InvalidParameter.Fingerprints",
                () -> providers.create("a", "https://a.example", "abc", "", null, null));
        refused(
                "LimitExceeded.OIDCProvider.Fingerprint",
                () -> providers.create(
                        "a",
                        "https://a.example",
                        String.join(
                                ",",
                                FP,
                                FP.replace('9', '8'),
                                FP.replace('9', '7'),
                                FP.replace('9', '6'),
                                FP.replace('9', '5'),
                                FP.replace('9', '4')),
                        "",
                        null,
                        null));
        refused("InvalidParameter.ClientId", () -> providers.create("a", "https://a.example", FP, "/x", null, null));
        refused(
                "InvalidParameter.IssuanceLimitTime",
                () -> providers.create("a", "https://a.example", FP, "", 169, null));

        OidcProvider p = providers.create("a", "https://a.example", FP.toUpperCase(), "x, y,x", null, "d");
        assertThat(p.fingerprints()).containsExactly(FP);
        assertThat(p.clientIds()).containsExactly("x", "y");
        assertThat(p.issuanceLimitTime()).isEqualTo(12);
        assertThat(p.arn(account.uid())).isEqualTo("acs:ram::1234567890123456:oidc-provider/a");
        assertThat(providers.byArn(p.arn(account.uid()))).contains(p);
        refused(
                "EntityAlreadyExists.OIDCProvider",
                () -> providers.create("a", "https://b.example", FP, "", null, null));
        refused(
                "EntityAlreadyExists.OIDCProvider.IssuerUrl",
                () -> providers.create("b", "https://a.example", FP, "", null, null));
        // A loopback http issuer (tests, a local issuer) needs no fingerprint.
        assertThat(providers
                        .create("local", "http://127.0.0.1:8999", null, "sts.aliyuncs.com", 1, null)
                        .fingerprints())
                .isEmpty();
        refused("EntityNotExist.OIDCProvider", () -> providers.get("none"));
    }

    @Test
    void trustPoliciesMatchFederatedPrincipalsWithTheirClaims() {
        OidcProvider p = providers.create("k8s", "https://oidc.example", FP, "sts.aliyuncs.com", null, null);
        String arn = p.arn(account.uid());
        IamService iam = new IamService(account, storage.iam(), new PolicyDocuments(), Clock.systemUTC());
        RamRole role = iam.createRole(
                "r",
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                        + "\"Principal\":{\"Federated\":[\"" + arn + "\"]},\"Condition\":{\"StringEquals\":{"
                        + "\"oidc:iss\":\"https://oidc.example\",\"oidc:aud\":\"sts.aliyuncs.com\"},"
                        + "\"StringLike\":{\"oidc:sub\":\"system:serviceaccount:apps:*\"}}}]}",
                "",
                3600);
        Map<String, String> claims = Map.of(
                "oidc:iss",
                "https://oidc.example",
                "oidc:aud",
                "sts.aliyuncs.com",
                "oidc:sub",
                "system:serviceaccount:apps:web");
        assertThat(iam.trustsFederated(role, arn, claims)).isTrue();
        assertThat(iam.trustsFederated(role, arn.replace("k8s", "other"), claims))
                .isFalse();
        assertThat(iam.trustsFederated(
                        role,
                        arn,
                        Map.of(
                                "oidc:iss",
                                "https://oidc.example",
                                "oidc:aud",
                                "sts.aliyuncs.com",
                                "oidc:sub",
                                "system:serviceaccount:kube-system:x")))
                .isFalse();
        // A RAM identity is never a Federated principal.
        assertThat(iam.trusts(role, Principal.user("alice", "LTAI1"))).isFalse();
    }
}
