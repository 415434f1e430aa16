package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openkms.storage.TestPostgres;

/**
 * The durability promise under load: a server killed with SIGKILL while it is busy writing keeps, after a restart
 * on the same data dir and database, every write it acknowledged, and every ciphertext it handed out still
 * decrypts.
 *
 * <p>The server runs as a child JVM (the real {@code openkms server} entry point), so that it can be killed without
 * a shutdown hook: on Linux {@link Process#destroyForcibly()} sends SIGKILL (ProcessHandleImpl: "forcibly" is
 * SIGKILL, plain destroy is SIGTERM). {@value #WORKERS} client threads write a mix of everything that is stored:
 * keys with tags, key versions ({@code OPENKMS_MIN_KEY_VERSION_INTERVAL=0s}), aliases, secrets and their versions,
 * RAM users, policies and attachments, plus Encrypts whose ciphertexts are kept. A write counts as acknowledged
 * only when its 200 answer arrived; a request that got no answer (in flight when the kill came, or sent after it)
 * may or may not have happened and is not checked. The kill waits until requests are in flight, and the test
 * checks that some really were cut off.
 *
 * <p>The audit log is written by a background thread ({@code JsonLinesAuditLog}: a request only enqueues its
 * record before answering), so a record may be lost to a kill -9 even though its call was acknowledged, and
 * {@code audit.failClosed} does not change that (it refuses calls while the log cannot be written; it does not
 * make a write synchronous). What the test asserts, and the server promises:
 * <ul>
 * <li>the file left by the kill is JSON lines, except possibly a torn last line (the write the kill cut short);</li>
 * <li>every call acknowledged more than {@value #AUDIT_GRACE_MILLIS} ms before the kill has its record there;</li>
 * <li>on restart the server ends a torn last line, so that it stands alone and every record written after it is a
 *     line of its own. A kill only rarely tears a line, so when this one did not, the test leaves the torn
 *     prefix of a record there itself (what a cut-short write leaves), to check the repair every run.</li>
 * </ul>
 * Runs on SQLite (the data dir) and on a fresh PostgreSQL database (skipped when {@code OPENKMS_SKIP_PG=1}).
 */
@Tag("services")
class CrashRecoveryTest {
    private static final String AK = "LTAIcrash";
    private static final String SECRET = "crash-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WORKERS = 6;
    /** How long the load runs before the kill; each worker also stops after {@value #MAX_ROUNDS} rounds. */
    private static final long LOAD_MILLIS = 2500;

    private static final long MAX_LOAD_MILLIS = 20_000;
    private static final int MAX_ROUNDS = 150;
    private static final long AUDIT_GRACE_MILLIS = 1000;
    /** The prefix of a record, as a write cut short by SIGKILL leaves it: no closing brace, no newline. */
    private static final String TORN = "{\"time\":\"2026-01-01T00:00:00Z\",\"requestId\":\"TORN-";

    enum Backend {
        SQLITE,
        POSTGRESQL
    }

    @TempDir
    Path dir;

