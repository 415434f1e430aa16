package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.ctx;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.expectErrorIn;
import static org.openkms.conformance.Conformance.randomBytes;

import com.aliyuncs.auth.SignatureVersion;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.conformance.KmsApi.Encrypted;

/**
 * Authentication (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature,
 * https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism): every signing scheme the official SDKs use,
 * with good and bad credentials, plus freshness and replay checks on hand-signed RPC requests.
 */
@ExtendWith(SharedServer.class)
class AuthenticationConformanceTest {
    private final ConformanceServer server;

    AuthenticationConformanceTest(ConformanceServer server) {
        this.server = server;
    }

    /** Every client configuration under test, including ACS4 and V1 in ACS3 mode, for the given credentials. */
    static Stream<Arguments> signers() {
        return Stream.of(
                Arguments.of("V2 ACS3 http", (Signer) (s, ak, sk) -> s.v2(V2Api.Signing.ACS3, false, ak, sk)),
                Arguments.of("V2 ACS3 https", (Signer) (s, ak, sk) -> s.v2(V2Api.Signing.ACS3, true, ak, sk)),
                Arguments.of("V2 RPC HMAC-SHA1 http", (Signer) (s, ak, sk) -> s.v2(V2Api.Signing.RPC, false, ak, sk)),
                Arguments.of("V2 RPC HMAC-SHA1 https", (Signer) (s, ak, sk) -> s.v2(V2Api.Signing.RPC, true, ak, sk)),
                Arguments.of("V2 ACS4 http", (Signer) (s, ak, sk) -> s.v2(V2Api.Signing.ACS4, false, ak, sk)),
                Arguments.of("V1 HMAC-SHA1 http", (Signer) (s, ak, sk) -> s.v1(false, ak, sk, null)),
                Arguments.of("V1 HMAC-SHA1 https", (Signer) (s, ak, sk) -> s.v1(true, ak, sk, null)),
                Arguments.of("V1 ACS3 (SignatureVersion.V3) http", (Signer)
                        (s, ak, sk) -> s.v1(false, ak, sk, SignatureVersion.V3)));
    }

