package org.openkms.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.openkms.core.store.ChangeFeed;
import org.openkms.core.store.ChangeListener;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Other nodes' writes, pushed: one dedicated connection LISTENs on {@value #CHANNEL}, to which the
 * change_generation trigger NOTIFYs on every committed write (migration V6), and a daemon thread reports them to
 * the listener as they arrive.
 *
 * <p>Why a connection of its own, outside the pool: a session receives notifications only while it LISTENs, and
 * the pool would retire or hand out the connection. It is made with {@link DriverManager} from the storage URL,
 * so it reaches the same database and schema as the pool.
 *
 * <p>Losing the connection loses notifications (PostgreSQL queues them only for sessions that are listening,
 * https://www.postgresql.org/docs/current/sql-listen.html), so after every (re)connect the listener is told to
 * {@link ChangeListener#resync() resync}; while disconnected the thread retries with exponential backoff (0.1 s
 * doubling to 5 s) and {@link #listening()} is false, and the caller's poll of change_generation is what keeps
 * caches fresh. A connection that dies silently (no FIN, e.g. a network partition) is found by a
 * {@link Connection#isValid} probe after {@value #PROBE_AFTER_MILLIS} ms without traffic.
 *
 * <p>Notifications that arrive together, or within {@value #COALESCE_MILLIS} ms of the last report, are reported
 * once, with the highest generation among them.
 */
final class PostgresChangeFeed implements ChangeFeed {
    static final String CHANNEL = "openkms_changes";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    /**
     * One wait for notifications: pgjdbc's getNotifications(timeout) returns as soon as one arrives, so this only
     * bounds how long close() and the probe wait.
     */
    private static final int WAIT_MILLIS = 250;

    private static final long PROBE_AFTER_MILLIS = 5_000;
    private static final int PROBE_TIMEOUT_SECONDS = 5;
    /**
     * After reporting, the feed waits this long before it reports again; notifications that arrive meanwhile are
     * reported together when it ends. Every report makes the node drop all its caches (and reload RAM policies), so
     * a burst of writes must not become a burst of reloads: at most 1000 / this many per second, for at most this
     * much more staleness on writes that come in a burst (a lone write is reported at once).
     */
    static final long COALESCE_MILLIS = 20;

    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final String jdbcUrl;
    private final ChangeListener listener;
    private final Thread thread;
    private final Object sleeper = new Object();
    private volatile boolean listening;
    private volatile boolean closed;

    private PostgresChangeFeed(String jdbcUrl, ChangeListener listener) {
        this.jdbcUrl = jdbcUrl;
        this.listener = listener;
        this.thread = new Thread(this::run, "openkms-change-feed");
        this.thread.setDaemon(true);
    }

    /** Starts listening in the background; the first {@link ChangeListener#resync()} comes once LISTEN is in place. */
    static PostgresChangeFeed start(String jdbcUrl, ChangeListener listener) {
        PostgresChangeFeed feed = new PostgresChangeFeed(jdbcUrl, listener);
        feed.thread.start();
        return feed;
    }

    @Override
    public boolean listening() {
        return listening;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        try {
            // The thread sees the flag within one WAIT_MILLIS, or after a connect attempt in progress (connectTimeout).
            thread.join(4L * WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long backoff = MIN_BACKOFF_MILLIS;
        boolean down = false;
        while (!closed) {
            try (Connection connection = connect()) {
                String schema = listen(connection);
                listening = true;
                if (down) {
                    LOG.info("listening for other nodes' writes again");
                    down = false;
                }
                backoff = MIN_BACKOFF_MILLIS;
                report(true, 0);
                pump(connection, schema);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (!down) {
                    // Once per outage, not once per retry: the poll keeps caches coherent meanwhile.
                    LOG.warn(
                            "not listening for other nodes' writes ({}); caches follow the poll of change_generation"
                                    + " until the connection is back",
                            StorageFactory.redact(String.valueOf(e.getMessage())));
                    down = true;
                }
            } finally {
                listening = false;
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private Connection connect() throws SQLException {
        Properties options = new Properties();
        // Defaults only: parameters in the URL win (pgjdbc reads the URL over these properties).
        // https://jdbc.postgresql.org/documentation/use/#connection-parameters
        options.setProperty("ApplicationName", "openkms-change-feed"); // tells a DBA what the idle session is
        options.setProperty("connectTimeout", "10");
        options.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbcUrl, options);
    }

    /** LISTENs and returns the schema whose tables this storage uses (notifications name theirs). */
    private static String listen(Connection connection) throws SQLException {
        String schema = Sql.queryOne(connection, "SELECT current_schema()", rs -> rs.getString(1))
                .orElse(null);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        return schema;
    }

    /** Waits for notifications and reports each batch once, until closed or the connection fails. */
    private void pump(Connection connection, String schema) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (!closed) {
            // Blocks until at least one notification arrives or the timeout passes, then returns all that are queued
            // (https://jdbc.postgresql.org/documentation/publicapi/org/postgresql/PGConnection.html#getNotifications(int));
            // a broken connection throws, which sends us to reconnect.
            PGNotification[] batch = pg.getNotifications(WAIT_MILLIS);
            if (batch != null && batch.length > 0) {
                quietSince = System.nanoTime();
                long highest = -1;
                for (PGNotification n : batch) {
                    highest = Math.max(highest, generationFor(schema, n.getParameter()));
                }
                if (highest >= 0) {
                    report(false, highest);
                    sleep(COALESCE_MILLIS);
                }
            } else if (System.nanoTime() - quietSince > PROBE_AFTER_MILLIS * 1_000_000) {
                if (!connection.isValid(PROBE_TIMEOUT_SECONDS)) {
                    throw new SQLException("the notification connection stopped answering");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    /**
     * The generation a payload "{@code <generation>:<schema>:<table>}" announces, or -1 when it belongs to another
     * schema of the same database (channels are per database) or is not ours.
     */
    static long generationFor(String schema, String payload) {
        int first = payload.indexOf(':');
        int last = payload.lastIndexOf(':');
        if (first < 0 || last <= first) {
            return -1;
        }
        if (schema != null && !schema.equals(payload.substring(first + 1, last))) {
            return -1;
        }
        try {
            return Long.parseLong(payload.substring(0, first));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Calls the listener; its failure is logged, not allowed to drop the connection. */
    private void report(boolean resync, long generation) {
        if (closed) {
            return;
        }
        try {
            if (resync) {
                listener.resync();
            } else {
                listener.changed(generation);
            }
        } catch (RuntimeException e) {
            LOG.warn("change listener failed", e);
        }
    }

    private void sleep(long millis) {
        synchronized (sleeper) {
            if (closed) {
                return;
            }
            try {
                sleeper.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }
}
