package org.openkms.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.storage.TestPostgres;
import org.openkms.wire.RequestSigner;

/**
 * High availability, measured: three nodes (child JVMs running the real {@code openkms server} entry point) on one
 * PostgreSQL database, a load of mixed calls spread round-robin over them, and one node killed with SIGKILL in the
 * middle of it. Clients that retry a failed call once on another node see no failed call; the scheduled jobs
 * (key deletion, secret rotation; every 200 ms on every node) run exactly once for everything that falls due,
 * before the kill and after it, although the node that ran them first is the one killed. Prints "HA ..." lines
 * with the figures the README quotes ("Several nodes").
 */
@Tag("services")
class ThreeNodesOnPostgresTest {
    /**
     * Where the rotated database accounts live: PostgresRotator changes their passwords there. Like the other
     * secret-rotation tests, always the local server, whatever OPENKMS_TEST_PG_URL says.
     */
    private static final String ROTATION_ENDPOINT = "postgresql://127.0.0.1:5432/postgres";

    private static final String ROTATION_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final String AK = "LTAIthreenodes";
    private static final String SECRET = "three-nodes-secret";
    private static final int CLIENT_THREADS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestPostgres.Database database;
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> roles = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final RequestSigner signer = new RequestSigner(AK, SECRET);

    /** One server process: its port, data dir and console log (the log survives the kill: logback flushes each line). */
    private record Node(int index, int port, Path dataDir, Path log, Process process) {
        String base() {
            return "http://127.0.0.1:" + port;
        }
    }

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.createDatabase("openkms_three"); // skips when OPENKMS_SKIP_PG=1
    }

    @AfterEach
    void stopNodesAndDropDatabase() throws Exception {
        for (Node n : nodes) {
            n.process().destroyForcibly();
            n.process().waitFor(10, TimeUnit.SECONDS);
        }
        if (database != null) {
            database.close();
        }
        for (String role : roles) {
            rotationAdmin("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void oneNodeKilledUnderLoadCostsNoCallAfterOneRetryAndNoJobRunsTwice() throws Exception {
        startNodes();
        phase("3 nodes up");
        // What the load uses, made before it starts.
        String loadKey =
                ok(0, "CreateKey", Map.of()).path("KeyMetadata").path("KeyId").asText();
        for (int t = 0; t < CLIENT_THREADS; t++) {
            ok(
                    0,
                    "CreateSecret",
                    Map.of(
                            "SecretName",
                            "load/" + t,
                            "VersionId",
                            "v0",
                            "SecretData",
                            "initial",
                            "EncryptionKeyId",
                            loadKey));
        }
        // What the jobs will do: two rounds of keys to delete and a managed secret to rotate, made due one round
        // before the kill and one after it.
        JobRound before = jobRound("before", loadKey);
        JobRound after = jobRound("after", loadKey);
        phase("set up");

        Load load = new Load(loadKey);
        load.start();
        long started = System.nanoTime();
        Thread.sleep(1_000);
        makeDue(before);
        awaitDone(before);
        phase("round 'before' done");
        // Kill the node that ran the first round's key deletions: the job must move to another node.
        Node victim = nodes.get(ranBy(before.keys().get(0)));
        Thread.sleep(500);
        victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close of anything
        assertThat(victim.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        long killedAt = System.nanoTime();
        load.killed(victim.index());
        makeDue(after);
        awaitDone(after);
        phase("round 'after' done");
        // Keep the load going a while after the kill, so that the dead node gets its share of calls.
        long sinceKill = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        Thread.sleep(Math.max(0, 5_000 - sinceKill));
        load.stop();
        phase("load stopped");

        for (Node n : nodes) {
            if (n != victim) {
                assertThat(n.process().isAlive()).as("node %d alive", n.index()).isTrue();
            }
        }
        String figures = String.format(
                Locale.ROOT,
                "HA 3 nodes, %d client threads, node %d SIGKILLed %.1f s into %.1f s of load: %s",
                CLIENT_THREADS,
                victim.index(),
                TimeUnit.NANOSECONDS.toMillis(killedAt - started) / 1000.0,
                TimeUnit.NANOSECONDS.toMillis(load.stoppedAt - started) / 1000.0,
                load.summary());
        System.out.println(figures);
        assertThat(load.failures)
                .as("calls that failed again after one retry on another node")
                .isEmpty();
        assertThat(load.calls.get()).isGreaterThan(100);
        assertThat(load.firstAttemptFailuresOn.get(victim.index()))
                .as("first attempts that failed on the killed node")
                .isPositive();
        for (int i = 0; i < nodes.size(); i++) {
            if (i != victim.index()) {
                assertThat(load.firstAttemptFailuresOn.get(i))
                        .as("first attempts that failed on live node %d", i)
                        .isZero();
            }
        }

        // Every job ran exactly once for everything that fell due, on one node each.
        String logs = allLogs();
        for (JobRound round : List.of(before, after)) {
            for (String keyId : round.keys()) {
                assertThat(count(logs, "destroyed key " + keyId + " after its deletion window"))
                        .as("deletions of %s", keyId)
                        .isEqualTo(1);
            }
            assertThat(count(logs, "rotated secret " + round.secret() + " to version"))
                    .as("rotations of %s", round.secret())
                    .isEqualTo(1);
            // One rotation leaves the initial password as ACSPrevious; a second would have pushed it out.
            JsonNode previous = accountOf(ok(
                    live(victim),
                    "GetSecretValue",
                    Map.of("SecretName", round.secret(), "VersionStage", "ACSPrevious")));
            JsonNode current = accountOf(ok(live(victim), "GetSecretValue", Map.of("SecretName", round.secret())));
            assertThat(previous.path("AccountPassword").asText()).isEqualTo(round.initialPassword());
            assertThat(current.path("AccountPassword").asText()).isNotEqualTo(round.initialPassword());
        }
        int afterRunner = ranBy(after.keys().get(0));
        assertThat(afterRunner).as("node that ran the jobs after the kill").isNotEqualTo(victim.index());
        System.out.printf(
                "HA jobs: round 'before' (%d key deletions + 1 secret rotation) ran on node %d, round 'after' on node %d;"
                        + " each item exactly once%n",
                before.keys().size(), victim.index(), afterRunner);
    }

    private final long testStart = System.nanoTime();

    private void phase(String what) {
        System.out.printf(Locale.ROOT, "HA timeline %6.1f s: %s%n", (System.nanoTime() - testStart) / 1e9, what);
    }

    // ------------------------------------------------------------------ the load

    /**
     * CLIENT_THREADS threads calling in a loop: Encrypt then Decrypt of its ciphertext (half the calls), CreateKey,
     * PutSecretValue (each thread its own secret, a new VersionId each time). Each call goes to the next node in a
     * shared round-robin; a call that fails (no answer, or any status but 200) is retried once on the next node
     * with the same parameters (PutSecretValue with the same VersionId and data is idempotent), and only a failed
     * retry counts as a failed call.
     */
    private final class Load {
        final String keyId;
        final AtomicBoolean stopping = new AtomicBoolean();
        final AtomicInteger roundRobin = new AtomicInteger();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong retried = new AtomicLong();
        final AtomicLongArray firstAttemptFailuresOn = new AtomicLongArray(3);
        final AtomicLongArray callsAfterKillOn = new AtomicLongArray(3);
        final Map<String, AtomicLong> byAction = new ConcurrentHashMap<>();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final List<String> firstFailureSamples = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> threads = new ArrayList<>();
        volatile boolean afterKill;
        volatile long stoppedAt;

        Load(String keyId) {
            this.keyId = keyId;
        }

        void start() {
            for (int t = 0; t < CLIENT_THREADS; t++) {
                int thread = t;
                Thread th = new Thread(() -> run(thread), "load-" + t);
                threads.add(th);
                th.start();
            }
        }

        void killed(int node) {
            afterKill = true;
        }

        void stop() throws InterruptedException {
            stopping.set(true);
            for (Thread th : threads) {
                th.join(TimeUnit.SECONDS.toMillis(30));
            }
            stoppedAt = System.nanoTime();
        }

        private void run(int thread) {
            long i = 0;
            while (!stopping.get()) {
                switch ((int) (i++ % 4)) {
                    case 0, 1 -> {
                        JsonNode encrypted = call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGEgbm9kZXM="));
                        if (encrypted != null) {
                            JsonNode decrypted = call(
                                    "Decrypt",
                                    Map.of(
                                            "CiphertextBlob",
                                            encrypted.path("CiphertextBlob").asText()));
                            if (decrypted != null
                                    && !"aGEgbm9kZXM="
                                            .equals(decrypted.path("Plaintext").asText())) {
                                failures.add("Decrypt returned " + decrypted);
                            }
                        }
                    }
                    case 2 -> call("CreateKey", Map.of("Description", "load"));
                    default ->
                        call(
                                "PutSecretValue",
                                Map.of(
                                        "SecretName",
                                        "load/" + thread,
                                        "VersionId",
                                        "v" + i + "-" + UUID.randomUUID(),
                                        "SecretData",
                                        "value " + i));
                }
            }
        }

        /** The answer of the first or the retried attempt, or null (recorded as a failure) when both failed. */
        private JsonNode call(String action, Map<String, String> params) {
            calls.incrementAndGet();
            byAction.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
            int node = Math.floorMod(roundRobin.getAndIncrement(), nodes.size());
            if (afterKill) {
                callsAfterKillOn.incrementAndGet(node);
            }
            Attempt first = attempt(node, action, params);
            if (first.body() != null) {
                return first.body();
            }
            firstAttemptFailuresOn.incrementAndGet(node);
            if (firstFailureSamples.size() < 5) {
                firstFailureSamples.add(action + " on node " + node + ": " + first.failure());
            }
            retried.incrementAndGet();
            int other = (node + 1) % nodes.size();
            Attempt second = attempt(other, action, params);
            if (second.body() != null) {
                return second.body();
            }
            failures.add(action + " failed on node " + node + " (" + first.failure() + ") and on node " + other + " ("
                    + second.failure() + ")");
            return null;
        }

        String summary() {
            long firstFailures = 0;
            for (int i = 0; i < 3; i++) {
                firstFailures += firstAttemptFailuresOn.get(i);
            }
            return String.format(
                    Locale.ROOT,
                    "%d calls %s; %d first attempts failed (per node %s, e.g. %s), all retried once on the next"
                            + " node; %d calls failed after the retry; calls sent to each node after the kill %s",
                    calls.get(),
                    byAction,
                    firstFailures,
                    firstAttemptFailuresOn,
                    firstFailureSamples.isEmpty() ? "-" : firstFailureSamples.get(0),
                    failures.size(),
                    callsAfterKillOn);
        }
    }

    private record Attempt(JsonNode body, String failure) {}

    private Attempt attempt(int node, String action, Map<String, String> params) {
        try {
            URI uri = URI.create(nodes.get(node).base() + "/?" + signer.signRpc("POST", action, params));
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return new Attempt(null, "HTTP " + r.statusCode() + " " + r.body());
            }
            return new Attempt(JSON.readTree(r.body()), null);
        } catch (IOException e) {
            return new Attempt(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, "interrupted");
        }
    }

    // ------------------------------------------------------------------ the jobs

    /** Keys in their deletion window and a rotating database account, to be made due together. */
    private record JobRound(List<String> keys, String secret, String initialPassword) {}

    private JobRound jobRound(String name, String encryptionKeyId) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String keyId = ok(0, "CreateKey", Map.of("Description", "deleted " + name))
                    .path("KeyMetadata")
                    .path("KeyId")
                    .asText();
            // 7 days is the API's shortest window; makeDue moves the deletion date into the past in the database.
            ok(0, "ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", "7"));
            keys.add(keyId);
        }
        String role = "openkms_ha_" + unique();
        String password = "initial-" + unique();
        roles.add(role);
        rotationAdmin("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        String secret = "rotated/" + name;
        ok(
                0,
                "CreateSecret",
                Map.of(
                        "SecretName",
                        secret,
                        "VersionId",
                        "v1",
                        "SecretType",
                        "Rds",
                        "EncryptionKeyId",
                        encryptionKeyId,
                        "ExtendedConfig",
                        "{\"SecretSubType\":\"SingleUser\",\"DBInstanceId\":\"" + ROTATION_ENDPOINT + "\"}",
                        "SecretData",
                        "{\"Accounts\":[{\"AccountName\":\"" + role + "\",\"AccountPassword\":\"" + password + "\"}]}",
                        "EnableAutomaticRotation",
                        "true",
                        "RotationInterval",
                        "7d"));
        return new JobRound(keys, secret, password);
    }

    /** The API cannot make a deletion or rotation due sooner than in 7 days, so the test moves their dates back. */
    private void makeDue(JobRound round) throws Exception {
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(databaseUrl())) {
            c.setAutoCommit(false);
            for (String keyId : round.keys()) {
                try (PreparedStatement s = c.prepareStatement("UPDATE keys SET delete_date = ? WHERE key_id = ?")) {
                    s.setLong(1, now - 1_000);
                    s.setString(2, keyId);
                    assertThat(s.executeUpdate()).isEqualTo(1);
                }
            }
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE secrets SET last_rotation_date = ? WHERE secret_name = ?")) {
                s.setLong(1, now - TimeUnit.DAYS.toMillis(8));
                s.setString(2, round.secret());
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            c.commit(); // in one transaction, so that the next maintenance run finds the whole round due
        }
    }

    private void awaitDone(JobRound round) throws IOException {
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        String logs = allLogs();
                        return round.keys().stream().allMatch(k -> logs.contains("destroyed key " + k))
                                && logs.contains("rotated secret " + round.secret() + " to version");
                    });
        } catch (ConditionTimeoutException e) {
            // What the nodes said instead: a failed rotation or job run is logged as a warning or an error.
            StringBuilder said = new StringBuilder();
            for (Node n : nodes) {
                for (String line : Files.readAllLines(n.log())) {
                    if (line.contains(" WARN ")
                            || line.contains(" ERROR ")
                            || line.contains("destroyed key")
                            || line.contains("secret")) {
                        said.append("node ")
                                .append(n.index())
                                .append(": ")
                                .append(line)
                                .append('\n');
                    }
                }
            }
            throw new AssertionError("round of " + round + " not done within 20 s; node logs:\n" + said, e);
        }
    }

    /** The node whose log says it destroyed the key. */
    private int ranBy(String keyId) throws IOException {
        for (Node n : nodes) {
            if (Files.readString(n.log()).contains("destroyed key " + keyId)) {
                return n.index();
            }
        }
        throw new AssertionError("no node destroyed " + keyId);
    }

    private static JsonNode accountOf(JsonNode secretValue) throws IOException {
        return JSON.readTree(secretValue.path("SecretData").asText());
    }

    // ------------------------------------------------------------------ nodes

    /** The first node makes the root key; the other two get a copy and start together. */
    private void startNodes() throws Exception {
        nodes.add(startNode(0));
        phase("node 0 up");
        Path rootKey = nodes.get(0).dataDir().resolve("root.key");
        for (int i = 1; i < 3; i++) {
            Files.createDirectories(dir.resolve("node" + i));
            Files.copy(rootKey, dir.resolve("node" + i).resolve("root.key"));
        }
        Node second = launch(1);
        Node third = launch(2);
        nodes.add(second);
        nodes.add(third);
        awaitHealthy(second);
        awaitHealthy(third);
        // Every node must be LISTENing before the load starts.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> countListeners() == 3);
    }

    private Node startNode(int index) throws Exception {
        Node n = launch(index);
        awaitHealthy(n);
        return n;
    }

    private Node launch(int index) throws Exception {
        int port = freePort();
        Path dataDir = dir.resolve("node" + index);
        Path log = dir.resolve("node" + index + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Small heap, one GC thread, C1 only: three servers start on two shared cores in a few seconds; the load
        // needs correctness here, not peak speed.
        // The server's own logging (logback.xml, INFO): the test reads the job lines from it, and a test
        // classpath may carry another module's quieter logback-test.xml, which logback would prefer.
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                "org.openkms.server.Main",
                "--data-dir",
                dataDir.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--https-listen",
                "",
                "--instance-listen",
                "",
                "--storage-url",
                databaseUrl());
        pb.environment().put("OPENKMS_ROOT_ACCESS_KEY_ID", AK);
        pb.environment().put("OPENKMS_ROOT_ACCESS_KEY_SECRET", SECRET);
        // Every node runs both jobs every 200 ms, so that they compete for every run.
        pb.environment().put("OPENKMS_MAINTENANCE_INTERVAL", "PT0.2S");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new Node(index, port, dataDir, log, pb.start());
    }

    private void awaitHealthy(Node n) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!n.process().isAlive()) {
                        throw new IllegalStateException("node " + n.index() + " exited: " + Files.readString(n.log()));
                    }
                    try {
                        return http.send(
                                                HttpRequest.newBuilder(URI.create(n.base() + "/healthz"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    /** Change-feed sessions in this test's database (one per node; each LISTENs as soon as it has connected). */
    private int countListeners() throws Exception {
        try (Connection c = DriverManager.getConnection(databaseUrl());
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name = 'openkms-change-feed'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private JsonNode ok(int node, String action, Map<String, String> params) {
        Attempt a = attempt(node, action, params);
        assertThat(a.failure()).as(action + " on node " + node).isNull();
        return a.body();
    }

    /** The first node that was not killed. */
    private int live(Node victim) {
        return victim.index() == 0 ? 1 : 0;
    }

    private String allLogs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(Files.readString(n.log()));
        }
        return sb.toString();
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private String databaseUrl() {
        return database.url();
    }

    private static void rotationAdmin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(ROTATION_ADMIN_URL);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
