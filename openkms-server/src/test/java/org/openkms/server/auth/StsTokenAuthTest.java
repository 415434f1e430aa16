package org.openkms.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.Principal;
import org.openkms.core.store.Storage;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.crypto.rootkey.RootKeyProvider;
import org.openkms.server.MutableClock;
import org.openkms.server.api.ApiRequest;
import org.openkms.storage.StorageFactory;
import org.openkms.wire.PercentEncoding;
import org.openkms.wire.RequestSigner;

/** Requests signed with STS credentials: accepted until the token expires, with Alibaba's InvalidSecurityToken codes. */
class StsTokenAuthTest {
    @TempDir
    Path dir;

    private Storage storage;
    private MutableClock clock;
    private StsTokens tokens;
    private Authenticator authenticator;

    @BeforeEach
    void setUp() {
        storage = StorageFactory.openSqlite(dir.resolve("db"));
        clock = new MutableClock(Instant.now());
        RootKeyProvider rootKey = FileRootKeyProvider.openOrCreate(dir.resolve("root.key"));
        tokens = new StsTokens(rootKey);
        authenticator = new Authenticator(new CredentialStore(storage.accessKeys(), rootKey, clock), tokens, clock);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    private ApiRequest rpc(String ak, String secret, String token) {
        String q = new RequestSigner(ak, secret, token)
                .signRpc(
                        "POST",
                        "DescribeRegions",
                        Map.of(),
                        clock.millis(),
                        java.util.UUID.randomUUID().toString(),
                        true);
        return new ApiRequest(
                "POST", "/", PercentEncoding.decodeForm(q), Map.of(), Map.of(), new byte[0], "127.0.0.1", false);
    }

    @Test
    void acceptedUntilExpiryThenExpired() {
        String token =
                tokens.issue(new StsTokens.Session("STS.abc", "s3cret", "Reader", "sess", clock.millis() + 900_000));
        Principal p = authenticator.authenticate(rpc("STS.abc", "s3cret", token));
        assertThat(p.type()).isEqualTo(Principal.ASSUMED_ROLE);
        assertThat(p.roleName()).isEqualTo("Reader");
        assertThat(p.arn("1")).isEqualTo("acs:ram::1:assumed-role/Reader/sess");
        clock.advance(Duration.ofSeconds(901));
        assertCode(() -> authenticator.authenticate(rpc("STS.abc", "s3cret", token)), "InvalidSecurityToken.Expired");
    }

    @Test
    void tamperedMismatchedAndMissingTokens() {
        String token =
                tokens.issue(new StsTokens.Session("STS.abc", "s3cret", "Reader", "sess", clock.millis() + 900_000));
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertCode(
                () -> authenticator.authenticate(rpc("STS.abc", "s3cret", tampered)), "InvalidSecurityToken.Malformed");
        assertCode(
                () -> authenticator.authenticate(rpc("STS.other", "s3cret", token)),
                "InvalidSecurityToken.MismatchWithAccessKey");
        assertCode(() -> authenticator.authenticate(rpc("STS.abc", "s3cret", null)), "InvalidSecurityToken.Malformed");
        assertCode(() -> authenticator.authenticate(rpc("STS.abc", "wrong", token)), "SignatureDoesNotMatch");
    }

    @Test
    void sessionToStringNeverShowsTheSecret() {
        assertThat(new StsTokens.Session("STS.abc", "s3cret", "R", "s", 0).toString())
                .doesNotContain("s3cret");
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.httpStatus()).isEqualTo(400);
        });
    }
}
