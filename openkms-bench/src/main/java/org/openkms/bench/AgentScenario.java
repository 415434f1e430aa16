package org.openkms.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A cached secret read through the local agent ({@code ./openkms agent}, Alibaba KMS Agent's HTTP API): {@code GET
 * /v1/<secret>} with the {@code X-KMS-Token} header, on {@code --agent-endpoint}. The secret is created through the
 * API as for GetSecretValue; the first read fills the agent's cache, the load then measures the agent serving it
 * (no KMS call per request, as applications use it).
 */
final class AgentScenario implements Scenario {
    private final GetSecretValueScenario secret = new GetSecretValueScenario();
    private Endpoint target;
    private byte[] request;

    static void registerAll() {
        Scenarios.register("AgentGetSecretValue", AgentScenario::new);
    }

    @Override
    public String action() {
        return "AgentGetSecretValue";
    }

    @Override
    public void prepare(Setup setup) throws IOException {
        secret.prepare(setup);
        String token = token(setup.agentToken());
        target = Endpoint.parse(setup.agentEndpoint(), false);
        String name = secret.params().get("SecretName");
        String head = "GET /v1/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8)
                        .replace("+", "%20")
                        .replace("%2F", "/")
                + " HTTP/1.1\r\nHost: " + target.hostHeader() + "\r\nX-KMS-Token: " + token
                + "\r\nUser-Agent: openkms-bench\r\n\r\n";
        request = head.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code --agent-token}: the value, {@code file://PATH}, or (unset) {@code $KMS_TOKEN} as the agent reads it. */
    static String token(String option) throws IOException {
        String v = option != null ? option : System.getenv("KMS_TOKEN");
        if (v == null || v.isBlank()) {
            throw new IOException("the agent needs its token: --agent-token VALUE|file://PATH or KMS_TOKEN");
        }
        if (v.startsWith("file://")) {
            return Files.readString(Path.of(v.substring("file://".length()))).trim();
        }
        return v.trim();
    }

    @Override
    public Map<String, String> params() {
        throw new UnsupportedOperationException("the agent is not an OpenAPI action; see writer()");
    }

    @Override
    public LoadRun.RequestWriter writer(SignedRequestEncoder encoder) {
        byte[] bytes = request;
        return (nonces, out) -> out.reset().bytes(bytes, 0, bytes.length);
    }

    @Override
    public Endpoint target(Endpoint endpoint) {
        return target;
    }

    @Override
    public String bodyMustContain() {
        return "\"SecretData\"";
    }

    @Override
    public String describe() {
        return "AgentGetSecretValue (cached, " + secret.describe().replaceAll("^GetSecretValue \\(", "");
    }
}
