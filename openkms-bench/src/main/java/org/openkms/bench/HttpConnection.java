package org.openkms.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One keep-alive HTTP/1.1 connection on a plain blocking {@link Socket}: write the request bytes, read one response.
 *
 * <p>Why not {@code java.net.http.HttpClient} (or OkHttp, like the SDK): the load generator shares the machine (2 cores
 * here) with the server it measures, so every CPU cycle it spends is one the server does not get, and the number it
 * reports would be the generator's limit, not the server's. The JDK HttpClient goes through a selector thread,
 * CompletableFuture chains, header maps, immutable request objects and ByteBuffer lists per exchange, and hands every
 * exchange between threads twice. Measured on the 2-core development machine with the same signed Encrypt load and 16
 * threads: HttpClient used about 150-185 us of client CPU per request (1.3 cores, leaving the server ~8k req/s);
 * this class with {@link SignedRequestEncoder} about 16-20 us (0.5 cores at 25-30k req/s), roughly half of it kernel
 * time in the one {@code write} and one {@code read} per request. Here a request is one {@code write} of a reused byte
 * array and a response is parsed in place from a reused buffer, on the connection's own thread, with no handoff. The
 * signing is still exactly the SDK's ({@link org.openkms.wire.RequestSigner}): that is what the server has to verify.
 *
 * <p>Opened lazily; after a transport error or a response that ends the connection it is closed and the next
 * {@link #exchange} reconnects. Not thread-safe: one per worker thread.
 */
final class HttpConnection implements BenchConnection {
    private final Endpoint endpoint;
    private final int timeoutMillis;
    private Socket socket;
    private OutputStream out;
    private HttpResponseReader reader;
    private long connects;

    HttpConnection(Endpoint endpoint, int timeoutMillis) {
        this.endpoint = endpoint;
        this.timeoutMillis = timeoutMillis;
    }

    /** Opens the socket now if it is not open (so connection failures can be told apart from request failures). */
    @Override
    public void ensureOpen() throws IOException {
        if (socket == null) {
            Socket s = endpoint.connect(timeoutMillis);
            socket = s;
            out = s.getOutputStream();
            reader = new HttpResponseReader(s.getInputStream());
            connects++;
        }
    }

    boolean isOpen() {
        return socket != null;
    }

    /**
     * Sends the request and reads the whole response.
     *
     * @return the status code; the body is in {@link #response()} until the next exchange
     * @throws IOException the connection is closed afterwards
     */
    @Override
    public int exchange(RequestBuffer request) throws IOException {
        ensureOpen();
        try {
            out.write(request.array(), 0, request.length());
            int status = reader.read();
            if (!reader.keepAlive()) {
                close();
            }
            return status;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The last response (its reader); valid until the next exchange, also after a close it caused. */
    HttpResponseReader response() {
        return reader;
    }

    @Override
    public byte[] body() {
        return reader.body();
    }

    @Override
    public int bodyLength() {
        return reader.bodyLength();
    }

    /** How many times a socket was opened (1 for a connection that was kept alive throughout). */
    @Override
    public long connects() {
        return connects;
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
