package org.openkms.server.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body as it arrives, never blocking: each time Jetty has bytes it runs again. It refuses a body
 * over its maximum size and one arriving slower than its minimum rate (bytes a second on average since its reading
 * began), checked each time bytes arrive, as Jetty's servlet layer checks {@code
 * HttpConfiguration.minRequestDataRate}: Jetty's core server, which both front ends are, does not check that setting
 * at all. A client that stalls after its headers costs a socket until ConnectionGuard's deadline, not one of the
 * request threads (with blocking reads 250 such clients stopped the server); a client that sends nothing more at all
 * is closed by that deadline.
 *
 * <p>Both front ends use it: the OpenAPI one ({@link GatewayHandler}) and the KMS Instance API one, each writing its
 * own error body for the status it is given.
 */
public final class BodyReader implements Runnable {
    /** The body is over the maximum size (declared so, or found so as it arrived). */
    public static final int TOO_LARGE = 413;
    /** The body arrived slower than the minimum rate. */
    public static final int TOO_SLOW = 408;

    private static final byte[] EMPTY = new byte[0];

    /** How a read ends: once, with the whole body or with the status to answer. */
    public interface Done {
        void body(byte[] body);

        /**
         * @param status {@link #TOO_LARGE}, {@link #TOO_SLOW}, or the status of a body that could not be read
         *               (Jetty's own if it gave one, such as bad chunking; else 400 for a broken connection)
         */
        void failed(int status);
    }

    private final Request request;
    private final int maxBody;
    private final long minRate;
    private final Done done;
    private final long startNanos = System.nanoTime();
    private byte[] body;
    private int size;

    private BodyReader(Request request, long declared, int maxBody, long minRate, Done done) {
        this.request = request;
        this.maxBody = maxBody;
        this.minRate = minRate;
        this.done = done;
        this.body = new byte[declared > 0 ? (int) declared : 1024];
    }

    /**
     * Reads the body of {@code request} and calls {@code done} once, possibly on another thread, possibly before this
     * returns (a declared length over {@code maxBody}, or no body at all).
     *
     * @param minRate bytes a second the body must keep up on average; 0 turns the check off
     */
    public static void read(Request request, int maxBody, long minRate, Done done) {
        long declared = request.getLength();
        if (declared > maxBody) {
            done.failed(TOO_LARGE);
        } else if (declared == 0) {
            done.body(EMPTY);
        } else {
            // declared is -1 for a chunked body (OkHttp sends an empty body chunked): read until the last chunk.
            new BodyReader(request, declared, maxBody, minRate, done).run();
        }
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                done.failed(chunk.getFailure() instanceof HttpException http ? http.getCode() : 400);
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            int n = bytes.remaining();
            if (n > maxBody - size) {
                chunk.release();
                done.failed(TOO_LARGE);
                return;
            }
            if (size + n > body.length) {
                body = Arrays.copyOf(body, Math.min(maxBody, Math.max(size + n, body.length * 2)));
            }
            bytes.get(body, size, n);
            size += n;
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                done.body(size == body.length ? body : Arrays.copyOf(body, size));
                return;
            }
            if (tooSlow()) {
                done.failed(TOO_SLOW);
                return;
            }
        }
    }

    /**
     * Fewer bytes than {@code minRate} a second would have brought since the reading began. Not judged in the first
     * second: a client far away may be a round trip late with its first bytes (after a 100 Continue), which says
     * nothing about its rate.
     */
    private boolean tooSlow() {
        if (minRate <= 0) {
            return false;
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return elapsedMillis >= 1000 && size < minRate * elapsedMillis / 1000;
    }
}
