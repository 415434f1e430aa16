package org.openkms.conformance.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.randomBytes;
import static org.openkms.conformance.Conformance.unique;
import static org.openkms.conformance.iam.IamClients.call;

import com.aliyun.credentials.exception.CredentialException;
import com.aliyun.credentials.http.CompatibleUrlConnClient;
import com.aliyun.credentials.models.CredentialModel;
import com.aliyun.credentials.provider.OIDCRoleArnCredentialProvider;
import com.aliyun.ram20150501.models.AttachPolicyToRoleRequest;
import com.aliyun.ram20150501.models.CreateRoleRequest;
import com.aliyun.sts20150401.models.AssumeRoleWithOIDCRequest;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teautil.models.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.GenericCalls;
import org.openkms.conformance.KmsApi.CreateKey;
import org.openkms.conformance.SharedServer;
import org.openkms.conformance.TrustedCertificates;
import org.openkms.conformance.V2Api;
import org.openkms.server.oidc.TestIssuer;

/**
 * The Kubernetes (RRSA) credential chain against our STS: credentials-java's OIDC role ARN provider
 * ("oidc_role_arn", the ALIBABA_CLOUD_ROLE_ARN / ALIBABA_CLOUD_OIDC_PROVIDER_ARN / ALIBABA_CLOUD_OIDC_TOKEN_FILE
 * triple) reads a token file signed by a test issuer, calls AssumeRoleWithOIDC unsigned over HTTPS, and the
 * credentials it gets drive the official KMS V2 SDK with the role's permissions. The official STS SDK's
 * AssumeRoleWithOIDC (also sent anonymously) sees Alibaba's codes for tokens that must be refused.
 */
@ExtendWith(SharedServer.class)
class OidcRoleArnProviderConformanceTest {
    private static final String AUD = "sts.aliyuncs.com";
    private static final String SUB = "system:serviceaccount:payments:api";

    /** One issuer per test: RAM wants a provider's IssuerUrl unique in the account, and the server is shared. */
    private TestIssuer issuer;

    @TempDir
    Path dir;

    private final ConformanceServer server;

    OidcRoleArnProviderConformanceTest(ConformanceServer server) {
        this.server = server;
    }

    @BeforeEach
    void startIssuer() throws Exception {
        issuer = new TestIssuer("cluster-key-1");
    }

    @AfterEach
    void stopIssuer() {
        issuer.close();
    }

    /** Registers the issuer as a RAM OIDC provider and a role trusting its service account; returns both ARNs. */
    private String[] providerAndRole() {
        var ram = IamClients.rootRam(server);
        String name = unique("cluster");
        Map<?, ?> created = (Map<?, ?>) call(
                        "ram",
                        () -> ram.callApi(
                                GenericCalls.rpc("CreateOIDCProvider", "2015-05-01", false),
                                new OpenApiRequest()
                                        .setQuery(Map.of(
                                                "OIDCProviderName",
                                                name,
                                                "IssuerUrl",
                                                issuer.url(),
                                                "ClientIds",
                                                AUD,
                                                "IssuanceLimitTime",
                                                "1")),
                                new RuntimeOptions()))
                .get("body");
        String providerArn = (String) ((Map<?, ?>) created.get("OIDCProvider")).get("Arn");
        assertThat(providerArn).isEqualTo("acs:ram::" + ConformanceServer.ACCOUNT_ID + ":oidc-provider/" + name);

        String roleName = unique("rrsa");
        // Alibaba's RRSA trust policy: the provider as Federated principal, conditions on the token's claims.
        String trust = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                + "\"Principal\":{\"Federated\":[\"" + providerArn + "\"]},\"Condition\":{\"StringEquals\":{"
                + "\"oidc:iss\":\"" + issuer.url() + "\",\"oidc:aud\":\"" + AUD + "\",\"oidc:sub\":\"" + SUB
                + "\"}}}]}";
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
        return new String[] {providerArn, role.getArn()};
    }

    @Test
    void credentialsJavaWithAnOidcTokenFileGetsWorkingStsCredentials() throws Exception {
        // credentials-java calls STS over HTTPS only, with HttpsURLConnection's JVM defaults: trust our certificate.
        TrustedCertificates.INSTANCE.trust(server.caPem());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {TrustedCertificates.INSTANCE}, null);
        HttpsURLConnection.setDefaultSSLSocketFactory(tls.getSocketFactory());

