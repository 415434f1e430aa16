package org.openkms.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openkms.core.Account;
import org.openkms.core.KmsSettings;
import org.openkms.core.accesspoint.AccessPoints;
import org.openkms.core.audit.AuditSink;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.IamService;
import org.openkms.core.iam.PolicyDocuments;
import org.openkms.core.service.Kms;
import org.openkms.core.store.Storage;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.asymmetric.AsymmetricPublicKey;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.server.actions.Actions;
import org.openkms.server.actions.ram.RamActions;
import org.openkms.server.actions.sts.StsActions;
import org.openkms.server.api.ApiResponse;
import org.openkms.server.auth.Authenticator;
import org.openkms.server.auth.RootCredentials;
import org.openkms.server.auth.StsTokens;
import org.openkms.server.gateway.ApiProduct;
import org.openkms.server.gateway.Gateway;
import org.openkms.server.http.GatewayHandler;
import org.openkms.server.iam.IamContext;
import org.openkms.server.iam.IdentityResources;
import org.openkms.server.iam.KmsResources;
import org.openkms.server.rotation.OfflineRotator;
import org.openkms.storage.StorageFactory;
import org.openkms.wire.RequestSigner;

/**
 * An in-process OpenKMS for the fuzz tests: the real gateway, authenticator, authoriser, actions and SQLite storage,
 * wired as {@code OpenKmsServer.start} wires them but without Jetty (requests go through
 * {@link GatewayHandler#answer}, the adapter's own decoding), without the audit log (a sink that only counts) and with
 * a secret rotator that never connects anywhere.
 *
 * <p>Setup creates, through signed calls, one resource of each kind and four principals (root; a RAM user allowed
 * everything; a RAM user with a narrow policy and a conditional Deny; an STS role session), and publishes their ids as
 * {@code ${NAME}} placeholders that fuzz inputs may use, so the fuzzer reaches the actions with live resources.
 */
final class FuzzServer implements AutoCloseable {
    static final String ROOT_ID = "LTAIfuzzRootAccessKey000";
    static final String ROOT_SECRET = "fuzz-root-secret-000000000000";
    static final String ACCOUNT_ID = "1234567890123456";
    static final String SOURCE_IP = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Storage storage;
    private final Gateway gateway;
    final Map<String, String> placeholders = new LinkedHashMap<>();
    final Map<String, RequestSigner> signers = new HashMap<>();
    long audited;

    private FuzzServer() throws Exception {
        dir = Files.createTempDirectory("openkms-fuzz");
        Clock clock = Clock.systemUTC();
        storage = StorageFactory.openSqlite(dir.resolve("openkms.db"));
        FileRootKeyProvider rootKey = FileRootKeyProvider.openOrCreate(dir.resolve("root.key"));
        CredentialStore credentials = new CredentialStore(storage.accessKeys(), rootKey, clock);
        RootCredentials.bootstrap(credentials, dir, ROOT_ID, ROOT_SECRET);
        Kms kms = new Kms(new Account(ACCOUNT_ID, "cn-hangzhou"), storage, rootKey, KmsSettings.defaults(), clock);
        kms.secrets().rotation().register(new OfflineRotator());
        IamService iam = new IamService(kms.account(), storage.iam(), new PolicyDocuments(), clock);
        StsTokens tokens = new StsTokens(rootKey);
        String uid = kms.account().uid();
        AccessPoints accessPoints = new AccessPoints(kms.account(), storage.accessPoints(), clock);
        IamContext context = new IamContext(
                iam,
                credentials,
                tokens,
                accessPoints,
                new org.openkms.core.iam.OidcProviders(kms.account(), storage.iam(), clock),
                clock);
        List<ApiProduct> products = List.of(
                new ApiProduct(
                        Gateway.API_VERSION,
                        "Kms",
                        "kms",
                        Actions.all(context),
                        new KmsResources(kms),
                        "Forbidden.NoPermission"),
                new ApiProduct(
                        RamActions.VERSION,
                        "Ram",
                        "ram",
                        RamActions.registry(context),
                        new IdentityResources("ram", uid),
                        "NoPermission"),
                new ApiProduct(
                        StsActions.VERSION,
                        "Sts",
                        "sts",
                        StsActions.registry(context),
                        new IdentityResources("sts", uid),
                        "NoPermission"));
        AuditSink audit = record -> {
            assertThat(record.requestId()).isNotEmpty();
            audited++;
        };
        gateway = new Gateway(products, new Authenticator(credentials, tokens, clock), iam::decide, kms, audit);
        signers.put("root", new RequestSigner(ROOT_ID, ROOT_SECRET));
        populate();
    }

