package org.openkms.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.openkms.core.error.Errors;
import org.openkms.server.gateway.ApiRequest;
import org.openkms.server.gateway.ApiResponse;
import org.openkms.server.gateway.Gateway;
import org.openkms.wire.PercentEncoding;

/**
 * The HTTP adapter: turns a Jetty request into an {@link ApiRequest}, runs the gateway, writes the answer.
 * It is the only class that knows about Jetty. {@code GET /healthz} is answered here, unauthenticated.
 */
public final class GatewayHandler extends Handler.Abstract {
    private static final int MAX_BODY = 1 << 20;
    private static final ByteBuffer HEALTH = ByteBuffer.wrap("{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
    private final Gateway gateway;

    public GatewayHandler(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if ("/healthz".equals(path)) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, HEALTH.slice(), callback);
            return true;
        }
        ApiResponse out;
        try {
            out = gateway.handle(toApiRequest(request, path));
        } catch (IllegalArgumentException e) {
            // Malformed percent-encoding or a body that is too large: still an Alibaba-shaped answer, not a 500.
            out = gatewayError(e.getMessage());
        }
        response.setStatus(out.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, out.contentType());
        response.write(true, ByteBuffer.wrap(out.body()), callback);
        return true;
    }

    private ApiResponse gatewayError(String why) {
        var e = Errors.invalidParameter("The request could not be parsed: " + why);
        String body = "{\"Code\":\"" + e.code() + "\",\"Message\":\"The request parameters could not be parsed.\",\"HttpStatus\":400,\"RequestId\":\""
                + org.openkms.core.service.Ids.newRequestId() + "\"}";
        return new ApiResponse(400, "application/json;charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiRequest toApiRequest(Request request, String path) throws IOException {
        String rawQuery = request.getHttpURI().getQuery();
        Map<String, String> query = rawQuery == null ? Map.of() : PercentEncoding.decodeForm(rawQuery);
        Map<String, String> headers = new HashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.putIfAbsent(f.getLowerCaseName(), f.getValue());
        }
        // HTTP/2 carries the host in :authority; the signed "host" header must be read from there.
        headers.putIfAbsent("host", request.getHttpURI().getAuthority());
        byte[] body = readBody(request);
        Map<String, String> form = Map.of();
        String contentType = headers.get("content-type");
        if (body.length > 0 && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            form = PercentEncoding.decodeForm(new String(body, StandardCharsets.UTF_8));
        }
        return new ApiRequest(request.getMethod(), path == null || path.isEmpty() ? "/" : path, query, form, headers,
                body, remoteIp(request), request.isSecure());
    }

    private static byte[] readBody(Request request) throws IOException {
        long declared = request.getLength();
        if (declared == 0) {
            return new byte[0];
        }
        if (declared > MAX_BODY) {
            throw new IllegalArgumentException("body too large");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IllegalArgumentException("body too large");
            }
            return body;
        }
    }

    private static String remoteIp(Request request) {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
    }
}
