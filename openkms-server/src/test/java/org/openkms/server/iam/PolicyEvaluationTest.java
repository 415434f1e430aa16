package org.openkms.server.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openkms.core.iam.AccessRequest;
import org.openkms.core.iam.Decision;
import org.openkms.core.iam.Policy;

/** The policy language: parsing (MalformedPolicyDocument reasons), wildcards, conditions and precedence. */
class PolicyEvaluationTest {
    private static final String KEY = "acs:kms:cn-hangzhou:1234567890123456:key/key-abc";
    private final PolicyDocuments compiler = new PolicyDocuments();

    private Policy compile(String statements) {
        return compiler.compile("{\"Version\":\"1\",\"Statement\":[" + statements + "]}");
    }

    private static AccessRequest req(String action, String resource) {
        return new AccessRequest(action, resource, "192.168.1.7", false, Instant.parse("2026-06-01T00:00:00Z").toEpochMilli(),
                () -> Map.of("env", "prod"));
    }

    @Test
    void wildcardsInActionsAndResources() {
        Policy p = compile("{\"Effect\":\"Allow\",\"Action\":[\"kms:Gen*\",\"kms:?ncrypt\"],\"Resource\":\"acs:kms:*:*:key/*\"}");
        assertThat(p.evaluate(req("kms:GenerateDataKey", KEY))).isEqualTo(Decision.ALLOW);
        assertThat(p.evaluate(req("kms:Encrypt", KEY))).isEqualTo(Decision.ALLOW);
        assertThat(p.evaluate(req("kms:encrypt", KEY))).as("actions match case-insensitively").isEqualTo(Decision.ALLOW);
        assertThat(p.evaluate(req("kms:Decrypt", KEY))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(p.evaluate(req("kms:Encrypt", "acs:kms:cn-hangzhou:1234567890123456:secret/s"))).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void explicitDenyBeatsAllowAcrossPolicies() {
        Policy allow = compile("{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}");
        Policy deny = compile("{\"Effect\":\"Deny\",\"Action\":\"kms:Encrypt\",\"Resource\":\"" + KEY + "\"}");
        assertThat(Policy.evaluateAll(List.of(allow, deny), req("kms:Encrypt", KEY))).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(Policy.evaluateAll(List.of(allow, deny), req("kms:Decrypt", KEY))).isEqualTo(Decision.ALLOW);
        assertThat(Policy.evaluateAll(List.of(), req("kms:Decrypt", KEY))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(Decision.ALLOW.or(Decision.EXPLICIT_DENY)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(Decision.IMPLICIT_DENY.or(Decision.ALLOW)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void conditions() {
        assertThat(cond("{\"IpAddress\":{\"acs:SourceIp\":[\"10.0.0.0/8\",\"192.168.0.0/16\"]}}")).isEqualTo(Decision.ALLOW);
        assertThat(cond("{\"NotIpAddress\":{\"acs:SourceIp\":\"192.168.1.7\"}}")).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(cond("{\"Bool\":{\"acs:SecureTransport\":\"true\"}}")).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(cond("{\"Bool\":{\"acs:SecureTransport\":false}}")).isEqualTo(Decision.ALLOW);
        assertThat(cond("{\"DateLessThan\":{\"acs:CurrentTime\":\"2027-01-01T00:00:00+08:00\"}}")).isEqualTo(Decision.ALLOW);
        assertThat(cond("{\"DateGreaterThan\":{\"acs:CurrentTime\":\"2027-01-01T00:00:00Z\"}}")).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(cond("{\"StringEqualsIgnoreCase\":{\"kms:tag/env\":\"PROD\"}}")).isEqualTo(Decision.ALLOW);
        assertThat(cond("{\"StringNotEquals\":{\"kms:tag/env\":\"prod\"}}")).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(cond("{\"StringLike\":{\"kms:tag/env\":\"pr*\"}}")).isEqualTo(Decision.ALLOW);
        assertThat(cond("{\"StringEquals\":{\"kms:tag/owner\":\"x\"}}")).as("a missing key fails").isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(cond("{\"StringEquals\":{\"kms:tag/env\":\"prod\"},\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"}}"))
                .as("operators are ANDed").isEqualTo(Decision.IMPLICIT_DENY);
    }

    private Decision cond(String condition) {
        return compile("{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":" + condition + "}")
                .evaluate(req("kms:Encrypt", KEY));
    }

    @Test
    void resourcePoliciesOnlyCountForTheirPrincipals() {
        Policy p = compile("{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Principal\":{\"RAM\":[\"acs:ram::1234567890123456:user/alice\"]}}");
        assertThat(p.evaluateFor("acs:ram::1234567890123456:user/alice", req("kms:Encrypt", KEY))).isEqualTo(Decision.ALLOW);
        assertThat(p.evaluateFor("acs:ram::1234567890123456:user/bob", req("kms:Encrypt", KEY))).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void malformedDocumentsSayWhy() {
        for (String[] c : new String[][] {
                {"nope", "not valid JSON"},
                {"{\"Statement\":[]}", "Version"},
                {"{\"Version\":\"1\",\"Statement\":{}}", "Statement"},
                {"{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}", "Effect"},
                {"{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\"}]}", "Resource"},
                {"{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Extra\":1}]}", "Extra"},
                {"{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"1.2.3.4/40\"}}}]}", "CIDR"},
                {"{\"Version\":\"1\",\"Version\":\"1\",\"Statement\":[]}", "JSON"}}) {
            assertThatThrownBy(() -> compiler.compile(c[0])).as(c[0]).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c[1]);
        }
    }

    /** The budget the issue sets: evaluation costs microseconds, not milliseconds (generous bound for CI noise). */
    @Test
    void evaluationCostsMicroseconds() {
        Policy p = compile("{\"Effect\":\"Allow\",\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:GenerateDataKey\"],\"Resource\":[\""
                + KEY + "\",\"acs:kms:*:*:key/key-other*\"],\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"192.168.0.0/16\"}}},"
                + "{\"Effect\":\"Deny\",\"Action\":\"kms:Delete*\",\"Resource\":\"*\"}");
        AccessRequest r = req("kms:Decrypt", KEY);
        for (int i = 0; i < 50_000; i++) {
            p.evaluate(r);
        }
        int n = 200_000;
        long start = System.nanoTime();
        int allowed = 0;
        for (int i = 0; i < n; i++) {
            allowed += p.evaluate(r) == Decision.ALLOW ? 1 : 0;
        }
        double micros = (System.nanoTime() - start) / 1000.0 / n;
        assertThat(allowed).isEqualTo(n);
        assertThat(micros).as("µs per evaluation").isLessThan(5.0);
    }
}
