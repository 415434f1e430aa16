package org.openkms.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;

/**
 * {@code openkms admin rotate-root-key} on a real data dir: after it, a server starts with the new root key (its
 * check value, the instance gateway's sealed TLS key), the AccessKeys still sign, every ciphertext made before
 * still decrypts, signatures still verify, secrets still read; the old root key no longer opens the database.
 */
class RotateRootKeyTest {
    private static final String AK = "LTAIrotatetest";
    private static final String SECRET = "rotate-test-secret";

    @TempDir
    Path tmp;

    private static ServerConfig config(Path dataDir) {
        return ServerConfig.defaults()
                .withDataDir(dataDir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withInstanceListen("127.0.0.1:0")
                .withMinKeyVersionInterval(java.time.Duration.ZERO)
                .withRootAccessKey(AK, SECRET);
    }

    private static SignedClient client(OpenKmsServer s) {
        return new SignedClient("http://127.0.0.1:" + s.httpPort(), AK, SECRET);
    }

    private static String ok(SignedClient.Reply r, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().at(field).asText();
    }

    @Test
    void everythingSealedOpensUnderTheNewRootKey() throws Exception {
        Path data = tmp.resolve("data");
        String plaintext = Base64.getEncoder().encodeToString("rotate me".getBytes(StandardCharsets.UTF_8));
        String digest = Base64.getEncoder().encodeToString(new byte[32]);
        String blob;
        String ecKey;
        String signature;
        String[] userKey;
        try (OpenKmsServer server = OpenKmsServer.start(config(data))) {
            SignedClient c = client(server);
            String keyId = ok(c.call("CreateKey", Map.of()), "/KeyMetadata/KeyId");
            ok(c.call("CreateKeyVersion", Map.of("KeyId", keyId)), "/KeyVersion/KeyVersionId");
            blob = ok(c.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", plaintext)), "/CiphertextBlob");
            ecKey = ok(
                    c.call("CreateKey", Map.of("KeySpec", "EC_P256", "KeyUsage", "SIGN/VERIFY")), "/KeyMetadata/KeyId");
            String ecVersion =
                    ok(c.call("ListKeyVersions", Map.of("KeyId", ecKey)), "/KeyVersions/KeyVersion/0/KeyVersionId");
            signature = ok(
                    c.call(
                            "AsymmetricSign",
                            Map.of(
                                    "KeyId",
                                    ecKey,
                                    "KeyVersionId",
                                    ecVersion,
                                    "Algorithm",
                                    "ECDSA_SHA_256",
                                    "Digest",
                                    digest)),
                    "/Value");
            ok(c.call("CreateSecret", Map.of("SecretName", "db", "VersionId", "v1", "SecretData", "pw")), "/Arn");
            ok(c.call("CreateUser", Map.of("UserName", "bob", "Version", "2015-05-01")), "/User/UserName");
            userKey = new String[] {
                ok(
                        c.call("CreateAccessKey", Map.of("UserName", "bob", "Version", "2015-05-01")),
                        "/AccessKey/AccessKeyId"),
                null
            };
            assertThat(userKey[0]).isNotEmpty();
            assertRefusedWhileRunning(data);
        }
        byte[] oldKey = Files.readAllBytes(data.resolve("root.key"));

        BackupRestoreTest.Run run = BackupRestoreTest.admin(Map.of(), "rotate-root-key", "--data-dir", data.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("re-sealed", "AccessKeys");
        byte[] newKey = Files.readAllBytes(data.resolve("root.key"));
        assertThat(newKey).hasSize(32).isNotEqualTo(oldKey);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("root.key"))))
                .isEqualTo("rw-------");
        assertThat(data.resolve("root.key.old")).doesNotExist();
        assertThat(data.resolve("root.key.new")).doesNotExist();

        try (OpenKmsServer server = OpenKmsServer.start(config(data))) {
            assertThat(server.instancePort()).isPositive();
            SignedClient c = client(server);
            assertThat(ok(c.call("Decrypt", Map.of("CiphertextBlob", blob)), "/Plaintext"))
                    .isEqualTo(plaintext);
            String ecVersion =
                    ok(c.call("ListKeyVersions", Map.of("KeyId", ecKey)), "/KeyVersions/KeyVersion/0/KeyVersionId");
            assertThat(ok(
                            c.call(
                                    "AsymmetricVerify",
                                    Map.of(
                                            "KeyId", ecKey,
                                            "KeyVersionId", ecVersion,
                                            "Algorithm", "ECDSA_SHA_256",
                                            "Digest", digest,
                                            "Value", signature)),
                            "/Value"))
                    .isEqualTo("true");
            assertThat(ok(c.call("GetSecretValue", Map.of("SecretName", "db")), "/SecretData"))
                    .isEqualTo("pw");
        }

        // The old key is refused by the server now: the database is under the new one only.
        Files.write(data.resolve("root.key"), oldKey);
        try {
            OpenKmsServer.start(config(data)).close();
            throw new AssertionError("the server started with the old root key");
        } catch (org.openkms.server.config.ConfigException e) {
            assertThat(e.getMessage()).contains("is not the root key this database was sealed under");
        }

        // Interrupted after the commit, before the rename: a second run finishes it.
        Files.write(data.resolve("root.key.new"), newKey);
        run = BackupRestoreTest.admin(Map.of(), "rotate-root-key", "--data-dir", data.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("finished an interrupted rotation");
        assertThat(Files.readAllBytes(data.resolve("root.key"))).isEqualTo(newKey);

        // Interrupted before the commit: the stray new key is discarded and the rotation runs.
        Files.write(data.resolve("root.key.new"), new byte[32]);
        run = BackupRestoreTest.admin(Map.of(), "rotate-root-key", "--data-dir", data.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("re-sealed");
        try (OpenKmsServer server = OpenKmsServer.start(config(data))) {
            assertThat(ok(client(server).call("Decrypt", Map.of("CiphertextBlob", blob)), "/Plaintext"))
                    .isEqualTo(plaintext);
        }
    }

    private static void assertRefusedWhileRunning(Path data) {
        BackupRestoreTest.Run run = BackupRestoreTest.admin(Map.of(), "rotate-root-key", "--data-dir", data.toString());
        assertThat(run.status()).isEqualTo(AdminMain.REFUSED);
        assertThat(run.err()).contains("another OpenKMS server");
    }
}
