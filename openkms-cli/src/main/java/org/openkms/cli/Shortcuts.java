package org.openkms.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The everyday work in one word each: encrypt, decrypt, secret get, key list. Each is one or more API calls. */
final class Shortcuts {
    private Shortcuts() {}

    /** Shared by every shortcut: where output goes and the environment it reads. */
    record Io(Map<String, String> env, InputStream in, PrintStream out) {}

    @Command(
            name = "encrypt",
            mixinStandardHelpOptions = true,
            description =
                    "Encrypt a file or standard input; prints the CiphertextBlob. The bytes are sent base64-encoded,"
                            + " so any binary file round-trips through openkms decrypt.")
    static final class Encrypt implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--key-id", required = true, description = "key ID, alias (alias/name) or ARN")
        String keyId;

        @Option(names = "--in", defaultValue = "-", description = "file to encrypt, - for standard input (default)")
        String in;

        @Option(names = "--context", description = "EncryptionContext as JSON, e.g. {\"app\":\"billing\"}")
        String context;

        private final Io io;

        Encrypt(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            byte[] data = Input.read("--in", in, io.in());
            Map<String, String> p = new LinkedHashMap<>();
            p.put("KeyId", keyId);
            p.put("Plaintext", Base64.getEncoder().encodeToString(data));
            if (context != null) {
                p.put("EncryptionContext", context);
            }
            io.out().println(client.client(io.env()).call("Encrypt", p).get("CiphertextBlob"));
            return 0;
        }
    }

    @Command(
            name = "decrypt",
            mixinStandardHelpOptions = true,
            description = "Decrypt a CiphertextBlob (from a file or standard input) made by openkms encrypt; writes the"
                    + " original bytes.")
    static final class Decrypt implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--in", defaultValue = "-", description = "file holding the CiphertextBlob, - for stdin")
        String in;

        @Option(names = "--out", description = "file to write the plaintext to (created 0600; default stdout)")
        Path out;

        @Option(names = "--context", description = "the EncryptionContext given at encryption, as JSON")
        String context;

        @Option(
                names = "--raw",
                description = "print the Plaintext as the API returns it, without base64 decoding (for ciphertexts"
                        + " made by other clients)")
        boolean raw;

        private final Io io;

        Decrypt(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws IOException {
            String blob = new String(Input.read("--in", in, io.in()), StandardCharsets.UTF_8).trim();
            Map<String, String> p = new LinkedHashMap<>();
            p.put("CiphertextBlob", blob);
            if (context != null) {
                p.put("EncryptionContext", context);
            }
            String plaintext =
                    String.valueOf(client.client(io.env()).call("Decrypt", p).get("Plaintext"));
            byte[] bytes;
            if (raw) {
                bytes = plaintext.getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    bytes = Base64.getDecoder().decode(plaintext);
                } catch (IllegalArgumentException e) {
                    throw new CliException(
                            "the Plaintext is not base64 (not made by openkms encrypt): use --raw to print it as is");
                }
            }
            if (out == null) {
                io.out().write(bytes);
                io.out().flush();
            } else {
                Files.deleteIfExists(out);
                Files.createFile(out, PosixFiles.ownerOnly());
                Files.write(out, bytes, StandardOpenOption.TRUNCATE_EXISTING);
            }
            return 0;
        }
    }

    @Command(name = "secret", mixinStandardHelpOptions = true, description = "Secrets", subcommands = SecretGet.class)
    static final class Secret {}

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a secret's value (SecretData)")
    static final class SecretGet implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME", description = "secret name")
        String name;

        @Option(names = "--version-stage", description = "e.g. ACSPrevious (default ACSCurrent)")
        String versionStage;

        @Option(names = "--version-id", description = "a version ID instead of a stage")
        String versionId;

        private final Io io;

        SecretGet(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("SecretName", name);
            if (versionStage != null) {
                p.put("VersionStage", versionStage);
            }
            if (versionId != null) {
                p.put("VersionId", versionId);
            }
            Map<String, Object> answer = client.client(io.env()).call("GetSecretValue", p);
            io.out().println(answer.get("SecretData"));
            return 0;
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true, description = "Keys", subcommands = KeyList.class)
    static final class Key {}

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every key (all pages): KeyId, KeyArn")
    static final class KeyList implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        private final Io io;

        KeyList(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            KmsClient kms = client.client(io.env());
            List<Object> keys = new ArrayList<>();
            for (int page = 1; ; page++) {
                Map<String, Object> answer =
                        kms.call("ListKeys", Map.of("PageNumber", Integer.toString(page), "PageSize", "100"));
                List<Object> batch = Output.select(answer, "Keys.Key[]");
                keys.addAll(batch);
                Object total = answer.get("TotalCount");
                if (batch.isEmpty() || !(total instanceof Number n) || keys.size() >= n.intValue()) {
                    break;
                }
            }
            io.out()
                    .println(Output.parse(List.of("cols=KeyId,KeyArn", "rows=Keys[]"))
                            .render(Map.of("Keys", keys)));
            return 0;
        }
    }
}
