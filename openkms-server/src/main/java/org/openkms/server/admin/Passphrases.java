package org.openkms.server.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the passphrase of a snapshot or a wrapped root key comes from: a file, or the environment. */
final class Passphrases {
    static final String ENV = "OPENKMS_BACKUP_PASSPHRASE";
    /** Short passphrases make the scrypt work factor moot; refuse them rather than give a false sense of safety. */
    static final int MIN_LENGTH = 12;

    private Passphrases() {}

    /**
     * The passphrase of {@code --passphrase-file} (its first line; a trailing newline is not part of it), else of
     * {@value #ENV}. Never on the command line itself, where other users could read it in the process list.
     */
    static char[] read(Path file, Map<String, String> env, boolean creating) {
        String value;
        String source;
        if (file != null) {
            source = "--passphrase-file " + file;
            try {
                value = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AdminException(
                        source + ": cannot read it (" + e.getClass().getSimpleName() + ")");
            }
            int nl = value.indexOf('\n');
            if (nl >= 0) {
                value = value.substring(0, nl);
            }
            if (value.endsWith("\r")) {
                value = value.substring(0, value.length() - 1);
            }
        } else {
            source = ENV;
            value = env.get(ENV);
            if (value == null || value.isEmpty()) {
                throw new AdminException(
                        "no passphrase: give --passphrase-file FILE or set " + ENV + " (the same one restores it)");
            }
        }
        if (value.isEmpty()) {
            throw new AdminException(source + ": the passphrase is empty (write it on the file's first line)");
        }
        if (creating && value.length() < MIN_LENGTH) {
            throw new AdminException(
                    source + ": the passphrase is shorter than " + MIN_LENGTH + " characters (choose a longer one)");
        }
        return value.toCharArray();
    }
}
