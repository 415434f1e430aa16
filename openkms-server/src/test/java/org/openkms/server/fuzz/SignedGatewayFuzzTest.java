package org.openkms.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.openkms.server.api.ApiResponse;
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
 * <p>Input: up to {@value #MAX_REQUESTS} requests separated by a line {@code ---} (a sequence reaches state: create,
 * then use), each as text lines (FuzzText) — scheme ({@code RPC}, {@code RPC-GET}, {@code RPC-V2}, {@code RPC-FORM},
 * {@code ACS3}, {@code ACS3-FORM}, {@code ACS4}; anything else is RPC), principal ({@code root}, {@code user},
 * {@code limited}, {@code role}; anything else is root), action, then {@code name=value} parameters. {@code ${NAME}}
 * anywhere is replaced by a live resource of {@link FuzzServer}. RPC requests may set {@code Version} to reach RAM
 * ({@code 2015-05-01}) and STS ({@code 2015-04-01}). The dictionary gives the fuzzer the API's vocabulary.
 */
class SignedGatewayFuzzTest {
    private static final String HOST = "kms.cn-hangzhou.aliyuncs.com";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final int MAX_REQUESTS = 4;
    /** Parameters the signer writes itself: a business value for them changes the request's meaning on purpose. */
    private static final Set<String> TRANSPORT = Set.of(
            "Action",
            "Version",
            "Format",
            "AccessKeyId",
            "Signature",
            "SignatureMethod",
            "SignatureVersion",
            "SignatureNonce",
            "Timestamp",
            "SecurityToken",
            "SignatureType",
            "BearerToken");

    // Jazzer writes these to a libFuzzer dictionary file unescaped: no newlines or quotes in them.
    @DictionaryEntries({
        "RPC",
        "RPC-GET",
        "RPC-V2",
        "RPC-FORM",
        "ACS3",
        "ACS3-FORM",
        "ACS4",
        "---",
        "root",
        "user",
        "limited",
        "role",
        "CreateKey",
        "DescribeKey",
        "ListKeys",
        "UpdateKeyDescription",
        "EnableKey",
        "DisableKey",
        "ScheduleKeyDeletion",
        "CancelKeyDeletion",
        "SetDeletionProtection",
        "UpdateRotationPolicy",
        "CreateKeyVersion",
        "DescribeKeyVersion",
        "ListKeyVersions",
        "Encrypt",
        "Decrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "ReEncrypt",
        "ExportDataKey",
        "GenerateAndExportDataKey",
        "AsymmetricSign",
        "AsymmetricVerify",
        "AsymmetricEncrypt",
        "AsymmetricDecrypt",
        "GetPublicKey",
        "GenerateMac",
        "VerifyMac",
        "GetParametersForImport",
        "ImportKeyMaterial",
        "DeleteKeyMaterial",
        "CreateSecret",
        "GetSecretValue",
        "BatchGetSecretValue",
        "PutSecretValue",
        "UpdateSecretVersionStage",
        "ListSecretVersionIds",
        "DescribeSecret",
        "ListSecrets",
        "UpdateSecret",
        "UpdateSecretRotationPolicy",
        "RotateSecret",
        "DeleteSecret",
        "RestoreSecret",
        "GetRandomPassword",
        "TagResource",
        "UntagResource",
        "ListResourceTags",
        "TagResources",
        "UntagResources",
        "ListTagResources",
        "CreateAlias",
        "UpdateAlias",
        "DeleteAlias",
        "ListAliases",
        "ListAliasesByKeyId",
        "CreateNetworkRule",
        "CreatePolicy",
        "CreateApplicationAccessPoint",
        "CreateClientKey",
        "GetClientKey",
        "SetKeyPolicy",
        "GetKeyPolicy",
        "SetSecretPolicy",
        "DescribeRegions",
        "CreateUser",
        "CreateAccessKey",
        "UpdateAccessKey",
        "AttachPolicyToUser",
        "CreateRole",
        "AssumeRole",
        "GetCallerIdentity",
        "Version=2015-05-01",
        "Version=2015-04-01",
        "LookupEvents",
        "Version=2020-07-06",
        "LookupAttribute.1.Key=",
        "LookupAttribute.1.Value=",
        "NextToken=",
        "MaxResults=",
        "KeyId=",
        "KeyVersionId=",
        "Plaintext=",
        "CiphertextBlob=",
        "EncryptionContext=",
        "Algorithm=",
        "Digest=",
        "Value=",
        "Message=",
        "Mac=",
        "KeySpec=",
        "KeyUsage=",
        "Origin=EXTERNAL",
        "NumberOfBytes=",
        "PageSize=",
        "PageNumber=",
        "Filters=",
        "Tags=",
        "TagKeys=",
        "SecretName=",
        "SecretData=",
        "SecretType=",
        "ExtendedConfig=",
        "VersionId=",
        "VersionStage=",
        "RotationInterval=",
        "RecoveryWindowInDays=",
        "PendingWindowInDays=",
        "KeyMaterialExpireUnix=",
        "NotBefore=",
        "NotAfter=",
        "DryRun=true",
        "Policy=",
        "PolicyDocument=",
        "${KEY}",
        "${KEYARN}",
        "${ALIAS}",
        "${BLOB}",
        "${BLOBCTX}",
        "${RSA}",
        "${RSAVER}",
        "${EC}",
        "${ECVER}",
        "${SM2}",
        "${SM2VER}",
        "${SM2CT}",
        "${HMAC}",
        "${MAC}",
        "${EXT}",
        "${TOKEN}",
        "${WRAPPED}",
        "${PUBKEY}",
        "${DIGEST}",
        "${SIG}",
        "${SECRET}",
        "${ROLEARN}",
        "${USERNAME}",
        "-1",
        "0",
        "2147483648",
        "9223372036854775807",
        "-9223372036854775808",
        "999999999999999999",
        "1e308",
        "NaN",
        "+10000-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z",
        "[]",
        "{}",
        "null"
    })
    @FuzzTest
    @Timeout(60)
    void signed(byte[] input) {
        FuzzServer server = FuzzServers.get();
        List<String> lines = FuzzText.lines(server.expand(FuzzText.decode(input)));
        int start = 0;
        for (int n = 0; n < MAX_REQUESTS && start <= lines.size(); n++) {
            int end = lines.subList(start, lines.size()).indexOf("---");
            end = end < 0 ? lines.size() : start + end;
            request(server, lines.subList(start, end));
            start = end + 1;
        }
    }

