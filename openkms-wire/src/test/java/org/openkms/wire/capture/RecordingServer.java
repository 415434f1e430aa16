package org.openkms.wire.capture;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain-HTTP server on 127.0.0.1 and an ephemeral port that records every request and answers each with 200 and
 * a minimal JSON body, {@code {"RequestId":"..."}}: enough for both SDKs to take the call as done (and, being a
 * success, not to retry it). Nothing leaves the machine.
 */
final class RecordingServer implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final List<CapturedRequest> requests = new CopyOnWriteArrayList<>();

    RecordingServer(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::record);
        server.start();
    }

    /** {@code host:port}, as both SDKs take an endpoint. */
    String endpoint() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The one request the SDK sent; more than one (a retry) or none would make the capture ambiguous. */
    CapturedRequest onlyRequest() {
        if (requests.size() != 1) {
            throw new IllegalStateException(
                    name + ": expected exactly one request, the recorder got " + requests.size());
        }
        return requests.get(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void record(HttpExchange exchange) throws IOException {
        try {
            byte[] body = readAll(exchange.getRequestBody()); // the JDK server has already undone any chunked encoding
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> h :
                    exchange.getRequestHeaders().entrySet()) {
                headers.put(h.getKey(), String.join(",", h.getValue()));
            }
            URI uri = exchange.getRequestURI();
            requests.add(new CapturedRequest(
                    name,
                    exchange.getRequestMethod(),
                    uri.getRawPath(),
                    uri.getRawQuery(),
                    headers,
                    body,
                    System.currentTimeMillis()));

            byte[] answer = ("{\"RequestId\":\"recorded-" + requests.size() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } finally {
            exchange.close();
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
