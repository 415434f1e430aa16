package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.dkms.gcs.openapi.models.Config;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.EncryptRequest;
import com.aliyun.kms20160120.models.GetKmsInstanceRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teautil.models.RuntimeOptions;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.policy.retry.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.instance.AccessPointFixture;
import org.openkms.server.throttle.OperationClass;
import org.openkms.server.throttle.ThrottleConfig;

/**
 * Rate limits as the official SDKs meet them: {@code Rejected.Throttling} with HTTP 429 in Alibaba's JSON on the
 * OpenAPI port and in a protobuf {@code Error} on the instance port, and what each SDK's retry settings do about
 * it. Every credential may make one cryptographic call every five seconds (burst 1); management calls are not limited.
 *
 * <p>What the SDKs do: the V2 SDK's (tea-openapi 0.3.5) {@code RuntimeOptions} autoretry/backoff retries I/O
 * failures only ({@code Tea.isRetryable} is true for a {@code TeaRetryableException}, raised for a failed
 * connection, never for an error answer), so a 429 reaches the application, which backs off and calls again. The
 * Instance SDK (alibabacloud-dkms-gcs-sdk 0.5.2) with {@code autoretry} does retry a 429 with its backoff.
 */
class ThrottlingConformanceTest {
    private static final String PASSWORD = "Thr0ttle-pw";

    @TempDir
    static Path dir;

