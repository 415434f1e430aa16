package org.openkms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * A minimal KMS client for the bench's setup and cleanup calls (CreateKey, the Encrypt that feeds a Decrypt run, …):
 * the same signing and transport as the load, plus JSON parsing of the answer. Not for the hot path.
 */
public final class ApiClient implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long IDLE_REOPEN_NANOS = 1_000_000_000L;

    private final SignedRequestEncoder encoder;
    private final HttpConnection connection;
    private final NonceSource nonces = new NonceSource();
    private final RequestBuffer request = new RequestBuffer();
    private long lastUsedNanos;

    ApiClient(SignedRequestEncoder encoder, HttpConnection connection) {
        this.encoder = encoder;
        this.connection = connection;
    }

    /**
     * Calls an action and returns the parsed JSON response.
     *
     * @throws ApiException on a non-200 answer (with its body)
     * @throws IOException  when the server cannot be reached or answers garbage
     */
    public JsonNode call(String action, Map<String, String> params) throws IOException {
        // Setup and cleanup calls are minutes apart when a long load runs in between, and the server closes idle
        // keep-alive connections meanwhile: a connection idle for more than a second is replaced before the call
        // rather than found closed by it (which would leave the key or the RAM users of the run behind).
        if (connection.isOpen() && System.nanoTime() - lastUsedNanos > IDLE_REOPEN_NANOS) {
            connection.close();
        }
        encoder.encode(action, params, nonces, request);
        int status;
        try {
            status = connection.exchange(request);
        } finally {
            lastUsedNanos = System.nanoTime();
        }
        String body = connection.response().bodyString();
        if (status != 200) {
            throw new ApiException(action, status, body);
        }
        return JSON.readTree(body);
    }

    /** A required text field of a response, e.g. {@code field(r, "KeyMetadata", "KeyId")}. */
    public static String field(JsonNode response, String... path) throws IOException {
        JsonNode n = response;
        for (String p : path) {
            n = n.path(p);
        }
        if (!n.isTextual() || n.asText().isEmpty()) {
            throw new IOException("response without " + String.join(".", path) + ": " + response);
        }
        return n.asText();
    }

    @Override
    public void close() {
        connection.close();
    }

    /** A KMS error answer to a setup call. */
    public static final class ApiException extends IOException {
        private final int status;
        private final String body;

        ApiException(String action, int status, String body) {
            super(action + " failed with HTTP " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }
}
