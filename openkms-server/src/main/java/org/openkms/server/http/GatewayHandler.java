package org.openkms.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.openkms.server.gateway.ApiRequest;
import org.openkms.server.gateway.ApiResponse;
import org.openkms.server.gateway.Gateway;
import org.openkms.wire.PercentEncoding;

/**
 * The HTTP adapter: turns a Jetty request into an {@link ApiRequest}, runs the gateway, writes the answer.
 * It is the only class that knows about Jetty. {@code GET /healthz} is answered here, unauthenticated.
 */
public final class GatewayHandler extends Handler.Abstract {
    private static final ByteBuffer UNAVAILABLE = ByteBuffer.wrap(
            "{\"status\":\"unavailable\",\"reason\":\"audit log cannot be written\"}".getBytes(StandardCharsets.UTF_8));
    private static final byte[] EMPTY = new byte[0];
    private final int maxBody;
    private static final ByteBuffer HEALTH = ByteBuffer.wrap("{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
    private final Gateway gateway;

    public GatewayHandler(Gateway gateway) {
        this(gateway, HttpLimits.defaults().maxBodySize());
    }

    public GatewayHandler(Gateway gateway, int maxBody) {
        this.gateway = gateway;
        this.maxBody = maxBody;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if ("/healthz".equals(path)) {
            boolean ready = gateway.ready();
            response.setStatus(ready ? 200 : 503);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, (ready ? HEALTH : UNAVAILABLE).slice(), callback);
            return true;
        }
        long declared = request.getLength();
        if (declared > maxBody) {
            send(response, callback, errorResponse(413));
            return true;
        }
        if (declared == 0) {
            serve(request, response, callback, path, EMPTY);
            return true;
        }
        // The body is read without holding a thread: a client that stalls after its headers costs a socket until
        // ConnectionGuard's deadline, not one of the request threads (with blocking reads 250 such clients stopped
        // the server). The gateway runs when the last byte has arrived.
        Content.Source.asByteArrayAsync(request, maxBody).whenComplete((body, failure) -> {
            if (failure != null) {
                send(response, callback, errorResponse(tooLarge(failure) ? 413 : 400));
            } else {
                serve(request, response, callback, path, body);
            }
        });
        return true;
    }

    private void serve(Request request, Response response, Callback callback, String path, byte[] body) {
        ApiResponse out;
        try {
            out = gateway.handle(toApiRequest(request, path, body));
        } catch (IllegalArgumentException e) {
            // Malformed percent-encoding: still an Alibaba-shaped answer, not a 500.
            out = errorResponse(400);
        }
        send(response, callback, out);
    }

    private static void send(Response response, Callback callback, ApiResponse out) {
        response.setStatus(out.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, out.contentType());
        response.write(true, ByteBuffer.wrap(out.body()), callback);
    }

    private static ApiResponse errorResponse(int status) {
        return new ApiResponse(status, "application/json;charset=utf-8", AlibabaErrorHandler.body(status));
    }

    /** asByteArrayAsync fails with an IllegalStateException or ArithmeticException once maxSize is passed. */
    private static boolean tooLarge(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return !(t instanceof IOException) && !(t instanceof TimeoutException);
    }

    private static ApiRequest toApiRequest(Request request, String path, byte[] body) {
        String rawQuery = request.getHttpURI().getQuery();
        Map<String, String> query = rawQuery == null ? Map.of() : PercentEncoding.decodeForm(rawQuery);
        Map<String, String> headers = new HashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.putIfAbsent(f.getLowerCaseName(), f.getValue());
        }
        // HTTP/2 carries the host in :authority; the signed "host" header must be read from there.
        headers.putIfAbsent("host", request.getHttpURI().getAuthority());
        Map<String, String> form = Map.of();
        String contentType = headers.get("content-type");
        if (body.length > 0 && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            form = PercentEncoding.decodeForm(new String(body, StandardCharsets.UTF_8));
        }
        return new ApiRequest(request.getMethod(), path == null || path.isEmpty() ? "/" : path, query, form, headers,
                body, remoteIp(request), request.isSecure());
    }

    private static String remoteIp(Request request) {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
    }
}
