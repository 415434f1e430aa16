package org.openkms.conformance.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.openkms.conformance.Conformance.unique;

import com.aliyun.kms20160120.models.CreateSecretRequest;
import com.aliyun.kms20160120.models.GetSecretValueRequest;
import com.aliyuncs.kms.model.v20160120.CreateKeyRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.ApiException;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.KmsApi;
import org.openkms.conformance.TrustedCertificates;
import org.openkms.conformance.V1Api;
import org.openkms.conformance.V2Api;

/**
 * The KMS API (2016-01-20) with AccessKey signatures on the instance port, as a KMS instance's endpoint
 * ({@code <instanceId>.cryptoservice.kms.aliyuncs.com}) serves it to the official OpenAPI SDKs: the cryptographic
 * operations and GetSecretValue are served, management operations are refused (404 InvalidAction.NotFound). The SDKs
 * trust the instance CA ({@code OpenKmsServer.instanceCaPem()}, GetKmsInstance's CaCertificateChainPem).
 */
class InstanceOpenApiConformanceTest {
    @TempDir
    static Path dir;

    static ConformanceServer server;
    static String keyId;
    static String secretName;
    static V2Api acs3;
    static V2Api rpc;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(
                ConformanceServer.config(dir.resolve("data")).withInstanceListen("127.0.0.1:0"));
        // Made on the shared gateway, as management calls must be.
        keyId = server.v2().newKey();
        secretName = unique("inst-openapi");
        var shared = server.v2();
        shared.call(() -> shared.client()
                .createSecret(new CreateSecretRequest()
                        .setSecretName(secretName)
                        .setSecretData("instance port secret")
                        .setVersionId("v1")));
        int port = server.server().instancePort();
        String ca = server.server().instanceCaPem();
        // tea caches one HTTP client per host:port: both V2 clients of this port carry the same CA.
        acs3 = V2Api.create(
                port, ca, V2Api.Signing.ACS3, ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
        rpc = V2Api.create(
                port, ca, V2Api.Signing.RPC, ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theV2SdkEncryptsAndDecryptsWithAcs3AndRpcSignatures() {
        String plaintext = Base64.getEncoder().encodeToString("on the instance port".getBytes(StandardCharsets.UTF_8));
        for (V2Api api : new V2Api[] {acs3, rpc}) {
            KmsApi.Encrypted enc = api.encrypt(keyId, plaintext, Map.of("app", "inst"));
            assertThat(enc.keyId()).as(api.name()).isEqualTo(keyId);
            assertThat(api.decrypt(enc.ciphertextBlob(), Map.of("app", "inst")).plaintext())
                    .as(api.name())
                    .isEqualTo(plaintext);
            // The same ciphertext opens on the shared gateway: one key, two endpoints.
            assertThat(server.v2()
                            .decrypt(enc.ciphertextBlob(), Map.of("app", "inst"))
                            .plaintext())
                    .isEqualTo(plaintext);
        }
    }

    @Test
    void theV2SdkReadsASecretValue() {
        for (V2Api api : new V2Api[] {acs3, rpc}) {
            var body = api.call(
                            () -> api.client().getSecretValue(new GetSecretValueRequest().setSecretName(secretName)))
                    .getBody();
            assertThat(body.getSecretData()).as(api.name()).isEqualTo("instance port secret");
            assertThat(body.getVersionId()).isEqualTo("v1");
        }
    }

    @Test
    void managementOperationsAreRefused() {
        for (V2Api api : new V2Api[] {acs3, rpc}) {
            ApiException e = catchThrowableOfType(ApiException.class, api::newKey);
            assertThat(e).as(api.name()).isNotNull();
            assertThat(e.code()).isEqualTo("InvalidAction.NotFound");
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).contains("shared gateway");
            // ReEncrypt is a cryptographic operation the dedicated gateway does not serve either.
            ApiException re = catchThrowableOfType(
                    ApiException.class,
                    () -> api.call(() -> api.client()
                            .reEncrypt(new com.aliyun.kms20160120.models.ReEncryptRequest()
                                    .setCiphertextBlob("x")
                                    .setDestinationKeyId(keyId))));
            assertThat(re.code()).isEqualTo("InvalidAction.NotFound");
        }
    }

    @Test
    void theV1SdkEncryptsAndDecryptsAndIsRefusedCreateKey() {
        // The V1 SDK keeps one HTTP client per JVM whose trust manager is TrustedCertificates: trusting the instance
        // CA there is enough (Apache's host-name check passes: the instance certificate names 127.0.0.1).
        TrustedCertificates.INSTANCE.trust(server.server().instanceCaPem());
        V1Api v1 = V1Api.create(
                server.server().instancePort(),
                true,
                ConformanceServer.ACCESS_KEY_ID,
                ConformanceServer.ACCESS_KEY_SECRET,
                null);
        String plaintext =
                Base64.getEncoder().encodeToString("v1 on the instance port".getBytes(StandardCharsets.UTF_8));
        KmsApi.Encrypted enc = v1.encrypt(keyId, plaintext);
        assertThat(v1.decrypt(enc.ciphertextBlob()).plaintext()).isEqualTo(plaintext);
        ApiException e = catchThrowableOfType(ApiException.class, () -> v1.call(new CreateKeyRequest()));
        assertThat(e.code()).isEqualTo("InvalidAction.NotFound");
        assertThat(e.status()).isEqualTo(404);
    }
}