    private final Ledger ledger = new Ledger();
    private volatile long killNanos = Long.MAX_VALUE;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void acknowledgedWritesSurviveKillDashNineUnderLoad(Backend backend) throws Exception {
        TestPostgres.Database database =
                backend == Backend.POSTGRESQL ? TestPostgres.createDatabase("openkms_crash") : null;
        try {
            run(database == null ? null : database.url());
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    private void run(String storageUrl) throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        Path auditLog = dir.resolve("audit").resolve("audit.log");

        // ---- load, then SIGKILL with requests in flight
        Process first = startServer(port, storageUrl);
        AtomicInteger inFlight = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int w = 0; w < WORKERS; w++) {
                Worker worker = new Worker(w, new SignedClient(base, AK, SECRET), inFlight);
                workers.add(pool.submit(() -> {
                    worker.run();
                    return null;
                }));
            }
            // At least LOAD_MILLIS and one full round per worker's worth of writes (a cold or busy machine is slow to
            // start), at most MAX_LOAD_MILLIS; then the kill, as soon as two requests are in flight.
            long loadStart = System.nanoTime();
            long loaded = 0;
            while (loaded < MAX_LOAD_MILLIS && (loaded < LOAD_MILLIS || ledger.rounds.get() < WORKERS)) {
                Thread.sleep(20);
                loaded = elapsedMillis(loadStart);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (inFlight.get() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            log("load ran %d ms before the kill, %d requests in flight", elapsedMillis(loadStart), inFlight.get());
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no graceful close of storage
            // Taken once kill(2) has returned, so that "sent before the kill and never answered" means cut off by it
            // (taken before, a busy machine could delay the signal long enough for those requests to be answered).
            killNanos = System.nanoTime();
            first.waitFor();
        }
        for (Future<?> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        String summary = ledger.summary();
        log("after the kill: %s", summary);
        assertThat(ledger.refused).as("answers other than 200 before the kill").isEmpty();
        assertThat(ledger.cutOff())
                .as("requests in flight when SIGKILL came (sent before it, never answered); %s", summary)
                .isPositive();
        assertThat(ledger.rounds.get())
                .as("full rounds of writes acknowledged; %s", summary)
                .isGreaterThanOrEqualTo(WORKERS);

        // ---- the audit log as the kill left it
        byte[] left = Files.readAllBytes(auditLog);
        AuditFile before = AuditFile.parse(left);
        assertThat(before.malformed)
                .as("complete lines that are not JSON records, in the log the kill left")
                .isEmpty();
        long graceNanos = TimeUnit.MILLISECONDS.toNanos(AUDIT_GRACE_MILLIS);
        List<Ack> settled = ledger.acks.stream()
                .filter(a -> a.nanos < killNanos - graceNanos)
                .toList();
        assertThat(settled)
                .as("calls acknowledged more than %d ms before the kill", AUDIT_GRACE_MILLIS)
                .isNotEmpty();
        assertThat(settled)
                .as("acknowledged calls older than %d ms whose audit record is missing", AUDIT_GRACE_MILLIS)
                .filteredOn(a -> !before.requestIds.contains(a.requestId))
                .isEmpty();
        log(
                "audit log after the kill: %d records, %s; %d of them for calls answered more than %d ms before the kill, all present",
                before.requestIds.size(),
                before.tail.isEmpty() ? "no torn line (one is added)" : "a torn last line",
                settled.size(),
                AUDIT_GRACE_MILLIS);
        if (before.tail.isEmpty()) {
            Files.write(auditLog, (TORN + "x").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
            left = Files.readAllBytes(auditLog);
        }

        // ---- restart on the same data dir and database; everything acknowledged is there
        Process second = startServer(port, storageUrl);
        try {
            long verifyStart = System.nanoTime();
            List<String> missing = verify(base);
            log("read back %d acknowledged writes in %d ms", ledger.acks.size(), elapsedMillis(verifyStart));
            assertThat(missing)
                    .as("acknowledged writes missing or wrong after the restart (of %s)", ledger.summary())
                    .isEmpty();

            // The restart's own calls are audited after the repaired torn line, each on a line of its own.
            SignedClient client = new SignedClient(base, AK, SECRET);
            String marker = client.call("DescribeRegions", Map.of())
                    .body()
                    .path("RequestId")
                    .asText();
            byte[] prefix = left;
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> {
                        byte[] now = Files.readAllBytes(auditLog);
                        assertThat(now.length).as("audit log size").isGreaterThan(prefix.length);
                        assertThat(Arrays.copyOf(now, prefix.length))
                                .as("the log the kill left is kept as it was")
                                .isEqualTo(prefix);
                        assertThat(now[prefix.length])
                                .as("the torn line is ended before the first new record")
                                .isEqualTo((byte) '\n');
                        AuditFile after = AuditFile.parse(Arrays.copyOfRange(now, prefix.length + 1, now.length));
                        assertThat(after.malformed)
                                .as("lines after the torn one that are not JSON records")
                                .isEmpty();
                        assertThat(after.tail).isEmpty();
                        assertThat(after.requestIds).contains(marker);
                    });
        } finally {
            second.destroy(); // SIGTERM: graceful
            second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- the load

    /** One client thread: rounds of every kind of write, until a request gets no answer (the kill). */
    private final class Worker {
        private final int index;
        private final SignedClient client;
        private final AtomicInteger inFlight;

        Worker(int index, SignedClient client, AtomicInteger inFlight) {
            this.index = index;
            this.client = client;
            this.inFlight = inFlight;
        }

        void run() {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                if (!round("crash-" + index + "-" + round)) {
                    return;
                }
            }
        }

        /** False when a request went unanswered: the server is gone. */
        private boolean round(String name) {
            String tags = "[{\"TagKey\":\"round\",\"TagValue\":\"" + name + "\"}]";
            JsonNode created = call("CreateKey", Map.of("Description", name, "Tags", tags));
            if (created == null) {
                return false;
            }
            String keyId = created.path("KeyMetadata").path("KeyId").asText();
            ledger.keys.add(new Key(keyId, name));
            if (!encrypt(keyId, name)) {
                return false;
            }
            String alias = "alias/" + name;
            if (call("CreateAlias", Map.of("AliasName", alias, "KeyId", keyId)) == null) {
                return false;
            }
            ledger.aliases.add(new Alias(alias, keyId));
            JsonNode version = call("CreateKeyVersion", Map.of("KeyId", keyId));
            if (version == null) {
                return false;
            }
            ledger.versions.add(new Version(
                    keyId, version.path("KeyVersion").path("KeyVersionId").asText()));
            if (!encrypt(alias, name)) { // under the new primary version
                return false;
            }
            Map<String, String> secret =
                    Map.of("SecretName", name, "VersionId", "v1", "SecretData", name + "/1", "EncryptionKeyId", keyId);
            if (call("CreateSecret", secret) == null) {
                return false;
            }
            ledger.secrets.add(new SecretVersion(name, "v1", name + "/1"));
            if (call("PutSecretValue", Map.of("SecretName", name, "VersionId", "v2", "SecretData", name + "/2"))
                    == null) {
                return false;
            }
            ledger.secrets.add(new SecretVersion(name, "v2", name + "/2"));
            if (ram("CreateUser", Map.of("UserName", name, "DisplayName", name)) == null) {
                return false;
            }
            ledger.users.add(name);
            String policy = "p-" + name;
            String document = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:Encrypt\"],"
                    + "\"Resource\":[\"acs:kms:*:*:key/" + keyId + "\"]}]}";
            if (ram("CreatePolicy", Map.of("PolicyName", policy, "PolicyDocument", document)) == null) {
                return false;
            }
            ledger.policies.add(new Policy(policy, document));
            if (ram("AttachPolicyToUser", Map.of("PolicyType", "Custom", "PolicyName", policy, "UserName", name))
                    == null) {
                return false;
            }
            ledger.attachments.add(new Attachment(name, policy));
            ledger.rounds.incrementAndGet();
            return true;
        }

        private boolean encrypt(String keyId, String name) {
            byte[] bytes = new byte[1 + ThreadLocalRandom.current().nextInt(64)];
            ThreadLocalRandom.current().nextBytes(bytes);
            String plaintext = Base64.getEncoder().encodeToString(bytes);
            String context = "{\"round\":\"" + name + "\"}";
            JsonNode r = call("Encrypt", Map.of("KeyId", keyId, "Plaintext", plaintext, "EncryptionContext", context));
            if (r == null) {
                return false;
            }
            ledger.ciphertexts.add(new Ciphertext(
                    r.path("CiphertextBlob").asText(),
                    context,
                    plaintext,
                    r.path("KeyId").asText(),
                    r.path("KeyVersionId").asText()));
            return true;
        }

        private JsonNode ram(String action, Map<String, String> params) {
            Map<String, String> p = new LinkedHashMap<>(params);
            p.put("Version", "2015-05-01");
            return call(action, p);
        }

        /** The answer's body when it was a 200; null when there was none (recorded) or another status (recorded). */
        private JsonNode call(String action, Map<String, String> params) {
            long sent = System.nanoTime();
            inFlight.incrementAndGet();
            try {
                SignedClient.Reply r = client.call(action, params);
                long answered = System.nanoTime();
                if (r.status() != 200) {
                    ledger.refused.add(action + " → " + r.status() + " " + r.raw());
                    return null;
                }
                ledger.acks.add(new Ack(r.body().path("RequestId").asText(), action, answered));
                return r.body();
            } catch (IOException e) {
                ledger.unanswered.add(sent);
                return null;
            } catch (Exception e) {
                ledger.refused.add(action + " → " + e);
                return null;
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------- after the restart

    /** Reads back every acknowledged write (in parallel); returns what is missing or different. */
    private List<String> verify(String base) throws Exception {
        Queue<String> missing = new ConcurrentLinkedQueue<>();
        List<Check> checks = new ArrayList<>();
        for (Key k : ledger.keys) {
            checks.add(c -> {
                JsonNode m = ok(c, missing, "DescribeKey " + k.keyId, "DescribeKey", Map.of("KeyId", k.keyId));
                expect(missing, "Description of " + k.keyId, text(m, "KeyMetadata", "Description"), k.description);
                JsonNode tags =
                        ok(c, missing, "ListResourceTags " + k.keyId, "ListResourceTags", Map.of("KeyId", k.keyId));
                expect(
                        missing,
                        "tag of " + k.keyId,
                        tags == null
                                ? null
                                : tags.path("Tags")
                                        .path("Tag")
                                        .path(0)
                                        .path("TagValue")
                                        .asText(),
                        k.description);
            });
        }
        for (Version v : ledger.versions) {
            checks.add(c -> {
                JsonNode d = ok(
                        c,
                        missing,
                        "DescribeKeyVersion " + v,
                        "DescribeKeyVersion",
                        Map.of("KeyId", v.keyId, "KeyVersionId", v.versionId));
                expect(missing, "version " + v, text(d, "KeyVersion", "KeyVersionId"), v.versionId);
            });
        }
        for (Alias a : ledger.aliases) {
            checks.add(c -> {
                JsonNode d = ok(c, missing, "DescribeKey " + a.name, "DescribeKey", Map.of("KeyId", a.name));
                expect(missing, "key of " + a.name, text(d, "KeyMetadata", "KeyId"), a.keyId);
            });
        }
        for (Ciphertext x : ledger.ciphertexts) {
            checks.add(c -> {
                JsonNode d = ok(
                        c,
                        missing,
                        "Decrypt of a blob from " + x.keyId,
                        "Decrypt",
                        Map.of("CiphertextBlob", x.blob, "EncryptionContext", x.context));
                expect(missing, "plaintext of a blob from " + x.keyId, text(d, "Plaintext"), x.plaintext);
                expect(missing, "key version of a blob from " + x.keyId, text(d, "KeyVersionId"), x.versionId);
            });
        }
        for (SecretVersion s : ledger.secrets) {
            checks.add(c -> {
                JsonNode d = ok(
                        c,
                        missing,
                        "GetSecretValue " + s,
                        "GetSecretValue",
                        Map.of("SecretName", s.name, "VersionId", s.versionId));
                expect(missing, "SecretData of " + s, text(d, "SecretData"), s.data);
            });
        }
        for (String u : ledger.users) {
            checks.add(c -> {
                JsonNode d = ok(c, missing, "GetUser " + u, "GetUser", ram(Map.of("UserName", u)));
                expect(missing, "user " + u, text(d, "User", "UserName"), u);
            });
        }
        for (Policy p : ledger.policies) {
            checks.add(c -> {
                JsonNode d = ok(
                        c,
                        missing,
                        "GetPolicy " + p.name,
                        "GetPolicy",
                        ram(Map.of("PolicyType", "Custom", "PolicyName", p.name)));
                expect(missing, "document of " + p.name, text(d, "DefaultPolicyVersion", "PolicyDocument"), p.document);
            });
        }
        for (Attachment a : ledger.attachments) {
            checks.add(c -> {
                JsonNode d = ok(
                        c,
                        missing,
                        "ListPoliciesForUser " + a.user,
                        "ListPoliciesForUser",
                        ram(Map.of("UserName", a.user)));
                List<String> names = new ArrayList<>();
                if (d != null) {
                    d.path("Policies")
                            .path("Policy")
                            .forEach(p -> names.add(p.path("PolicyName").asText()));
                }
                if (!names.contains(a.policy)) {
                    missing.add("attachment " + a + ": user has " + names);
                }
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int slice = t;
                SignedClient client = new SignedClient(base, AK, SECRET);
                done.add(pool.submit(() -> {
                    for (int i = slice; i < checks.size(); i += 4) {
                        checks.get(i).run(client);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(missing);
    }

    @FunctionalInterface
    private interface Check {
        void run(SignedClient client) throws Exception;
    }

    private static Map<String, String> ram(Map<String, String> params) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put("Version", "2015-05-01");
        return p;
    }

    /** A field of an answer, or null when there was no (200) answer. */
    private static String text(JsonNode answer, String... path) {
        if (answer == null) {
            return null;
        }
        JsonNode n = answer;
        for (String p : path) {
            n = n.path(p);
        }
        return n.asText();
    }

    private static JsonNode ok(
            SignedClient c, Queue<String> missing, String what, String action, Map<String, String> params)
            throws Exception {
        SignedClient.Reply r = c.call(action, params);
        if (r.status() != 200) {
            missing.add(what + " → " + r.status() + " " + r.raw());
            return null;
        }
        return r.body();
    }

    private static void expect(Queue<String> missing, String what, String actual, String expected) {
        if (actual != null && !actual.equals(expected)) {
            missing.add(what + ": " + actual + " instead of " + expected);
        }
    }

    // ---------------------------------------------------------------- what was acknowledged

    record Ack(String requestId, String action, long nanos) {}

    record Key(String keyId, String description) {}

    record Version(String keyId, String versionId) {}

    record Alias(String name, String keyId) {}

    record Ciphertext(String blob, String context, String plaintext, String keyId, String versionId) {}

    record SecretVersion(String name, String versionId, String data) {}

    record Policy(String name, String document) {}

    record Attachment(String user, String policy) {}

    /** Everything the killed server acknowledged, filled by the workers. */
    private final class Ledger {
        final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
        final Queue<Key> keys = new ConcurrentLinkedQueue<>();
        final Queue<Version> versions = new ConcurrentLinkedQueue<>();
        final Queue<Alias> aliases = new ConcurrentLinkedQueue<>();
        final Queue<Ciphertext> ciphertexts = new ConcurrentLinkedQueue<>();
        final Queue<SecretVersion> secrets = new ConcurrentLinkedQueue<>();
        final Queue<String> users = new ConcurrentLinkedQueue<>();
        final Queue<Policy> policies = new ConcurrentLinkedQueue<>();
        final Queue<Attachment> attachments = new ConcurrentLinkedQueue<>();
        /** When each unanswered request was sent. */
        final Queue<Long> unanswered = new ConcurrentLinkedQueue<>();

        final Queue<String> refused = new ConcurrentLinkedQueue<>();
        final AtomicInteger rounds = new AtomicInteger();

        /** Requests sent before the kill that never got an answer: those the kill cut off. */
        long cutOff() {
            return unanswered.stream().filter(t -> t < killNanos).count();
        }

        String summary() {
            return acks.size() + " acknowledged calls in " + rounds.get() + " full rounds: " + keys.size() + " keys, "
                    + versions.size() + " versions, " + aliases.size() + " aliases, " + ciphertexts.size()
                    + " ciphertexts, "
                    + secrets.size() + " secret versions, " + users.size() + " users, " + policies.size()
                    + " policies, "
                    + attachments.size() + " attachments; " + cutOff() + " cut off";
        }
    }

    // ---------------------------------------------------------------- the audit file

    /** An audit file split into JSON-lines records, complete lines that are not records, and an unterminated tail. */
    private static final class AuditFile {
        final Set<String> requestIds = new HashSet<>();
        final List<String> malformed = new ArrayList<>();
        final String tail;

        private AuditFile(String tail) {
            this.tail = tail;
        }

        static AuditFile parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n') + 1;
            AuditFile f = new AuditFile(text.substring(end));
            for (String line : text.substring(0, end).split("\n", -1)) {
                if (line.isEmpty()) {
                    continue; // only the split's empty last element: the writer never writes empty lines
                }
                try {
                    JsonNode record = JSON.readTree(line);
                    String id = record.path("requestId").asText("");
                    if (!record.isObject()
                            || id.isEmpty()
                            || record.path("action").asText("").isEmpty()) {
                        f.malformed.add(line);
                    } else {
                        f.requestIds.add(id);
                    }
                } catch (IOException e) {
                    f.malformed.add(line);
                }
            }
            return f;
        }
    }

    // ---------------------------------------------------------------- the child server

    private Process startServer(int port, String storageUrl) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector (java(1): -XX:TieredStopAtLevel, -XX:+UseSerialGC): on the project's two
        // shared cores, C2 compiler and parallel GC threads make each start take about twice as long, and what is
        // tested here (commit before answer, recovery on start) does not depend on either.
        List<String> command = new ArrayList<>(List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "org.openkms.server.Main",
                "--data-dir",
                dir.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--https-listen",
                "",
                "--instance-listen",
                ""));
        if (storageUrl != null) {
            command.addAll(List.of("--storage-url", storageUrl));
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("OPENKMS_ROOT_ACCESS_KEY_ID", AK);
        pb.environment().put("OPENKMS_ROOT_ACCESS_KEY_SECRET", SECRET);
        pb.environment().put("OPENKMS_MIN_KEY_VERSION_INTERVAL", "0s");
        pb.redirectErrorStream(true)
                .redirectOutput(
                        dir.resolve("server-" + System.nanoTime() + ".out").toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("server exited: " + logs());
                    }
                    try {
                        return http.send(
                                                HttpRequest.newBuilder(
                                                                URI.create("http://127.0.0.1:" + port + "/healthz"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        log("server started in %d ms%s", elapsedMillis(start), storageUrl == null ? " (SQLite)" : " (PostgreSQL)");
        return p;
    }

    private String logs() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".out"))
                    .toList()) {
                sb.append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    private static long elapsedMillis(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    private static void log(String format, Object... args) {
        System.out.println("CrashRecoveryTest: " + String.format(format, args));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
