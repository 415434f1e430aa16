package org.openkms.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.openkms.server.gateway.ApiResponse;
import org.openkms.wire.Nonces;
import org.openkms.wire.PercentEncoding;
import org.openkms.wire.RequestSigner;
import org.openkms.wire.SignedAcs3Request;
import org.openkms.wire.fuzz.FuzzText;

/**
 * Validly signed requests with fuzzed action names and parameters, so that the fuzzer gets past authentication into
 * the actions' parameter parsing and the services behind them. Property: {@link AlibabaAnswers#check} (never a 5xx),
 * and a request the signer could put on the wire unchanged is never refused as badly signed (signer and verifier
 * agree on every parameter map).
 *
 * <p>Input: text lines (FuzzText) — scheme ({@code RPC}, {@code RPC-GET}, {@code RPC-V2}, {@code RPC-FORM},
 * {@code ACS3}, {@code ACS3-FORM}, {@code ACS4}; anything else is RPC), principal ({@code root}, {@code user},
 * {@code limited}, {@code role}; anything else is root), action, then {@code name=value} parameters. {@code ${NAME}}
 * anywhere is replaced by a live resource of {@link FuzzServer}. RPC requests may set {@code Version} to reach RAM
 * ({@code 2015-05-01}) and STS ({@code 2015-04-01}).
 */
class SignedGatewayFuzzTest {
    private static final String HOST = "kms.cn-hangzhou.aliyuncs.com";
    private static final String FORM = "application/x-www-form-urlencoded";
    /** Parameters the signer writes itself: a business value for them changes the request's meaning on purpose. */
    private static final Set<String> TRANSPORT = Set.of("Action", "Version", "Format", "AccessKeyId", "Signature",
            "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "SecurityToken", "SignatureType", "BearerToken");

    @FuzzTest
    @Timeout(30)
    void signed(byte[] input) {
        FuzzServer server = FuzzServers.get();
        List<String> lines = FuzzText.lines(server.expand(FuzzText.decode(input)));
        String scheme = FuzzText.line(lines, 0, "RPC");
        RequestSigner signer = server.signers.getOrDefault(FuzzText.line(lines, 1, "root"), server.signers.get("root"));
        String action = FuzzText.line(lines, 2, "DescribeRegions");
        Map<String, String> params = FuzzText.params(lines, 3);

        ApiResponse r;
        switch (scheme) {
            case "ACS3", "ACS4" -> {
                SignedAcs3Request s = scheme.equals("ACS3") ? signer.signAcs3("POST", HOST, action, params)
                        : signer.signAcs4("POST", HOST, action, params);
                r = server.send("POST", "/", s.queryString().isEmpty() ? null : s.queryString(), lower(s.headers()), new byte[0]);
            }
            case "ACS3-FORM" -> {
                byte[] body = form(params).getBytes(StandardCharsets.UTF_8);
                SignedAcs3Request s = signer.signAcs3("POST", HOST, action, Map.of(), System.currentTimeMillis(),
                        Nonces.newNonce(), body, FORM);
                r = server.send("POST", "/", null, lower(s.headers()), body);
            }
            case "RPC-GET" -> r = server.send("GET", "/", signer.signRpc("GET", action, params), Map.of("host", HOST), new byte[0]);
            case "RPC-V2" -> r = server.send("POST", "/", signer.signRpc("POST", action, params, System.currentTimeMillis(),
                    Nonces.newNonce(), false), Map.of("host", HOST), new byte[0]);
            case "RPC-FORM" -> r = server.send("POST", "/", null, Map.of("host", HOST, "content-type", FORM),
                    signer.signRpc("POST", action, params).getBytes(StandardCharsets.UTF_8));
            default -> r = server.send("POST", "/", signer.signRpc("POST", action, params), Map.of("host", HOST), new byte[0]);
        }
        String code = AlibabaAnswers.check(r);
        if (wireSafe(action, params)) {
            assertThat(code).as("%s %s %s", scheme, action, params)
                    .isNotIn("SignatureDoesNotMatch", "IncompleteSignature", "IllegalTimestamp", "SignatureNonceUsed",
                            "InvalidAccessKeyId.NotFound");
        }
    }

    /** Whether signer and verifier must agree: no transport parameter overridden, no text without a UTF-8 form. */
    private static boolean wireSafe(String action, Map<String, String> params) {
        if (FuzzText.hasLoneSurrogate(action)) {
            return false;
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (TRANSPORT.contains(e.getKey()) || FuzzText.hasLoneSurrogate(e.getKey()) || FuzzText.hasLoneSurrogate(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> lower(Map<String, String> headers) {
        Map<String, String> out = new HashMap<>();
        headers.forEach((k, v) -> out.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    private static String form(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new LinkedHashMap<>(params).entrySet()) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(PercentEncoding.encode(e.getKey())).append('=').append(PercentEncoding.encode(e.getValue()));
        }
        return sb.toString();
    }
}
