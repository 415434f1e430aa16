package org.openkms.core.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading policy documents (JSON) into the core's model: the forms RAM accepts, and MalformedPolicyDocument
 * reasons. How the compiled model evaluates is the core's PolicyEvaluationTest.
 */
class PolicyDocumentsTest {
    private static final String KEY = "acs:kms:cn-hangzhou:1234567890123456:key/key-abc";
    private final PolicyDocuments compiler = new PolicyDocuments();

    private Policy compile(String statements) {
        return compiler.compile("{\"Version\":\"1\",\"Statement\":[" + statements + "]}");
    }

    private static AccessRequest req(String action, String resource) {
        return new AccessRequest(
                action,
                resource,
                "192.168.1.7",
                false,
                Instant.parse("2026-06-01T00:00:00Z").toEpochMilli(),
                () -> Map.of("env", "prod"));
    }

    /** Strings or arrays; actions compiled case-insensitive, resources case-sensitive; every Condition operator kept. */
    @Test
    void documentsCompileToTheModel() {
        Policy p = compile(
                "{\"Effect\":\"Allow\",\"Action\":[\"kms:Gen*\",\"kms:?ncrypt\"],\"Resource\":\"acs:kms:*:*:key/*\"}");
        assertThat(p.evaluate(req("kms:GenerateDataKey", KEY))).isEqualTo(Decision.ALLOW);
        assertThat(p.evaluate(req("kms:encrypt", KEY)))
                .as("actions match case-insensitively")
                .isEqualTo(Decision.ALLOW);
        assertThat(p.evaluate(req("kms:Decrypt", KEY))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(p.evaluate(req("kms:Encrypt", "acs:kms:cn-hangzhou:1234567890123456:secret/s")))
                .isEqualTo(Decision.IMPLICIT_DENY);
        Policy deny = compile("{\"Effect\":\"Deny\",\"Action\":\"kms:Encrypt\",\"Resource\":\"" + KEY + "\"}");
        assertThat(deny.evaluate(req("kms:Encrypt", KEY))).isEqualTo(Decision.EXPLICIT_DENY);

        assertThat(cond("{\"Bool\":{\"acs:SecureTransport\":false}}"))
                .as("a JSON boolean is its text")
                .isEqualTo(Decision.ALLOW);
        assertThat(cond("{\"IpAddress\":{\"acs:SourceIp\":[\"10.0.0.0/8\",\"192.168.0.0/16\"]}}"))
                .isEqualTo(Decision.ALLOW);
        assertThat(
                        cond(
                                "{\"StringEquals\":{\"kms:tag/env\":\"prod\"},\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"}}"))
                .as("operators are ANDed")
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    private Decision cond(String condition) {
        return compile("{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":" + condition + "}")
                .evaluate(req("kms:Encrypt", KEY));
    }

    /** A statement with a Principal needs no Resource (key and secret policies). */
    @Test
    void principalsOfResourcePolicies() {
        Policy p = compile("{\"Effect\":\"Allow\",\"Action\":\"kms:*\","
                + "\"Principal\":{\"RAM\":[\"acs:ram::1234567890123456:user/alice\"]}}");
        assertThat(p.evaluateFor("acs:ram::1234567890123456:user/alice", req("kms:Encrypt", KEY)))
                .isEqualTo(Decision.ALLOW);
        assertThat(p.evaluateFor("acs:ram::1234567890123456:user/bob", req("kms:Encrypt", KEY)))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void malformedDocumentsSayWhy() {
        for (String[] c : new String[][] {
            {"nope", "not valid JSON"},
            {"{\"Statement\":[]}", "Version"},
            {"{\"Version\":\"1\",\"Statement\":{}}", "Statement"},
            {
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
                "Effect"
            },
            {"{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\"}]}", "Resource"},
            {
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Extra\":1}]}",
                "Extra"
            },
            {
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"1.2.3.4/40\"}}}]}",
                "CIDR"
            },
            {"{\"Version\":\"1\",\"Version\":\"1\",\"Statement\":[]}", "JSON"}
        }) {
            assertThatThrownBy(() -> compiler.compile(c[0]))
                    .as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c[1]);
        }
    }
}