    /** The gateway the requests go through (GatewayCost measures it). */
    Gateway gateway() {
        return gateway;
    }

    /** A fresh server in a new temporary directory. */
    static FuzzServer start() {
        try {
            return new FuzzServer();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fuzz server", e);
        }
    }

    /** One request as the HTTP adapter receives it (headers by lower-case name). */
    ApiResponse send(String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {
        return GatewayHandler.answer(gateway, method, path, rawQuery, headers, body, SOURCE_IP, false);
    }

    /** An RPC call signed by {@code principal}, parameters in the query of a POST (as the V1 SDK sends them). */
    ApiResponse rpc(String principal, String action, Map<String, String> params) {
        String query = signers.get(principal).signRpc("POST", action, params);
        return send("POST", "/", query, Map.of("host", "kms.cn-hangzhou.aliyuncs.com"), new byte[0]);
    }

    /** Replaces every {@code ${NAME}} of a live resource in {@code s}. */
    String expand(String s) {
        if (s.indexOf("${") < 0) {
            return s;
        }
        for (Map.Entry<String, String> e : placeholders.entrySet()) {
            s = s.replace("${" + e.getKey() + "}", e.getValue());
        }
        return s;
    }

    private void populate() throws CryptoException {
        String key = ok(rpc("root", "CreateKey", Map.of("Description", "fuzz")))
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
        placeholders.put("KEY", key);
        placeholders.put("KEYARN", "acs:kms:cn-hangzhou:" + ACCOUNT_ID + ":key/" + key);
        ok(rpc("root", "CreateAlias", Map.of("AliasName", "alias/fuzz", "KeyId", key)));
        placeholders.put("ALIAS", "alias/fuzz");
        placeholders.put(
                "BLOB",
                ok(rpc("root", "Encrypt", Map.of("KeyId", key, "Plaintext", "aGVsbG8=")))
                        .path("CiphertextBlob")
                        .asText());
        placeholders.put(
                "BLOBCTX",
                ok(rpc(
                                "root",
                                "Encrypt",
                                Map.of("KeyId", key, "Plaintext", "aGVsbG8=", "EncryptionContext", "{\"k\":\"v\"}")))
                        .path("CiphertextBlob")
                        .asText());
        asymmetric("RSA", "RSA_2048", "ENCRYPT/DECRYPT");
        asymmetric("EC", "EC_P256", "SIGN/VERIFY");
        asymmetric("SM2", "EC_SM2", "ENCRYPT/DECRYPT");
        String digest = Base64.getEncoder().encodeToString(new byte[32]);
        placeholders.put("DIGEST", digest);
        placeholders.put(
                "SIG",
                ok(rpc(
                                "root",
                                "AsymmetricSign",
                                Map.of(
                                        "KeyId",
                                        placeholders.get("EC"),
                                        "KeyVersionId",
                                        placeholders.get("ECVER"),
                                        "Algorithm",
                                        "ECDSA_SHA_256",
                                        "Digest",
                                        digest)))
                        .path("Value")
                        .asText());
        placeholders.put(
                "SM2CT",
                ok(rpc(
                                "root",
                                "AsymmetricEncrypt",
                                Map.of(
                                        "KeyId",
                                        placeholders.get("SM2"),
                                        "KeyVersionId",
                                        placeholders.get("SM2VER"),
                                        "Algorithm",
                                        "SM2PKE",
                                        "Plaintext",
                                        "aGVsbG8=")))
                        .path("CiphertextBlob")
                        .asText());
        String hmac = ok(rpc("root", "CreateKey", Map.of("KeySpec", "HMAC_SHA_256", "KeyUsage", "GENERATE/VERIFY_MAC")))
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
        placeholders.put("HMAC", hmac);
        placeholders.put(
                "MAC",
                ok(rpc(
                                "root",
                                "GenerateMac",
                                Map.of("KeyId", hmac, "Algorithm", "HMAC_SHA_256", "Message", "aGVsbG8=")))
                        .path("Mac")
                        .asText());
        String external = ok(rpc("root", "CreateKey", Map.of("Origin", "EXTERNAL")))
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
        placeholders.put("EXT", external);
        JsonNode importParams = ok(rpc(
                "root",
                "GetParametersForImport",
                Map.of("KeyId", external, "WrappingAlgorithm", "RSAES_OAEP_SHA_256", "WrappingKeySpec", "RSA_2048")));
        placeholders.put("TOKEN", importParams.path("ImportToken").asText());
        String wrappingKey = importParams.path("PublicKey").asText();
        placeholders.put("PUBKEY", wrappingKey);
        byte[] wrapped = EncryptionAlgorithm.RSAES_OAEP_SHA_256.encrypt(
                AsymmetricPublicKey.parse(
                        AsymmetricKeyType.RSA_2048, Base64.getDecoder().decode(wrappingKey)),
                new byte[32]);
        placeholders.put("WRAPPED", Base64.getEncoder().encodeToString(wrapped));
        ok(rpc("root", "CreateSecret", Map.of("SecretName", "fuzz-secret", "SecretData", "s3cr3t", "VersionId", "v1")));
        placeholders.put("SECRET", "fuzz-secret");

        String all = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        String narrow =
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\","
                        + "\"kms:DescribeKey\",\"kms:GenerateDataKey\"],\"Resource\":[\"" + placeholders.get("KEYARN")
                        + "\"]},"
                        + "{\"Effect\":\"Deny\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"NotIpAddress\":"
                        + "{\"acs:SourceIp\":[\"127.0.0.0/8\"]}}}]}";
        user("user", "fuzz-user", "fuzz-all", all);
        user("limited", "fuzz-limited", "fuzz-narrow", narrow);
        String trust =
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":"
                        + "{\"RAM\":[\"acs:ram::" + ACCOUNT_ID + ":root\"]}}]}";
        String roleArn = ok(rpc(
                        "root", "CreateRole", ram(Map.of("RoleName", "fuzz-role", "AssumeRolePolicyDocument", trust))))
                .path("Role")
                .path("Arn")
                .asText();
        placeholders.put("ROLEARN", roleArn);
        ok(rpc(
                "root",
                "AttachPolicyToRole",
                ram(Map.of("PolicyType", "Custom", "PolicyName", "fuzz-all", "RoleName", "fuzz-role"))));
        Map<String, String> assume =
                new HashMap<>(Map.of("RoleArn", roleArn, "RoleSessionName", "fuzz", "Version", StsActions.VERSION));
        JsonNode credentials = ok(rpc("root", "AssumeRole", assume)).path("Credentials");
        signers.put(
                "role",
                new RequestSigner(
                        credentials.path("AccessKeyId").asText(),
                        credentials.path("AccessKeySecret").asText(),
                        credentials.path("SecurityToken").asText()));
    }

    private void asymmetric(String name, String spec, String usage) {
        String id = ok(rpc("root", "CreateKey", Map.of("KeySpec", spec, "KeyUsage", usage)))
                .path("KeyMetadata")
                .path("KeyId")
                .asText();
        placeholders.put(name, id);
        placeholders.put(
                name + "VER",
                ok(rpc("root", "ListKeyVersions", Map.of("KeyId", id)))
                        .path("KeyVersions")
                        .path("KeyVersion")
                        .get(0)
                        .path("KeyVersionId")
                        .asText());
    }

    private void user(String principal, String userName, String policyName, String document) {
        ok(rpc("root", "CreateUser", ram(Map.of("UserName", userName))));
        JsonNode key = ok(rpc("root", "CreateAccessKey", ram(Map.of("UserName", userName))))
                .path("AccessKey");
        ok(rpc("root", "CreatePolicy", ram(Map.of("PolicyName", policyName, "PolicyDocument", document))));
        ok(rpc(
                "root",
                "AttachPolicyToUser",
                ram(Map.of("PolicyType", "Custom", "PolicyName", policyName, "UserName", userName))));
        signers.put(
                principal,
                new RequestSigner(
                        key.path("AccessKeyId").asText(),
                        key.path("AccessKeySecret").asText()));
        placeholders.put(principal.toUpperCase() + "NAME", userName);
    }

    private static Map<String, String> ram(Map<String, String> params) {
        Map<String, String> out = new HashMap<>(params);
        out.put("Version", RamActions.VERSION);
        return out;
    }

    private static JsonNode ok(ApiResponse r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.status()).as(body).isEqualTo(200);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        storage.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
