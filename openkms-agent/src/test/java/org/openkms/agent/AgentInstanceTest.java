package org.openkms.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openkms.agent.AgentTestSupport.secret;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.CreateApplicationAccessPointRequest;
import com.aliyun.kms20160120.models.CreateClientKeyRequest;
import com.aliyun.kms20160120.models.CreateNetworkRuleRequest;
import com.aliyun.kms20160120.models.CreatePolicyRequest;
import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.GetKmsInstanceRequest;
import com.aliyun.kms20160120.models.PutSecretValueRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * The agent reading secrets from a KMS instance endpoint with a ClientKey ({@code credentials_type = client_key}),
 * through the official instance SDK, against a real server's instance listener: the ClientKey, its password file and
 * the instance CA are made through the V2 SDK, as an operator makes them.
 */
class AgentInstanceTest {
    private static final String PASSWORD = "Ag3nt-instance-pw";

    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static Client kms;
    static String secretName;
    static String otherSecret;
    static Path caFile;
    static Path clientKeyFile;
    static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withInstanceListen("127.0.0.1:0")
                .withRootAccessKey(AgentTestSupport.AK_ID, AgentTestSupport.AK_SECRET));
        kms = AgentTestSupport.kms(server);
        String instanceId = server.instanceId();
        caFile = dir.resolve("PrivateKmsCA_" + instanceId + ".pem");
        Files.writeString(
                caFile,
                kms.getKmsInstance(new GetKmsInstanceRequest().setKmsInstanceId(instanceId))
                        .getBody()
                        .getKmsInstance()
                        .getCaCertificateChainPem());
        secretName = "inst-" + UUID.randomUUID();
        otherSecret = "inst-other-" + UUID.randomUUID();
        for (String name : new String[] {secretName, otherSecret}) {
            kms.createSecret(new CreateSecretRequest()
                    .setSecretName(name)
                    .setSecretData("value of " + name)
                    .setVersionId("v1")
                    .setDKMSInstanceId(instanceId));
        }
        String rule = "net-" + UUID.randomUUID();
        kms.createNetworkRule(new CreateNetworkRuleRequest()
                .setName(rule)
                .setType("Private")
                .setSourcePrivateIp("[\"127.0.0.1/32\"]"));
        String policy = "pol-" + UUID.randomUUID();
        kms.createPolicy(new CreatePolicyRequest()
                .setName(policy)
                .setKmsInstance(instanceId)
                .setPermissions("[\"RbacPermission/Template/CryptoServiceSecretUser\"]")
                .setResources("[\"secret/" + secretName + "\"]")
                .setAccessControlRules("{\"NetworkRules\":[\"" + rule + "\"]}"));
        String aap = "aap-" + UUID.randomUUID();
        kms.createApplicationAccessPoint(new CreateApplicationAccessPointRequest()
                .setName(aap)
                .setAuthenticationMethod("ClientKey")
                .setPolicies("[\"" + policy + "\"]"));
        var ck = kms.createClientKey(
                        new CreateClientKeyRequest().setAapName(aap).setPassword(PASSWORD))
                .getBody();
        // The two files the console downloads: clientKey_<id>.json and clientKey_<id>_Password.txt.
        clientKeyFile = dir.resolve("clientKey_" + ck.getClientKeyId() + ".json");
        Files.writeString(
                clientKeyFile,
                "{\"KeyId\":\"" + ck.getClientKeyId() + "\",\"PrivateKeyData\":\"" + ck.getPrivateKeyData() + "\"}");
        passwordFile = dir.resolve("clientKey_" + ck.getClientKeyId() + "_Password.txt");
        Files.writeString(passwordFile, PASSWORD + "\n");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Map<String, String> options() {
        Map<String, String> o = new HashMap<>();
        o.put("http_port", "0");
        o.put("endpoint", "https://127.0.0.1:" + server.instancePort());
        o.put("ca_file", caFile.toString());
        o.put("credentials_type", "client_key");
        o.put("client_key_file", clientKeyFile.toString());
        o.put("client_key_password_file", passwordFile.toString());
        o.put("connect_timeout_ms", "1000");
        o.put("read_timeout_ms", "5000");
        return o;
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("KMS_TOKEN", AgentTestSupport.TOKEN);
        return env;
    }

    @Test
    void readsCachesAndRefreshesAnInstanceSecret() throws Exception {
        Map<String, String> o = options();
        o.put("ttl_seconds", "1");
        try (AgentServer agent = AgentServer.start(AgentConfig.from(o, env()), env())) {
            HttpResponse<String> first = secret(agent, "/v1/" + secretName);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body())
                    .contains("\"SecretName\":\"" + secretName + "\"")
                    .contains("\"SecretData\":\"value of " + secretName + "\"")
                    .contains("\"VersionId\":\"v1\"");
            assertThat(first.headers().firstValue("X-OpenKMS-Cache")).hasValue("miss");
            assertThat(secret(agent, "/v1/" + secretName).headers().firstValue("X-OpenKMS-Cache"))
                    .hasValue("hit");

            kms.putSecretValue(new PutSecretValueRequest()
                    .setSecretName(secretName)
                    .setVersionId("v2")
                    .setSecretData("rotated"));
            HttpResponse<String> now = secret(agent, "/secretsmanager/get?secretId=" + secretName + "&refreshNow=true");
            assertThat(now.body()).contains("\"SecretData\":\"rotated\"").contains("\"VersionId\":\"v2\"");
            HttpResponse<String> old = secret(agent, "/secretsmanager/get?secretId=" + secretName + "&versionId=v1");
            assertThat(old.body()).contains("\"SecretData\":\"value of " + secretName + "\"");

            // No DescribeSecret on an instance: once the TTL has passed the value is fetched again.
            Thread.sleep(1_100);
            HttpResponse<String> expired = secret(agent, "/v1/" + secretName);
            assertThat(expired.headers().firstValue("X-OpenKMS-Cache")).hasValue("refreshed");
            assertThat(agent.cache().describeCalls.get()).isZero();
        }
    }

    @Test
    void policyAndMissingSecretsGetTheInstanceAnswer() throws Exception {
        try (AgentServer agent = AgentServer.start(AgentConfig.from(options(), env()), env())) {
            HttpResponse<String> outside = secret(agent, "/v1/" + otherSecret);
            assertThat(outside.statusCode()).as(outside.body()).isEqualTo(403);
            assertThat(outside.body()).contains("Forbidden.NoPermission");
            HttpResponse<String> missing = secret(agent, "/v1/no-such-secret-" + UUID.randomUUID());
            assertThat(missing.statusCode()).as(missing.body()).isEqualTo(403);
        }
    }

    @Test
    void passwordFromAVariable() throws Exception {
        Map<String, String> o = options();
        o.remove("client_key_password_file");
        o.put("client_key_password_env", "CLIENT_KEY_PASSWORD");
        Map<String, String> env = env();
        env.put("CLIENT_KEY_PASSWORD", PASSWORD);
        try (AgentServer agent = AgentServer.start(AgentConfig.from(o, env), env)) {
            assertThat(secret(agent, "/v1/" + secretName).statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> AgentServer.start(AgentConfig.from(o, env()), env()))
                .isInstanceOf(AgentConfigException.class)
                .hasMessage("client_key_password_env names CLIENT_KEY_PASSWORD, which is not set: export it or use"
                        + " client_key_password_file");
    }

    @Test
    void aWrongPasswordStopsTheAgentWithOneLine() throws Exception {
        Path wrong = dir.resolve("wrong-password.txt");
        Files.writeString(wrong, "not-the-password", StandardCharsets.UTF_8);
        Map<String, String> o = options();
        o.put("client_key_password_file", wrong.toString());
        assertThatThrownBy(() -> AgentServer.start(AgentConfig.from(o, env()), env()))
                .isInstanceOf(AgentConfigException.class)
                .hasMessageStartingWith(
                        "client_key_file " + clientKeyFile + " cannot be opened with the configured" + " password")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void configurationMistakesAreOneLine() {
        Map<String, String> http = options();
        http.put("endpoint", "http://127.0.0.1:" + server.httpPort());
        http.remove("ca_file");
        assertThatThrownBy(() -> AgentConfig.from(http, env()))
                .hasMessageStartingWith("credentials_type client_key needs an https endpoint");
        Map<String, String> noKey = options();
        noKey.remove("client_key_file");
        assertThatThrownBy(() -> AgentConfig.from(noKey, env()))
                .hasMessageStartingWith("credentials_type client_key needs client_key_file");
        Map<String, String> both = options();
        both.put("client_key_password_env", "X");
        assertThatThrownBy(() -> AgentConfig.from(both, env()))
                .hasMessageStartingWith("credentials_type client_key needs exactly one of client_key_password_file");
        Map<String, String> stray = AgentTestSupport.options(server);
        stray.put("client_key_file", clientKeyFile.toString());
        assertThatThrownBy(() -> AgentConfig.from(stray, env()))
                .hasMessage("client_key_file and its password are only used with credentials_type client_key");
    }
}
