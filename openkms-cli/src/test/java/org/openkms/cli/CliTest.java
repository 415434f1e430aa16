package org.openkms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/** The CLI against a real in-process server, as a user runs it: arguments in, text and exit status out. */
class CliTest {
    private static final String ID = "LTAI5tCliTest00000000";
    private static final String SECRET = "CliTest0Secret0For0OpenKMS00000";

    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey(ID, SECRET));
        env = new HashMap<>();
        env.put("OPENKMS_ENDPOINT", "http://127.0.0.1:" + server.httpPort());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", ID);
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Result(int status, String out, String err, byte[] bytes) {}

    static Result run(Map<String, String> environment, byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CliMain.run(
                args,
                environment,
                new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(
                status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), out.toByteArray());
    }

    static Result run(String... args) {
        return run(env, new byte[0], args);
    }

    static String createKey() {
        Result r = run("kms", "CreateKey", "--Description", "cli test", "--output", "cols=KeyId", "rows=KeyMetadata");
        assertThat(r.status()).as(r.err()).isZero();
        return r.out().lines().skip(2).findFirst().orElseThrow().trim();
    }

    @Test
    void anyActionWithItsApiParametersPrintsTheJsonAnswer() {
        String keyId = createKey();
        Result r = run("kms", "DescribeKey", "--KeyId", keyId);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"KeyMetadata\"").contains("\"KeyId\" : \"" + keyId + "\"");
        assertThat(run("kms", "DescribeKey", "--KeyId=" + keyId).out()).contains(keyId);
    }

    @Test
    void outputColsAndRowsPrintATable() {
        String keyId = createKey();
        Result r = run("kms", "ListKeys", "--PageSize", "100", "--output", "cols=KeyId,KeyArn", "rows=Keys.Key[]");
        assertThat(r.status()).as(r.err()).isZero();
        var lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("KeyId +\\| KeyArn");
        assertThat(lines.get(1)).matches("-+ \\| -+");
        assertThat(lines).anyMatch(l -> l.startsWith(keyId + " | acs:kms:cn-hangzhou:"));
    }

    @Test
    void apiErrorsPrintTheirCodeAndMessageAndExitWithOne() {
        Result r = run("kms", "DescribeKey", "--KeyId", "alias/none-such");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("ErrorCode: Forbidden.AliasNotFound").contains("StatusCode: 404");
        assertThat(r.out()).isEmpty();

        Result missing = run("kms", "DescribeKey");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("ErrorCode: MissingParameter");
    }

    @Test
    void wrongCredentialsAreTheServersErrorNotAStackTrace() {
        Map<String, String> bad = new HashMap<>(env);
        bad.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong");
        Result r = run(bad, new byte[0], "kms", "ListKeys");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("ErrorCode: SignatureDoesNotMatch").doesNotContain("Exception");
    }

    @Test
    void usageErrorsAreOneLineWithExitTwo() {
        Result twice = run("kms", "DescribeKey", "--KeyId", "a", "--KeyId", "b");
        assertThat(twice.status()).isEqualTo(2);
        assertThat(twice.err().strip()).isEqualTo("openkms: --KeyId is given twice");

        Result badEndpoint = run("kms", "ListKeys", "--endpoint", "ftp://x");
        assertThat(badEndpoint.status()).isEqualTo(2);
        assertThat(badEndpoint.err().lines()).hasSize(1);

        Result down = run("kms", "ListKeys", "--endpoint", "http://127.0.0.1:1");
        assertThat(down.status()).isEqualTo(2);
        assertThat(down.err()).startsWith("openkms: cannot reach http://127.0.0.1:1");
    }

    @Test
    void encryptAndDecryptRoundTripBinaryFilesAndStdin() throws Exception {
        String keyId = createKey();
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Path in = dir.resolve("data.bin");
        Files.write(in, data);
        Result enc = run("encrypt", "--key-id", keyId, "--in", in.toString(), "--context", "{\"app\":\"cli\"}");
        assertThat(enc.status()).as(enc.err()).isZero();
        String blob = enc.out().strip();

        Path out = dir.resolve("plain.bin");
        Result dec = run(
                env,
                blob.getBytes(StandardCharsets.UTF_8),
                "decrypt",
                "--out",
                out.toString(),
                "--context",
                "{\"app\":\"cli\"}");
        assertThat(dec.status()).as(dec.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(data);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .isEqualTo("rw-------");

        Result toStdout = run(env, blob.getBytes(StandardCharsets.UTF_8), "decrypt", "--context", "{\"app\":\"cli\"}");
        assertThat(toStdout.bytes()).isEqualTo(data);

        Result wrongContext = run(env, blob.getBytes(StandardCharsets.UTF_8), "decrypt");
        assertThat(wrongContext.status()).isEqualTo(1);
        assertThat(wrongContext.err())
                .contains("ErrorCode: InvalidParameter")
                .contains("Message: The specified parameter \"CiphertextBlob\" is not valid");
    }

    @Test
    void secretGetPrintsTheValueAndKeyListPrintsEveryKey() {
        Result created =
                run("kms", "CreateSecret", "--SecretName", "cli-db", "--SecretData", "s3cr3t", "--VersionId", "v1");
        assertThat(created.status()).as(created.err()).isZero();
        Result get = run("secret", "get", "cli-db");
        assertThat(get.status()).as(get.err()).isZero();
        assertThat(get.out()).isEqualTo("s3cr3t" + System.lineSeparator());

        String keyId = createKey();
        Result list = run("key", "list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains(keyId);
    }

    @Test
    void credentialsComeFromAnAliyunProfileOrTheServersDataDir() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(
                config,
                "{\"current\":\"dev\",\"profiles\":[{\"name\":\"dev\",\"mode\":\"AK\",\"access_key_id\":\"" + ID
                        + "\",\"access_key_secret\":\"" + SECRET + "\",\"region_id\":\"cn-hangzhou\"},"
                        + "{\"name\":\"ecs\",\"mode\":\"EcsRamRole\"}]}");
        Map<String, String> noEnv = Map.of("OPENKMS_ENDPOINT", env.get("OPENKMS_ENDPOINT"));
        Result viaProfile = run(noEnv, new byte[0], "kms", "DescribeRegions", "--config-path", config.toString());
        assertThat(viaProfile.status()).as(viaProfile.err()).isZero();

        Result unsupported =
                run(noEnv, new byte[0], "kms", "ListKeys", "--config-path", config.toString(), "--profile", "ecs");
        assertThat(unsupported.status()).isEqualTo(2);
        assertThat(unsupported.err()).contains("mode EcsRamRole").contains("AK, StsToken or RamRoleArn");

        Path dataDir = dir.resolve("fake-data");
        Files.createDirectories(dataDir);
        Files.writeString(
                dataDir.resolve("root-credentials"),
                "OPENKMS_ACCESS_KEY_ID=" + ID + "\nOPENKMS_ACCESS_KEY_SECRET=" + SECRET + "\n");
        Result viaDataDir = run(
                noEnv,
                new byte[0],
                "kms",
                "DescribeRegions",
                "--config-path",
                dir.resolve("absent.json").toString(),
                "--data-dir",
                dataDir.toString());
        assertThat(viaDataDir.status()).as(viaDataDir.err()).isZero();

        Result none = run(
                noEnv,
                new byte[0],
                "kms",
                "DescribeRegions",
                "--config-path",
                dir.resolve("absent.json").toString(),
                "--data-dir",
                dir.resolve("empty").toString());
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).startsWith("openkms: no credentials:");
    }

    @Test
    void httpsWithTheServersCertificateAsCa() {
        Result r = run(
                "kms",
                "DescribeRegions",
                "--endpoint",
                "https://127.0.0.1:" + server.httpsPort(),
                "--ca",
                server.tlsCertificate().toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Regions");
    }

    @Test
    void completionScriptIsGenerated() {
        Result r = run("generate-completion");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("complete -F").contains("encrypt");
    }
}
