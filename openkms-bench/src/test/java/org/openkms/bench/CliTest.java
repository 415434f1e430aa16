package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option parsing, credentials lookup, endpoints and scenarios; nothing here needs a server. */
class CliTest {

    @Test
    void durations() {
        assertThat(DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationConverter.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(DurationConverter.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
        for (String bad : new String[] {"", "s", "10x", "ten seconds", "-5s"}) {
            assertThatThrownBy(() -> DurationConverter.parse(bad))
                    .as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }

    @Test
    void credentialsFromOptionsThenEnvironmentThenDataDir(@TempDir Path dir) throws IOException {
        Map<String, String> env = Map.of("OPENKMS_ACCESS_KEY_ID", "envId", "OPENKMS_ACCESS_KEY_SECRET", "envSecret");
        assertThat(Credentials.resolve("optId", "optSecret", env, dir).accessKeyId())
                .isEqualTo("optId");
        assertThat(Credentials.resolve(null, null, env, dir).accessKeySecret()).isEqualTo("envSecret");
        assertThatThrownBy(() -> Credentials.resolve("only-id", null, env, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> Credentials.resolve(null, null, Map.of(), dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("root-credentials");

        Files.writeString(
                dir.resolve("root-credentials"),
                "OPENKMS_ACCESS_KEY_ID=LTAIfile\nOPENKMS_ACCESS_KEY_SECRET=fileSecret=with=equals\n");
        Credentials fromFile = Credentials.resolve(null, null, Map.of("OPENKMS_ACCESS_KEY_ID", "half"), dir);
        assertThat(fromFile.accessKeyId()).isEqualTo("LTAIfile");
        assertThat(fromFile.accessKeySecret()).isEqualTo("fileSecret=with=equals");
        assertThat(fromFile.toString()).doesNotContain("fileSecret");
    }

    @Test
    void endpoints() {
        assertThat(Endpoint.parse("http://127.0.0.1:8080", false).hostHeader()).isEqualTo("127.0.0.1:8080");
        assertThat(Endpoint.parse("http://kms.local/", false).hostHeader()).isEqualTo("kms.local");
        assertThat(Endpoint.parse("https://kms.local:443", true).hostHeader()).isEqualTo("kms.local");
        assertThat(Endpoint.parse("https://kms.local:443", true).isTls()).isTrue();
        assertThat(Endpoint.parse("http://[::1]:18090", false).hostHeader()).isEqualTo("[::1]:18090");
        assertThatThrownBy(() -> Endpoint.parse("ftp://x", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Endpoint.parse("127.0.0.1:8080", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Endpoint.parse("http://h/kms", false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scenariosByName() {
        assertThat(Scenarios.names())
                .startsWith(
                        "Encrypt",
                        "Decrypt",
                        "GenerateDataKey",
                        "DescribeKey",
                        "AsymmetricSign",
                        "AsymmetricVerify",
                        "AsymmetricDecrypt");
        assertThat(Scenarios.names())
                .contains("AsymmetricSign-EC_P256", "AsymmetricVerify-EC_SM2", "AsymmetricDecrypt-RSA_3072");
        assertThat(Scenarios.names()).contains("GetSecretValue");
        assertThat(Scenarios.create("decrypt").action()).isEqualTo("Decrypt");
        assertThat(Scenarios.create("asymmetricsign-ec_p256k").action()).isEqualTo("AsymmetricSign");
        assertThat(Scenarios.create("AsymmetricSign-EC_P256").needsSymmetricKey())
                .isFalse();
        assertThatThrownBy(() -> Scenarios.create("AsymmetricSign-RSA_1024"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Encrypt, Decrypt");
    }

    @Test
    void ramUserSuffixComesOffBeforeTheScenarioName() {
        BenchMain.Load plain = BenchMain.Load.parse("Encrypt");
        assertThat(plain.ramUser()).isFalse();
        assertThat(plain.label()).startsWith("Encrypt (").doesNotContain("RAM user");
        BenchMain.Load ram = BenchMain.Load.parse("Encrypt-AsRamUser");
        assertThat(ram.ramUser()).isTrue();
        assertThat(ram.scenario().action()).isEqualTo("Encrypt");
        assertThat(ram.label()).endsWith(" as RAM user");
        BenchMain.Load spec = BenchMain.Load.parse("asymmetricsign-ec_p256-asramuser");
        assertThat(spec.ramUser()).isTrue();
        assertThat(spec.scenario().describe()).isEqualTo("AsymmetricSign (EC_P256, ECDSA_SHA_256)");
        assertThat(BenchMain.Load.parse("GetSecretValue-AsRamUser").scenario().action())
                .isEqualTo("GetSecretValue");
        assertThatThrownBy(() -> BenchMain.Load.parse("Nope-AsRamUser"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown action Nope");
        // The Instance API and the agent have no RAM user to sign as; --as-ram-user still takes one action.
        for (String[] args : new String[][] {
            {"--action", "InstanceEncrypt-AsRamUser"},
            {"--action", "AgentGetSecretValue-AsRamUser"},
            {"--action", "InstanceEncrypt", "--as-ram-user"},
            {"--action", "Encrypt,Decrypt", "--as-ram-user"}
        }) {
            String[] all = java.util.stream.Stream.concat(
                            java.util.Arrays.stream(args),
                            java.util.stream.Stream.of("--access-key-id", "a", "--access-key-secret", "b"))
                    .toArray(String[]::new);
            BenchRun run = BenchRun.of(all);
            assertThat(run.status()).as(String.join(" ", args)).isEqualTo(2);
        }
    }

    @Test
    void ramUserPolicyAllowsTheGrantsOnlyAndDeniesDeletion() throws IOException {
        var doc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(RamUserPrincipal.policyDocument(Map.of("kms:Encrypt", "acs:kms:*:*:key/key-1")));
        assertThat(doc.get("Statement")).hasSize(2);
        assertThat(doc.at("/Statement/0/Effect").asText()).isEqualTo("Allow");
        assertThat(doc.at("/Statement/0/Action/0").asText()).isEqualTo("kms:Encrypt");
        assertThat(doc.at("/Statement/0/Resource/0").asText()).isEqualTo("acs:kms:*:*:key/key-1");
        assertThat(doc.at("/Statement/0/Condition/IpAddress/acs:SourceIp/0").asText())
                .isEqualTo("127.0.0.0/8");
        assertThat(doc.at("/Statement/1/Effect").asText()).isEqualTo("Deny");
    }

    @Test
    void optionsParse() {
        BenchMain m = new BenchMain();
        new CommandLine(m)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .parseArgs(
                        "--signature",
                        "RPC",
                        "-c",
                        "4",
                        "--requests",
                        "1000",
                        "--warmup",
                        "0",
                        "--endpoint",
                        "http://127.0.0.1:1");
        assertThat(m.signature).isEqualTo(SignatureScheme.RPC);
        assertThat(m.connections).isEqualTo(4);
        assertThat(m.requests).isEqualTo(1000L);
        assertThat(m.warmup.none()).isTrue();
        assertThat(m.duration).isNull();
        assertThat(m.action).isEqualTo("Encrypt");
        assertThat(m.plaintextSize).isEqualTo(256);
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(BenchMain.commandLine()
                        .execute(
                                "--duration",
                                "10s",
                                "--requests",
                                "5",
                                "--access-key-id",
                                "a",
                                "--access-key-secret",
                                "b"))
                .isEqualTo(2);
        assertThat(BenchMain.commandLine()
                        .execute("--action", "Nope", "--access-key-id", "a", "--access-key-secret", "b"))
                .isEqualTo(2);
        assertThat(BenchMain.commandLine().execute("--signature", "acs9")).isEqualTo(2);
    }
}
