package org.openkms.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.agent.AgentTestSupport.AK_ID;
import static org.openkms.agent.AgentTestSupport.AK_SECRET;
import static org.openkms.agent.AgentTestSupport.TOKEN;
import static org.openkms.agent.AgentTestSupport.agent;
import static org.openkms.agent.AgentTestSupport.createSecret;
import static org.openkms.agent.AgentTestSupport.options;
import static org.openkms.agent.AgentTestSupport.secret;

import com.aliyun.ram20150501.models.AttachPolicyToRoleRequest;
import com.aliyun.ram20150501.models.CreateRoleRequest;
import com.aliyun.teaopenapi.models.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * RamRoleArn through our STS: the agent holds only the base AccessKey and a role ARN; credentials-java's provider
 * calls AssumeRole on the server's HTTPS listener (trusted through {@code ca_file}) and the temporary credentials
 * sign the KMS calls.
 */
class AgentRamRoleTest {

    @Test
    void agentReadsSecretsWithAssumedRoleCredentials(@TempDir Path dir) throws Exception {
        OpenKmsServer server = AgentTestSupport.startServer(dir.resolve("server"));
        try {
            var ram = new com.aliyun.ram20150501.Client(new Config()
                    .setAccessKeyId(AK_ID)
                    .setAccessKeySecret(AK_SECRET)
                    .setEndpoint("127.0.0.1:" + server.httpPort())
                    .setRegionId("cn-hangzhou")
                    .setProtocol("http"));
            String trust = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                    + "\"Principal\":{\"RAM\":[\"acs:ram::"
                    + ServerConfig.defaults().accountId() + ":root\"]}}]}";
            String arn = ram.createRole(
                            new CreateRoleRequest().setRoleName("agent-reader").setAssumeRolePolicyDocument(trust))
                    .getBody()
                    .getRole()
                    .getArn();
            ram.attachPolicyToRole(new AttachPolicyToRoleRequest()
                    .setRoleName("agent-reader")
                    .setPolicyType("System")
                    .setPolicyName("AliyunKMSSecretUserAccess"));
            String name = createSecret(AgentTestSupport.kms(server), "role-read");

            Map<String, String> o = options(server);
            o.put("endpoint", "https://127.0.0.1:" + server.httpsPort());
            o.put("ca_file", server.tlsCertificate().toString());
            o.put("credentials_type", "ram_role_arn");
            o.put("access_key_id", AK_ID);
            o.put("access_key_secret", AK_SECRET);
            o.put("role_arn", arn);
            // No ALIBABA_CLOUD_* variables: only the role can sign.
            try (AgentServer a = agent(o, Map.of("KMS_TOKEN", TOKEN))) {
                assertThat(secret(a, "/v1/" + name).body()).contains("role-read");
            }

            // The same through a credentials file profile of type ram_role_arn.
            Path ini = dir.resolve("credentials");
            Files.writeString(
                    ini,
                    "[default]\ntype = ram_role_arn\naccess_key_id = " + AK_ID + "\naccess_key_secret = " + AK_SECRET
                            + "\nrole_arn = " + arn + "\nrole_session_name = agent-test\n");
            Map<String, String> fromFile = options(server);
            fromFile.put("endpoint", "https://127.0.0.1:" + server.httpsPort());
            fromFile.put("ca_file", server.tlsCertificate().toString());
            fromFile.put("credentials_file", ini.toString());
            try (AgentServer a = agent(fromFile, Map.of("KMS_TOKEN", TOKEN))) {
                assertThat(secret(a, "/v1/" + name).body()).contains("role-read");
            }
        } finally {
            server.close();
        }
    }
}
