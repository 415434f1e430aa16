package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcSignatureTest {

    /** The worked example of KMS's "Signature" page (github.com/AlibabaCloudDocs/kms, Calling method/Signature.md). */
    @Test
    void kmsDocumentationExample() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Action", "CreateKey");
        p.put("SignatureVersion", "1.0");
        p.put("Format", "json");
        p.put("Version", "2016-01-20");
        p.put("AccessKeyId", "testid");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("Timestamp", "2016-03-28T03:13:08Z");
        String sts = RpcSignature.stringToSign("GET", p, true);
        assertThat(sts)
                .isEqualTo("GET&%2F&AccessKeyId%3Dtestid%26Action%3DCreateKey%26Format%3Djson"
                        + "%26SignatureMethod%3DHMAC-SHA1%26SignatureVersion%3D1.0%26Timestamp%3D2016-03-28T03%253A13%253A08Z"
                        + "%26Version%3D2016-01-20");
        assertThat(RpcSignature.sign(sts, "testsecret")).isEqualTo("41wk2SSX1GJh7fwnc5eqOfiJPFg=");
    }

    /** An Encrypt request captured from the Java V1 SDK; algorithm per
     * https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism. */
    @Test
    void v1StringToSignOfSection42() {
        Map<String, String> p =
                PercentEncoding.decodeForm("Action=Encrypt&KeyId=key-test&Timestamp=2026-11-22T23%3A45%3A21Z"
                        + "&SignatureVersion=1.0&Format=JSON&EncryptionContext=%7B%22purpose%22%3A%22demo%22%7D"
                        + "&SignatureNonce=3e9bbaa613b8627e56c47ed91c6e9df9&Version=2016-01-20&AccessKeyId=LTAI5tTestAccessKeyId00"
                        + "&Signature=PHKwFbDYuTktYyKlX%2FwKieSxejc%3D&Plaintext=aGVsbG8%3D&SignatureMethod=HMAC-SHA1"
                        + "&RegionId=cn-hangzhou");
        String sts = RpcSignature.stringToSign("POST", p, true);
        assertThat(sts)
                .isEqualTo("POST&%2F&AccessKeyId%3DLTAI5tTestAccessKeyId00%26Action%3DEncrypt"
                        + "%26EncryptionContext%3D%257B%2522purpose%2522%253A%2522demo%2522%257D%26Format%3DJSON"
                        + "%26KeyId%3Dkey-test%26Plaintext%3DaGVsbG8%253D%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1"
                        + "%26SignatureNonce%3D3e9bbaa613b8627e56c47ed91c6e9df9%26SignatureVersion%3D1.0"
                        + "%26Timestamp%3D2026-11-22T23%253A45%253A21Z%26Version%3D2016-01-20");
        assertThat(RpcSignature.sign(sts, "TestAccessKeySecret000000000000")).isEqualTo("PHKwFbDYuTktYyKlX/wKieSxejc=");
        assertThat(RpcSignature.verify("POST", p, "TestAccessKeySecret000000000000", p.get("Signature")))
                .isTrue();
        assertThat(RpcSignature.verify("GET", p, "TestAccessKeySecret000000000000", p.get("Signature")))
                .isFalse();
        assertThat(RpcSignature.verify("POST", p, "TestAccessKeySecret000000000001", p.get("Signature")))
                .isFalse();
    }

    @Test
    void canonicalQuerySortsByDecodedNameExcludesSignatureAndEncodes() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("b", "2");
        p.put("Signature", "ignored");
        p.put("a b", "x*y");
        p.put("Z", "~");
        p.put("\u00e9", "1");
        p.put("a", "");
        // String.compareTo: "Z" (0x5A) < "a" < "a b" < "b" < "é" (0xE9)
        assertThat(RpcSignature.canonicalQuery(p, true)).isEqualTo("Z=~&a=&a%20b=x%2Ay&b=2&%C3%A9=1");
    }

    /**
     * V2 SDK in "v2" mode sends Description= but does not sign it: openapiutil getRPCSignature skips empty values
     * (github.com/aliyun/darabonba-openapi-util).
     */
    @Test
    void emptyValuesExcludedVariant() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Action", "CreateKey");
        p.put("Description", "");
        p.put("KeySpec", "Aliyun_AES_256");
        p.put("Tags", "");
        assertThat(RpcSignature.canonicalQuery(p, true))
                .isEqualTo("Action=CreateKey&Description=&KeySpec=Aliyun_AES_256&Tags=");
        assertThat(RpcSignature.canonicalQuery(p, false)).isEqualTo("Action=CreateKey&KeySpec=Aliyun_AES_256");
        assertThat(RpcSignature.stringToSign("POST", p, false))
                .isEqualTo("POST&%2F&Action%3DCreateKey%26KeySpec%3DAliyun_AES_256");

        String withoutEmpties = RpcSignature.sign(RpcSignature.stringToSign("POST", p, false), "s3cret");
        String withEmpties = RpcSignature.sign(RpcSignature.stringToSign("POST", p, true), "s3cret");
        assertThat(withoutEmpties).isNotEqualTo(withEmpties);
        // the verifier accepts both forms
        assertThat(RpcSignature.verify("POST", p, "s3cret", withEmpties)).isTrue();
        assertThat(RpcSignature.verify("POST", p, "s3cret", withoutEmpties)).isTrue();
        assertThat(RpcSignature.verify("POST", p, "s3cret", "")).isFalse();
        assertThat(RpcSignature.verify("POST", p, "s3cret", null)).isFalse();
    }

    @Test
    void signatureDoesNotDependOnParameterOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("x", "1");
        a.put("y", "2");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("y", "2");
        b.put("x", "1");
        assertThat(RpcSignature.stringToSign("POST", a, true)).isEqualTo(RpcSignature.stringToSign("POST", b, true));
    }

    @Test
    void constantTimeEquals() {
        assertThat(Signatures.constantTimeEquals("abc", "abc")).isTrue();
        assertThat(Signatures.constantTimeEquals("abc", "abd")).isFalse();
        assertThat(Signatures.constantTimeEquals("abc", "ab")).isFalse();
        assertThat(Signatures.constantTimeEquals(null, "ab")).isFalse();
        assertThat(Signatures.constantTimeEquals("ab", null)).isFalse();
    }
}