        String[] arns = providerAndRole();
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, issuer.token(AUD, SUB));
        String key = server.v2().createKey(new CreateKey()).keyId();

        com.aliyun.credentials.models.Config config = new com.aliyun.credentials.models.Config()
                .setType("oidc_role_arn")
                .setRoleArn(arns[1])
                .setRoleSessionName("payments-api")
                .setSTSEndpoint("127.0.0.1:" + server.httpsPort());
        config.setOidcProviderArn(arns[0]);
        config.setOidcTokenFilePath(tokenFile.toString());
        CredentialModel c = new OIDCRoleArnCredentialProvider(config).getCredentials();
        assertThat(c.getAccessKeyId()).startsWith("STS.");
        assertThat(c.getSecurityToken()).isNotEmpty();

        var kms = V2Api.create(
                server.httpPort(),
                null,
                V2Api.Signing.ACS3,
                c.getAccessKeyId(),
                c.getAccessKeySecret(),
                c.getSecurityToken());
        String plaintext = b64(randomBytes(16));
        var encrypted = kms.encrypt(key, plaintext);
        assertThat(kms.decrypt(encrypted.ciphertextBlob()).plaintext()).isEqualTo(plaintext);
        expectError("Forbidden.NoPermission", 403, () -> kms.createKey(new CreateKey()));

        // A token for another service account: the provider reports STS's refusal, and nothing is issued.
        Files.writeString(tokenFile, issuer.token(AUD, "system:serviceaccount:payments:other"));
        OIDCRoleArnCredentialProvider other = new OIDCRoleArnCredentialProvider(config);
        Throwable refused = catchThrowable(() -> other.getNewSessionCredentials(new CompatibleUrlConnClient()));
        assertThat(refused)
                .isInstanceOf(CredentialException.class)
                .hasMessageContaining("AuthenticationFail.NoPermission");
    }

    @Test
    void theStsSdkSeesAlibabasCodesForBadTokens() throws Exception {
        String[] arns = providerAndRole();
        var sts = IamClients.sts(server, "unused", "unused");
        Instant now = Instant.now();
        String otherIssuer = issuer.token("https://oidc.example.com/other", AUD, SUB, now, now.plusSeconds(600));
        String expired = issuer.token(issuer.url(), AUD, SUB, now.minusSeconds(1800), now.minusSeconds(900));
        String wrongAudience = issuer.token("someone-else", SUB);
        var impostor = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                .keyID("cluster-key-1")
                .generate();
        String badSignature = TestIssuer.sign(impostor, issuer.url(), AUD, SUB, now, now.plusSeconds(600));
        Map<String, String> cases = Map.of(
                otherIssuer, "AuthenticationFail.OIDCToken.IssuerNotMatch",
                expired, "AuthenticationFail.OIDCToken.Expired",
                wrongAudience, "AuthenticationFail.OIDCToken.AudienceNotMatch",
                badSignature, "AuthenticationFail.OIDCToken.InvalidSignature");
        for (var e : cases.entrySet()) {
            expectError(
                    e.getValue(),
                    401,
                    () -> call("sts", () -> sts.assumeRoleWithOIDC(request(arns[0], arns[1], e.getKey()))));
        }
        expectError(
                "AuthenticationFail.NoPermission",
                401,
                () -> call(
                        "sts",
                        () -> sts.assumeRoleWithOIDC(request(
                                "acs:ram::" + ConformanceServer.ACCOUNT_ID + ":oidc-provider/none",
                                arns[1],
                                issuer.token(AUD, SUB)))));
        var ok = call("sts", () -> sts.assumeRoleWithOIDC(request(arns[0], arns[1], issuer.token(AUD, SUB))))
                .getBody();
        assertThat(ok.getCredentials().getAccessKeyId()).startsWith("STS.");
        assertThat(ok.getOIDCTokenInfo().getSubject()).isEqualTo(SUB);
        assertThat(ok.getOIDCTokenInfo().getIssuer()).isEqualTo(issuer.url());
        assertThat(ok.getAssumedRoleUser().getArn()).endsWith("/sdk");
    }

    private static AssumeRoleWithOIDCRequest request(String providerArn, String roleArn, String token) {
        return new AssumeRoleWithOIDCRequest()
                .setOIDCProviderArn(providerArn)
                .setRoleArn(roleArn)
                .setOIDCToken(token)
                .setRoleSessionName("sdk");
    }
}
