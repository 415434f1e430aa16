package org.openkms.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openkms.core.error.KmsException;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ConfigException;
import org.openkms.server.config.ServerConfig;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Two stateless nodes on one PostgreSQL database (and one root key): what one node writes, the other serves;
 * every kind of cached state changed on one node reaches the other, by LISTEN/NOTIFY alone and by the poll alone;
 * every change-counter trigger fires and notifies; and how stale the other node can be is measured (printed as
 * "STALENESS ..."; README "Several nodes"). Each test gets a fresh, uniquely named database, dropped after.
 */
@Tag("services")
class TwoNodesOnPostgresTest {
    private static final String ADMIN_URL =
            System.getenv().getOrDefault("OPENKMS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @TempDir
    Path dir;

    private String database;
    private OpenKmsServer a;
    private OpenKmsServer b;
    private SignedClient onA;
    private SignedClient onB;
    /** The root key of the test's database once a node made it. */
    private Path rootKey;

    @BeforeEach
    void createDatabase() throws Exception {
        Assumptions.assumeFalse("1".equals(System.getenv("OPENKMS_SKIP_PG")), "OPENKMS_SKIP_PG=1");
        database =
                "openkms_nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(ADMIN_URL);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (database != null) {
            try (Connection c = DriverManager.getConnection(ADMIN_URL);
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private ServerConfig node(Path dataDir) {
        return node(dataDir, Duration.ofMillis(200), true);
    }

    @Test
    void nodesSeeEachOthersWritesWithinTheSyncInterval() throws Exception {
        a = OpenKmsServer.start(node(dir.resolve("a")));
        // Every node needs the same root key: it seals the key material both read from the shared database.
        Files.createDirectories(dir.resolve("b"));
        Files.copy(dir.resolve("a").resolve("root.key"), dir.resolve("b").resolve("root.key"));
        b = OpenKmsServer.start(node(dir.resolve("b")));
        SignedClient onA = new SignedClient("http://127.0.0.1:" + a.httpPort(), "LTAInodes", "nodes-secret");
        SignedClient onB = new SignedClient("http://127.0.0.1:" + b.httpPort(), "LTAInodes", "nodes-secret");

        String keyId = onA.call("CreateKey", Map.of())
                .body()
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
        assertThat(onA.call("CreateAlias", Map.of("AliasName", "alias/shared", "KeyId", keyId))
                        .status())
                .isEqualTo(200);
        String blob = onB.call("Encrypt", Map.of("KeyId", "alias/shared", "Plaintext", "aGk="))
                .body()
                .path("CiphertextBlob")
                .asText();
        assertThat(onA.call("Decrypt", Map.of("CiphertextBlob", blob))
                        .body()
                        .path("Plaintext")
                        .asText())
                .isEqualTo("aGk=");

        assertThat(onA.call("DisableKey", Map.of("KeyId", keyId)).status()).isEqualTo(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(onB.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk="))
                                .code())
                        .isEqualTo("Rejected.Disabled"));

        assertThat(onA.call("EnableKey", Map.of("KeyId", keyId)).status()).isEqualTo(200);
        assertThat(onA.call("DeleteAlias", Map.of("AliasName", "alias/shared")).status())
                .isEqualTo(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(
                                onB.call("Encrypt", Map.of("KeyId", "alias/shared", "Plaintext", "aGk="))
                                        .code())
                        .isEqualTo("Forbidden.AliasNotFound"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(onB.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk="))
                                .status())
                        .isEqualTo(200));
    }

    @Test
    void aNodeWithoutTheFirstNodesRootKeyIsRefused() throws Exception {
        a = OpenKmsServer.start(node(dir.resolve("a")));
        Path b = dir.resolve("b");
        assertThatThrownBy(() -> OpenKmsServer.start(node(b)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("root key " + b.resolve("root.key")
                        + " is missing, but the database already holds data sealed under a root key;"
                        + " restore root.key from a backup (a further node of a cluster: copy it from the first node's data dir)."
                        + " A new root key could not open that data, so none is made");
        assertThat(b.resolve("root.key")).doesNotExist();
        Files.write(b.resolve("root.key"), org.openkms.crypto.SecureRandoms.bytes(32));
        assertThatThrownBy(() -> OpenKmsServer.start(node(b)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not the root key this database was sealed under");
    }

    /** Two first nodes at once on an empty database: one makes the root key, the other is told to copy it. */
    @Test
    void nodesStartingTogetherOnAnEmptyDatabaseAgreeOnOneRootKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<OpenKmsServer>> starts = List.of(
                    pool.submit(() -> OpenKmsServer.start(node(dir.resolve("a")))),
                    pool.submit(() -> OpenKmsServer.start(node(dir.resolve("b")))));
            List<OpenKmsServer> started = new ArrayList<>();
            List<Throwable> refused = new ArrayList<>();
            for (Future<OpenKmsServer> f : starts) {
                try {
                    started.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    refused.add(e.getCause());
                }
            }
            if (!started.isEmpty()) {
                a = started.get(0);
            }
            if (started.size() > 1) {
                b = started.get(1);
            }
            assertThat(started).hasSize(1);
            assertThat(refused).singleElement().isInstanceOf(ConfigException.class);
            // Only the winner's data dir holds a root key; the loser took back the one it made, if any.
            assertThat(Files.exists(dir.resolve("a").resolve("root.key"))
                            ^ Files.exists(dir.resolve("b").resolve("root.key")))
                    .isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ every kind of change, each path alone

    /** How node B learns of node A's writes in a run: only one path at a time, so each is shown to suffice. */
    enum Sync {
        /** LISTEN/NOTIFY, no poll at all. */
        NOTIFY_ONLY,
        /** The poll of change_generation every 200 ms, LISTEN switched off (storage.cacheListen: false). */
        POLL_ONLY
    }

    /**
     * Each kind of cached state changed on A reaches B: a key-state change, a new key version, a repointed alias, a
     * new secret version, a revoked AccessKey (Inactive, then deleted), a detached and re-attached RAM policy, a key
     * policy, a new RAM user, role and policy, a network rule and tags. B's view is warmed before each change, so
     * only a dropped cache can make B see it. Meanwhile a LISTEN of the test's own collects every notification: the
     * scenario fires every change-counter trigger the migrations create, each bumps the counter and announces it.
     */
    @ParameterizedTest
    @EnumSource(Sync.class)
    void everyKindOfChangeReachesTheOtherNode(Sync sync) throws Exception {
        startPair(sync == Sync.NOTIFY_ONLY ? Duration.ZERO : Duration.ofMillis(200), sync == Sync.NOTIFY_ONLY);
        if (sync == Sync.NOTIFY_ONLY) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> a.listeningForChanges() && b.listeningForChanges());
        } else {
            assertThat(b.listeningForChanges()).isFalse();
        }
        try (Connection listener = DriverManager.getConnection(databaseUrl());
                Statement s = listener.createStatement()) {
            s.execute("LISTEN openkms_changes");
            long generationBefore = changeGeneration();

            // Key state and key versions.
            String keyId = onA.call("CreateKey", Map.of())
                    .body()
                    .path("KeyMetadata")
                    .path("KeyId")
                    .asText();
            String firstVersion = encryptOnB(keyId).path("KeyVersionId").asText();
            ok(onA, "DisableKey", "KeyId", keyId);
            eventually(() -> assertThat(onB.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk="))
                            .code())
                    .isEqualTo("Rejected.Disabled"));
            ok(onA, "EnableKey", "KeyId", keyId);
            eventually(() ->
                    assertThat(encryptOnB(keyId).path("KeyVersionId").asText()).isEqualTo(firstVersion));
            ok(onA, "CreateKeyVersion", "KeyId", keyId);
            eventually(() ->
                    assertThat(encryptOnB(keyId).path("KeyVersionId").asText()).isNotEqualTo(firstVersion));

            // Aliases: B resolves the alias from its cache until the repointing reaches it.
            String otherKeyId = onA.call("CreateKey", Map.of())
                    .body()
                    .path("KeyMetadata")
                    .path("KeyId")
                    .asText();
            ok(onA, "CreateAlias", "AliasName", "alias/moving", "KeyId", keyId);
            assertThat(encryptOnB("alias/moving").path("KeyId").asText()).isEqualTo(keyId);
            ok(onA, "UpdateAlias", "AliasName", "alias/moving", "KeyId", otherKeyId);
            eventually(() -> assertThat(encryptOnB("alias/moving").path("KeyId").asText())
                    .isEqualTo(otherKeyId));

            // Tags.
            ok(onA, "TagResource", "KeyId", keyId, "Tags", "[{\"TagKey\":\"team\",\"TagValue\":\"ha\"}]");
            eventually(() -> assertThat(ok(onB, "ListResourceTags", "KeyId", keyId)
                            .path("Tags")
                            .path("Tag")
                            .get(0)
                            .path("TagValue")
                            .asText())
                    .isEqualTo("ha"));

            // A new secret version (PutSecretValue) replaces the one B holds in its cache.
            ok(
                    onA,
                    "CreateSecret",
                    "SecretName",
                    "ha/secret",
                    "VersionId",
                    "v1",
                    "SecretData",
                    "one",
                    "EncryptionKeyId",
                    keyId);
            assertThat(ok(onB, "GetSecretValue", "SecretName", "ha/secret")
                            .path("SecretData")
                            .asText())
                    .isEqualTo("one");
            ok(onA, "PutSecretValue", "SecretName", "ha/secret", "VersionId", "v2", "SecretData", "two");
            eventually(() -> assertThat(ok(onB, "GetSecretValue", "SecretName", "ha/secret")
                            .path("SecretData")
                            .asText())
                    .isEqualTo("two"));

            // RAM: a user, a policy, an attachment; B authorises from memory.
            ram(onA, "CreateUser", "UserName", "alice");
            eventually(() -> assertThat(ram(onB, "GetUser", "UserName", "alice")
                            .path("User")
                            .path("UserName")
                            .asText())
                    .isEqualTo("alice"));
            ram(
                    onA,
                    "CreatePolicy",
                    "PolicyName",
                    "encrypt-only",
                    "PolicyDocument",
                    "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:Encrypt\"],\"Resource\":[\"*\"]}]}");
            eventually(() -> assertThat(ram(onB, "GetPolicy", "PolicyName", "encrypt-only", "PolicyType", "Custom")
                            .path("Policy")
                            .path("PolicyName")
                            .asText())
                    .isEqualTo("encrypt-only"));
            JsonNode created = ram(onA, "CreateAccessKey", "UserName", "alice").path("AccessKey");
            String aliceKeyId = created.path("AccessKeyId").asText();
            SignedClient aliceOnB = new SignedClient(
                    "http://127.0.0.1:" + b.httpPort(),
                    aliceKeyId,
                    created.path("AccessKeySecret").asText());
            Map<String, String> encrypt = Map.of("KeyId", keyId, "Plaintext", "aGk=");
            eventually(
                    () -> assertThat(aliceOnB.call("Encrypt", encrypt).code()).isEqualTo("Forbidden.NoPermission"));
            ram(onA, "AttachPolicyToUser", "UserName", "alice", "PolicyType", "Custom", "PolicyName", "encrypt-only");
            eventually(
                    () -> assertThat(aliceOnB.call("Encrypt", encrypt).status()).isEqualTo(200));
            ram(onA, "DetachPolicyFromUser", "UserName", "alice", "PolicyType", "Custom", "PolicyName", "encrypt-only");
            eventually(
                    () -> assertThat(aliceOnB.call("Encrypt", encrypt).code()).isEqualTo("Forbidden.NoPermission"));
            // A key policy that lets alice in, although no RAM policy does any more.
            ok(
                    onA,
                    "SetKeyPolicy",
                    "KeyId",
                    keyId,
                    "PolicyName",
                    "default",
                    "Policy",
                    "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Principal\":{\"RAM\":[\"acs:ram::1234567890123456:user/alice\"]},"
                            + "\"Action\":[\"kms:Encrypt\"],\"Resource\":[\"*\"]}]}");
            eventually(
                    () -> assertThat(aliceOnB.call("Encrypt", encrypt).status()).isEqualTo(200));
            // A revoked AccessKey: Inactive, then deleted.
            ram(onA, "UpdateAccessKey", "UserName", "alice", "UserAccessKeyId", aliceKeyId, "Status", "Inactive");
            eventually(
                    () -> assertThat(aliceOnB.call("Encrypt", encrypt).code()).isEqualTo("Forbidden.AccessKey"));
            ram(onA, "UpdateAccessKey", "UserName", "alice", "UserAccessKeyId", aliceKeyId, "Status", "Active");
            eventually(
                    () -> assertThat(aliceOnB.call("Encrypt", encrypt).status()).isEqualTo(200));
            ram(onA, "DeleteAccessKey", "UserName", "alice", "UserAccessKeyId", aliceKeyId);
            eventually(() ->
                    assertThat(aliceOnB.call("Encrypt", encrypt).code()).isEqualTo("InvalidAccessKeyId.NotFound"));

            // A role (iam_roles) and an application access point network rule (aap_objects), both served from memory.
            ram(
                    onA,
                    "CreateRole",
                    "RoleName",
                    "reader",
                    "AssumeRolePolicyDocument",
                    "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":\"sts:AssumeRole\",\"Principal\":{\"RAM\":[\"acs:ram::1234567890123456:root\"]}}]}");
            eventually(() -> assertThat(ram(onB, "GetRole", "RoleName", "reader")
                            .path("Role")
                            .path("RoleName")
                            .asText())
                    .isEqualTo("reader"));
            ok(onA, "CreateNetworkRule", "Name", "office", "Type", "Private", "SourcePrivateIp", "[\"10.0.0.0/8\"]");
            eventually(() -> assertThat(ok(onB, "DescribeNetworkRule", "Name", "office")
                            .path("Name")
                            .asText())
                    .isEqualTo("office"));

            // Every trigger the migrations create fired, bumped the counter and was announced.
            Set<String> migrationTables = triggerTablesInMigrations();
            assertThat(triggerTablesInDatabase()).isEqualTo(migrationTables);
            assertThat(cachedTablesInDatabase())
                    .as("every table but bookkeeping has a change trigger")
                    .isEqualTo(migrationTables);
            long generationAfter = changeGeneration();
            List<String[]> notes = drainNotifications(listener, generationAfter);
            Set<String> announced = new TreeSet<>();
            long previous = generationBefore;
            for (String[] n : notes) {
                long generation = Long.parseLong(n[0]);
                assertThat(generation).as("counter order").isGreaterThan(previous);
                previous = generation;
                assertThat(n[1]).isEqualTo("public");
                announced.add(n[2]);
            }
            assertThat(previous).isEqualTo(generationAfter);
            assertThat(announced).isEqualTo(migrationTables);
            System.out.printf(
                    "change triggers (%s): %d tables %s, counter %d -> %d, %d notifications%n",
                    sync, migrationTables.size(), migrationTables, generationBefore, generationAfter, notes.size());
        }
    }

    // ------------------------------------------------------------------ staleness, measured

    /**
     * How long after a write is acknowledged on A node B still serves the old state, over 50 changes: with
     * LISTEN/NOTIFY (and the default 1 s poll behind it), and with the poll alone (LISTEN off); see
     * {@link #measureStaleness}.
     */
    @Test
    void stalenessWithNotifyAndWithThePollAlone() throws Exception {
        long[] notify = measureStaleness(true, 50);
        a.close();
        b.close();
        a = null;
        b = null;
        long[] poll = measureStaleness(false, 50);
        String machine =
                Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version");
        System.out.printf("STALENESS LISTEN/NOTIFY + 1 s poll: %s (%s)%n", summary(notify), machine);
        System.out.printf("STALENESS poll only, 1 s:           %s (%s)%n", summary(poll), machine);
        assertThat(percentile(notify, 99)).as("p99 with NOTIFY, ms").isLessThan(500);
        // The poll alone: up to one interval, plus the reload, plus scheduling on a busy machine.
        assertThat(percentile(poll, 100)).as("max with the poll alone, ms").isLessThan(2_000);
    }

    /**
     * Milliseconds from A's acknowledgement until B saw each of {@code changes} writes. Ten keys are hot on B: a
     * loop reads each through B's in-process Encrypt (served from B's key cache) over and over, as traffic would.
     * One writer per key flips its key (DisableKey/EnableKey over HTTP on A) after a random pause of up to 1 s, so
     * the writes fall at every phase of B's 1 s poll, and flips it again once B has seen the previous flip. The
     * loop (every millisecond) stops each clock when B's view of the key changes; a change B saw before A's answer arrived counts 0.
     */
    private long[] measureStaleness(boolean listen, int changes) throws Exception {
        startPair(null, listen); // cacheSyncInterval unset: the production default, 1 s on PostgreSQL
        if (listen) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> b.listeningForChanges());
        }
        List<HotKey> hot = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            hot.add(new HotKey(onA.call("CreateKey", Map.of())
                    .body()
                    .path("KeyMetadata")
                    .path("KeyId")
                    .asText()));
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> hot.stream().allMatch(k -> enabledOnB(k.keyId)));
        AtomicInteger budget = new AtomicInteger(changes);
        List<Long> millis = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (HotKey k : hot) {
            Random random = new Random(k.keyId.hashCode());
            Thread writer = new Thread(
                    () -> {
                        try {
                            while (budget.getAndDecrement() > 0) {
                                Thread.sleep(random.nextInt(1000));
                                boolean target;
                                synchronized (k) {
                                    target = !k.enabled;
                                    k.acknowledged = 0;
                                    k.pending = true;
                                }
                                ok(onA, target ? "EnableKey" : "DisableKey", "KeyId", k.keyId);
                                synchronized (k) {
                                    if (k.pending) {
                                        k.acknowledged = System.nanoTime();
                                    }
                                    while (k.pending && failure.get() == null) {
                                        k.wait(100);
                                    }
                                }
                            }
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        }
                    },
                    "staleness-writer");
            writers.add(writer);
            writer.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (writers.stream().anyMatch(Thread::isAlive)) {
            if (System.nanoTime() > deadline) {
                failure.compareAndSet(null, new AssertionError("node B still serves an old key state after 60 s"));
            }
            if (failure.get() != null) {
                break;
            }
            for (HotKey k : hot) {
                boolean enabled = enabledOnB(k.keyId); // also keeps the key in B's cache
                synchronized (k) {
                    if (k.pending && enabled != k.enabled) {
                        millis.add(
                                k.acknowledged == 0
                                        ? 0
                                        : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - k.acknowledged));
                        k.enabled = enabled;
                        k.pending = false;
                        k.notifyAll();
                    }
                }
            }
            Thread.sleep(1); // a busy loop would take the CPU that nodes A and B (in this JVM) need
        }
        for (Thread w : writers) {
            w.join(TimeUnit.SECONDS.toMillis(5));
        }
        if (failure.get() != null) {
            throw new AssertionError("staleness run failed", failure.get());
        }
        assertThat(millis).hasSize(changes);
        return millis.stream().mapToLong(Long::longValue).toArray();
    }

    /** A key whose state a writer flips on A while the measuring loop watches it on B (guarded by itself). */
    private static final class HotKey {
        final String keyId;
        boolean enabled = true;
        boolean pending;
        long acknowledged;

        HotKey(String keyId) {
            this.keyId = keyId;
        }
    }

    /** B's own view: its in-process Encrypt, served from its key cache. */
    private boolean enabledOnB(String keyId) {
        try {
            b.kms().crypto().encrypt(keyId, new byte[] {1}, Map.of());
            return true;
        } catch (KmsException e) {
            if (!"Rejected.Disabled".equals(e.code())) {
                throw e;
            }
            return false;
        }
    }

    private static String summary(long[] millis) {
        return String.format(
                "n=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms",
                millis.length,
                percentile(millis, 50),
                percentile(millis, 90),
                percentile(millis, 99),
                percentile(millis, 100));
    }

    /** Nearest-rank percentile. */
    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    // ------------------------------------------------------------------ helpers

    /** Starts nodes a and b on the test's database; a later pair on the same database gets the first pair's root key. */
    private void startPair(Duration poll, boolean listen) throws Exception {
        String run = "run" + System.nanoTime();
        Path dirA = dir.resolve(run).resolve("a");
        Path dirB = dir.resolve(run).resolve("b");
        if (rootKey != null) {
            Files.createDirectories(dirA);
            Files.copy(rootKey, dirA.resolve("root.key"));
        }
        a = OpenKmsServer.start(node(dirA, poll, listen));
        rootKey = dirA.resolve("root.key");
        Files.createDirectories(dirB);
        Files.copy(rootKey, dirB.resolve("root.key"));
        b = OpenKmsServer.start(node(dirB, poll, listen));
        onA = new SignedClient("http://127.0.0.1:" + a.httpPort(), "LTAInodes", "nodes-secret");
        onB = new SignedClient("http://127.0.0.1:" + b.httpPort(), "LTAInodes", "nodes-secret");
    }

    private ServerConfig node(Path dataDir, Duration poll, boolean listen) {
        return ServerConfig.defaults()
                .withDataDir(dataDir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withStorageUrl(databaseUrl())
                .withRootAccessKey("LTAInodes", "nodes-secret")
                .withCacheSyncInterval(poll)
                .withCacheListen(listen)
                .withMinKeyVersionInterval(Duration.ZERO);
    }

    private String databaseUrl() {
        return ADMIN_URL.replaceFirst("/test\\?", "/" + database + "?");
    }

    private JsonNode encryptOnB(String keyId) throws Exception {
        return ok(onB, "Encrypt", "KeyId", keyId, "Plaintext", "aGk=");
    }

    private static JsonNode ok(SignedClient client, String action, String... kv) throws Exception {
        SignedClient.Reply r = client.call(action, params(kv));
        assertThat(r.status()).as(action + " " + r.raw()).isEqualTo(200);
        return r.body();
    }

    /** A RAM call (API version 2015-05-01 on the same endpoint). */
    private static JsonNode ram(SignedClient client, String action, String... kv) throws Exception {
        String[] withVersion = Arrays.copyOf(kv, kv.length + 2);
        withVersion[kv.length] = "Version";
        withVersion[kv.length + 1] = "2015-05-01";
        return ok(client, action, withVersion);
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void eventually(ThrowingRunnable assertion) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(assertion::run);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private long changeGeneration() throws Exception {
        return Long.parseLong(queryDatabase("SELECT value FROM change_generation WHERE id = 1")
                .get(0));
    }

    /** The tables the PostgreSQL migrations put a change-counter trigger on, read from the migration scripts. */
    private static Set<String> triggerTablesInMigrations() throws Exception {
        Pattern trigger = Pattern.compile(
                "CREATE TRIGGER \\w+ AFTER [A-Z ]+ ON (\\w+) FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation");
        Set<String> tables = new TreeSet<>();
        URI location = OpenKmsServer.class
                .getClassLoader()
                .getResource("db/migration/postgresql")
                .toURI();
        // target/classes in a reactor build, a jar otherwise
        try (FileSystem jar =
                        "jar".equals(location.getScheme()) ? FileSystems.newFileSystem(location, Map.of()) : null;
                var files = Files.list(Path.of(location))) {
            List<Path> scripts = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .toList();
            assertThat(scripts).hasSizeGreaterThanOrEqualTo(6);
            for (Path script : scripts) {
                Matcher m = trigger.matcher(Files.readString(script));
                while (m.find()) {
                    tables.add(m.group(1));
                }
            }
        }
        assertThat(tables).isNotEmpty();
        return tables;
    }

    private Set<String> triggerTablesInDatabase() throws Exception {
        return new TreeSet<>(
                queryDatabase(
                        "SELECT DISTINCT event_object_table FROM information_schema.triggers"
                                + " WHERE trigger_schema = current_schema() AND action_statement LIKE '%openkms_bump_change_generation%'"));
    }

    /**
     * Every table but Flyway's history, the counter itself, server_meta (read once at start, cached nowhere) and
     * kms_instances (written once at first start, cached nowhere).
     */
    /** Every table but bookkeeping and the ones read per call, never cached (instances, OIDC providers). */
    private Set<String> cachedTablesInDatabase() throws Exception {
        return new TreeSet<>(
                queryDatabase("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " AND table_type = 'BASE TABLE' AND table_name NOT IN ('flyway_schema_history',"
                        + " 'change_generation', 'server_meta', 'kms_instances', 'oidc_providers')"));
    }

    private List<String> queryDatabase(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(databaseUrl());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    /** The payloads {generation, schema, table} received on {@code listener}, up to the one that announces {@code last}. */
    private static List<String[]> drainNotifications(Connection listener, long last) throws Exception {
        PGConnection pg = listener.unwrap(PGConnection.class);
        List<String[]> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (all.isEmpty() || Long.parseLong(all.get(all.size() - 1)[0]) < last) {
            assertThat(System.nanoTime()).as("notifications up to " + last).isLessThan(deadline);
            PGNotification[] batch = pg.getNotifications(200);
            if (batch != null) {
                for (PGNotification n : batch) {
                    all.add(n.getParameter().split(":", 3));
                }
            }
        }
        return all;
    }
}
