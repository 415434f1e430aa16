package org.openkms.server.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an unauthenticated client may hold before it has sent a whole request, enforced per connection:
 * <ul>
 *   <li>at most {@code maxPerSource} open connections per source address (the total is capped by Jetty's
 *       {@code NetworkConnectionLimit});</li>
 *   <li>the request line and headers must arrive within {@code headerTimeout}, and the whole request (headers and
 *       body) within {@code requestTimeout}: a client that drips one byte a second keeps resetting Jetty's idle
 *       timeout, so only a deadline stops it.</li>
 * </ul>
 * Reading is asynchronous (the gateway never blocks a thread on a request body), so a stalled client costs a socket
 * and its buffered bytes, never a thread; these limits bound the sockets and the time.
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private final int maxPerSource;
    private final long headerTimeoutNanos;
    private final long requestTimeoutNanos;
    private final Scheduler scheduler;
    private final Map<InetAddress, AtomicInteger> perSource = new ConcurrentHashMap<>();
    /** The source each counted connection was charged to (a closed socket no longer knows its peer). */
    private final Map<Connection, InetAddress> charged = new ConcurrentHashMap<>();
    /** Open HTTP/1.1 connections and, while one is part-way through a request, since when (nanoTime); 0 = idle. */
    private final Map<HttpConnection, long[]> reading = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;

    ConnectionGuard(int maxPerSource, long headerTimeoutMillis, long requestTimeoutMillis, Scheduler scheduler) {
        this.maxPerSource = maxPerSource;
        this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMillis);
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis);
        this.scheduler = scheduler;
    }

    @Override
    protected void doStart() {
        scheduleSweep();
    }

    @Override
    protected void doStop() {
        Scheduler.Task t = sweep;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public void onOpened(Connection connection) {
        EndPoint ep = connection.getEndPoint();
        if (connection instanceof HttpConnection http) {
            reading.put(http, new long[1]);
        }
        // Count sockets, not protocol layers: under TLS the HTTP connection sits on a decrypting end point.
        if (!(ep instanceof SocketChannelEndPoint)) {
            return;
        }
        InetAddress source = source(ep);
        if (source == null) {
            return;
        }
        charged.put(connection, source);
        int n = perSource.computeIfAbsent(source, a -> new AtomicInteger()).incrementAndGet();
        if (n > maxPerSource) {
            LOG.debug("closing connection from {}: {} open connections (limit {})", source, n, maxPerSource);
            ep.close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            reading.remove(http);
        }
        InetAddress source = charged.remove(connection);
        if (source != null) {
            perSource.computeIfPresent(source, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
        }
    }

    /** Open connections from one address (tests). */
    int openFrom(InetAddress source) {
        AtomicInteger c = perSource.get(source);
        return c == null ? 0 : c.get();
    }

    private void scheduleSweep() {
        sweep = scheduler.schedule(this::sweepAndReschedule, 500, TimeUnit.MILLISECONDS);
    }

    private void sweepAndReschedule() {
        try {
            sweep(System.nanoTime());
        } catch (RuntimeException e) {
            LOG.warn("connection sweep failed", e);
        }
        if (isRunning()) {
            scheduleSweep();
        }
    }

    /** Closes connections that have spent too long on the request they are sending. */
    void sweep(long now) {
        for (Map.Entry<HttpConnection, long[]> e : reading.entrySet()) {
            HttpParser.State state = e.getKey().getParser().getState();
            long[] since = e.getValue();
            if (!inRequest(state)) {
                since[0] = 0;
                continue;
            }
            if (since[0] == 0) {
                since[0] = now;
                continue;
            }
            long elapsed = now - since[0];
            boolean headers = state.ordinal() <= HttpParser.State.HEADER.ordinal();
            if (elapsed > requestTimeoutNanos || (headers && elapsed > headerTimeoutNanos)) {
                LOG.debug("closing {}: request not received in time ({} after {} ms)", e.getKey().getEndPoint().getRemoteSocketAddress(),
                        state, TimeUnit.NANOSECONDS.toMillis(elapsed));
                e.getKey().getEndPoint().close();
            }
        }
    }

    /** Between the first byte of a request and its last: neither idle (START) nor done (END, CLOSE…). */
    private static boolean inRequest(HttpParser.State s) {
        return s != HttpParser.State.START && s.ordinal() < HttpParser.State.END.ordinal();
    }

    private static InetAddress source(EndPoint ep) {
        SocketAddress a = ep.getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i.getAddress() : null;
    }
}
