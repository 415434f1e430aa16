package org.openkms.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openkms.storage.StorageFactory;

/**
 * Checks a {@link ServerConfig} before the server touches anything: listen addresses, TLS files, the storage
 * URL's form and whether the data dir can be used. Each problem is a {@link ConfigException} naming the option
 * (by its command-line flag; the README's Configuration table maps flags to environment variables and YAML
 * keys) and what to do about it.
 */
public final class ConfigChecks {
    private ConfigChecks() {}

    public static void validate(ServerConfig c) {
        listen("--listen", c.listen());
        listen("--https-listen", c.httpsListen());
        listen("--instance-listen", c.instanceListen());
        instances(c);
        if ((c.tlsCertificate() == null) != (c.tlsKey() == null)) {
            throw new ConfigException(
                    c.tlsCertificate() == null ? "--tls-key " + c.tlsKey() : "--tls-cert " + c.tlsCertificate(),
                    "--tls-cert and --tls-key go together (give both, or neither for a self-signed certificate)");
        }
        if (c.tlsCertificate() != null) {
            readableFile("--tls-cert", c.tlsCertificate());
            readableFile("--tls-key", c.tlsKey());
        }
        if (c.storageUrl() != null) {
            try {
                StorageFactory.sqliteFile(c.storageUrl());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "--storage-url " + StorageFactory.redact(c.storageUrl()),
                        e.getMessage()
                                + " (e.g. jdbc:postgresql://127.0.0.1:5432/openkms?user=openkms&password=... or jdbc:sqlite:/var/lib/openkms/openkms.db)");
            }
        }
        dataDir(c.dataDir().toAbsolutePath());
    }

    /**
     * The further instances: each a valid label used once, a listener of its own (host:port, not "") that no other
     * listener of the server takes. Ports 0 (a free one, chosen at bind) never clash.
     */
    static void instances(ServerConfig c) {
        java.util.Map<String, String> listeners = new java.util.LinkedHashMap<>();
        putListener(listeners, "--listen " + c.listen(), c.listen());
        putListener(listeners, "--https-listen " + c.httpsListen(), c.httpsListen());
        putListener(listeners, "--instance-listen " + c.instanceListen(), c.instanceListen());
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (InstanceListener i : c.instances()) {
            String option = i.option();
            if (!org.openkms.core.instance.Instances.validLabel(i.name())) {
                throw new ConfigException(
                        option,
                        "the label must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit and"
                                + " not with kst- (e.g. team-a)");
            }
            if (!labels.add(i.name())) {
                throw new ConfigException(
                        option, "the label " + i.name() + " is given twice (give each instance one entry)");
            }
            if (i.listen() == null || i.listen().isEmpty()) {
                throw new ConfigException(option, "needs a listen address, e.g. " + i.name() + "=127.0.0.1:8445");
            }
            listenAs(option, i.listen(), "e.g. " + i.name() + "=127.0.0.1:8445 or " + i.name() + "=0.0.0.0:8445");
            String other = putListener(listeners, option, i.listen());
            if (other != null) {
                throw new ConfigException(
                        option, "the address is also taken by " + other + " (give each listener its own port)");
            }
        }
    }

    /** Records a listener under its port; answers the option already holding the same address, or null. */
    private static String putListener(java.util.Map<String, String> listeners, String option, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            return null; // listen() reports it
        }
        String host = value.substring(0, colon).replace("[", "").replace("]", "");
        String port = value.substring(colon + 1);
        if (port.equals("0")) {
            return null;
        }
        for (var e : listeners.entrySet()) {
            String[] hp = e.getKey().split(" ", 2);
            String otherHost = hp[0];
            if (hp[1].equals(port) && (otherHost.equals(host) || wildcard(otherHost) || wildcard(host))) {
                return e.getValue();
            }
        }
        listeners.put(host + " " + port, option);
        return null;
    }

    private static boolean wildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    }

    /** host:port with a numeric port; an IPv6 host may be bracketed; "" disables the listener. */
    static void listen(String flag, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        listenAs(flag + " " + value, value, "e.g. 127.0.0.1:8080, [::1]:8080 or 0.0.0.0:8080 (\"\" disables it)");
    }

    private static void listenAs(String option, String value, String examples) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(option, "must be host:port, " + examples);
        }
        String port = value.substring(colon + 1);
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > 65535) {
            throw new ConfigException(option, "the port must be a number from 0 to 65535 (0 picks a free one)");
        }
    }

    private static void readableFile(String flag, Path file) {
        String option = flag + " " + file;
        if (!Files.exists(file)) {
            throw new ConfigException(option, "no such file (check the path)");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(option, "not a file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(
                    option,
                    "cannot read it (permission denied; the server runs as " + System.getProperty("user.name") + ")");
        }
    }

    /** An existing data dir must be usable; a missing one must be creatable (it is created later, 0700). */
    static void dataDir(Path dir) {
        String option = "--data-dir " + dir;
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new ConfigException(option, "exists but is not a directory (choose another --data-dir)");
            }
            if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
                throw new ConfigException(
                        option,
                        "the server's user (" + System.getProperty("user.name")
                                + ") cannot read and write it (fix its owner or mode, or choose another --data-dir)");
            }
            return;
        }
        Path existing = dir.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return; // nothing exists up to the root: creating it will tell
        }
        if (!Files.isDirectory(existing)) {
            throw new ConfigException(
                    option, "cannot be created: " + existing + " is not a directory (choose another --data-dir)");
        }
        if (!Files.isWritable(existing) || !Files.isExecutable(existing)) {
            throw new ConfigException(
                    option,
                    "cannot be created: the server's user (" + System.getProperty("user.name") + ") cannot write to "
                            + existing + " (create the directory for it, or choose another --data-dir)");
        }
    }
}
