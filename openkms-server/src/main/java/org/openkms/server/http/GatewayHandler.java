package org.openkms.server.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.openkms.core.error.KmsException;
import org.openkms.server.api.ApiRequest;
import org.openkms.server.api.ApiResponse;
import org.openkms.server.gateway.Gateway;
import org.openkms.wire.DuplicateParameterException;
import org.openkms.wire.PercentEncoding;

/**
 * The HTTP adapter: turns a Jetty request into an {@link ApiRequest}, runs the gateway, writes the answer.
 * It is the only class that knows about Jetty. {@code GET /healthz} and {@code GET /metrics} are answered here,
 * unauthenticated.
 */
public final class GatewayHandler extends Handler.Abstract {
    private static final ByteBuffer UNAVAILABLE = ByteBuffer.wrap(
            "{\"status\":\"unavailable\",\"reason\":\"audit log cannot be written\"}".getBytes(StandardCharsets.UTF_8));
    private final int maxBody;
    private final long minDataRate;
    private static final ByteBuffer HEALTH = ByteBuffer.wrap("{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
    private final Gateway gateway;
    /** The Prometheus text of GET /metrics, or null when metrics are off (then the path is unknown: 404). */
    private final Supplier<String> metrics;

    private final String metricsContentType;
    /** The KMS actions this front end serves, or null for all; {@link #refusal} answers the others. */
    private final Set<String> kmsActions;

    private final Function<String, KmsException> refusal;

    public GatewayHandler(Gateway gateway) {
        this(gateway, HttpLimits.defaults());
    }

    /** With the body size and minimum body data rate of {@code limits}. */
    public GatewayHandler(Gateway gateway, HttpLimits limits) {
        this(gateway, limits, null, null);
    }

    /**
     * @param metrics            what {@code GET /metrics} answers, or null to answer 404 there; it must be cheap
     *                           to call (anyone may call it without signing)
     * @param metricsContentType the content type of that answer
     */
    public GatewayHandler(Gateway gateway, HttpLimits limits, Supplier<String> metrics, String metricsContentType) {
        this(gateway, limits, metrics, metricsContentType, null, null);
    }

    /**
     * A front end that serves only some KMS actions (a KMS instance's endpoint), through the same pipeline.
     *
     * @param kmsActions the KMS actions served (null: all of every product); see {@link Gateway#handle(ApiRequest,
     *                   Set, Function)}
     * @param refusal    the error for any other call, given its action name
     */
    public GatewayHandler(
            Gateway gateway,
            HttpLimits limits,
            Supplier<String> metrics,
            String metricsContentType,
            Set<String> kmsActions,
            Function<String, KmsException> refusal) {
        this.kmsActions = kmsActions == null ? null : Set.copyOf(kmsActions);
        this.refusal = refusal;
        this.gateway = gateway;
        this.maxBody = limits.maxBodySize();
        this.minDataRate = limits.minRequestDataRate();
        this.metrics = metrics;
        this.metricsContentType = metricsContentType;
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
        if ("/metrics".equals(path)) {
            // Unauthenticated, as Prometheus scrapes (and as Vault's unauthenticated_metrics_access allows,
            // https://developer.hashicorp.com/vault/docs/configuration/listener/tcp#unauthenticated_metrics_access).
            // Off: the same Alibaba-shaped 404 as Jetty gives a path nothing serves.
            if (metrics == null) {
                send(response, callback, errorResponse(404));
            } else {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, metricsContentType);
                response.write(true, ByteBuffer.wrap(metrics.get().getBytes(StandardCharsets.UTF_8)), callback);
            }
            return true;
        }
        // The gateway runs when the last byte has arrived (BodyReader: bounded, at a minimum rate, no thread held).
        BodyReader.read(request, maxBody, minDataRate, new BodyReader.Done() {
            @Override
            public void body(byte[] body) {
                serve(request, response, callback, path, body);
            }

            @Override
            public void failed(int status) {
                send(response, callback, errorResponse(status));
            }
        });
        return true;
    }

    private void serve(Request request, Response response, Callback callback, String path, byte[] body) {
        Map<String, String> headers = new HashMap<>(32); // a signed request has about a dozen headers
        for (HttpField f : request.getHeaders()) {
            headers.putIfAbsent(f.getLowerCaseName(), f.getValue());
        }
        if (!headers.containsKey("host")) {
            // HTTP/2 carries the host in :authority; the signed "host" header must be read from there.
            headers.put("host", request.getHttpURI().getAuthority());
        }
        send(
                response,
                callback,
                answer(
                        gateway,
                        kmsActions,
                        refusal,
                        request.getMethod(),
                        path,
                        request.getHttpURI().getQuery(),
                        headers,
                        body,
                        remoteIp(request),
                        request.isSecure()));
    }

    /**
     * What this adapter answers to a request Jetty has parsed, without Jetty: decodes the query and a form body, runs
     * the gateway, and answers malformed percent-encoding, or a parameter named twice, with an Alibaba-shaped 400 (not
     * a 500). Public so that the
     * fuzz tests drive the same code as the server.
     *
     * @param rawQuery the query as received (percent-encoded), or null
     * @param headers  by lower-case name; the first value of a repeated header
     */
    public static ApiResponse answer(
            Gateway gateway,
            String method,
            String path,
            String rawQuery,
            Map<String, String> headers,
            byte[] body,
            String sourceIp,
            boolean secure) {
        return answer(gateway, null, null, method, path, rawQuery, headers, body, sourceIp, secure);
    }

    private static ApiResponse answer(
            Gateway gateway,
            Set<String> kmsActions,
            Function<String, KmsException> refusal,
            String method,
            String path,
            String rawQuery,
            Map<String, String> headers,
            byte[] body,
            String sourceIp,
            boolean secure) {
        try {
            ApiRequest request = toApiRequest(method, path, rawQuery, headers, body, sourceIp, secure);
            return kmsActions == null ? gateway.handle(request) : gateway.handle(request, kmsActions, refusal);
        } catch (DuplicateParameterException e) {
            return gateway.refuseDuplicate(e.name(), sourceIp);
        } catch (IllegalArgumentException e) {
            return errorResponse(400);
        }
    }

    private static void send(Response response, Callback callback, ApiResponse out) {
        response.setStatus(out.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, out.contentType());
        response.write(true, ByteBuffer.wrap(out.body()), callback);
    }

    private static ApiResponse errorResponse(int status) {
        return new ApiResponse(status, "application/json;charset=utf-8", AlibabaErrorHandler.body(status));
    }

    private static ApiRequest toApiRequest(
            String method,
            String path,
            String rawQuery,
            Map<String, String> headers,
            byte[] body,
            String sourceIp,
            boolean secure) {
        Map<String, String> query = rawQuery == null ? Map.of() : PercentEncoding.decodeForm(rawQuery);
        Map<String, String> form = Map.of();
        String contentType = headers.get("content-type");
        if (body.length > 0
                && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            form = PercentEncoding.decodeForm(new String(body, StandardCharsets.UTF_8));
        }
        return new ApiRequest(
                method, path == null || path.isEmpty() ? "/" : path, query, form, headers, body, sourceIp, secure);
    }

    private static String remoteIp(Request request) {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
    }
}
