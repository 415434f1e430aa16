package org.openkms.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.core.auth.Principal;
import org.openkms.core.error.KmsException;
import org.openkms.core.store.Storage;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.server.MutableClock;
import org.openkms.server.gateway.ApiRequest;
import org.openkms.storage.StorageFactory;
import org.openkms.wire.PercentEncoding;
import org.openkms.wire.RequestSigner;
import org.openkms.wire.SignedAcs3Request;

/** The verifier against real captured SDK requests (../shared/wire-samples) and against every rejection path. */
class AuthenticatorTest {
    private static final String AK = "LTAI5tTestAccessKeyId00";
    private static final String SECRET = "TestAccessKeySecret000000000000";
    @TempDir
    Path dir;
    private Storage storage;
    private MutableClock clock;
    private Authenticator authenticator;

    @BeforeEach
    void setUp() {
        storage = StorageFactory.openSqlite(dir.resolve("db"));
        clock = new MutableClock(Instant.parse("2026-11-22T23:45:30Z")); // just after the captures were made
        CredentialStore credentials = new CredentialStore(storage.accessKeys(), FileRootKeyProvider.openOrCreate(dir.resolve("root.key")), clock);
        credentials.create(AK, SECRET, Principal.ROOT);
        authenticator = new Authenticator(credentials, clock);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    static Stream<Path> wireSamples() throws Exception {
        Path dir = Path.of(System.getProperty("openkms.shared.dir", "../../shared"), "wire-samples");
        return Files.list(dir).filter(p -> p.toString().endsWith(".json")).sorted();
    }

    @ParameterizedTest
    @MethodSource("wireSamples")
    void acceptsEveryCapturedOfficialSdkRequest(Path sample) throws Exception {
        Principal p = authenticator.authenticate(request(sample));
        assertThat(p.accessKeyId()).isEqualTo(AK);
        assertThat(p.root()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("wireSamples")
    void rejectsAReplayOfTheSameRequest(Path sample) throws Exception {
        authenticator.authenticate(request(sample));
        assertCode(() -> authenticator.authenticate(request(sample)), "SignatureNonceUsed", 400);
    }

    @ParameterizedTest
    @MethodSource("wireSamples")
    void rejectsCapturedRequestsOutsideTheFifteenMinuteWindow(Path sample) throws Exception {
        clock.advance(Duration.ofMinutes(16));
        assertCode(() -> authenticator.authenticate(request(sample)), "IllegalTimestamp", 400);
    }

    @Test
    void rejectsATamperedParameter() throws Exception {
        ApiRequest r = request(Path.of(System.getProperty("openkms.shared.dir", "../../shared"), "wire-samples", "java-sdk-v1-encrypt-hmac-sha1.json"));
        Map<String, String> q = new HashMap<>(r.query());
        q.put("KeyId", "key-other");
        assertCode(() -> authenticator.authenticate(new ApiRequest(r.method(), r.path(), q, r.form(), r.headers(), r.body(), r.sourceIp(), false)),
                "SignatureDoesNotMatch", 400);
    }

    @Test
    void rejectsATamperedAcs3Header() throws Exception {
        ApiRequest r = request(Path.of(System.getProperty("openkms.shared.dir", "../../shared"), "wire-samples", "java-sdk-v2-encrypt-acs3-hmac-sha256.json"));
        Map<String, String> h = new HashMap<>(r.headers());
        h.put("x-acs-action", "Decrypt");
        assertCode(() -> authenticator.authenticate(new ApiRequest(r.method(), r.path(), r.query(), r.form(), h, r.body(), r.sourceIp(), false)),
                "SignatureDoesNotMatch", 400);
    }

    @Test
    void rejectsUnknownAccessKeysAndWrongSecrets() {

        RequestSigner stranger = new RequestSigner("LTAIunknown", SECRET);
        assertCode(() -> authenticator.authenticate(rpc(stranger, "DescribeRegions")), "InvalidAccessKeyId.NotFound", 404);
        RequestSigner wrongSecret = new RequestSigner(AK, "not-the-secret");
        assertCode(() -> authenticator.authenticate(rpcNow(wrongSecret)), "SignatureDoesNotMatch", 400);
    }

    @Test
    void rejectsRequestsWithoutAnySignature() {
        ApiRequest r = new ApiRequest("POST", "/", Map.of("Action", "Encrypt"), Map.of(), Map.of(), new byte[0], "127.0.0.1", false);
        assertCode(() -> authenticator.authenticate(r), "IncompleteSignature", 400);
    }

    @Test
    void acceptsFreshlySignedAcs3AndRpcRequestsFromOurOwnSigner() {
        RequestSigner signer = new RequestSigner(AK, SECRET);
        long now = Instant.parse("2026-11-22T23:45:30Z").toEpochMilli();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("KeyId", "alias/my key");
        params.put("EncryptionContext", "{\"k e*y~\":\"v+/=é\"}");
        SignedAcs3Request acs3 = signer.signAcs3("POST", "127.0.0.1:8080", "Encrypt", params, now, "nonce-acs3-1", null, null);
        Map<String, String> headers = new HashMap<>();
        acs3.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        ApiRequest r = new ApiRequest("POST", "/", PercentEncoding.decodeForm(acs3.queryString()), Map.of(), headers, new byte[0], "127.0.0.1", false);
        assertThat(authenticator.authenticate(r).accessKeyId()).isEqualTo(AK);
        String rpc = signer.signRpc("POST", "Encrypt", params, now, "nonce-rpc-1", false);
        ApiRequest r2 = new ApiRequest("POST", "/", PercentEncoding.decodeForm(rpc), Map.of(), Map.of(), new byte[0], "127.0.0.1", false);
        assertThat(authenticator.authenticate(r2).accessKeyId()).isEqualTo(AK);
    }

    private ApiRequest rpcNow(RequestSigner signer) {
        String q = signer.signRpc("POST", "DescribeRegions", Map.of(), Instant.parse("2026-11-22T23:45:30Z").toEpochMilli(), "n-" + System.nanoTime(), false);
        return new ApiRequest("POST", "/", PercentEncoding.decodeForm(q), Map.of(), Map.of(), new byte[0], "127.0.0.1", false);
    }

    private static ApiRequest rpc(RequestSigner signer, String action) {
        String q = signer.signRpc("POST", action, Map.of());
        return new ApiRequest("POST", "/", PercentEncoding.decodeForm(q), Map.of(), Map.of(), new byte[0], "127.0.0.1", false);
    }

    private static ApiRequest request(Path sample) throws Exception {
        JsonNode s = new ObjectMapper().readTree(sample.toFile());
        URI uri = URI.create("http://h" + s.get("path").asText());
        Map<String, String> headers = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.get("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
        }
        return new ApiRequest(s.get("method").asText(), "/", PercentEncoding.decodeForm(uri.getRawQuery()), Map.of(), headers,
                s.get("body").asText().getBytes(), "127.0.0.1", false);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.httpStatus()).isEqualTo(status);
        });
    }
}
