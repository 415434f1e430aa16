package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Small shared helpers for the conformance tests. */
public final class Conformance {
    /** {@code yyyy-MM-ddTHH:mm:ssZ}, the only timestamp form of the API. */
    public static final Pattern ISO_SECONDS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    public static final Pattern UUID_36 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    public static final String UNKNOWN_KEY = "key-hzz000000000000000000";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Conformance() {}

    /** Runs {@code call}, requires it to fail with an API error, checks code and HTTP status, returns the error. */
    public static ApiException expectError(String code, int status, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("expected error %s (HTTP %s)", code, status).isInstanceOf(ApiException.class);
        ApiException e = (ApiException) t;
        assertThat(e.code()).as("error code; %s", e.getMessage()).isEqualTo(code);
        assertThat(e.status()).as("HTTP status; %s", e.getMessage()).isEqualTo(status);
        assertThat(e.requestId())
                .as("RequestId of the error; %s", e.getMessage())
                .isNotBlank();
        return e;
    }

    /** Like {@link #expectError} when only the HTTP status is fixed (undocumented codes); returns the error. */
    public static ApiException expectErrorStatus(int status, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("expected an error with HTTP %s", status).isInstanceOf(ApiException.class);
        ApiException e = (ApiException) t;
        assertThat(e.status()).as("HTTP status; %s", e.getMessage()).isEqualTo(status);
        return e;
    }

    /** Like {@link #expectError} when several codes are acceptable. */
    public static ApiException expectErrorIn(List<String> codes, int status, ThrowingCallable call) {
        ApiException e = expectErrorStatus(status, call);
        assertThat(e.code()).as("error code; %s", e.getMessage()).isIn(codes);
        return e;
    }

    /**
     * "status code" of a call's error, or "200 (accepted)" when it succeeded: for tests that compare a whole table of
     * outcomes at once, so one failure report shows every deviation.
     */
    public static String outcome(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        return t == null ? "200 (accepted)" : t instanceof ApiException e ? e.status() + " " + e.code() : t.toString();
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    public static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    public static byte[] unb64(String s) {
        return Base64.getDecoder().decode(s);
    }

    /** A name fragment unique within the run: letters and digits only. */
    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static String uniqueAlias() {
        return "alias/conformance-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public static String keyArn(String keyId) {
        return "acs:kms:" + ConformanceServer.REGION + ":" + ConformanceServer.ACCOUNT_ID + ":key/" + keyId;
    }

    public static String aliasArn(String aliasName) {
        return "acs:kms:" + ConformanceServer.REGION + ":" + ConformanceServer.ACCOUNT_ID + ":" + aliasName;
    }

    public static Instant instant(String isoSeconds) {
        assertThat(isoSeconds).matches(ISO_SECONDS);
        return Instant.parse(isoSeconds);
    }

    /** An insertion-ordered map from alternating keys and values. */
    public static Map<String, String> ctx(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** "" or null: the API's way of saying "no value" for optional string fields. */
    public static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
