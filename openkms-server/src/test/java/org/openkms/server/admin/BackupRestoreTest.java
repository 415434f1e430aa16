package org.openkms.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;
import org.openkms.storage.TestPostgres;
import picocli.CommandLine;

/**
 * Backup and restore through {@code openkms admin}, with real servers on real SQLite and PostgreSQL: a snapshot
 * taken while writers create keys, encrypt and create secrets through the API holds every write acknowledged before
 * it began, and a server started on the restored data with the exported root key decrypts every ciphertext made
 * before it. Damaged snapshots, wrong passphrases and non-empty targets are refused with one line, nothing written.
 */
class BackupRestoreTest {
    private static final String AK = "LTAIbackuptest";
    private static final String SECRET = "backup-test-secret";
    private static final Map<String, String> ENV = Map.of(Passphrases.ENV, "correct horse battery staple");

    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {}

    /** A write the API acknowledged: a ciphertext of plaintext under keyId, and a secret with its value. */
    record Ack(long at, String keyId, String blob, String plaintext, String secretName, String secretValue) {}

    static Run admin(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = AdminMain.commandLine(env);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static ServerConfig config(Path dataDir) {
        return ServerConfig.defaults()
                .withDataDir(dataDir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey(AK, SECRET);
    }

    private static SignedClient client(OpenKmsServer s) {
        return new SignedClient("http://127.0.0.1:" + s.httpPort(), AK, SECRET);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** One key, one ciphertext and one secret, acknowledged. */
    private static Ack write(SignedClient c, String tag) throws Exception {
        SignedClient.Reply key = c.call("CreateKey", Map.of());
        assertThat(key.status()).as(key.raw()).isEqualTo(200);
        String keyId = key.body().path("KeyMetadata").path("KeyId").asText();
        String plaintext = "plain-" + tag;
        SignedClient.Reply enc = c.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", b64(plaintext)));
        assertThat(enc.status()).as(enc.raw()).isEqualTo(200);
        String secretName = "secret-" + tag;
        SignedClient.Reply sec = c.call(
                "CreateSecret", Map.of("SecretName", secretName, "VersionId", "v1", "SecretData", "value-" + tag));
        assertThat(sec.status()).as(sec.raw()).isEqualTo(200);
        return new Ack(
                System.nanoTime(),
                keyId,
                enc.body().path("CiphertextBlob").asText(),
                plaintext,
                secretName,
                "value-" + tag);
    }

    private static void assertPresent(SignedClient c, Iterable<Ack> acks) throws Exception {
        int checked = 0;
        for (Ack a : acks) {
            SignedClient.Reply dec = c.call("Decrypt", Map.of("CiphertextBlob", a.blob()));
            assertThat(dec.status()).as(dec.raw()).isEqualTo(200);
            assertThat(dec.body().path("Plaintext").asText()).isEqualTo(b64(a.plaintext()));
            assertThat(dec.body().path("KeyId").asText()).isEqualTo(a.keyId());
            SignedClient.Reply sec = c.call("GetSecretValue", Map.of("SecretName", a.secretName()));
            assertThat(sec.status()).as(sec.raw()).isEqualTo(200);
            assertThat(sec.body().path("SecretData").asText()).isEqualTo(a.secretValue());
            checked++;
        }
        assertThat(checked).isPositive();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void assertRefused(Run r, String... fragments) {
        assertThat(r.status()).as(r.err()).isEqualTo(AdminMain.REFUSED);
        assertThat(r.err().strip()).as("one line").doesNotContain("\n").startsWith("openkms");
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
    }

    @Test
    void backupUnderWriteLoadRestoresEveryAcknowledgedWrite() throws Exception {
        Path data = tmp.resolve("data");
        Path snapshot = tmp.resolve("snap.okb");
        Path rootKey = tmp.resolve("root.okk");
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        long backupStarted;
        try (OpenKmsServer server = OpenKmsServer.start(config(data))) {
            SignedClient c = client(server);
            for (int i = 0; i < 20; i++) {
                acks.add(write(c, "seed-" + i));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            acks.add(write(c, "w" + id + "-" + i));
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                w.start();
                writers.add(w);
            }
            Thread.sleep(500);
            backupStarted = System.nanoTime();
            Run backup = admin(ENV, "backup", "--data-dir", data.toString(), "--out", snapshot.toString());
            long backupEnded = System.nanoTime();
            Thread.sleep(200);
            stop.set(true);
            for (Thread w : writers) {
                w.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(backup.status()).as(backup.err()).isZero();
            assertThat(backup.out()).contains("wrote " + snapshot);
            assertThat(backup.err()).as("no progress bar without a terminal").isEmpty();
            // writes overlapped the backup on both sides
            assertThat(acks.stream().filter(a -> a.at() > backupStarted && a.at() < backupEnded))
                    .isNotEmpty();
            assertThat(acks.stream().filter(a -> a.at() > backupEnded)).isNotEmpty();
            Run export = admin(ENV, "export-root-key", "--data-dir", data.toString(), "--out", rootKey.toString());
            assertThat(export.status()).as(export.err()).isZero();
        }
        assertThat(mode(snapshot)).isEqualTo("rw-------");
        assertThat(mode(rootKey)).isEqualTo("rw-------");
        assertThat(Files.readString(snapshot, StandardCharsets.ISO_8859_1))
                .as("the manifest is readable, the payload is not")
                .contains("\"sourceStorage\" : \"sqlite\"", "\"rowCounts\"", "\"payloadSha256\"", "scrypt")
                .doesNotContain("secret-seed-0", "value-seed-0");
        assertThat(Files.readAllBytes(snapshot).length).isGreaterThan(1000);

        Path restored = tmp.resolve("restored");
        Run restore = admin(
                ENV,
                "restore",
                "--in",
                snapshot.toString(),
                "--data-dir",
                restored.toString(),
                "--root-key-file",
                rootKey.toString());
        assertThat(restore.status()).as(restore.err()).isZero();
        assertThat(mode(restored)).isEqualTo("rwx------");
        assertThat(mode(restored.resolve("root.key"))).isEqualTo("rw-------");
        assertThat(mode(restored.resolve("openkms.db"))).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(restored.resolve("root.key")))
                .isEqualTo(Files.readAllBytes(data.resolve("root.key")));

        List<Ack> before = acks.stream().filter(a -> a.at() < backupStarted).toList();
        assertThat(before.size()).isGreaterThan(20);
        try (OpenKmsServer server = OpenKmsServer.start(config(restored))) {
            SignedClient c = client(server);
            assertPresent(c, before);
            // the restored server goes on writing: its sequences continue after the restored rows
            assertPresent(c, List.of(write(c, "after-restore")));
        }
    }

    /** A stopped server's data dir with a few keys and secrets, its snapshot and its wrapped root key. */
    private record Source(Path data, Path snapshot, Path rootKey, List<Ack> acks) {}

    private Source source() throws Exception {
        Path data = tmp.resolve("src");
        List<Ack> acks = new ArrayList<>();
        try (OpenKmsServer server = OpenKmsServer.start(config(data))) {
            for (int i = 0; i < 5; i++) {
                acks.add(write(client(server), "src-" + i));
            }
        }
        Path snapshot = tmp.resolve("src.okb");
        Path rootKey = tmp.resolve("src.okk");
        assertThat(admin(ENV, "backup", "--data-dir", data.toString(), "--out", snapshot.toString(), "--quiet")
                        .status())
                .isZero();
        assertThat(admin(ENV, "export-root-key", "--data-dir", data.toString(), "--out", rootKey.toString())
                        .status())
                .isZero();
        return new Source(data, snapshot, rootKey, acks);
    }

    private Run restore(Path in, Path target, Path rootKey, Map<String, String> env) {
        return admin(
                env,
                "restore",
                "--in",
                in.toString(),
                "--data-dir",
                target.toString(),
                "--root-key-file",
                rootKey.toString());
    }

    @Test
    void damagedSnapshotsAndWrongPassphrasesAreRefusedAndNothingIsWritten() throws Exception {
        Source s = source();
        byte[] good = Files.readAllBytes(s.snapshot());
        Path target = tmp.resolve("target");

        Path flipped = tmp.resolve("flipped.okb");
        byte[] bad = good.clone();
        bad[bad.length - 40] ^= 0x01;
        Files.write(flipped, bad);
        assertRefused(restore(flipped, target, s.rootKey(), ENV), "corrupted");
        assertThat(target).doesNotExist();

        Path manifestFlipped = tmp.resolve("manifest.okb");
        bad = good.clone();
        int at = new String(good, StandardCharsets.ISO_8859_1).indexOf("\"createdAt\"") + 20;
        bad[at] = (byte) (bad[at] == '1' ? '2' : '1');
        Files.write(manifestFlipped, bad);
        assertRefused(restore(manifestFlipped, target, s.rootKey(), ENV), "corrupted");
        assertThat(target).doesNotExist();

        for (int length : new int[] {good.length - 1, good.length / 2, 30, 5}) {
            Path truncated = tmp.resolve("truncated-" + length + ".okb");
            Files.write(truncated, java.util.Arrays.copyOf(good, length));
            assertRefused(restore(truncated, target, s.rootKey(), ENV), "--in " + truncated);
            assertThat(target).doesNotExist();
        }

        assertRefused(
                restore(s.snapshot(), target, s.rootKey(), Map.of(Passphrases.ENV, "not the passphrase at all")),
                "wrong passphrase");
        assertThat(target).doesNotExist();
        assertRefused(restore(s.snapshot(), target, s.rootKey(), Map.of()), Passphrases.ENV);
        assertThat(target).doesNotExist();

        // the root key of another data dir does not open this snapshot's data
        Path other = tmp.resolve("other");
        try (OpenKmsServer server = OpenKmsServer.start(config(other))) {
            assertThat(server.httpPort()).isPositive();
        }
        Path otherKey = tmp.resolve("other.okk");
        assertThat(admin(ENV, "export-root-key", "--data-dir", other.toString(), "--out", otherKey.toString())
                        .status())
                .isZero();
        assertRefused(restore(s.snapshot(), target, otherKey, ENV), "not the root key");
        assertThat(target).doesNotExist();

        // a snapshot is not a root key, and the other way round
        assertRefused(restore(s.snapshot(), target, s.snapshot(), ENV), "not a root-key");
        assertThat(target).doesNotExist();

        // output files are never overwritten
        assertRefused(
                admin(
                        ENV,
                        "backup",
                        "--data-dir",
                        s.data().toString(),
                        "--out",
                        s.snapshot().toString()),
                "exists");
        assertThat(Files.readAllBytes(s.snapshot())).isEqualTo(good);
    }

    @Test
    void aNonEmptyTargetIsRefused() throws Exception {
        Source s = source();
        Path target = tmp.resolve("busy");
        Files.createDirectories(target);
        Files.writeString(target.resolve("something"), "x");
        assertRefused(restore(s.snapshot(), target, s.rootKey(), ENV), "is not empty");
        assertThat(target.resolve("root.key")).doesNotExist();
        assertRefused(restore(s.snapshot(), s.data(), s.rootKey(), ENV), "is not empty");

        // an empty existing directory is fine, and is made private
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        Run ok = restore(s.snapshot(), empty, s.rootKey(), ENV);
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(mode(empty)).isEqualTo("rwx------");
    }

    @Test
    void postgresqlRoundTrip() throws Exception {
        Source s = source();
        try (TestPostgres.Database db = TestPostgres.createDatabase("openkms_restore")) {
            Path pgData = tmp.resolve("pg-data");
            Run toPg = admin(
                    ENV,
                    "restore",
                    "--in",
                    s.snapshot().toString(),
                    "--storage-url",
                    db.url(),
                    "--data-dir",
                    pgData.toString(),
                    "--root-key-file",
                    s.rootKey().toString());
            assertThat(toPg.status()).as(toPg.err()).isZero();
            try (OpenKmsServer server = OpenKmsServer.start(config(pgData).withStorageUrl(db.url()))) {
                SignedClient c = client(server);
                assertPresent(c, s.acks());
                assertPresent(c, List.of(write(c, "on-pg")));
            }
            // PostgreSQL is not empty any more
            assertRefused(
                    admin(ENV, "restore", "--in", s.snapshot().toString(), "--storage-url", db.url()), "is not empty");

            // and back: a PostgreSQL snapshot restores into SQLite
            Path pgSnapshot = tmp.resolve("pg.okb");
            Run backup = admin(ENV, "backup", "--storage-url", db.url(), "--out", pgSnapshot.toString());
            assertThat(backup.status()).as(backup.err()).isZero();
            assertThat(backup.out()).contains("postgresql schema version");
            Path back = tmp.resolve("back");
            Run restore = restore(pgSnapshot, back, s.rootKey(), ENV);
            assertThat(restore.status()).as(restore.err()).isZero();
            try (OpenKmsServer server = OpenKmsServer.start(config(back))) {
                assertPresent(client(server), s.acks());
            }
        }
    }

    @Test
    void createAccessKeyOfflineAndRefusedWhileTheServerRuns() throws Exception {
        Source s = source();
        Run created =
                admin(Map.of(), "create-access-key", "--data-dir", s.data().toString());
        assertThat(created.status()).as(created.err()).isZero();
        Matcher m = Pattern.compile("AccessKeyId: (\\S+)\\s+AccessKeySecret: (\\S+)")
                .matcher(created.out());
        assertThat(m.find()).as(created.out()).isTrue();
        try (OpenKmsServer server = OpenKmsServer.start(config(s.data()))) {
            SignedClient fresh = new SignedClient("http://127.0.0.1:" + server.httpPort(), m.group(1), m.group(2));
            SignedClient.Reply list = fresh.call("ListKeys", Map.of());
            assertThat(list.status()).as(list.raw()).isEqualTo(200);
            assertThat(client(server)
                            .call("CreateUser", Map.of("UserName", "alice", "Version", "2015-05-01"))
                            .status())
                    .isEqualTo(200);
            assertRefused(
                    admin(Map.of(), "create-access-key", "--data-dir", s.data().toString()), "another OpenKMS server");
        }
        Run forUser =
                admin(Map.of(), "create-access-key", "--data-dir", s.data().toString(), "--user", "alice");
        assertThat(forUser.status()).as(forUser.err()).isZero();
        assertRefused(
                admin(Map.of(), "create-access-key", "--data-dir", s.data().toString(), "--user", "bob"),
                "no such RAM user");
    }
}
