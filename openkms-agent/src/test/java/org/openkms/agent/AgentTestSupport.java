package org.openkms.agent;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.PutSecretValueRequest;
import com.aliyun.teaopenapi.models.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/** A real OpenKMS server (SQLite in a temporary directory) and the V2 SDK client the tests create secrets with. */
final class AgentTestSupport {
    static final String AK_ID = "LTAI5tAgentTest000000";
    static final String AK_SECRET = "AgentTest0Secret0For0OpenKMS000";
    static final String TOKEN = "test-token-0123456789";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AgentTestSupport() {}

    static OpenKmsServer startServer(Path dataDir) throws Exception {
        return OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dataDir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey(AK_ID, AK_SECRET)
                .withMaintenanceInterval(Duration.ofHours(6)));
    }

    static Client kms(OpenKmsServer server) throws Exception {
        return new Client(new Config()
                .setAccessKeyId(AK_ID)
                .setAccessKeySecret(AK_SECRET)
                .setEndpoint("127.0.0.1:" + server.httpPort())
                .setRegionId("cn-hangzhou")
                .setProtocol("http"));
    }

    static String createSecret(Client kms, String data) throws Exception {
        String name = "agent-" + UUID.randomUUID();
        kms.createSecret(new CreateSecretRequest()
                .setSecretName(name)
                .setVersionId("v1")
                .setSecretData(data)
                .setSecretDataType("text"));
        return name;
    }

    static void putValue(Client kms, String name, String versionId, String data) throws Exception {
        kms.putSecretValue(new PutSecretValueRequest()
                .setSecretName(name)
                .setVersionId(versionId)
                .setSecretData(data));
    }

    /** Agent options for a server: free port, KMS_TOKEN-style token in the environment map, root AccessKey. */
    static Map<String, String> options(OpenKmsServer server) {
        Map<String, String> o = new HashMap<>();
        o.put("http_port", "0");
        o.put("endpoint", "http://127.0.0.1:" + server.httpPort());
        o.put("region", "cn-hangzhou");
        o.put("connect_timeout_ms", "1000");
        o.put("read_timeout_ms", "5000");
        return o;
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("KMS_TOKEN", TOKEN);
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", AK_ID);
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET);
        return env;
    }

    static AgentServer agent(Map<String, String> options, Map<String, String> env) throws Exception {
        return AgentServer.start(AgentConfig.from(options, env), env);
    }

    static HttpResponse<String> get(AgentServer agent, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> secret(AgentServer agent, String pathAndQuery)
            throws IOException, InterruptedException {
        return get(agent, pathAndQuery, "X-KMS-Token", TOKEN);
    }
}
