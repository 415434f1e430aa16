package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * The bench against a real server: the OpenAPI load and the KMS Instance API load (TLS with the instance CA, a
 * ClientKey made through the API, protobuf) both succeed, every answer checked, and the access point objects the
 * instance scenario made are removed afterwards.
 */
class BenchEndToEndTest {
    private static final String ID = "LTAIbenchE2E0000000000";
    private static final String SECRET = "benchEndToEndSecret000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static OpenKmsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withInstanceListen("127.0.0.1:0")
                // Shorter than the loads plus their setup: the bench's setup and cleanup connections are closed by
                // the server while a load runs, as a long run's are by the default 30 s (cleanup must reconnect).
                .withHttp(
                        org.openkms.server.http.HttpLimits.defaults().withIdleTimeout(java.time.Duration.ofSeconds(2)))
                .withRootAccessKey(ID, SECRET));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The local agent in front of the server: a cached read per request, every answer checked. */
    @Test
    void agentLoadSucceeds() throws Exception {
        java.util.Map<String, String> env = java.util.Map.of(
                "KMS_TOKEN", "bench-agent-token",
                "ALIBABA_CLOUD_ACCESS_KEY_ID", ID,
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
        java.util.Map<String, String> options = java.util.Map.of(
                "http_port", "0",
                "endpoint", "http://127.0.0.1:" + server.httpPort(),
                "region", "cn-hangzhou");
        try (var agent = org.openkms.agent.AgentServer.start(org.openkms.agent.AgentConfig.from(options, env), env)) {
            BenchRun run = BenchRun.of(
                    "--endpoint",
                    "http://127.0.0.1:" + server.httpPort(),
                    "--agent-endpoint",
                    "http://127.0.0.1:" + agent.port(),
                    "--agent-token",
                    "bench-agent-token",
                    "--access-key-id",
                    ID,
                    "--access-key-secret",
                    SECRET,
                    "--action",
                    "AgentGetSecretValue",
                    "-c",
                    "4",
                    "-n",
                    "500",
                    "--warmup",
                    "0",
                    "--no-floor",
                    "--no-progress",
                    "--json");
            assertThat(run.status()).isZero();
            JsonNode n = JSON.readTree(run.out().trim());
            assertThat(n.get("action").asText()).isEqualTo("AgentGetSecretValue");
            assertThat(n.get("ok").asLong()).isEqualTo(500);
            assertThat(n.get("errors").asLong()).isZero();
        }
    }

    @Test
    void asymmetricSignIsComparedWithTheJdksOwnRate() throws Exception {
        BenchRun run = bench(
                "--action",
                "AsymmetricSign-EC_P256,AsymmetricSign-EC_SM2",
                "-c",
                "2",
                "-n",
                "200",
                "--warmup",
                "0",
                "--no-floor",
                "--no-progress");
        String report = run.out() + run.err();
        assertThat(run.status()).as(report).isZero();
        assertThat(report)
                .containsPattern("AsymmetricSign \\(EC_P256, ECDSA_SHA_256\\): [0-9,]+ req/s = [0-9.]+ x the JDK's own"
                        + " SHA256withECDSA rate in the bench JVM \\([0-9,]+/s on 2 threads, JDK ");
        // SM2 signs on BouncyCastle in the server: no JDK line for it.
        assertThat(report).doesNotContain("AsymmetricSign (EC_SM2, SM2DSA): ");
    }

    @Test
    void openApiAndInstanceLoadsSucceedAndCleanUp() throws Exception {
        BenchRun run = BenchRun.of(
                "--endpoint",
                "http://127.0.0.1:" + server.httpPort(),
                "--instance-endpoint",
                "https://127.0.0.1:" + server.instancePort(),
                "--access-key-id",
                ID,
                "--access-key-secret",
                SECRET,
                "--action",
                "Encrypt,InstanceEncrypt,InstanceDecrypt",
                "-c",
                "4",
                "-n",
                "300",
                "--warmup",
                "0",
                "--no-floor",
                "--no-progress",
                "--json");
        String report = run.err();
        assertThat(run.status()).as(report).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines)
                .extracting(n -> n.get("action").asText())
                .containsExactly("Encrypt", "InstanceEncrypt", "InstanceDecrypt");
        for (JsonNode n : lines) {
            assertThat(n.get("errors").asLong()).as(n.toString()).isZero();
            assertThat(n.get("ok").asLong()).as(n.toString()).isEqualTo(300);
        }
        assertThat(lines.get(1).get("endpoint").asText()).isEqualTo("https://127.0.0.1:" + server.instancePort());
        assertThat(report).doesNotContain("could not clean up");

        // Nothing of the bench's access point is left.
        Endpoint e = Endpoint.parse("http://127.0.0.1:" + server.httpPort(), false);
        try (ApiClient api = new ApiClient(
                new SignedRequestEncoder(
                        new org.openkms.wire.RequestSigner(ID, SECRET), SignatureScheme.ACS3, e.hostHeader()),
                new HttpConnection(e, 10_000))) {
            assertThat(api.call("ListApplicationAccessPoints", java.util.Map.of())
                            .toString())
                    .doesNotContain("bench-aap-");
            assertThat(api.call("ListPolicies", java.util.Map.of()).toString()).doesNotContain("bench-policy-");
            assertThat(api.call("ListNetworkRules", java.util.Map.of()).toString())
                    .doesNotContain("bench-net-");
        }
    }

    /**
     * Root and RAM user in one run: both loads succeed, the RAM user's is reported as such with its ratio to the
     * root's, and its user, policy and AccessKey are gone afterwards.
     */
    @Test
    void rootAndRamUserEncryptInOneRun() throws Exception {
        BenchRun run = bench(
                "--action",
                "Encrypt,Encrypt-AsRamUser",
                "-c",
                "2",
                "--duration",
                "1500ms",
                "--warmup",
                "0",
                "--no-floor",
                "--no-progress",
                "--json");
        String report = run.err();
        assertThat(run.status()).as(report).isZero();
        List<JsonNode> lines = jsonLines(run);
        assertThat(lines).extracting(n -> n.get("action").asText()).containsExactly("Encrypt", "Encrypt");
        for (JsonNode n : lines) {
            assertThat(n.get("errors").asLong()).as(n.toString()).isZero();
            assertThat(n.get("ok").asLong()).as(n.toString()).isPositive();
        }
        JsonNode root = lines.get(0);
        JsonNode ram = lines.get(1);
        assertThat(root.get("ramUser").asBoolean()).isFalse();
        assertThat(root.has("xRoot")).isFalse();
        assertThat(ram.get("ramUser").asBoolean()).isTrue();
        assertThat(ram.get("xRoot").asDouble())
                .isCloseTo(
                        ram.get("throughput").asDouble()
                                / root.get("throughput").asDouble(),
                        within(0.01));
        assertThat(report)
                .containsPattern(
                        "Encrypt \\(256-byte plaintext\\) as RAM user: [0-9.]+ x the root's req/s \\([0-9,]+ vs"
                                + " [0-9,]+\\)");
        // Both setup clients sat idle past the server's idle timeout during the loads: cleanup reconnected.
        assertThat(report).doesNotContain("could not remove RAM user", "could not clean up", "could not schedule");
        assertRamUsersGone(report, 1);
    }

    /**
     * {@code --rounds 2}: the floor and the load twice, in turn; each load's x floor is taken against its own round's
     * floor, and the report closes with the medians over the rounds.
     */
    @Test
    void roundsRepeatTheFloorAndTheLoadsAndGiveMedians() throws Exception {
        BenchRun run = bench(
                "--action",
                "Encrypt",
                "-c",
                "2",
                "--duration",
                "700ms",
                "--warmup",
                "0",
                "--rounds",
                "2",
                "--no-progress",
                "--json");
        String report = run.err();
        assertThat(run.status()).as(report).isZero();
        List<JsonNode> lines = jsonLines(run);
        assertThat(lines)
                .extracting(n -> n.get("action").asText())
                .containsExactly("healthz", "Encrypt", "healthz", "Encrypt");
        assertThat(lines).extracting(n -> n.get("round").asInt()).containsExactly(1, 1, 2, 2);
        for (int i : new int[] {1, 3}) {
            assertThat(lines.get(i).get("floorRatio").asDouble())
                    .isCloseTo(
                            lines.get(i).get("throughput").asDouble()
                                    / lines.get(i - 1).get("throughput").asDouble(),
                            within(0.01));
        }
        assertThat(report).contains("Encrypt (256-byte plaintext), round 2", "Encrypt (256-byte plaintext) #2");
        assertThat(report)
                .containsPattern("median of 2 rounds\\n.*x floor min-max.*\\n.*\\n"
                        + "Encrypt \\(256-byte plaintext\\) +[0-9,]+ .* [0-9.]+ +[0-9.]+-[0-9.]+ ");
    }

    /** Each OpenAPI scenario's grants let its RAM user through; without a root load before it there is no x root. */
    @Test
    void ramUserGrantsCoverSecretsCiphertextsAndAsymmetricKeys() throws Exception {
        BenchRun run = bench(
                "--action",
                "GetSecretValue-AsRamUser,Decrypt-AsRamUser,AsymmetricVerify-EC_P256-AsRamUser",
                "-c",
                "2",
                "-n",
                "50",
                "--warmup",
                "0",
                "--no-floor",
                "--no-progress",
                "--json");
        String report = run.err();
        assertThat(run.status()).as(report).isZero();
        List<JsonNode> lines = jsonLines(run);
        assertThat(lines)
                .extracting(n -> n.get("action").asText())
                .containsExactly("GetSecretValue", "Decrypt", "AsymmetricVerify");
        for (JsonNode n : lines) {
            assertThat(n.get("ok").asLong()).as(n.toString()).isEqualTo(50);
            assertThat(n.get("ramUser").asBoolean()).isTrue();
            assertThat(n.has("xRoot")).isFalse();
        }
        assertThat(report).doesNotContain("x the root's", "could not");
        assertRamUsersGone(report, 3);
    }

    private static List<JsonNode> jsonLines(BenchRun run) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /** The users the run reported signing as: not listed by RAM, nor their policies, and their AccessKeys unknown. */
    /** A bench run against the test server's OpenAPI listener, signed with its root AccessKey. */
    private static BenchRun bench(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--endpoint",
                "http://127.0.0.1:" + server.httpPort(),
                "--access-key-id",
                ID,
                "--access-key-secret",
                SECRET));
        all.addAll(List.of(args));
        return BenchRun.of(all.toArray(String[]::new));
    }

    private static void assertRamUsersGone(String report, int count) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "as RAM user (bench-[0-9a-f]{8}) \\(AccessKey (\\S+)\\)")
                .matcher(report);
        List<String[]> users = new ArrayList<>();
        while (m.find()) {
            users.add(new String[] {m.group(1), m.group(2)});
        }
        assertThat(users).as(report).hasSize(count);
        Endpoint e = Endpoint.parse("http://127.0.0.1:" + server.httpPort(), false);
        java.util.Map<String, String> ram = java.util.Map.of("Version", "2015-05-01");
        try (ApiClient api = new ApiClient(
                new SignedRequestEncoder(
                        new org.openkms.wire.RequestSigner(ID, SECRET), SignatureScheme.RPC, e.hostHeader()),
                new HttpConnection(e, 10_000))) {
            String listedUsers = api.call("ListUsers", ram).toString();
            String listedPolicies = api.call(
                            "ListPolicies", java.util.Map.of("Version", "2015-05-01", "PolicyType", "Custom"))
                    .toString();
            for (String[] user : users) {
                assertThat(listedUsers).doesNotContain(user[0]);
                assertThat(listedPolicies).doesNotContain(user[0]);
            }
        }
        for (String[] user : users) {
            // Signed with a made-up secret: a key that still existed would answer SignatureDoesNotMatch.
            try (ApiClient asUser = new ApiClient(
                    new SignedRequestEncoder(
                            new org.openkms.wire.RequestSigner(user[1], "not-the-secret"),
                            SignatureScheme.ACS3,
                            e.hostHeader()),
                    new HttpConnection(e, 10_000))) {
                assertThatThrownBy(() -> asUser.call("DescribeRegions", java.util.Map.of()))
                        .isInstanceOf(ApiClient.ApiException.class)
                        .hasMessageContaining("InvalidAccessKeyId.NotFound");
            }
        }
    }
}
