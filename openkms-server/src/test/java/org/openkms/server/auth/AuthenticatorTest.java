package org.openkms.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.Principal;
import org.openkms.core.store.Storage;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.server.MutableClock;
import org.openkms.server.api.ApiRequest;
import org.openkms.storage.StorageFactory;
import org.openkms.wire.PercentEncoding;
import org.openkms.wire.RequestSigner;
import org.openkms.wire.SignedAcs3Request;
import org.openkms.wire.capture.CapturedRequest;
import org.openkms.wire.capture.OfficialSdkCaptures;

/**
 * The verifier against requests the official SDKs send (captured fresh on a loopback recorder, see
 * {@link OfficialSdkCaptures}) and against every rejection path.
 */
class AuthenticatorTest {
    private static final String AK = OfficialSdkCaptures.ACCESS_KEY_ID;
    private static final String SECRET = OfficialSdkCaptures.ACCESS_KEY_SECRET;
    /** V1 Encrypt, V1 CreateSecret and V2 Encrypt (ACS3), captured once for the class. */
    private static List<CapturedRequest> captures;
    /** The verifier's "now": just after the captures, so their timestamps are inside the 15-minute window. */
    private static Instant now;

    @TempDir
    Path dir;

    private Storage storage;
    private MutableClock clock;
    private Authenticator authenticator;

    @BeforeAll
    static void captureOfficialSdkRequests() throws Exception {
        captures = OfficialSdkCaptures.all();
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @BeforeEach
    void setUp() {
        storage = StorageFactory.openSqlite(dir.resolve("db"));
        clock = new MutableClock(now);
        CredentialStore credentials = new CredentialStore(
                storage.accessKeys(), FileRootKeyProvider.openOrCreate(dir.resolve("root.key")), clock);
        credentials.create(AK, SECRET, Principal.ROOT);
        authenticator = new Authenticator(credentials, clock);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    static List<CapturedRequest> capturedRequests() {
        return captures;
    }

    @ParameterizedTest
    @MethodSource("capturedRequests")
    void acceptsEveryCapturedOfficialSdkRequest(CapturedRequest sample) throws Exception {
        Principal p = authenticator.authenticate(request(sample));
        assertThat(p.accessKeyId()).isEqualTo(AK);
        assertThat(p.root()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("capturedRequests")
    void rejectsAReplayOfTheSameRequest(CapturedRequest sample) throws Exception {
        assertThat(authenticator.authenticate(request(sample)).accessKeyId())
                .as("the first use is accepted")
                .isEqualTo(AK);
        assertCode(() -> authenticator.authenticate(request(sample)), "SignatureNonceUsed", 400);
    }

    @ParameterizedTest
    @MethodSource("capturedRequests")
    void rejectsCapturedRequestsOutsideTheFifteenMinuteWindow(CapturedRequest sample) throws Exception {
        clock.advance(Duration.ofMinutes(16));
        assertCode(() -> authenticator.authenticate(request(sample)), "IllegalTimestamp", 400);
    }

    @Test
    void rejectsATamperedParameter() throws Exception {
        ApiRequest r = request(OfficialSdkCaptures.v1Encrypt());
        Map<String, String> q = new HashMap<>(r.query());
        q.put("KeyId", "key-other");
        assertCode(
                () -> authenticator.authenticate(
                        new ApiRequest(r.method(), r.path(), q, r.form(), r.headers(), r.body(), r.sourceIp(), false)),
                "SignatureDoesNotMatch",
                400);
    }

    @Test
    void rejectsATamperedAcs3Header() throws Exception {
        ApiRequest r = request(OfficialSdkCaptures.v2Encrypt());
        Map<String, String> h = new HashMap<>(r.headers());
        h.put("x-acs-action", "Decrypt");
        assertCode(
                () -> authenticator.authenticate(
                        new ApiRequest(r.method(), r.path(), r.query(), r.form(), h, r.body(), r.sourceIp(), false)),
                "SignatureDoesNotMatch",
                400);
    }

    @Test
    void rejectsUnknownAccessKeysAndWrongSecrets() {

        RequestSigner stranger = new RequestSigner("LTAIunknown", SECRET);
        assertCode(
                () -> authenticator.authenticate(rpc(stranger, "DescribeRegions")), "InvalidAccessKeyId.NotFound", 404);
        RequestSigner wrongSecret = new RequestSigner(AK, "not-the-secret");
        assertCode(() -> authenticator.authenticate(rpcNow(wrongSecret)), "SignatureDoesNotMatch", 400);
    }

    @Test
    void rejectsRequestsWithoutAnySignature() {
        ApiRequest r = new ApiRequest(
                "POST", "/", Map.of("Action", "Encrypt"), Map.of(), Map.of(), new byte[0], "127.0.0.1", false);
        assertCode(() -> authenticator.authenticate(r), "IncompleteSignature", 400);
    }

    @Test
    void acceptsFreshlySignedAcs3AndRpcRequestsFromOurOwnSigner() {
        RequestSigner signer = new RequestSigner(AK, SECRET);
        long now = clock.millis();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("KeyId", "alias/my key");
        params.put("EncryptionContext", "{\"k e*y~\":\"v+/=é\"}");
        SignedAcs3Request acs3 =
                signer.signAcs3("POST", "127.0.0.1:8080", "Encrypt", params, now, "nonce-acs3-1", null, null);
        Map<String, String> headers = new HashMap<>();
        acs3.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        ApiRequest r = new ApiRequest(
                "POST",
                "/",
                PercentEncoding.decodeForm(acs3.queryString()),
                Map.of(),
                headers,
                new byte[0],
                "127.0.0.1",
                false);
        assertThat(authenticator.authenticate(r).accessKeyId()).isEqualTo(AK);
        String rpc = signer.signRpc("POST", "Encrypt", params, now, "nonce-rpc-1", false);
        ApiRequest r2 = new ApiRequest(
                "POST", "/", PercentEncoding.decodeForm(rpc), Map.of(), Map.of(), new byte[0], "127.0.0.1", false);
        assertThat(authenticator.authenticate(r2).accessKeyId()).isEqualTo(AK);
    }

    private ApiRequest rpcNow(RequestSigner signer) {
        String q = signer.signRpc("POST", "DescribeRegions", Map.of(), clock.millis(), "n-" + System.nanoTime(), false);
        return new ApiRequest(
                "POST", "/", PercentEncoding.decodeForm(q), Map.of(), Map.of(), new byte[0], "127.0.0.1", false);
    }

    private static ApiRequest rpc(RequestSigner signer, String action) {
        String q = signer.signRpc("POST", action, Map.of());
        return new ApiRequest(
                "POST", "/", PercentEncoding.decodeForm(q), Map.of(), Map.of(), new byte[0], "127.0.0.1", false);
    }

    /** What the gateway hands the authenticator for this request: decoded query, lower-case header names. */
    private static ApiRequest request(CapturedRequest sample) {
        return new ApiRequest(
                sample.method(),
                sample.path(),
                sample.query(),
                Map.of(),
                sample.headers(),
                sample.body(),
                "127.0.0.1",
                false);
    }

    private static void assertCode(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.httpStatus()).isEqualTo(status);
        });
    }
}
