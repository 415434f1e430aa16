package org.openkms.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.openkms.wire.RequestSigner;

/** A minimal signed client for server tests (the official SDKs are exercised in openkms-conformance). */
public final class SignedClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final RequestSigner signer;
    private final String base;

    public SignedClient(String base, String accessKeyId, String secret) {
        this.base = base;
        this.signer = new RequestSigner(accessKeyId, secret);
    }

    public record Reply(int status, JsonNode body, String contentType, String raw) {
        public String code() {
            return body.path("Code").asText(null);
        }
    }

    /** RPC (HMAC-SHA1) signed POST with the parameters in the query string, as the V1 SDK sends it. */
    public Reply call(String action, Map<String, String> params) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/?" + signer.signRpc("POST", action, params)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    public Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        String ct = r.headers().firstValue("content-type").orElse("");
        JsonNode json = ct.startsWith("application/json") ? new ObjectMapper().readTree(r.body()) : null;
        return new Reply(r.statusCode(), json, ct, r.body());
    }

    public RequestSigner signer() {
        return signer;
    }
}
