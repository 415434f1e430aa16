package org.openkms.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The SSRF token every request must present
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/kms-agent-overview, "SSRF
 * protection"): taken from the first set variable of {@code ssrf_env_variables}, whose value is the token itself or
 * {@code file://<path>} naming a file that holds it. With none set, a random token is written to {@code token_file}
 * with mode 0640, so the agent's group (the applications allowed to read secrets) can read it and others cannot.
 */
final class SsrfToken {
    private static final Set<PosixFilePermission> TOKEN_MODE = PosixFilePermissions.fromString("rw-r-----");

    private final byte[] token;
    private final String origin;

    private SsrfToken(String token, String origin) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.origin = origin;
    }

    /** Where the token came from, for the start-up line (never the token). */
    String origin() {
        return origin;
    }

    /** Constant-time comparison: the check must not leak how many leading characters were right. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    static SsrfToken resolve(AgentConfig c, Map<String, String> env) {
        for (String var : c.ssrfEnvVariables()) {
            String v = env.get(var);
            if (v == null || v.isEmpty()) {
                continue;
            }
            if (v.startsWith("file://")) {
                Path p = Path.of(v.substring("file://".length()));
                String t;
                try {
                    t = Files.readString(p, StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    throw new AgentConfigException(var + " names " + p + ", which cannot be read: " + e.getMessage());
                }
                if (t.isEmpty()) {
                    throw new AgentConfigException(var + " names " + p + ", which is empty");
                }
                return new SsrfToken(t, "file " + p + " (from " + var + ")");
            }
            return new SsrfToken(v.trim(), "environment variable " + var);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String t = HexFormat.of().formatHex(random);
        write(c.tokenFile(), t);
        return new SsrfToken(t, "file " + c.tokenFile() + " (generated; none of " + c.ssrfEnvVariables() + " is set)");
    }

    /** Written to a temporary file that has mode 0640 before it holds the token, then moved into place. */
    private static void write(Path file, String token) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".kmstoken", ".tmp", PosixFilePermissions.asFileAttribute(TOKEN_MODE));
            try {
                // createTempFile's mode is filtered by the umask; set it explicitly so the group bit is there.
                Files.setPosixFilePermissions(tmp, TOKEN_MODE);
                Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new AgentConfigException("token_file " + file + " cannot be written: " + e.getMessage());
        }
    }
}
