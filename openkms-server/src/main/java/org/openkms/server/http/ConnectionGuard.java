package org.openkms.server.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.NegotiatingServerConnection;
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
 *   <li>on HTTP/2, a connection must open its first stream within {@code headerTimeout} and, once it has none open,
 *       its next within {@code idleTimeout}: PING frames (a few a second pass Jetty's rate control) reset Jetty's
 *       idle timer as blank lines do on HTTP/1.1. A stream's body is held to its size and rate by
 *       {@link BodyReader}, and a silent stream is reset by the stream idle timeout;</li>
 *   <li>a TLS connection still negotiating its protocol through ALPN (the handshake not done) is closed after
 *       {@code headerTimeout}: until then it is no HTTP connection the rules above could see.</li>
 * </ul>
 * Reading is asynchronous (the gateway never blocks a thread on a request body), so a stalled client costs a socket
 * and its buffered bytes, never a thread; these limits bound the sockets and the time.
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private final int maxPerSource;
    private final long headerTimeoutNanos;
    private final long requestTimeoutNanos;
    private final long idleTimeoutNanos;
    private final Scheduler scheduler;
    private final Map<InetAddress, AtomicInteger> perSource = new ConcurrentHashMap<>();
    /** The source each counted connection was charged to (a closed socket no longer knows its peer). */
    private final Map<Connection, InetAddress> charged = new ConcurrentHashMap<>();
    /**
     * Open HTTP/1.1 connections and what the sweep saw of each: {since (nanoTime) the current phase began, 1 while
     * a request is part-way in, requests received when the phase began}.
     */
    private final Map<HttpConnection, long[]> reading = new ConcurrentHashMap<>();
    /** Open HTTP/2 connections: {since (nanoTime) they last had no stream open, streams opened by then}. */
    private final Map<HTTP2Connection, long[]> multiplexed = new ConcurrentHashMap<>();
    /** TLS connections still choosing their protocol: since when (nanoTime, 0 until the first sweep). */
    private final Map<NegotiatingServerConnection, long[]> negotiating = new ConcurrentHashMap<>();

    private volatile Scheduler.Task sweep;

    ConnectionGuard(
            int maxPerSource,
            long headerTimeoutMillis,
            long requestTimeoutMillis,
            long idleTimeoutMillis,
            Scheduler scheduler) {
        this.maxPerSource = maxPerSource;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
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
            reading.put(http, new long[3]);
        } else if (connection instanceof HTTP2Connection h2) {
            multiplexed.put(h2, new long[2]);
        } else if (connection instanceof NegotiatingServerConnection alpn) {
            negotiating.put(alpn, new long[1]);
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
        } else if (connection instanceof HTTP2Connection h2) {
            multiplexed.remove(h2);
        } else if (connection instanceof NegotiatingServerConnection alpn) {
            negotiating.remove(alpn);
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

    /**
     * Closes connections that have spent too long on the request they are sending, and connections that send no
     * request at all: a new connection must start its first request within the header deadline (a TLS handshake
     * dripped a byte at a time counts against it), and a kept-alive one its next within the idle timeout, however
     * many blank lines it sends to keep Jetty's own idle timer from firing.
     */
    void sweep(long now) {
        sweepOthers(now);
        for (Map.Entry<HttpConnection, long[]> e : reading.entrySet()) {
            HttpConnection c = e.getKey();
            HttpParser.State state = c.getParser().getState();
            long[] seen = e.getValue();
            long messages = c.getMessagesIn();
            long phase = inRequest(state) ? 1 : 0;
            if (seen[0] == 0 || seen[1] != phase || (phase == 0 && seen[2] != messages)) {
                seen[0] = now;
                seen[1] = phase;
                seen[2] = messages;
                continue;
            }
            long elapsed = now - seen[0];
            boolean expired;
            if (phase == 1) {
                boolean headers = state.ordinal() <= HttpParser.State.HEADER.ordinal();
                expired = elapsed > requestTimeoutNanos || (headers && elapsed > headerTimeoutNanos);
            } else if (state == HttpParser.State.START) {
                expired = elapsed > (messages == 0 ? headerTimeoutNanos : idleTimeoutNanos);
            } else {
                expired = false; // a response is being produced or written: the request is complete
            }
            if (expired) {
                LOG.debug(
                        "closing {}: no complete request in time ({} after {} ms)",
                        c.getEndPoint().getRemoteSocketAddress(),
                        state,
                        TimeUnit.NANOSECONDS.toMillis(elapsed));
                c.getEndPoint().close();
            }
        }
    }

    /**
     * HTTP/2 and ALPN connections: an HTTP/2 connection with no stream open and none opened for too long, and a TLS
     * connection still negotiating after the header deadline, are closed.
     */
    private void sweepOthers(long now) {
        for (Map.Entry<HTTP2Connection, long[]> e : multiplexed.entrySet()) {
            HTTP2Session session = e.getKey().getSession();
            long[] seen = e.getValue();
            long opened = session.getStreamsOpened();
            if (seen[0] == 0 || session.getStreamCount() > 0 || seen[1] != opened) {
                seen[0] = now;
                seen[1] = opened;
                continue;
            }
            if (now - seen[0] > (opened == 0 ? headerTimeoutNanos : idleTimeoutNanos)) {
                LOG.debug(
                        "closing HTTP/2 {}: no stream in time",
                        e.getKey().getEndPoint().getRemoteSocketAddress());
                e.getKey().getEndPoint().close();
            }
        }
        for (Map.Entry<NegotiatingServerConnection, long[]> e : negotiating.entrySet()) {
            long[] since = e.getValue();
            if (since[0] == 0) {
                since[0] = now;
            } else if (now - since[0] > headerTimeoutNanos) {
                LOG.debug(
                        "closing {}: TLS handshake not done in time",
                        e.getKey().getEndPoint().getRemoteSocketAddress());
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