    static ConformanceServer server;
    static V2Api root;
    static String keyId;
    static com.aliyun.dkms.gcs.sdk.Client instanceSdk;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(ConformanceServer.config(dir.resolve("data"))
                .withInstanceListen("127.0.0.1:0")
                .withThrottle(ThrottleConfig.off().withPerCredential(ThrottleConfig.parse("crypto=0.2:1"))));
        root = server.v2();
        var c = root.client();
        // In the server's instance: the instance gateway serves only its instance's keys.
        keyId = root.call(() -> c.createKey(
                        new CreateKeyRequest().setDKMSInstanceId(server.server().instanceId())))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        // A ClientKey for the instance SDK (management calls, which are not limited here).
        Path caFile = dir.resolve("instance-ca.pem");
        Files.writeString(
                caFile,
                root.call(() -> c.getKmsInstance(new GetKmsInstanceRequest()
                                .setKmsInstanceId(server.server().instanceId())))
                        .getBody()
                        .getKmsInstance()
                        .getCaCertificateChainPem());
        var ck = AccessPointFixture.issue(
                root,
                server.server().instanceId(),
                List.of(AccessPointFixture.KEY_USER),
                List.of("key/" + keyId),
                PASSWORD);
        instanceSdk = new com.aliyun.dkms.gcs.sdk.Client(new Config()
                .setProtocol("https")
                .setEndpoint("127.0.0.1:" + server.server().instancePort())
                .setClientKeyContent(
                        "{\"KeyId\":\"" + ck.clientKeyId() + "\",\"PrivateKeyData\":\"" + ck.privateKeyData() + "\"}")
                .setPassword(PASSWORD)
                .setCaFilePath(caFile.toString()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static long throttled() {
        return server.server().throttle().throttledByCredential(OperationClass.CRYPTO);
    }

    // ---- V2 SDK (kms20160120) ----------------------------------------------------------------------------------

    private static EncryptRequest encrypt() {
        return new EncryptRequest().setKeyId(keyId).setPlaintext("aGVsbG8=");
    }

    /** Calls until the server throttles (the bucket is then empty); returns that error. */
    private static TeaException drainV2(RuntimeOptions runtime) {
        var c = root.client();
        for (int i = 0; i < 50; i++) {
            try {
                c.encryptWithOptions(encrypt(), runtime);
            } catch (TeaException e) {
                return e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("50 calls were not throttled at one call every five seconds");
    }

    @Test
    void v2WithoutRetriesSeesRejectedThrottling() {
        TeaException e = drainV2(new RuntimeOptions().setAutoretry(false));
        assertThat(e.getCode()).isEqualTo("Rejected.Throttling");
        assertThat(e.getStatusCode()).isEqualTo(429);
        assertThat(e.getData()).containsEntry("Message", "QPS Limit Exceeded");
        assertThat(String.valueOf(e.getData().get("HttpStatus"))).isEqualTo("429");
        assertThat(e.getData().get("RequestId")).asString().isNotEmpty();
    }

    @Test
    void v2AutoretryDoesNotRetryA429SoTheApplicationBacksOff() throws Exception {
        RuntimeOptions retrying = new RuntimeOptions()
                .setAutoretry(true)
                .setMaxAttempts(5)
                .setBackoffPolicy("fixed")
                .setBackoffPeriod(300);
        drainV2(retrying);
        long before = throttled();
        Throwable t = catchThrowable(() -> root.client().encryptWithOptions(encrypt(), retrying));
        assertThat(t).isInstanceOf(TeaException.class);
        assertThat(((TeaException) t).getCode()).isEqualTo("Rejected.Throttling");
        // One request reached the server: the SDK's autoretry left the 429 alone.
        assertThat(throttled() - before).isEqualTo(1);
        // The application's own backoff (as Alibaba advises for 429) gets through once the bucket refills.
        var answer = withBackoff(() -> root.client().encryptWithOptions(encrypt(), retrying));
        assertThat(answer.getBody().getKeyId()).isEqualTo(keyId);
    }

    @Test
    void anUnauthenticatedFloodDoesNotSpendTheCredentialsBucket() throws Exception {
        // Let the bucket refill (one token in five seconds), then flood with the right AccessKey ID and a wrong secret.
        Thread.sleep(5_500);
        V2Api forger = server.v2(V2Api.Signing.ACS3, false, ConformanceServer.ACCESS_KEY_ID, "not-the-secret");
        long before = throttled();
        for (int i = 0; i < 20; i++) {
            Throwable t = catchThrowable(() -> forger.client().encrypt(encrypt()));
            assertThat(teaError(t).getCode()).isEqualTo("SignatureDoesNotMatch");
        }
        assertThat(throttled()).isEqualTo(before);
        // The real caller's token is still there.
        assertThat(root.client().encrypt(encrypt()).getBody().getKeyId()).isEqualTo(keyId);
    }

    // ---- V1 SDK (aliyun-java-sdk-kms + core) -------------------------------------------------------------------

    private static DefaultAcsClient v1(RetryPolicy policy) {
        DefaultAcsClient client = V1Api.create(
                        server.httpPort(),
                        false,
                        ConformanceServer.ACCESS_KEY_ID,
                        ConformanceServer.ACCESS_KEY_SECRET,
                        null)
                .client();
        client.setSysRetryPolicy(policy);
        return client;
    }

    private static com.aliyuncs.kms.model.v20160120.EncryptRequest v1Encrypt() {
        var r = new com.aliyuncs.kms.model.v20160120.EncryptRequest();
        r.setSysEndpoint("127.0.0.1:" + server.httpPort());
        r.setSysProtocol(ProtocolType.HTTP);
        r.setKeyId(keyId);
        r.setPlaintext("aGVsbG8=");
        return r;
    }

    @Test
    void v1SeesRejectedThrottling() {
        DefaultAcsClient once = v1(RetryPolicy.none());
        ClientException refused = null;
        for (int i = 0; i < 50 && refused == null; i++) {
            try {
                once.getAcsResponse(v1Encrypt());
            } catch (ClientException e) {
                refused = e; // the V1 SDK raises a 4xx answer as a ClientException
            }
        }
        assertThat(refused).isNotNull();
        assertThat(refused.getErrCode()).isEqualTo("Rejected.Throttling");
        assertThat(refused.getErrMsg()).isEqualTo("QPS Limit Exceeded");
    }

    // ---- Instance SDK (alibabacloud-dkms-gcs-sdk 0.5.2) ---------------------------------------------------------

    private static com.aliyun.dkms.gcs.sdk.models.EncryptRequest instanceEncrypt() {
        return new com.aliyun.dkms.gcs.sdk.models.EncryptRequest()
                .setKeyId(keyId)
                .setPlaintext("hello".getBytes(StandardCharsets.UTF_8));
    }

    private static TeaException teaError(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof TeaException te) {
                return te;
            }
        }
        throw new AssertionError("expected an error from the server, got " + t, t);
    }

    private static TeaException drainInstance(com.aliyun.dkms.gcs.openapi.util.models.RuntimeOptions runtime) {
        for (int i = 0; i < 50; i++) {
            Throwable t = catchThrowable(() -> instanceSdk.encryptWithOptions(instanceEncrypt(), runtime));
            if (t != null) {
                return teaError(t);
            }
        }
        throw new AssertionError("50 calls were not throttled at one call every five seconds");
    }

    @Test
    void instanceSdkWithoutRetriesSeesRejectedThrottling() {
        var noRetry = new com.aliyun.dkms.gcs.openapi.util.models.RuntimeOptions();
        noRetry.autoretry = false;
        TeaException e = drainInstance(noRetry);
        assertThat(e.getCode()).isEqualTo("Rejected.Throttling");
        assertThat(e.getMessage()).contains("QPS Limit Exceeded");
        Object status = e.getData() == null ? null : e.getData().get("httpCode");
        if (status == null && e.getData() != null) {
            status = e.getData().get("statusCode");
        }
        assertThat(status == null ? e.getStatusCode() : Integer.valueOf(String.valueOf(status)))
                .isEqualTo(429);
    }

    @Test
    void instanceSdkAutoretryBacksOffOn429AndSucceeds() throws Exception {
        var noRetry = new com.aliyun.dkms.gcs.openapi.util.models.RuntimeOptions();
        noRetry.autoretry = false;
        drainInstance(noRetry);
        // The bucket is empty and refills one token in five seconds: autoretry with a fixed one-second backoff gets
        // 429s first, retries them, and succeeds.
        var retrying = new com.aliyun.dkms.gcs.openapi.util.models.RuntimeOptions();
        retrying.autoretry = true;
        retrying.maxAttempts = 10;
        retrying.backoffPolicy = "fixed";
        retrying.backoffPeriod = 1000;
        long before = throttled();
        var answer = instanceSdk.encryptWithOptions(instanceEncrypt(), retrying);
        assertThat(answer.getKeyId()).isEqualTo(keyId);
        assertThat(throttled() - before).as("429s the SDK retried").isGreaterThanOrEqualTo(1);
    }

    /** The application's retry: exponential backoff from 100 ms on Rejected.Throttling, for up to 15 s. */
    static <T> T withBackoff(Callable<T> call) throws Exception {
        long delay = 100;
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            try {
                return call.call();
            } catch (Exception e) {
                if (!"Rejected.Throttling".equals(teaError(e).getCode()) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(delay);
                delay = Math.min(delay * 2, 1_000);
            }
        }
    }
}
