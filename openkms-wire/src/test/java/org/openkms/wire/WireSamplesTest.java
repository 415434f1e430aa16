package org.openkms.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Re-verifies every request captured from the official clients (shared/wire-samples), the way the server will:
 * decode the query, pick the scheme, recompute the signature and compare.
 */
class WireSamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static File samplesDir() {
        String shared = System.getProperty("openkms.shared.dir");
        File dir = shared != null ? new File(shared, "wire-samples") : null;
        if (dir == null || !dir.isDirectory()) {
            // Surefire runs in the module directory; the shared folder sits beside the repository.
            dir = new File("../../shared/wire-samples");
        }
        return dir;
    }

    @TestFactory
    List<DynamicTest> everyCapturedRequestVerifies() {
        File dir = samplesDir();
        File[] files = dir.listFiles((d, name) -> name.endsWith(".json"));
        assertThat(files).as("wire samples in %s", dir.getAbsolutePath()).isNotNull().isNotEmpty();
        Arrays.sort(files);
        List<DynamicTest> tests = new ArrayList<>();
        for (File f : files) {
            tests.add(DynamicTest.dynamicTest(f.getName(), () -> verify(JSON.readTree(f))));
        }
        return tests;
    }

    private static void verify(JsonNode sample) {
        String secret = sample.get("accessKeySecret").asText();
        String accessKeyId = sample.get("accessKeyId").asText();
        String method = sample.get("method").asText();
        String path = sample.get("path").asText();
        int q = path.indexOf('?');
        Map<String, String> query = PercentEncoding.decodeForm(q < 0 ? "" : path.substring(q + 1));
        Map<String, String> headers = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sample.get("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
        }
        byte[] body = sample.get("body").asText().getBytes(StandardCharsets.UTF_8);

        String authorization = headers.get("authorization");
        if (authorization != null) {
            AuthorizationHeader auth = AuthorizationHeader.parse(authorization);
            assertThat(auth.algorithm()).isEqualTo(Acs3Signature.ALGORITHM);
            assertThat(auth.accessKeyId()).isEqualTo(accessKeyId);
            String bodyHash = Acs3Signature.sha256Hex(body);
            assertThat(headers.get("x-acs-content-sha256")).isEqualTo(bodyHash);
            String cr = Acs3Signature.canonicalRequest(method, path.substring(0, q < 0 ? path.length() : q), query,
                    auth.signedHeaders(), headers, bodyHash);
            String signature = Acs3Signature.sign(Acs3Signature.stringToSign(cr), secret);
            assertThat(signature).isEqualTo(auth.signature());
            assertThat(Signatures.constantTimeEquals(signature, auth.signature())).isTrue();
            Timestamps.parse(headers.get("x-acs-date"));
        } else {
            assertThat(query.get("SignatureMethod")).isEqualTo(RpcSignature.SIGNATURE_METHOD);
            assertThat(query.get("SignatureVersion")).isEqualTo(RpcSignature.SIGNATURE_VERSION);
            assertThat(query.get("AccessKeyId")).isEqualTo(accessKeyId);
            String expected = query.get("Signature");
            assertThat(RpcSignature.sign(RpcSignature.stringToSign(method, query, true), secret)).isEqualTo(expected);
            assertThat(RpcSignature.verify(method, query, secret, expected)).isTrue();
            Timestamps.parse(query.get("Timestamp"));
        }
    }
}
