package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.crypto.SecureRandoms;
import org.openkms.server.config.ConfigException;
import org.openkms.server.config.ServerConfig;
import org.slf4j.LoggerFactory;

/**
 * The root key belongs to its database: it is made only for an empty one, and a server whose root key file is
 * missing, damaged or another database's refuses to start (ConfigException, one line) instead of making a new
 * key, answering /healthz and failing every call — or, with OPENKMS_ROOT_ACCESS_KEY_ID/_SECRET set, sealing a
 * new administrator AccessKey and new keys under a second root. Also: the data dir's files are private from the
 * moment they exist, and one data dir serves one server at a time.
 */
class RootKeyStartupTest {
    private static final String AK = "LTAIrootkey";
    private static final String SECRET = "rootkey-secret";

    @TempDir
    Path dir;

    private ServerConfig config(Path dataDir) {
        return ServerConfig.defaults()
                .withDataDir(dataDir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey(AK, SECRET);
    }

    /** Starts, makes a key and an encrypted blob, stops; returns the blob. */
    private String populate(Path dataDir) throws Exception {
        try (OpenKmsServer s = OpenKmsServer.start(config(dataDir))) {
            SignedClient c = client(s);
            String keyId = c.call("CreateKey", Map.of())
                    .body()
                    .path("KeyMetadata")
                    .path("KeyId")
                    .asText();
            return c.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGk="))
                    .body()
                    .path("CiphertextBlob")
                    .asText();
        }
    }

    private static SignedClient client(OpenKmsServer s) {
        return new SignedClient("http://127.0.0.1:" + s.httpPort(), AK, SECRET);
    }

    private ConfigException refusal(Path dataDir) {
        try {
            OpenKmsServer s = OpenKmsServer.start(config(dataDir));
            s.close();
        } catch (ConfigException e) {
            assertThat(e.line()).doesNotContain("\n");
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a ConfigException", e);
        }
        throw new AssertionError("the server started");
    }

    private static int count(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aMissingRootKeyIsNotReplacedWhenTheDatabaseHoldsData() throws Exception {
        Path data = dir.resolve("data");
        populate(data);
        Path db = data.resolve("openkms.db");
        int accessKeys = count(db, "SELECT COUNT(*) FROM access_keys");
        Files.delete(data.resolve("root.key"));

        ConfigException e = refusal(data);
        assertThat(e.line())
                .isEqualTo("openkms: root key " + data.resolve("root.key")
                        + " is missing, but the database already holds data"
                        + " sealed under a root key; restore root.key from a backup (a further node of a cluster: copy it from the first node's"
                        + " data dir). A new root key could not open that data, so none is made");
        assertThat(data.resolve("root.key")).doesNotExist();
        assertThat(count(db, "SELECT COUNT(*) FROM access_keys")).isEqualTo(accessKeys);
    }

    @Test
    void aDamagedOrForeignRootKeyIsRefusedAndTheRightOneStillWorks() throws Exception {
        Path data = dir.resolve("data");
        String blob = populate(data);
        Path keyFile = data.resolve("root.key");
        byte[] right = Files.readAllBytes(keyFile);

        Files.write(keyFile, SecureRandoms.bytes(32));
        assertThat(refusal(data).line())
                .isEqualTo("openkms: root key " + keyFile + " is not the root key this database was sealed under;"
                        + " restore root.key from a backup (a further node of a cluster: copy it from the first node's data dir),"
                        + " or point --data-dir/--storage-url at the database it belongs to");
        Files.write(keyFile, new byte[16]);
        assertThat(refusal(data).getMessage())
                .startsWith("root key file " + keyFile + " must hold exactly 32 bytes, found 16;");
        assertThat(Files.size(keyFile)).isEqualTo(16); // never overwritten

        Files.write(keyFile, right);
        try (OpenKmsServer s = OpenKmsServer.start(config(data))) {
            assertThat(client(s)
                            .call("Decrypt", Map.of("CiphertextBlob", blob))
                            .body()
                            .path("Plaintext")
                            .asText())
                    .isEqualTo("aGk=");
        }
    }

    @Test
    void aNewDatabaseGetsARootKeyAndItsCheckValue() throws Exception {
        Path data = dir.resolve("data");
        try (OpenKmsServer s = OpenKmsServer.start(config(data))) {
            assertThat(s.generatedRootAccessKey()).isNull();
        }
        assertThat(count(data.resolve("openkms.db"), "SELECT COUNT(*) FROM server_meta WHERE name = 'root_key_check'"))
                .isEqualTo(1);
        // A root key copied into a fresh data dir (a second node, a restore) is taken for the new empty database.
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Files.copy(data.resolve("root.key"), copy.resolve("root.key"));
        try (OpenKmsServer s = OpenKmsServer.start(config(copy))) {
            assertThat(s.httpPort()).isPositive();
        }
        assertThat(Files.readAllBytes(copy.resolve("root.key")))
                .isEqualTo(Files.readAllBytes(data.resolve("root.key")));
    }

    @Test
    void aDatabaseFromBeforeTheCheckValueIsCheckedAgainstItsSealedRows() throws Exception {
        Path data = dir.resolve("data");
        String blob = populate(data);
        Path db = data.resolve("openkms.db");
        Path keyFile = data.resolve("root.key");
        byte[] right = Files.readAllBytes(keyFile);
        execute(db, "DELETE FROM server_meta");

        Files.write(keyFile, SecureRandoms.bytes(32));
        assertThat(refusal(data).getMessage()).contains("is not the root key this database was sealed under");
        assertThat(count(db, "SELECT COUNT(*) FROM server_meta")).isZero();

        // Without AccessKeys the key versions are tried.
        execute(db, "DELETE FROM access_keys");
        assertThat(refusal(data).getMessage()).contains("is not the root key this database was sealed under");

        Files.write(keyFile, right);
        try (OpenKmsServer s = OpenKmsServer.start(config(data))) {
            assertThat(client(s)
                            .call("Decrypt", Map.of("CiphertextBlob", blob))
                            .body()
                            .path("Plaintext")
                            .asText())
                    .isEqualTo("aGk=");
        }
        assertThat(count(db, "SELECT COUNT(*) FROM server_meta WHERE name = 'root_key_check'"))
                .isEqualTo(1);
    }

    @Test
    void theDataDirAndItsSecretsArePrivateFromTheStart() throws Exception {
        Path data = dir.resolve("data");
        try (OpenKmsServer s = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(data)
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0"))) {
            assertThat(s.generatedRootAccessKey()).isNotNull();
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("tls"))).isEqualTo("rwx------");
            for (String f : new String[] {
                "root.key",
                "openkms.db",
                "openkms.db-wal",
                "openkms.db-shm",
                "root-credentials",
                "tls/server.key",
                ".lock"
            }) {
                assertThat(mode(data.resolve(f))).as(f).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void aRootKeyOthersCanReadAndADataDirOthersCanEnterAreWarnedAboutAtStartup() throws Exception {
        Path data = dir.resolve("data");
        populate(data); // made private: 0700 and 0600
        Path rootKey = data.resolve("root.key");
        assertThat(startupWarnings(data)).isEmpty();

        // As an older version, a restore or a careless chmod may leave them.
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x--x"));
        Files.setPosixFilePermissions(rootKey, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> warnings = startupWarnings(data);
        assertThat(warnings)
                .containsExactlyInAnyOrder(
                        "data dir " + data + " can be entered by other users (mode rwxr-x--x); make it private to"
                                + " the server's user: chmod 700 " + data,
                        "root key " + rootKey + " can be read by other users (mode rw-r--r--); make it private to"
                                + " the server's user: chmod 600 " + rootKey);
        // Only warned about, left as found (the operator decides), and the server works.
        assertThat(mode(data)).isEqualTo("rwxr-x--x");
        assertThat(mode(rootKey)).isEqualTo("rw-r--r--");
        // Group-readable alone is enough for the root key: anyone in the group could read every key.
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(rootKey, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(startupWarnings(data)).singleElement().asString().startsWith("root key " + rootKey);
    }

    /** Starts and stops a server on {@code data}, returning what RootKeyGuard and DataDirLock warned. */
    private List<String> startupWarnings(Path data) throws Exception {
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(RootKeyGuard.class), (Logger)
                LoggerFactory.getLogger(DataDirLock.class));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        loggers.forEach(l -> l.addAppender(log));
        try (OpenKmsServer s = OpenKmsServer.start(config(data))) {
            assertThat(client(s).call("DescribeRegions", Map.of()).status()).isEqualTo(200);
        } finally {
            loggers.forEach(l -> l.detachAppender(log));
        }
        synchronized (log) { // AppenderBase.doAppend appends under the appender's lock
            List<String> w = new ArrayList<>();
            for (ILoggingEvent e : log.list) {
                if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                    w.add(e.getFormattedMessage());
                }
            }
            return w;
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void oneDataDirServesOneServerAtATime() throws Exception {
        Path data = dir.resolve("data");
        try (OpenKmsServer first = OpenKmsServer.start(config(data))) {
            assertThat(refusal(data).line())
                    .isEqualTo("openkms: another OpenKMS server (pid "
                            + ProcessHandle.current().pid() + ") is using data dir " + data
                            + " (stop it first, or give this server its own --data-dir)");
            assertThat(client(first).call("DescribeRegions", Map.of()).status()).isEqualTo(200);
        }
        try (OpenKmsServer again = OpenKmsServer.start(config(data))) {
            assertThat(again.httpPort()).isPositive();
        }
    }

    @Test
    void oneSqliteFileOutsideTheDataDirServesOneServerAtATime() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shared.db");
        try (OpenKmsServer first = OpenKmsServer.start(config(dir.resolve("a")).withStorageUrl(url))) {
            assertThatThrownBy(
                            () -> OpenKmsServer.start(config(dir.resolve("b")).withStorageUrl(url)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("is using SQLite database " + dir.resolve("shared.db"))
                    .hasMessageContaining("give this server its own --storage-url");
            assertThat(dir.resolve("b").resolve("root.key")).doesNotExist();
        }
    }
}
