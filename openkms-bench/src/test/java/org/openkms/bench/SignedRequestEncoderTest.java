package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openkms.wire.Acs3Signature;
import org.openkms.wire.AuthorizationHeader;
import org.openkms.wire.PercentEncoding;
import org.openkms.wire.RequestSigner;
import org.openkms.wire.RpcSignature;

/** The bytes the bench sends verify with the server-side signature code (no server involved). */
class SignedRequestEncoderTest {
    private static final String SECRET = "benchsecret";
    private static final Map<String, String> PARAMS = Map.of("KeyId", "key-1", "Plaintext", "aGVsbG8+/w==");

    /** Request line, lower-cased headers, and what follows the blank line. */
    private record Parsed(
            String method, String path, Map<String, String> query, Map<String, String> headers, String rest) {}

    private static Parsed parse(RequestBuffer b) {
        String text = new String(b.array(), 0, b.length(), StandardCharsets.US_ASCII);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        assertThat(requestLine[2]).isEqualTo("HTTP/1.1");
        String target = requestLine[1];
        int q = target.indexOf('?');
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).toLowerCase(),
                    lines[i].substring(colon + 1).trim());
        }
        return new Parsed(
                requestLine[0],
                q < 0 ? target : target.substring(0, q),
                q < 0 ? Map.of() : PercentEncoding.decodeForm(target.substring(q + 1)),
                headers,
                text.substring(end + 4));
    }

    @Test
    void acs3RequestVerifiesLikeTheServerDoes() {
        SignedRequestEncoder e = new SignedRequestEncoder(
                new RequestSigner("LTAIbench", SECRET), SignatureScheme.ACS3, "127.0.0.1:18090");
        RequestBuffer b = new RequestBuffer(16); // also exercises growth
        e.encode("Encrypt", PARAMS, new NonceSource(1), b);
        Parsed p = parse(b);
        assertThat(p.method()).isEqualTo("POST");
        assertThat(p.path()).isEqualTo("/");
        assertThat(p.query()).isEqualTo(PARAMS);
        assertThat(p.rest()).isEmpty();
        assertThat(p.headers())
                .containsEntry("host", "127.0.0.1:18090")
                .containsEntry("x-acs-action", "Encrypt")
                .containsEntry("x-acs-version", "2016-01-20")
                .containsEntry("content-length", "0")
                .containsEntry("x-acs-content-sha256", Acs3Signature.EMPTY_BODY_SHA256);
        assertThat(p.headers().get("x-acs-signature-nonce")).matches("[0-9a-f]{32}");

        AuthorizationHeader auth = AuthorizationHeader.parse(p.headers().get("authorization"));
        assertThat(auth.accessKeyId()).isEqualTo("LTAIbench");
        List<String> signed = auth.signedHeaders();
        String expected = Acs3Signature.sign(
                Acs3Signature.stringToSign(Acs3Signature.canonicalRequest(
                        p.method(), p.path(), p.query(), signed, p.headers(), Acs3Signature.EMPTY_BODY_SHA256)),
                SECRET);
        assertThat(auth.signature()).isEqualTo(expected);
    }

    @Test
    void rpcRequestVerifiesLikeTheServerDoes() {
        SignedRequestEncoder e =
                new SignedRequestEncoder(new RequestSigner("LTAIbench", SECRET), SignatureScheme.RPC, "localhost:8080");
        RequestBuffer b = new RequestBuffer();
        e.encode("Encrypt", PARAMS, new NonceSource(2), b);
        Parsed p = parse(b);
        assertThat(p.method()).isEqualTo("POST");
        assertThat(p.headers())
                .containsEntry("host", "localhost:8080")
                .containsEntry("content-length", "0")
                .doesNotContainKey("authorization");
        assertThat(p.query())
                .containsEntry("Action", "Encrypt")
                .containsEntry("KeyId", "key-1")
                .containsEntry("Plaintext", "aGVsbG8+/w==")
                .containsEntry("AccessKeyId", "LTAIbench")
                .containsKeys("Timestamp", "SignatureNonce", "Signature");
        assertThat(RpcSignature.verify("POST", p.query(), SECRET, p.query().get("Signature")))
                .isTrue();
        assertThat(RpcSignature.verify("POST", p.query(), "wrong", p.query().get("Signature")))
                .isFalse();
    }

    @Test
    void everyRequestHasAFreshNonce() {
        SignedRequestEncoder e =
                new SignedRequestEncoder(new RequestSigner("LTAIbench", SECRET), SignatureScheme.ACS3, "h");
        NonceSource nonces = new NonceSource();
        RequestBuffer b = new RequestBuffer();
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            e.encode("DescribeKey", Map.of("KeyId", "k"), nonces, b);
            all.add(parse(b).headers().get("x-acs-signature-nonce"));
        }
        seen.addAll(all);
        assertThat(seen).hasSize(1000);
    }

    @Test
    void nonAsciiFallsBackToUtf8() {
        RequestBuffer b = new RequestBuffer(4);
        b.ascii("ab").ascii("é").ascii('c').crlf();
        assertThat(b.toString()).isEqualTo("abéc\r\n");
        assertThat(b.length()).isEqualTo(7);
    }
}
