package org.openkms.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;
import org.openkms.wire.RequestSigner;

/**
 * STS AssumeRoleWithOIDC over HTTP, sent unsigned as credentials-java sends it, with a real issuer on loopback (its
 * JWKS fetched through discovery), and the RAM OIDC provider actions. Every refusal is Alibaba's code and status,
 * and issues nothing.
 */
class AssumeRoleWithOidcHttpTest {
    private static final String UID = "1234567890123456";
    private static final String SUB = "system:serviceaccount:apps:reader";
    private static final String AUD = "sts.aliyuncs.com";

    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SignedClient root;
    static TestIssuer issuer;
    static String base;
    static String key;
    static String providerArn;
    static String roleArn;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIrootoidc", "root-secret"));
        base = "http://127.0.0.1:" + server.httpPort();
        root = new SignedClient(base, "LTAIrootoidc", "root-secret");
        issuer = new TestIssuer("k1");
        JsonNode p = ram(
                        "CreateOIDCProvider",
                        Map.of(
                                "OIDCProviderName",
                                "cluster",
                                "IssuerUrl",
                                issuer.url(),
                                "ClientIds",
                                AUD,
                                "IssuanceLimitTime",
                                "1",
                                "Description",
                                "test cluster"))
                .path("OIDCProvider");
        providerArn = p.path("Arn").asText();
        assertThat(providerArn).isEqualTo("acs:ram::" + UID + ":oidc-provider/cluster");
        String trust = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                + "\"Principal\":{\"Federated\":[\"" + providerArn + "\"]},\"Condition\":{\"StringEquals\":{"
                + "\"oidc:iss\":\"" + issuer.url() + "\",\"oidc:aud\":\"" + AUD + "\",\"oidc:sub\":\"" + SUB
                + "\"}}}]}";
        roleArn = ram("CreateRole", Map.of("RoleName", "reader", "AssumeRolePolicyDocument", trust))
                .path("Role")
                .path("Arn")
                .asText();
        ram(
                "AttachPolicyToRole",
                Map.of("RoleName", "reader", "PolicyType", "System", "PolicyName", "AliyunKMSCryptoUserAccess"));
        key = root.call("CreateKey", Map.of())
                .body()
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
    }

    @AfterAll
    static void stop() {
        server.close();
        issuer.close();
    }

    @Test
    void aTokenOfTheIssuerGetsCredentialsThatWorkWithTheRolesPermissions() throws Exception {
        SignedClient.Reply r = assume(issuer.token(AUD, SUB), "pod-1");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode c = r.body().path("Credentials");
        assertThat(c.path("AccessKeyId").asText()).startsWith("STS.");
        assertThat(c.path("Expiration").asText()).isNotEmpty();
        assertThat(r.body().path("AssumedRoleUser").path("Arn").asText())
                .isEqualTo("acs:ram::" + UID + ":role/reader/pod-1");
        JsonNode info = r.body().path("OIDCTokenInfo");
        assertThat(info.path("Subject").asText()).isEqualTo(SUB);
        assertThat(info.path("Issuer").asText()).isEqualTo(issuer.url());
        assertThat(info.path("ClientIds").asText()).isEqualTo(AUD);
        assertThat(info.path("ExpirationTime").asText()).endsWith("Z");
        assertThat(r.body().path("RequestId").asText()).isNotEmpty();

        RequestSigner sts = new RequestSigner(
                c.path("AccessKeyId").asText(),
                c.path("AccessKeySecret").asText(),
                c.path("SecurityToken").asText());
        SignedClient.Reply enc = post(sts.signRpc("POST", "Encrypt", Map.of("KeyId", key, "Plaintext", "aGk=")));
        assertThat(enc.status()).as(enc.raw()).isEqualTo(200);
        SignedClient.Reply create = post(sts.signRpc("POST", "CreateKey", Map.of()));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.code()).isEqualTo("Forbidden.NoPermission");
    }

    @Test
    void refusalsCarryAlibabasCodes() throws Exception {
        Instant now = Instant.now();
        refused(
                assume(issuer.token("https://other.example", AUD, SUB, now, now.plusSeconds(600)), "ss"),
                "AuthenticationFail.OIDCToken.IssuerNotMatch");
        refused(
                assume(issuer.token(issuer.url(), AUD, SUB, now.minusSeconds(1200), now.minusSeconds(600)), "ss"),
                "AuthenticationFail.OIDCToken.Expired");
        // Issued more than the provider's IssuanceLimitTime (1 hour) ago, though not expired.
        refused(
                assume(issuer.token(issuer.url(), AUD, SUB, now.minusSeconds(7200), now.plusSeconds(600)), "ss"),
                "AuthenticationFail.OIDCToken.Expired");
        refused(assume(issuer.token("another-client", SUB), "ss"), "AuthenticationFail.OIDCToken.AudienceNotMatch");
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("k1").generate();
        refused(
                assume(TestIssuer.sign(impostor, issuer.url(), AUD, SUB, now, now.plusSeconds(600)), "ss"),
                "AuthenticationFail.OIDCToken.InvalidSignature");
        refused(assume("not.a.jwt", "ss"), "AuthenticationFail.OIDCToken.Invalid");
        refused(assume("", "ss"), "AuthenticationFail.OIDCToken.Invalid");
        SignedClient.Reply unknown =
                anonymous(params("acs:ram::" + UID + ":oidc-provider/nobody", roleArn, issuer.token(AUD, SUB), "ss"));
        refused(unknown, "AuthenticationFail.NoPermission");
        assertThat(unknown.body().path("Message").asText()).isEqualTo("No such OIDC Provider registered.");
        SignedClient.Reply otherSub = assume(issuer.token(AUD, "system:serviceaccount:apps:writer"), "ss");
        refused(otherSub, "AuthenticationFail.NoPermission");
        assertThat(otherSub.body().path("Message").asText()).isEqualTo("There is no permission");

        SignedClient.Reply noRole =
                anonymous(params(providerArn, "acs:ram::" + UID + ":role/none", issuer.token(AUD, SUB), "ss"));
        assertThat(noRole.status()).isEqualTo(404);
        assertThat(noRole.code()).isEqualTo("EntityNotExist.Role");
    }

    @Test
    void anAccountWideRamPrincipalDoesNotAdmitOidcTokens() throws Exception {
        String trust = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                + "\"Principal\":{\"RAM\":[\"acs:ram::" + UID + ":*\"]}}]}";
        String wide = ram("CreateRole", Map.of("RoleName", "wide", "AssumeRolePolicyDocument", trust))
                .path("Role")
                .path("Arn")
                .asText();
        SignedClient.Reply r = anonymous(params(providerArn, wide, issuer.token(AUD, SUB), "ss"));
        refused(r, "AuthenticationFail.NoPermission");
        assertThat(r.body().path("Message").asText()).isEqualTo("There is no permission");
    }

    @Test
    void unknownKeyIdsDoNotMakeTheServerFetchWithoutBound() throws Exception {
        assertThat(assume(issuer.token(AUD, SUB), "warm").status()).isEqualTo(200);
        int before = issuer.jwksFetches.get();
        Instant now = Instant.now();
        for (int i = 0; i < 20; i++) {
            RSAKey other = new RSAKeyGenerator(2048).keyID("rotated-" + i).generate();
            refused(
                    assume(TestIssuer.sign(other, issuer.url(), AUD, SUB, now, now.plusSeconds(600)), "ss"),
                    "AuthenticationFail.OIDCToken.InvalidSignature");
        }
        assertThat(issuer.jwksFetches.get() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void onlyAssumeRoleWithOidcIsServedWithoutCredentials() throws Exception {
        Map<String, String> p = new LinkedHashMap<>(params(providerArn, roleArn, "x.y.z", "ss"));
        p.put("Action", "AssumeRole");
        p.put("Version", "2015-04-01");
        SignedClient.Reply assumeRole = postForm(p);
        assertThat(assumeRole.status()).as(assumeRole.raw()).isIn(400, 403);
        assertThat(assumeRole.code()).isEqualTo("IncompleteSignature");
        SignedClient.Reply listKeys = postForm(Map.of("Action", "ListKeys", "Version", "2016-01-20", "Format", "JSON"));
        assertThat(listKeys.code()).isEqualTo("IncompleteSignature");
        SignedClient.Reply ram = postForm(Map.of("Action", "ListOIDCProviders", "Version", "2015-05-01"));
        assertThat(ram.code()).isEqualTo("IncompleteSignature");
    }

    @Test
    void ramManagesOidcProviders() throws Exception {
        JsonNode got =
                ram("GetOIDCProvider", Map.of("OIDCProviderName", "cluster")).path("OIDCProvider");
        assertThat(got.path("IssuerUrl").asText()).isEqualTo(issuer.url());
        assertThat(got.path("IssuanceLimitTime").asInt()).isEqualTo(1);
        assertThat(ram("ListOIDCProviders", Map.of())
                        .path("OIDCProviders")
                        .path("OIDCProvider")
                        .get(0)
                        .path("OIDCProviderName")
                        .asText())
                .isEqualTo("cluster");

        ram(
                "CreateOIDCProvider",
                Map.of(
                        "OIDCProviderName",
                        "remote",
                        "IssuerUrl",
                        "https://oidc.example.com/id/1",
                        "Fingerprints",
                        "902EF2DEEB3C5B13EA4C3D5193629309E231AE55",
                        "ClientIds",
                        "a,b"));
        JsonNode added = ram("AddClientIdToOIDCProvider", Map.of("OIDCProviderName", "remote", "ClientId", "c"))
                .path("OIDCProvider");
        assertThat(added.path("ClientIds").asText()).isEqualTo("a,b,c");
        assertThat(added.path("Fingerprints").asText()).isEqualTo("902ef2deeb3c5b13ea4c3d5193629309e231ae55");
        JsonNode removed = ram("RemoveClientIdFromOIDCProvider", Map.of("OIDCProviderName", "remote", "ClientId", "a"))
                .path("OIDCProvider");
        assertThat(removed.path("ClientIds").asText()).isEqualTo("b,c");
        JsonNode updated = ram(
                        "UpdateOIDCProvider",
                        Map.of("OIDCProviderName", "remote", "NewDescription", "d2", "IssuanceLimitTime", "6"))
                .path("OIDCProvider");
        assertThat(updated.path("Description").asText()).isEqualTo("d2");
        assertThat(updated.path("IssuanceLimitTime").asInt()).isEqualTo(6);
        assertThat(updated.path("ClientIds").asText()).isEqualTo("b,c");

        SignedClient.Reply dup = root.call(
                "CreateOIDCProvider",
                ramParams(Map.of(
                        "OIDCProviderName",
                        "remote",
                        "IssuerUrl",
                        "https://x.example",
                        "Fingerprints",
                        "902ef2deeb3c5b13ea4c3d5193629309e231ae55")));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.code()).isEqualTo("EntityAlreadyExists.OIDCProvider");
        SignedClient.Reply noPrint = root.call(
                "CreateOIDCProvider", ramParams(Map.of("OIDCProviderName", "nofp", "IssuerUrl", "https://y.example")));
        assertThat(noPrint.code()).isEqualTo("MissingParameter");
        SignedClient.Reply http = root.call(
                "CreateOIDCProvider",
                ramParams(Map.of("OIDCProviderName", "plain", "IssuerUrl", "http://oidc.example.com")));
        assertThat(http.code()).isEqualTo("InvalidParameter.IssuerUrl");
        ram("DeleteOIDCProvider", Map.of("OIDCProviderName", "remote"));
        SignedClient.Reply gone = root.call("GetOIDCProvider", ramParams(Map.of("OIDCProviderName", "remote")));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.code()).isEqualTo("EntityNotExist.OIDCProvider");
    }

    // ---- helpers

    private static void refused(SignedClient.Reply r, String code) {
        assertThat(r.status()).as(r.raw()).isEqualTo(401);
        assertThat(r.code()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().has("Credentials")).isFalse();
    }

    private static SignedClient.Reply assume(String token, String session) throws Exception {
        return anonymous(params(providerArn, roleArn, token, session));
    }

    private static Map<String, String> params(String provider, String role, String token, String session) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("OIDCProviderArn", provider);
        p.put("RoleArn", role);
        p.put("OIDCToken", token);
        p.put("RoleSessionName", session);
        p.put("DurationSeconds", "3600");
        return p;
    }

    /** As credentials-java sends it: Action, Format and Version in the query, the rest as a form, no signature. */
    private static SignedClient.Reply anonymous(Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return root.send(
                HttpRequest.newBuilder(URI.create(base + "/?Action=AssumeRoleWithOIDC&Format=JSON&Version=2015-04-01"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    private static SignedClient.Reply postForm(Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return root.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static SignedClient.Reply post(String signedQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/?" + signedQuery))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new SignedClient.Reply(r.statusCode(), new ObjectMapper().readTree(r.body()), "", r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> ramParams(Map<String, String> params) {
        Map<String, String> all = new HashMap<>(params);
        all.put("Version", "2015-05-01");
        return all;
    }

    private static JsonNode ram(String action, Map<String, String> params) throws Exception {
        SignedClient.Reply r = root.call(action, ramParams(params));
        assertThat(r.status()).as(action + ": " + r.raw()).isEqualTo(200);
        return r.body();
    }
}
