package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Acs3SignatureTest {

    static final String SECRET = "TestAccessKeySecret000000000000";
    static final List<String> SIGNED = Arrays.asList(
            "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version");

    static Map<String, String> section34Headers() {
        Map<String, String> h = new HashMap<>();
        h.put("host", "127.0.0.1:18080");
        h.put("x-acs-action", "Encrypt");
        h.put("x-acs-content-sha256", Acs3Signature.EMPTY_BODY_SHA256);
        h.put("x-acs-date", "2026-11-22T23:45:21Z");
        h.put("x-acs-signature-nonce", "f5d52cdd7a5c3ef480d1d96fbea42f80");
        h.put("x-acs-version", "2016-01-20");
        h.put("user-agent", "not signed");
        return h;
    }

    /** A request signed by the Java V2 SDK (ACS3-HMAC-SHA256), recomputed per the V3 signature page. */
    @Test
    void section34Vector() {
        Map<String, String> query = PercentEncoding.decodeForm(
                "EncryptionContext=%7B%22purpose%22%3A%22demo%22%7D&Plaintext=aGVsbG8%3D&KeyId=key-test");
        String cr = Acs3Signature.canonicalRequest(
                "POST", "/", query, SIGNED, section34Headers(), Acs3Signature.EMPTY_BODY_SHA256);
        assertThat(cr)
                .isEqualTo("POST\n"
                        + "/\n"
                        + "EncryptionContext=%7B%22purpose%22%3A%22demo%22%7D&KeyId=key-test&Plaintext=aGVsbG8%3D\n"
                        + "host:127.0.0.1:18080\n"
                        + "x-acs-action:Encrypt\n"
                        + "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                        + "x-acs-date:2026-11-22T23:45:21Z\n"
                        + "x-acs-signature-nonce:f5d52cdd7a5c3ef480d1d96fbea42f80\n"
                        + "x-acs-version:2016-01-20\n"
                        + "\n"
                        + "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
                        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        String sts = Acs3Signature.stringToSign(cr);
        assertThat(sts).isEqualTo("ACS3-HMAC-SHA256\nbe5825ac77cab1d8a9f78bb51450509d4b1d85425fbd925bf705bbdff1aa4d3e");
        assertThat(Acs3Signature.sign(sts, SECRET))
                .isEqualTo("d25cc0846abd6d443fb9f8f90820a2cf48e5380b73610b55fe220d5f39932f32");
    }

    @Test
    void headerValuesAreTrimmedAndEmptyQueryValuesKept() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "  example:1 \t");
        Map<String, String> query = new LinkedHashMap<>();
        query.put("b", "");
        query.put("a", "x y");
        String cr = Acs3Signature.canonicalRequest("GET", "/", query, Arrays.asList("host"), headers, "h");
        assertThat(cr).isEqualTo("GET\n/\na=x%20y&b=\nhost:example:1\n\nhost\nh");
    }

    @Test
    void emptyQueryAndMissingHeader() {
        String cr = Acs3Signature.canonicalRequest(
                "POST",
                "/",
                new HashMap<String, String>(),
                Arrays.asList("x-acs-missing"),
                new HashMap<String, String>(),
                Acs3Signature.EMPTY_BODY_SHA256);
        assertThat(cr).isEqualTo("POST\n/\n\nx-acs-missing:\n\nx-acs-missing\n" + Acs3Signature.EMPTY_BODY_SHA256);
    }

    @Test
    void sha256Hex() {
        assertThat(Acs3Signature.sha256Hex(new byte[0])).isEqualTo(Acs3Signature.EMPTY_BODY_SHA256);
        assertThat(Acs3Signature.sha256Hex(null)).isEqualTo(Acs3Signature.EMPTY_BODY_SHA256);
        assertThat(Acs3Signature.sha256Hex("abc".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void macCacheDoesNotMixUpSecrets() {
        String a = Acs3Signature.sign("x", "secret-a");
        String b = Acs3Signature.sign("x", "secret-b");
        assertThat(a).isNotEqualTo(b);
        assertThat(Acs3Signature.sign("x", new String("secret-a"))).isEqualTo(a);
        assertThat(Acs3Signature.sign("x", "secret-b")).isEqualTo(b);
        // RFC 4231 test case 2
        assertThat(Acs3Signature.sign("what do ya want for nothing?", "Jefe"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
