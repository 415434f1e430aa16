package org.openkms.conformance.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.randomBytes;
import static org.openkms.conformance.Conformance.unique;
import static org.openkms.conformance.iam.IamClients.call;

import com.aliyun.credentials.models.CredentialModel;
import com.aliyun.credentials.provider.RamRoleArnCredentialProvider;
import com.aliyun.ram20150501.models.AttachPolicyToRoleRequest;
import com.aliyun.ram20150501.models.CreateRoleRequest;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.KmsApi.CreateKey;
import org.openkms.conformance.SharedServer;
import org.openkms.conformance.TrustedCertificates;
import org.openkms.conformance.V2Api;

/**
 * credentials-java's RamRoleArn provider (what applications configure as "ram_role_arn") pointed at our STS
 * endpoint: it calls AssumeRole itself (RPC HMAC-SHA1, always over HTTPS) and the temporary credentials it
 * returns drive the KMS SDK.
 */
@ExtendWith(SharedServer.class)
class RamRoleArnProviderConformanceTest {
    private final ConformanceServer server;

    RamRoleArnProviderConformanceTest(ConformanceServer server) {
        this.server = server;
    }

    @Test
    void providerAssumesTheRoleAndItsCredentialsWork() throws Exception {
        // The provider uses HttpsURLConnection with the JVM defaults: trust the server's certificate there.
        TrustedCertificates.INSTANCE.trust(server.caPem());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {TrustedCertificates.INSTANCE}, null);
        HttpsURLConnection.setDefaultSSLSocketFactory(tls.getSocketFactory());

        var ram = IamClients.rootRam(server);
        String roleName = unique("app");
        String trust =
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"RAM\":"
                        + "[\"acs:ram::" + ConformanceServer.ACCOUNT_ID + ":root\"]}}]}";
        var role = call(
                        "ram",
                        () -> ram.createRole(
                                new CreateRoleRequest().setRoleName(roleName).setAssumeRolePolicyDocument(trust)))
                .getBody()
                .getRole();
        call(
                "ram",
                () -> ram.attachPolicyToRole(new AttachPolicyToRoleRequest()
                        .setRoleName(roleName)
                        .setPolicyType("System")
                        .setPolicyName("AliyunKMSCryptoUserAccess")));
        String key = server.v2().createKey(new CreateKey()).keyId();

        com.aliyun.credentials.models.Config config = new com.aliyun.credentials.models.Config()
                .setType("ram_role_arn")
                .setAccessKeyId(ConformanceServer.ACCESS_KEY_ID)
                .setAccessKeySecret(ConformanceServer.ACCESS_KEY_SECRET)
                .setRoleArn(role.getArn())
                .setRoleSessionName("provider-test")
                .setSTSEndpoint("127.0.0.1:" + server.httpsPort());
        RamRoleArnCredentialProvider provider = new RamRoleArnCredentialProvider(config);
        CredentialModel c = provider.getCredentials();
        assertThat(c.getAccessKeyId()).startsWith("STS.");
        assertThat(c.getSecurityToken()).startsWith("CAIS");

        var kms = V2Api.create(
                server.httpPort(),
                null,
                V2Api.Signing.ACS3,
                c.getAccessKeyId(),
                c.getAccessKeySecret(),
                c.getSecurityToken());
        String plaintext = b64(randomBytes(16));
        var encrypted = kms.encrypt(key, plaintext);
        assertThat(encrypted.keyId()).isEqualTo(key);
        var decrypted = kms.decrypt(encrypted.ciphertextBlob());
        assertThat(decrypted.plaintext()).isEqualTo(plaintext);
        assertThat(decrypted.keyId()).isEqualTo(key);
        expectError("Forbidden.NoPermission", 403, () -> kms.createKey(new CreateKey()));
    }
}
