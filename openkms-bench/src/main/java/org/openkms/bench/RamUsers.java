package org.openkms.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The throw-away RAM users of one run, one per {@code -AsRamUser} load, made with the root AccessKey over a
 * client of their own (RPC signing, opened at the first user). {@link #close} removes them all; the bench calls
 * it on every way out of a run, and a shutdown hook calls it when the JVM ends first (Ctrl-C during a load).
 */
final class RamUsers implements AutoCloseable {
    private final Supplier<ApiClient> rootClient;
    private final List<RamUserPrincipal> users = new ArrayList<>();
    private ApiClient root;
    private Thread hook;
    private boolean closed;

    /** @param rootClient opens a client signing with the root AccessKey in RPC mode */
    RamUsers(Supplier<ApiClient> rootClient) {
        this.rootClient = rootClient;
    }

    /** A new user allowed {@code grants} only (see {@link RamUserPrincipal#create}). */
    synchronized RamUserPrincipal create(Map<String, String> grants) throws IOException {
        if (closed) {
            throw new IOException("the run's RAM users are already removed");
        }
        if (root == null) {
            root = rootClient.get();
            hook = new Thread(this::close, "openkms-bench-ram-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        RamUserPrincipal user = RamUserPrincipal.create(root, grants);
        users.add(user);
        return user;
    }

    /** Removes every user made (best effort, failures reported on stderr); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RamUserPrincipal user : users) {
            user.close();
        }
        users.clear();
        if (root != null) {
            root.close();
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook finds the users removed
            }
        }
    }
}
