package org.openkms.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The AccessKey the bench signs with: {@code --access-key-id/--access-key-secret}, else the environment
 * ({@code OPENKMS_ACCESS_KEY_ID/SECRET}), else the {@code root-credentials} file the server writes into its data
 * directory on first start ({@code OPENKMS_ACCESS_KEY_ID=…} and {@code OPENKMS_ACCESS_KEY_SECRET=…} lines).
 */
record Credentials(String accessKeyId, String accessKeySecret, String source) {
    static final String ENV_ID = "OPENKMS_ACCESS_KEY_ID";
    static final String ENV_SECRET = "OPENKMS_ACCESS_KEY_SECRET";
    static final String FILE = "root-credentials";

    /** @throws IllegalArgumentException with advice when nothing usable is found */
    static Credentials resolve(String id, String secret, Map<String, String> env, Path dataDir) {
        if (notEmpty(id) || notEmpty(secret)) {
            if (!notEmpty(id) || !notEmpty(secret)) {
                throw new IllegalArgumentException("--access-key-id and --access-key-secret go together");
            }
            return new Credentials(id, secret, "command line");
        }
        if (notEmpty(env.get(ENV_ID)) && notEmpty(env.get(ENV_SECRET))) {
            return new Credentials(env.get(ENV_ID), env.get(ENV_SECRET), "environment");
        }
        Path file = dataDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            String fileId = null;
            String fileSecret = null;
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String k = line.substring(0, eq).trim();
                    String v = line.substring(eq + 1).trim();
                    if (k.equals(ENV_ID)) {
                        fileId = v;
                    } else if (k.equals(ENV_SECRET)) {
                        fileSecret = v;
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            if (notEmpty(fileId) && notEmpty(fileSecret)) {
                return new Credentials(fileId, fileSecret, file.toString());
            }
            throw new IllegalArgumentException(file + " has no " + ENV_ID + "/" + ENV_SECRET + " lines");
        }
        throw new IllegalArgumentException("no AccessKey: pass --access-key-id and --access-key-secret, set "
                + ENV_ID + " and " + ENV_SECRET + ", or point --data-dir at the server's data directory (" + file
                + " does not exist)");
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + " from " + source + "]";
    }
}
