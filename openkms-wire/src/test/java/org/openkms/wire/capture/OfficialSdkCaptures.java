package org.openkms.wire.capture;

import com.aliyun.teaopenapi.models.Config;
import com.aliyuncs.AcsRequest;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.kms.model.v20160120.CreateSecretRequest;
import com.aliyuncs.profile.DefaultProfile;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Requests made by the official Alibaba Cloud SDKs, captured fresh on a loopback {@link RecordingServer}: the
 * ground truth our verifiers must accept. The SDKs and versions are the ones the conformance suite drives (managed in
 * the parent pom):
 * <ul>
 *   <li>V1, {@code com.aliyun:aliyun-java-sdk-kms} on {@code aliyun-java-sdk-core}: RPC style, HMAC-SHA1 signature in
 *       the query (https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism);</li>
 *   <li>V2, {@code com.aliyun:kms20160120} on tea-openapi: ACS3-HMAC-SHA256 in the Authorization header
 *       (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).</li>
 * </ul>
 * Each call starts its own recorder, so every capture is a new request with its own timestamp and nonce.
 */
public final class OfficialSdkCaptures {
    /** Made-up credentials, only ever sent to the recorder; a verifier must be configured with the same pair. */
    public static final String ACCESS_KEY_ID = "LTAI5tTestAccessKeyId00";

    public static final String ACCESS_KEY_SECRET = "TestAccessKeySecret000000000000";
    public static final String REGION = "cn-hangzhou";

    /** The parameters of the captured calls, for assertions on what arrived. */
    public static final String KEY_ID = "key-test";

    public static final String PLAINTEXT = "aGVsbG8="; // base64 of "hello"
    public static final String ENCRYPTION_CONTEXT_JSON = "{\"purpose\":\"demo\"}";
    public static final String SECRET_NAME = "db-pass";
    public static final String SECRET_DATA = "s3cr3t";
    public static final String SECRET_VERSION_ID = "v1";

    private OfficialSdkCaptures() {}

    /** Every case below, each captured once now. */
    public static List<CapturedRequest> all() throws Exception {
        return Arrays.asList(v1Encrypt(), v1CreateSecret(), v2Encrypt());
    }

    /** V1 SDK Encrypt: every parameter, the signature included, in the query of a POST with an empty body. */
    public static CapturedRequest v1Encrypt() throws Exception {
        com.aliyuncs.kms.model.v20160120.EncryptRequest request = new com.aliyuncs.kms.model.v20160120.EncryptRequest();
        request.setKeyId(KEY_ID);
        request.setPlaintext(PLAINTEXT);
        request.setEncryptionContext(ENCRYPTION_CONTEXT_JSON);
        return captureV1("V1 SDK Encrypt (RPC HMAC-SHA1)", request);
    }

    /** V1 SDK CreateSecret: a second action, with a secret value among the signed parameters. */
    public static CapturedRequest v1CreateSecret() throws Exception {
        CreateSecretRequest request = new CreateSecretRequest();
        request.setSecretName(SECRET_NAME);
        request.setSecretData(SECRET_DATA);
        request.setVersionId(SECRET_VERSION_ID);
        return captureV1("V1 SDK CreateSecret (RPC HMAC-SHA1)", request);
    }

    /** V2 SDK Encrypt with its default signing, ACS3-HMAC-SHA256; the EncryptionContext map travels as JSON. */
    public static CapturedRequest v2Encrypt() throws Exception {
        String name = "V2 SDK Encrypt (ACS3-HMAC-SHA256)";
        try (RecordingServer recorder = new RecordingServer(name)) {
            Config config = new Config()
                    .setAccessKeyId(ACCESS_KEY_ID)
                    .setAccessKeySecret(ACCESS_KEY_SECRET)
                    .setRegionId(REGION)
                    .setEndpoint(recorder.endpoint())
                    .setProtocol("http");
            Map<String, Object> context = Collections.<String, Object>singletonMap("purpose", "demo");
            new com.aliyun.kms20160120.Client(config)
                    .encrypt(new com.aliyun.kms20160120.models.EncryptRequest()
                            .setKeyId(KEY_ID)
                            .setPlaintext(PLAINTEXT)
                            .setEncryptionContext(context));
            return recorder.onlyRequest();
        }
    }

    private static CapturedRequest captureV1(String name, AcsRequest<?> request) throws Exception {
        try (RecordingServer recorder = new RecordingServer(name)) {
            DefaultAcsClient client =
                    new DefaultAcsClient(DefaultProfile.getProfile(REGION, ACCESS_KEY_ID, ACCESS_KEY_SECRET));
            // V1 request classes default to HTTPS and look the endpoint up by region: point this one at the recorder.
            request.setSysEndpoint(recorder.endpoint());
            request.setSysProtocol(ProtocolType.HTTP);
            // doAction returns the raw answer without mapping it to a response class: only the request matters here.
            client.doAction(request);
            return recorder.onlyRequest();
        }
    }
}