    @FunctionalInterface
    interface Signer {
        KmsApi client(ConformanceServer server, String accessKeyId, String accessKeySecret);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signers")
    void correctCredentialsWork(String label, Signer signer) {
        KmsApi sdk = signer.client(server, ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
        String keyId = sdk.createKey(new KmsApi.CreateKey().description("signed by " + label))
                .keyId();
        // Characters that each client percent-encodes differently must still verify.
        Map<String, String> context = ctx("k e*y~", "v+/=é !'()", "租户", "值");
        String plaintext = b64(randomBytes(40));
        Encrypted e = sdk.encrypt(keyId, plaintext, context);
        assertThat(sdk.decrypt(e.ciphertextBlob(), context).plaintext()).isEqualTo(plaintext);
        // An empty parameter value (V2 RPC mode leaves it out of the signature).
        sdk.updateKeyDescription(keyId, "");
        assertThat(sdk.describeKey(keyId).description()).isNullOrEmpty();
        assertThat(sdk.describeRegions()).containsExactly(ConformanceServer.REGION);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signers")
    void wrongSecretIsSignatureDoesNotMatch(String label, Signer signer) {
        KmsApi sdk = signer.client(server, ConformanceServer.ACCESS_KEY_ID, "wrong-secret-000000000000000000");
        // V1 turns an ACS3 SignatureDoesNotMatch whose message echoes its own string to sign into
        // SDK.InvalidAccessKeySecret (aliyun-java-sdk-core's DefaultAcsClient); that is the intended, more precise
        // diagnosis.
        List<String> codes = label.startsWith("V1 ACS3")
                ? List.of("SignatureDoesNotMatch", "SDK.InvalidAccessKeySecret")
                : List.of("SignatureDoesNotMatch");
        ApiException e = expectErrorIn(codes, 400, () -> sdk.describeRegions());
        assertThat(e.getMessage()).doesNotContain(ConformanceServer.ACCESS_KEY_SECRET);
        // The RPC string to sign contains every parameter (Plaintext!): it must never be echoed for RPC requests.
        if (label.contains("HMAC-SHA1")) {
            String secretPlaintext = b64("top secret plaintext".getBytes(StandardCharsets.UTF_8));
            ApiException enc = expectErrorIn(
                    List.of("SignatureDoesNotMatch"), 400, () -> sdk.encrypt(Conformance.UNKNOWN_KEY, secretPlaintext));
            assertThat(enc.getMessage())
                    .doesNotContain(secretPlaintext)
                    .doesNotContain(URLEncoder.encode(secretPlaintext, StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signers")
    void unknownAccessKeyIdIsNotFound(String label, Signer signer) {
        KmsApi sdk = signer.client(server, "LTAI5tNoSuchAccessKey0", ConformanceServer.ACCESS_KEY_SECRET);
        expectError("InvalidAccessKeyId.NotFound", 404, () -> sdk.describeRegions());
        expectError("InvalidAccessKeyId.NotFound", 404, () -> sdk.encrypt(Conformance.UNKNOWN_KEY, "aGVsbG8="));
    }

    // ---- hand-signed RPC requests (independent HMAC-SHA1 implementation) ---------------------------------

    @Test
    void handSignedRpcRequestIsAcceptedOnceAndAnsweredAsJson() {
        RawRpc raw = new RawRpc(server.httpPort());
        String query = RawRpc.signedQuery(RawRpc.params("DescribeRegions"));

        HttpResponse<String> first = raw.post(query);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = RawRpc.json(first);
        assertThat(body.path("Regions").path("Region").get(0).path("RegionId").asText())
                .isEqualTo(ConformanceServer.REGION);
        assertThat(body.path("RequestId").asText()).isNotBlank();

        // The same signed request again: the nonce was used.
        assertRawError(raw.post(query), 400, "SignatureNonceUsed");
    }

    @Test
    void parametersInAFormBodyAreAcceptedAndSigned() {
        RawRpc raw = new RawRpc(server.httpPort());
        Map<String, String> all = RawRpc.params("DescribeAccountKmsStatus");
        Map<String, String> signedQuery = new TreeMap<>(all);
        String formPart = "RegionId=" + RawRpc.pe(signedQuery.remove("RegionId"));
        // The signature covers query and body parameters together.
        String signature = RawRpc.signedQuery(all).replaceAll("^.*&Signature=", "");
        HttpResponse<String> r = raw.postForm(RawRpc.canonical(signedQuery) + "&Signature=" + signature, formPart);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RawRpc.json(r).path("AccountStatus").asText()).isEqualTo("Enabled");
    }

    @Test
    void staleOrFutureTimestampsAreRefused() {
        RawRpc raw = new RawRpc(server.httpPort());
        for (Instant t : List.of(
                Instant.now().minus(Duration.ofMinutes(20)), Instant.now().plus(Duration.ofMinutes(20)))) {
            HttpResponse<String> r = raw.post(RawRpc.signedQuery(RawRpc.params("DescribeRegions", t)));
            assertThat(r.statusCode()).as("timestamp %s: %s", t, r.body()).isEqualTo(400);
            assertThat(RawRpc.json(r).path("Code").asText()).isIn("IllegalTimestamp", "InvalidTimeStamp.Expired");
        }
        // Within the window is fine.
        HttpResponse<String> ok = raw.post(RawRpc.signedQuery(
                RawRpc.params("DescribeRegions", Instant.now().minus(Duration.ofMinutes(5)))));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void unsignedAndMalformedRequestsAreRefused() {
        RawRpc raw = new RawRpc(server.httpPort());
        // No signature at all.
        assertRawError(raw.post("Action=DescribeRegions&Version=2016-01-20&Format=JSON"), 400, "IncompleteSignature");
        // Signed, but with an unsupported signature method.
        Map<String, String> sha256 = RawRpc.params("DescribeRegions");
        sha256.put("SignatureMethod", "HMAC-SHA256");
        assertRawError(raw.post(RawRpc.signedQuery(sha256)), 400, "IncompleteSignature");
        // An unknown API version.
        Map<String, String> version = RawRpc.params("DescribeRegions");
        version.put("Version", "2014-05-26");
        assertRawError(raw.post(RawRpc.signedQuery(version)), 400, "InvalidVersion");
        // An unknown operation.
        assertRawError(raw.post(RawRpc.signedQuery(RawRpc.params("NoSuchOperation"))), 404, "InvalidAction.NotFound");
        // A garbled ACS3 Authorization header.
        assertRawError(
                raw.send(HttpRequest.newBuilder(raw.uri(null))
                        .header("Authorization", "ACS3-HMAC-SHA256 nonsense")
                        .header("x-acs-action", "DescribeRegions")
                        .header("x-acs-version", "2016-01-20")
                        .POST(HttpRequest.BodyPublishers.noBody())),
                400,
                "IncompleteSignature");
        // A method other than GET and POST.
        Map<String, String> put = RawRpc.params("DescribeRegions");
        assertRawError(
                raw.send(HttpRequest.newBuilder(
                                raw.uri(RawRpc.signedQuery("PUT", put, ConformanceServer.ACCESS_KEY_SECRET)))
                        .PUT(HttpRequest.BodyPublishers.noBody())),
                403,
                "UnsupportedHTTPMethod");
    }

    private static void assertRawError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = RawRpc.json(r);
        assertThat(body.path("Code").asText()).as(r.body()).isEqualTo(code);
        assertThat(body.path("RequestId").asText()).isNotBlank();
        assertThat(body.path("Message").asText()).isNotBlank();
    }
}
