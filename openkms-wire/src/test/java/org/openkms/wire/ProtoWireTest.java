package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against request bodies and a string-to-sign captured from alibabacloud-dkms-gcs-sdk 0.5.2. */
class ProtoWireTest {
    @Test
    void encryptRequestAsTheSdkEncodesIt() throws Exception {
        byte[] captured = hex("0a076b65792d313233120568656c6c6f2203637478");
        ProtoWire.Message m = ProtoWire.decode(captured);
        assertThat(m.string(1)).isEqualTo("key-123");
        assertThat(m.bytes(2)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(m.string(4)).isEqualTo("ctx");
        assertThat(m.bytes(5)).isNull();
        byte[] written = new ProtoWire.Writer()
                .string(1, "key-123")
                .bytes(2, "hello".getBytes(StandardCharsets.UTF_8))
                .string(3, "")
                .bytes(4, "ctx".getBytes(StandardCharsets.UTF_8))
                .toByteArray();
        assertThat(written).isEqualTo(captured);
    }

    @Test
    void getSecretValueRequestWithABool() throws Exception {
        byte[] captured = hex("0a0964622f736563726574120a41435343757272656e742001");
        ProtoWire.Message m = ProtoWire.decode(captured);
        assertThat(m.string(1)).isEqualTo("db/secret");
        assertThat(m.string(2)).isEqualTo("ACSCurrent");
        assertThat(m.varint(4)).isEqualTo(1L);
        assertThat(new ProtoWire.Writer()
                        .string(1, "db/secret")
                        .string(2, "ACSCurrent")
                        .bool(4, true)
                        .toByteArray())
                .isEqualTo(captured);
    }

    @Test
    void repeatedStringsAndMalformedInput() throws Exception {
        byte[] b = new ProtoWire.Writer()
                .strings(5, Arrays.asList("ACSCurrent", "v1"))
                .toByteArray();
        assertThat(ProtoWire.decode(b).strings(5)).containsExactly("ACSCurrent", "v1");
        assertThatThrownBy(() -> ProtoWire.decode(new byte[] {0x0a, 0x05, 'a'}))
                .isInstanceOf(ProtoWire.MalformedException.class);
        assertThatThrownBy(() -> ProtoWire.decode(new byte[] {(byte) 0x80}))
                .isInstanceOf(ProtoWire.MalformedException.class);
    }

    @Test
    void stringToSignAsTheSdkBuildsIt() {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-sha256", "234C");
        headers.put("content-type", "application/x-protobuf");
        headers.put("date", "Mon, 23 Nov 2026 00:18:36 GMT");
        headers.put("x-kms-signaturemethod", "RSA_PKCS1_SHA_256");
        headers.put("x-kms-apiversion", "dkms-gcs-0.2");
        headers.put("x-kms-apiname", "Encrypt");
        headers.put("x-kms-acccesskeyid", "KAAP.1111");
        headers.put("x-kms-migrationkeyversionid", " vvv ");
        headers.put("accept", "application/x-protobuf");
        assertThat(InstanceSignature.stringToSign("POST", headers))
                .isEqualTo("POST\n234C\napplication/x-protobuf\nMon, 23 Nov 2026 00:18:36 GMT\n"
                        + "x-kms-acccesskeyid:KAAP.1111\nx-kms-apiname:Encrypt\nx-kms-apiversion:dkms-gcs-0.2\n"
                        + "x-kms-migrationkeyversionid:vvv\nx-kms-signaturemethod:RSA_PKCS1_SHA_256\n/");
        assertThat(InstanceSignature.contentSha256(new byte[0]))
                .isEqualTo("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
