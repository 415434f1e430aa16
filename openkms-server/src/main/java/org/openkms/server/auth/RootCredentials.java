package org.openkms.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-start bootstrap of the administrator AccessKey. With OPENKMS_ROOT_ACCESS_KEY_ID/SECRET set, that key is
 * created (also later, if it is missing). Otherwise, on an empty store, a key is generated, printed once and
 * written to {@code <data-dir>/root-credentials} (mode 0600) — never logged.
 */
public final class RootCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(RootCredentials.class);

    private RootCredentials() {}

    /** Returns the generated {id, secret} when one was made now, else null. */
    public static String[] bootstrap(CredentialStore store, Path dataDir, String configuredId, String configuredSecret)
            throws IOException {
        if (configuredId != null && configuredSecret != null) {
            if (store.find(configuredId).isEmpty()) {
                store.create(configuredId, configuredSecret, Principal.ROOT);
                LOG.info("created the administrator AccessKey {} from OPENKMS_ROOT_ACCESS_KEY_ID", configuredId);
            }
            return null;
        }
        if (!store.isEmpty()) {
            return null;
        }
        String id = "LTAI" + CredentialStore.randomAlphanumeric(20);
        String secret = CredentialStore.randomAlphanumeric(30);
        store.create(id, secret, Principal.ROOT);
        Path file = dataDir.resolve("root-credentials");
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(
                file,
                "OPENKMS_ACCESS_KEY_ID=" + id + "\nOPENKMS_ACCESS_KEY_SECRET=" + secret + "\n",
                StandardOpenOption.WRITE);
        // Printed to the console once, not through the logger, so it never lands in log files.
        System.out.println("OpenKMS administrator AccessKey (shown once, also in " + file + "):");
        System.out.println("  AccessKeyId:     " + id);
        System.out.println("  AccessKeySecret: " + secret);
        return new String[] {id, secret};
    }
}
