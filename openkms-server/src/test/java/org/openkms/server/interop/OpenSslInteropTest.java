package org.openkms.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.crypto.SecureRandoms;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.asymmetric.AsymmetricPublicKey;
import org.openkms.crypto.asymmetric.Sm2;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;

/**
 * Interop with an independent implementation, Debian's OpenSSL 3 (scripts/ensure-services.sh installs it):
 * OpenSSL verifies the server's signatures with the PEM from GetPublicKey, ciphertexts OpenSSL makes with
 * that PEM decrypt on the server (RSA-OAEP and SM2), and BYOK material wrapped with {@code openssl pkeyutl}
 * as Alibaba's import guide shows imports. Everything goes over HTTP, as a client would see it.
 */
class OpenSslInteropTest {
    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SignedClient client;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(openSslAvailable(), "openssl is not installed (scripts/ensure-services.sh installs it)");
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIinterop", "interop-secret"));
        client = new SignedClient("http://127.0.0.1:" + server.httpPort(), "LTAIinterop", "interop-secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void openSslVerifiesServerSignatures() throws Exception {
        byte[] message = "signed by OpenKMS, checked by OpenSSL".getBytes(StandardCharsets.UTF_8);
        Path msg = write("msg.bin", message);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(message);
        String[][] cases = {
            {"RSA_2048", "RSA_PKCS1_SHA_256"},
            {"RSA_3072", "RSA_PSS_SHA_256"},
            {"EC_P256", "ECDSA_SHA_256"},
            {"EC_P256K", "ECDSA_SHA_256"},
            {"EC_SM2", "SM2DSA"}
        };
        for (String[] c : cases) {
            String[] key = createKey(c[0], "SIGN/VERIFY");
            Path pem = write(c[0] + ".pem", publicKeyPem(key).getBytes(StandardCharsets.US_ASCII));
            byte[] digest = c[1].equals("SM2DSA")
                    ? Sm2.messageDigest(
                            AsymmetricPublicKey.parse(AsymmetricKeyType.EC_SM2, der(publicKeyPem(key))),
                            Sm2.DEFAULT_ID,
                            message)
                    : sha256;
            JsonNode signed = ok(client.call(
                    "AsymmetricSign",
                    Map.of("KeyId", key[0], "KeyVersionId", key[1], "Algorithm", c[1], "Digest", b64(digest))));
            Path sig = write(
                    c[0] + ".sig",
                    Base64.getDecoder().decode(signed.path("Value").asText()));
            List<String> cmd = new ArrayList<>(List.of(
                    "openssl",
                    "pkeyutl",
                    "-verify",
                    "-pubin",
                    "-inkey",
                    pem.toString(),
                    "-rawin",
                    "-in",
                    msg.toString(),
                    "-sigfile",
                    sig.toString()));
            switch (c[1]) {
                case "RSA_PSS_SHA_256" ->
                    cmd.addAll(List.of(
                            "-digest",
                            "sha256",
                            "-pkeyopt",
                            "rsa_padding_mode:pss",
                            "-pkeyopt",
                            "rsa_pss_saltlen:32",
                            "-pkeyopt",
                            "rsa_mgf1_md:sha256"));
                case "SM2DSA" -> cmd.addAll(List.of("-digest", "sm3", "-pkeyopt", "distid:1234567812345678"));
                default -> cmd.addAll(List.of("-digest", "sha256"));
            }
            assertThat(run(cmd, null)).as(c[0] + " " + c[1]).contains("Signature Verified Successfully");
        }
    }

