package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AuthorizationHeaderTest {

    @Test
    void v2SdkFieldOrder() {
        AuthorizationHeader a = AuthorizationHeader.parse("ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId00,"
                + "SignedHeaders=host;x-acs-action;x-acs-version,Signature=d25c");
        assertThat(a.algorithm()).isEqualTo("ACS3-HMAC-SHA256");
        assertThat(a.credential()).isEqualTo("LTAI5tTestAccessKeyId00");
        assertThat(a.accessKeyId()).isEqualTo("LTAI5tTestAccessKeyId00");
        assertThat(a.signedHeaders()).containsExactly("host", "x-acs-action", "x-acs-version");
        assertThat(a.signature()).isEqualTo("d25c");
        assertThat(a.isAcs3()).isTrue();
        assertThat(a.isAcs4()).isFalse();
        assertThat(a.credentialScope()).isEmpty();
        assertThat(a.toString()).doesNotContain("d25c");
    }

    /** V1 SDK in V3 mode: Credential, Signature, SignedHeaders (github.com/aliyun/aliyun-openapi-java-sdk). */
    @Test
    void v1SdkFieldOrder() {
        AuthorizationHeader a = AuthorizationHeader.parse(
                "ACS3-HMAC-SHA256 Credential=AK,Signature=abc," + "SignedHeaders=content-type;x-acs-action");
        assertThat(a.credential()).isEqualTo("AK");
        assertThat(a.signature()).isEqualTo("abc");
        assertThat(a.signedHeaders()).containsExactly("content-type", "x-acs-action");
    }

    @Test
    void anyOrderSpacesAndUnknownFields() {
        AuthorizationHeader a = AuthorizationHeader.parse(
                "  ACS3-HMAC-SHA256 Signature=s, SignedHeaders=host ," + " Foo=bar,Credential=AK ");
        assertThat(a.credential()).isEqualTo("AK");
        assertThat(a.signature()).isEqualTo("s");
        assertThat(a.signedHeaders()).containsExactly("host");
    }

    @Test
    void acs4Credential() {
        AuthorizationHeader a = AuthorizationHeader.parse("ACS4-HMAC-SHA256 Credential=AK/20261123/center/Kms/"
                + "aliyun_v4_request,SignedHeaders=host,Signature=5e10");
        assertThat(a.isAcs4()).isTrue();
        assertThat(a.accessKeyId()).isEqualTo("AK");
        assertThat(a.credentialScope()).containsExactly("20261123", "center", "Kms", "aliyun_v4_request");
    }

    @Test
    void malformed() {
        String[] bad = {
            null,
            "",
            "ACS3-HMAC-SHA256",
            "ACS3-HMAC-SHA256 ",
            "Bearer token",
            "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host",
            "ACS3-HMAC-SHA256 Credential=AK,Signature=s",
            "ACS3-HMAC-SHA256 SignedHeaders=host,Signature=s",
            "ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=s",
            "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=",
            "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;;x-acs-date,Signature=s",
            "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;,Signature=s",
            "ACS3-HMAC-SHA256 Credential=AK,,SignedHeaders=host,Signature=s",
            "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=s,Credential=AK2",
            "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature",
            "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,=s",
        };
        for (String value : bad) {
            assertThatThrownBy(() -> AuthorizationHeader.parse(value))
                    .as(String.valueOf(value))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