    private static void request(FuzzServer server, List<String> lines) {
        String scheme = FuzzText.line(lines, 0, "RPC");
        RequestSigner signer = server.signers.getOrDefault(FuzzText.line(lines, 1, "root"), server.signers.get("root"));
        String action = FuzzText.line(lines, 2, "DescribeRegions");
        Map<String, String> params = FuzzText.params(lines, 3);

        ApiResponse r;
        switch (scheme) {
            case "ACS3", "ACS4" -> {
                SignedAcs3Request s = scheme.equals("ACS3")
                        ? signer.signAcs3("POST", HOST, action, params)
                        : signer.signAcs4("POST", HOST, action, params);
                r = server.send(
                        "POST",
                        "/",
                        s.queryString().isEmpty() ? null : s.queryString(),
                        lower(s.headers()),
                        new byte[0]);
            }
            case "ACS3-FORM" -> {
                byte[] body = form(params).getBytes(StandardCharsets.UTF_8);
                SignedAcs3Request s = signer.signAcs3(
                        "POST", HOST, action, Map.of(), System.currentTimeMillis(), Nonces.newNonce(), body, FORM);
                r = server.send("POST", "/", null, lower(s.headers()), body);
            }
            case "RPC-GET" ->
                r = server.send("GET", "/", signer.signRpc("GET", action, params), Map.of("host", HOST), new byte[0]);
            case "RPC-V2" ->
                r = server.send(
                        "POST",
                        "/",
                        signer.signRpc("POST", action, params, System.currentTimeMillis(), Nonces.newNonce(), false),
                        Map.of("host", HOST),
                        new byte[0]);
            case "RPC-FORM" ->
                r = server.send(
                        "POST",
                        "/",
                        null,
                        Map.of("host", HOST, "content-type", FORM),
                        signer.signRpc("POST", action, params).getBytes(StandardCharsets.UTF_8));
            default ->
                r = server.send("POST", "/", signer.signRpc("POST", action, params), Map.of("host", HOST), new byte[0]);
        }
        String code = AlibabaAnswers.check(r);
        if (wireSafe(action, params)) {
            assertThat(code)
                    .as("%s %s %s", scheme, action, params)
                    .isNotIn("SignatureDoesNotMatch", "IncompleteSignature", "IllegalTimestamp", "SignatureNonceUsed");
        }
    }

    /** Whether signer and verifier must agree: no transport parameter overridden, no text without a UTF-8 form. */
    private static boolean wireSafe(String action, Map<String, String> params) {
        if (FuzzText.hasLoneSurrogate(action)) {
            return false;
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (TRANSPORT.contains(e.getKey())
                    || FuzzText.hasLoneSurrogate(e.getKey())
                    || FuzzText.hasLoneSurrogate(e.getValue())) {
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