    /**
     * CreateClientKey's PKCS#12 opens in OpenSSL 3 with the password (the key is an RSA key and the certificate is
     * the ClientKey's), and it is protected with PBES2/AES-256-CBC and an HMAC-SHA256 MAC: algorithms Java reads
     * from 8u301 on (JDK-8153005), so the official Java 8 clients open it too.
     */
    @Test
    void openSslOpensTheClientKeysPkcs12() throws Exception {
        String rule = "p12-net";
        ok(client.call(
                "CreateNetworkRule", Map.of("Name", rule, "Type", "Private", "SourcePrivateIp", "[\"127.0.0.1/32\"]")));
        ok(client.call(
                "CreatePolicy",
                Map.of(
                        "Name", "p12-policy",
                        "KmsInstance", server.instanceId(),
                        "Permissions", "[\"RbacPermission/Template/CryptoServiceKeyUser\"]",
                        "Resources", "[\"key/*\"]",
                        "AccessControlRules", "{\"NetworkRules\":[\"" + rule + "\"]}")));
        ok(client.call(
                "CreateApplicationAccessPoint",
                Map.of("Name", "p12-aap", "AuthenticationMethod", "ClientKey", "Policies", "[\"p12-policy\"]")));
        String password = "p12-Passw0rd!";
        JsonNode ck = ok(client.call("CreateClientKey", Map.of("AapName", "p12-aap", "Password", password)));
        Path p12 = write(
                "clientkey.p12",
                Base64.getDecoder().decode(ck.path("PrivateKeyData").asText()));

        String info = run(
                List.of("openssl", "pkcs12", "-info", "-noout", "-in", p12.toString(), "-passin", "pass:" + password),
                null);
        assertThat(info).contains("MAC: sha256").contains("PBES2").contains("AES-256-CBC");
        String pem =
                run(List.of("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + password, "-nodes"), null);
        assertThat(pem).contains("-----BEGIN PRIVATE KEY-----").contains("-----BEGIN CERTIFICATE-----");
        Path keyPem = write("clientkey.pem", pem.getBytes(StandardCharsets.US_ASCII));
        assertThat(run(List.of("openssl", "pkey", "-in", keyPem.toString(), "-noout", "-text"), null))
                .contains("Private-Key: (2048 bit");
        assertThat(run(List.of("openssl", "x509", "-in", keyPem.toString(), "-noout", "-subject"), null))
                .contains(ck.path("ClientKeyId").asText());
        Process wrong = new ProcessBuilder(
                        "openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:wrong", "-nodes")
                .redirectErrorStream(true)
                .start();
        String wrongOut = new String(wrong.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrong.waitFor()).as(wrongOut).isNotZero();
        assertThat(wrongOut).doesNotContain("BEGIN PRIVATE KEY");
    }

    @Test
    void serverDecryptsWhatOpenSslEncrypts() throws Exception {
        String[][] cases = {
            {"RSA_2048", "RSAES_OAEP_SHA_256", "sha256"}, {"RSA_2048", "RSAES_OAEP_SHA_1", "sha1"},
            {"RSA_3072", "RSAES_OAEP_SHA_256", "sha256"}, {"EC_SM2", "SM2PKE", null}
        };
        for (String[] c : cases) {
            String[] key = createKey(c[0], "ENCRYPT/DECRYPT");
            Path pem = write(c[0] + "-enc.pem", publicKeyPem(key).getBytes(StandardCharsets.US_ASCII));
            byte[] plaintext = SecureRandoms.bytes(100);
            Path in = write("plain.bin", plaintext);
            Path out = dir.resolve("ct-" + c[1] + ".bin");
            List<String> cmd = new ArrayList<>(List.of(
                    "openssl",
                    "pkeyutl",
                    "-encrypt",
                    "-pubin",
                    "-inkey",
                    pem.toString(),
                    "-in",
                    in.toString(),
                    "-out",
                    out.toString()));
            if (c[2] != null) {
                cmd.addAll(List.of(
                        "-pkeyopt",
                        "rsa_padding_mode:oaep",
                        "-pkeyopt",
                        "rsa_oaep_md:" + c[2],
                        "-pkeyopt",
                        "rsa_mgf1_md:" + c[2]));
            }
            run(cmd, null);
            JsonNode d = ok(client.call(
                    "AsymmetricDecrypt",
                    Map.of(
                            "KeyId",
                            key[0],
                            "KeyVersionId",
                            key[1],
                            "Algorithm",
                            c[1],
                            "CiphertextBlob",
                            b64(Files.readAllBytes(out)))));
            assertThat(Base64.getDecoder().decode(d.path("Plaintext").asText()))
                    .as(c[0] + " " + c[1])
                    .isEqualTo(plaintext);
        }
    }

    @Test
    void byokMaterialWrappedWithOpenSslAsTheImportGuideShowsImports() throws Exception {
        JsonNode created = ok(client.call("CreateKey", Map.of("Origin", "EXTERNAL")));
        String keyId = created.path("KeyMetadata").path("KeyId").asText();
        assertThat(created.path("KeyMetadata").path("KeyState").asText()).isEqualTo("PendingImport");
        JsonNode params = ok(client.call(
                "GetParametersForImport",
                Map.of("KeyId", keyId, "WrappingAlgorithm", "RSAES_OAEP_SHA_256", "WrappingKeySpec", "RSA_2048")));
        // The guide: openssl rand -out KeyMaterial.bin 32; base64-decode PublicKey to PublicKey.bin (DER);
        // openssl pkeyutl -encrypt -pubin -keyform DER -inkey PublicKey.bin -pkeyopt rsa_padding_mode:oaep
        //   -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 -in KeyMaterial.bin -out EncryptedKeyMaterial.bin
        Path material = dir.resolve("KeyMaterial.bin");
        run(List.of("openssl", "rand", "-out", material.toString(), "32"), null);
        Path publicKey = write(
                "PublicKey.bin",
                Base64.getDecoder().decode(params.path("PublicKey").asText()));
        Path wrapped = dir.resolve("EncryptedKeyMaterial.bin");
        run(
                List.of(
                        "openssl",
                        "pkeyutl",
                        "-encrypt",
                        "-pubin",
                        "-keyform",
                        "DER",
                        "-inkey",
                        publicKey.toString(),
                        "-pkeyopt",
                        "rsa_padding_mode:oaep",
                        "-pkeyopt",
                        "rsa_oaep_md:sha256",
                        "-pkeyopt",
                        "rsa_mgf1_md:sha256",
                        "-in",
                        material.toString(),
                        "-out",
                        wrapped.toString()),
                null);
        ok(client.call(
                "ImportKeyMaterial",
                Map.of(
                        "KeyId",
                        keyId,
                        "ImportToken",
                        params.path("ImportToken").asText(),
                        "EncryptedKeyMaterial",
                        b64(Files.readAllBytes(wrapped)),
                        "KeyMaterialExpireUnix",
                        "0")));
        assertThat(ok(client.call("DescribeKey", Map.of("KeyId", keyId)))
                        .path("KeyMetadata")
                        .path("KeyState")
                        .asText())
                .isEqualTo("Enabled");

        // The imported key really is that material: an AES-GCM blob made by the server opens with it locally.
        JsonNode enc = ok(client.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", b64("byok".getBytes()))));
        byte[] blob = Base64.getDecoder().decode(enc.path("CiphertextBlob").asText());
        javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(
                javax.crypto.Cipher.DECRYPT_MODE,
                new javax.crypto.spec.SecretKeySpec(Files.readAllBytes(material), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, java.util.Arrays.copyOfRange(blob, 36, 48)));
        gcm.updateAAD(java.util.Arrays.copyOfRange(blob, 0, 36));
        assertThat(gcm.doFinal(java.util.Arrays.copyOfRange(blob, 48, blob.length)))
                .isEqualTo("byok".getBytes());
    }

    private static String[] createKey(String spec, String usage) throws Exception {
        JsonNode meta = ok(client.call("CreateKey", Map.of("KeySpec", spec, "KeyUsage", usage)))
                .path("KeyMetadata");
        return new String[] {
            meta.path("KeyId").asText(), meta.path("PrimaryKeyVersion").asText()
        };
    }

    private static String publicKeyPem(String[] key) throws Exception {
        return ok(client.call("GetPublicKey", Map.of("KeyId", key[0], "KeyVersionId", key[1])))
                .path("PublicKey")
                .asText();
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder()
                .decode(pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", ""));
    }

    private static JsonNode ok(SignedClient.Reply r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static String run(List<String> cmd, byte[] stdin) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    private static boolean openSslAvailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
