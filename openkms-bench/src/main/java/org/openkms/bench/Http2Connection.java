package org.openkms.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * One HTTP/2 connection (h2 through ALPN for https, h2c by prior knowledge for http) carrying one request at a time,
 * so that {@code --http2} compares protocols at the same concurrency as HTTP/1.1: N connections, one request in flight
 * on each. Jetty's low-level HTTP/2 client, not the JDK's HttpClient, for the reason {@link HttpConnection} gives:
 * the load generator shares the machine with the server. The request is the same signed HTTP/1.1 request the other
 * connections send ({@link SignedRequestEncoder}), turned into HTTP/2 headers: its Host header becomes
 * {@code :authority}, as OkHttp does, so the signature the server checks is the one the bench computed.
 *
 * <p>Not thread-safe: one per worker thread. The response is handed over from Jetty's selector thread.
 */
final class Http2Connection implements BenchConnection {
    private static HTTP2Client client;
    /** Started TLS factories, by whether they trust any certificate ({@code --insecure}). */
    private static final java.util.Map<Boolean, SslContextFactory.Client> TLS = new java.util.HashMap<>();

    private final Endpoint endpoint;
    private final int timeoutMillis;
    private Session session;
    private long connects;
    private byte[] body = new byte[4096];
    private int bodyLength;

    Http2Connection(Endpoint endpoint, int timeoutMillis) {
        this.endpoint = endpoint;
        this.timeoutMillis = timeoutMillis;
    }

    /** One client (its selector threads and buffer pool) for every connection of the run, started on first use. */
    private static synchronized HTTP2Client client() throws IOException {
        if (client == null) {
            HTTP2Client c = new HTTP2Client();
            c.setMaxConcurrentPushedStreams(0);
            try {
                c.start();
            } catch (Exception e) {
                throw new IOException("cannot start the HTTP/2 client", e);
            }
            client = c;
        }
        return client;
    }

    private static synchronized SslContextFactory.Client tls(boolean trustAll) throws IOException {
        SslContextFactory.Client f = TLS.get(trustAll);
        if (f == null) {
            f = new SslContextFactory.Client(trustAll);
            try {
                f.start();
            } catch (Exception e) {
                throw new IOException("cannot set up TLS", e);
            }
            TLS.put(trustAll, f);
        }
        return f;
    }

    @Override
    public void ensureOpen() throws IOException {
        if (session != null && !session.isClosed()) {
            return;
        }
        session = null;
        InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
        Session.Listener listener = new Session.Listener() {};
        CompletableFuture<Session> connecting = endpoint.isTls()
                ? client().connect(tls(endpoint.trustsAll()), address, listener)
                : client().connect(address, listener);
        session = await(connecting);
        connects++;
    }

    @Override
    public int exchange(RequestBuffer request) throws IOException {
        ensureOpen();
        Parsed p = parse(request);
        MetaData.Request meta = new MetaData.Request(
                p.method,
                HttpURI.from((endpoint.isTls() ? "https://" : "http://") + p.authority + p.target),
                HttpVersion.HTTP_2,
                p.fields);
        boolean hasBody = p.bodyLength > 0;
        CompletableFuture<Integer> status = new CompletableFuture<>();
        bodyLength = 0;
        Stream.Listener responses = new Stream.Listener() {
            private int code;

            @Override
            public void onHeaders(Stream stream, HeadersFrame frame) {
                if (frame.getMetaData() instanceof MetaData.Response r) {
                    code = r.getStatus();
                }
                if (frame.isEndStream()) {
                    status.complete(code);
                } else {
                    stream.demand();
                }
            }

            @Override
            public void onDataAvailable(Stream stream) {
                for (; ; ) {
                    Stream.Data data = stream.readData();
                    if (data == null) {
                        stream.demand();
                        return;
                    }
                    ByteBuffer b = data.frame().getByteBuffer();
                    append(b);
                    boolean last = data.frame().isEndStream();
                    data.release();
                    if (last) {
                        status.complete(code);
                        return;
                    }
                }
            }

            @Override
            public void onReset(Stream stream, ResetFrame frame, Callback callback) {
                status.completeExceptionally(new IOException("stream reset by the server: error " + frame.getError()));
                callback.succeeded();
            }

            @Override
            public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
                status.completeExceptionally(new IOException("stream failed: " + reason, failure));
                callback.succeeded();
            }
        };
        try {
            Stream stream = await(session.newStream(new HeadersFrame(meta, null, !hasBody), responses));
            if (hasBody) {
                stream.data(new DataFrame(
                        stream.getId(), ByteBuffer.wrap(request.array(), p.bodyOffset, p.bodyLength), true));
            }
            return await(status);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void append(ByteBuffer b) {
        int n = b.remaining();
        if (bodyLength + n > body.length) {
            body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + n));
        }
        b.get(body, bodyLength, n);
        bodyLength += n;
    }

    private <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + timeoutMillis + " ms", e);
        }
    }

    /** The parts of the HTTP/1.1 request bytes HTTP/2 carries: method, target, headers (Host → :authority), body. */
    private record Parsed(
            String method,
            String target,
            String authority,
            HttpFields.Mutable fields,
            int bodyOffset,
            int bodyLength) {}

    static Parsed parse(RequestBuffer request) {
        byte[] b = request.array();
        int end = request.length();
        int lineEnd = indexOfCrlf(b, 0, end);
        String line = new String(b, 0, lineEnd, StandardCharsets.US_ASCII);
        int sp1 = line.indexOf(' ');
        int sp2 = line.lastIndexOf(' ');
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        HttpFields.Mutable fields = HttpFields.build();
        String authority = null;
        int contentLength = 0;
        int at = lineEnd + 2;
        for (; ; ) {
            int e = indexOfCrlf(b, at, end);
            if (e == at) {
                at += 2;
                break;
            }
            String h = new String(b, at, e - at, StandardCharsets.US_ASCII);
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("host")) {
                authority = value;
            } else if (name.equalsIgnoreCase("content-length")) {
                contentLength = Integer.parseInt(value);
            } else if (!name.equalsIgnoreCase("connection")) { // connection-specific: not allowed on HTTP/2
                fields.add(name.toLowerCase(java.util.Locale.ROOT), value);
            }
            at = e + 2;
        }
        if (contentLength > 0) {
            fields.add("content-length", String.valueOf(contentLength));
        }
        return new Parsed(method, target, authority, fields, at, Math.min(contentLength, end - at));
    }

    private static int indexOfCrlf(byte[] b, int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("not an HTTP/1.1 request: no line end");
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public int bodyLength() {
        return bodyLength;
    }

    @Override
    public long connects() {
        return connects;
    }

    @Override
    public void close() {
        Session s = session;
        session = null;
        if (s != null) {
            s.close(0, "bench done", Callback.NOOP);
        }
    }
}
