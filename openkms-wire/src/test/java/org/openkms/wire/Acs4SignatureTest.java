package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Acs4SignatureTest {

    static final List<String> SIGNED = Arrays.asList(
            "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version");

    static Map<String, String> vectorQuery() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("EncryptionContext", "{\"purpose\":\"demo\",\"k e*y~\":\"v+/=\u00e9\"}");
        q.put("KeyId", "alias/my key");
        q.put("Plaintext", "aGVs+/bG8=");
        return q;
    }

    /** A request signed by the Java V2 SDK in signatureVersion="v4" mode (secret testSecret), recomputed here. */
    @Test
    void section36Vector() {
        Map<String, String> h = new HashMap<>();
        h.put("host", "127.0.0.1:18080");
        h.put("x-acs-action", "Encrypt");
        h.put("x-acs-content-sha256", Acs3Signature.EMPTY_BODY_SHA256);
        h.put("x-acs-date", "2026-11-23T00:46:13Z");
        h.put("x-acs-signature-nonce", "11d4d7471853863734cf21ebeab40b5a");
        h.put("x-acs-version", "2016-01-20");
        String cr =
                Acs4Signature.canonicalRequest("POST", "/", vectorQuery(), SIGNED, h, Acs3Signature.EMPTY_BODY_SHA256);
        assertThat(cr)
                .startsWith(
                        "POST\n/\nEncryptionContext=%7B%22purpose%22%3A%22demo%22%2C%22k%20e%2Ay~%22%3A%22v%2B"
                                + "%2F%3D%C3%A9%22%7D&KeyId=alias%2Fmy%20key&Plaintext=aGVs%2B%2FbG8%3D\nhost:127.0.0.1:18080\n");
        String sts = Acs4Signature.stringToSign(cr);
        assertThat(sts).isEqualTo("ACS4-HMAC-SHA256\n9c12cdd3265173a952af126e3f335ff4521f64229ea78aa9a39f4ba8d3b6fccb");
        assertThat(Acs4Signature.scopeDate("2026-11-23T00:46:13Z")).isEqualTo("20261123");
        assertThat(Acs4Signature.regionFromHost("127.0.0.1:18080")).isEqualTo("center");
        assertThat(Acs4Signature.sign(sts, "testSecret", "20261123", "center", "Kms"))
                .isEqualTo("5e101093abeb72da9616c80a6fd5f9c2cf6176cfd5d769cfff1d266286e7674a");
    }

    @Test
    void sameVectorThroughTheRequestSigner() {
        RequestSigner signer = new RequestSigner("LTAI5tTestAccessKeyId00", "testSecret");
        SignedAcs3Request r = signer.signAcs4(
                "POST",
                "127.0.0.1:18080",
                "Encrypt",
                vectorQuery(),
                Timestamps.parse("2026-11-23T00:46:13Z"),
                "11d4d7471853863734cf21ebeab40b5a");
        assertThat(r.authorization())
                .isEqualTo(
                        "ACS4-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId00/20261123/center/Kms"
                                + "/aliyun_v4_request,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;"
                                + "x-acs-signature-nonce;x-acs-version,Signature=5e101093abeb72da9616c80a6fd5f9c2cf6176cfd5d769cfff1d266286e7674a");
    }

    @Test
    void emptyQueryValueIsABareName() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("b", "");
        q.put("a", "1");
        String cr = Acs4Signature.canonicalRequest(
                "POST", "/", q, Arrays.asList("host"), java.util.Collections.singletonMap("host", "h"), "x");
        assertThat(cr).isEqualTo("POST\n/\na=1&b\nhost:h\n\nhost\nx");
    }

    @Test
    void regionFromHostLikeGatewayPop() {
        assertThat(Acs4Signature.regionFromHost("kms.cn-hangzhou.aliyuncs.com")).isEqualTo("cn-hangzhou");
        assertThat(Acs4Signature.regionFromHost("kms-vpc.ap-southeast-1.aliyuncs.com:443"))
                .isEqualTo("ap-southeast-1");
        assertThat(Acs4Signature.regionFromHost("localhost:8443")).isEqualTo("center");
        assertThat(Acs4Signature.regionFromHost("a.b.c.example")).isEqualTo("center");
        assertThat(Acs4Signature.regionFromHost(null)).isEqualTo("center");
    }
}
