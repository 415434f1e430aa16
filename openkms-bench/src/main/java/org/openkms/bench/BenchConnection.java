package org.openkms.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A load worker's connection: one request at a time, the response body kept until the next exchange. HTTP/1.1
 * ({@link HttpConnection}) or, with {@code --http2}, HTTP/2 ({@link Http2Connection}). Not thread-safe.
 */
interface BenchConnection extends Closeable {
    /** The connection for {@code endpoint}'s protocol. */
    static BenchConnection open(Endpoint endpoint, int timeoutMillis) {
        return endpoint.http2()
                ? new Http2Connection(endpoint, timeoutMillis)
                : new HttpConnection(endpoint, timeoutMillis);
    }

    /** Connects now if not connected (so connection failures can be told apart from request failures). */
    void ensureOpen() throws IOException;

    /**
     * Sends the request and reads the whole response.
     *
     * @return the status code; the body is in {@link #body()} until the next exchange
     * @throws IOException the connection is closed afterwards
     */
    int exchange(RequestBuffer request) throws IOException;

    /** The last response's body bytes are {@code body()[0, bodyLength())}. */
    byte[] body();

    int bodyLength();

    default String bodyString() {
        return new String(body(), 0, bodyLength(), StandardCharsets.UTF_8);
    }

    /** How many times a connection was opened (1 for one kept alive throughout). */
    long connects();

    @Override
    void close();
}
