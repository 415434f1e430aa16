package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.UNKNOWN_KEY;
import static org.openkms.conformance.Conformance.aliasArn;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.ctx;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.keyArn;
import static org.openkms.conformance.Conformance.randomBytes;
import static org.openkms.conformance.Conformance.unb64;
import static org.openkms.conformance.Conformance.uniqueAlias;

import com.aliyuncs.http.FormatType;
import com.aliyuncs.kms.model.v20160120.DecryptRequest;
import com.aliyuncs.kms.model.v20160120.EncryptRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.conformance.KmsApi.CreateKey;
import org.openkms.conformance.KmsApi.DataKey;
import org.openkms.conformance.KmsApi.Decrypted;
import org.openkms.conformance.KmsApi.Encrypted;
import org.openkms.conformance.KmsApi.KeyMeta;

/**
 * Symmetric cryptography and data keys
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-encrypt and
 * its sibling pages; EncryptionContext: https://www.alibabacloud.com/help/doc-detail/42975.htm): Encrypt, Decrypt,
 * GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncrypt, through every SDK configuration.
 */
@ExtendWith(SharedServer.class)
class CryptoConformanceTest {
    private static final String SDKS = "org.openkms.conformance.SharedServer#sdks";

    private final ConformanceServer server;

    CryptoConformanceTest(ConformanceServer server) {
        this.server = server;
    }

    // ---- Encrypt / Decrypt ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void encryptThenDecryptRoundTrips(KmsApi sdk) {
        KeyMeta key = sdk.createKey(new CreateKey());
        byte[] data = randomBytes(100);

        Encrypted e = sdk.encrypt(key.keyId(), b64(data));
        assertThat(e.keyId()).isEqualTo(key.keyId());
        assertThat(e.keyVersionId()).isEqualTo(key.primaryKeyVersion());
        assertThat(unb64(e.ciphertextBlob())).hasSizeGreaterThan(data.length);

        Decrypted d = sdk.decrypt(e.ciphertextBlob());
        assertThat(unb64(d.plaintext())).isEqualTo(data);
        assertThat(d.keyId()).isEqualTo(key.keyId());
        assertThat(d.keyVersionId()).isEqualTo(key.primaryKeyVersion());

        // Two encryptions of the same plaintext differ (random IV).
        assertThat(sdk.encrypt(key.keyId(), b64(data)).ciphertextBlob()).isNotEqualTo(e.ciphertextBlob());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void encryptByAliasOrArnReportsTheResolvedKeyId(KmsApi sdk) {
        String keyId = sdk.newKey();
        String alias = uniqueAlias();
        sdk.createAlias(alias, keyId);
        String plaintext = b64("hello".getBytes());
        for (String ref : List.of(alias, keyArn(keyId), aliasArn(alias))) {
            Encrypted e = sdk.encrypt(ref, plaintext);
            assertThat(e.keyId()).as(ref).isEqualTo(keyId);
            assertThat(sdk.decrypt(e.ciphertextBlob()).plaintext()).isEqualTo(plaintext);
        }
    }

    @Test
    void ciphertextsDecryptThroughEverySdk() {
        String keyId = server.v2().newKey();
        Map<String, String> context = ctx("purpose", "cross-sdk", "tenant", "t-42");
        List<String> blobs = new ArrayList<>();
        List<String> plaintexts = new ArrayList<>();
        for (KmsApi sdk : server.matrix()) {
            String p = b64(randomBytes(33));
            plaintexts.add(p);
            blobs.add(sdk.encrypt(keyId, p, context).ciphertextBlob());
        }
        for (KmsApi sdk : server.matrix()) {
            for (int i = 0; i < blobs.size(); i++) {
                assertThat(sdk.decrypt(blobs.get(i), context).plaintext())
                        .as("%s decrypting blob %s", sdk, i)
                        .isEqualTo(plaintexts.get(i));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void encryptionContextIsComparedAsAMap(KmsApi sdk) {
        String keyId = sdk.newKey();
        String plaintext = b64(randomBytes(24));
        // Characters every client encodes differently on the wire: space, '*', '~', '+', '/', '=', non-ASCII.
        Map<String, String> context = ctx("purpose", "demo", "k e*y~", "v+/=é", "租户", "值 ✓", "a", "1");
        String blob = sdk.encrypt(keyId, plaintext, context).ciphertextBlob();

        Map<String, String> reversed = ctx("a", "1", "租户", "值 ✓", "k e*y~", "v+/=é", "purpose", "demo");
        assertThat(sdk.decrypt(blob, reversed).plaintext()).isEqualTo(plaintext);
        assertThat(sdk.decrypt(blob, context).plaintext()).isEqualTo(plaintext);

        expectError(
                "InvalidParameter",
                400,
                () -> sdk.decrypt(blob, ctx("purpose", "demo", "k e*y~", "v+/=é", "租户", "值 ✓", "a", "2")));
        expectError("InvalidParameter", 400, () -> sdk.decrypt(blob, ctx("purpose", "demo")));
        expectError("InvalidParameter", 400, () -> sdk.decrypt(blob, null));
        Map<String, String> extra = ctx("purpose", "demo", "k e*y~", "v+/=é", "租户", "值 ✓", "a", "1", "b", "2");
        expectError("InvalidParameter", 400, () -> sdk.decrypt(blob, extra));

        // A blob made without a context does not decrypt with one.
        String plain = sdk.encrypt(keyId, plaintext).ciphertextBlob();
        expectError("InvalidParameter", 400, () -> sdk.decrypt(plain, ctx("purpose", "demo")));
        assertThat(sdk.decrypt(plain).plaintext()).isEqualTo(plaintext);
    }

    @Test
    void encryptionContextMustBeAJsonObjectOfStrings() {
        V1Api v1 = server.v1();
        String keyId = v1.newKey();
        for (String bad : List.of("not json", "[\"a\",\"b\"]", "{\"a\":1}", "{\"a\":{\"b\":\"c\"}}", "\"text\"")) {
            EncryptRequest req = new EncryptRequest();
            req.setKeyId(keyId);
            req.setPlaintext(b64(randomBytes(4)));
            req.setEncryptionContext(bad);
            expectError("InvalidParameter", 400, () -> v1.call(req));
        }
        // Key order inside the JSON text is irrelevant (the V1 SDK sends the caller's JSON verbatim).
        EncryptRequest enc = new EncryptRequest();
        enc.setKeyId(keyId);
        enc.setPlaintext("aGVsbG8=");
        enc.setEncryptionContext("{\"x\":\"1\",\"y\":\"2\"}");
        String blob = v1.call(enc).getCiphertextBlob();
        DecryptRequest dec = new DecryptRequest();
        dec.setCiphertextBlob(blob);
        dec.setEncryptionContext("{ \"y\" : \"2\", \"x\" : \"1\" }");
        assertThat(v1.call(dec).getPlaintext()).isEqualTo("aGVsbG8=");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void corruptedOrTruncatedCiphertextIsInvalid(KmsApi sdk) {
        String keyId = sdk.newKey();
        byte[] blob = unb64(sdk.encrypt(keyId, b64(randomBytes(64))).ciphertextBlob());

        byte[] flippedTag = blob.clone();
        flippedTag[flippedTag.length - 1] ^= 0x01;
        expectError("InvalidParameter", 400, () -> sdk.decrypt(b64(flippedTag)));

        byte[] flippedBody = blob.clone();
        flippedBody[blob.length - 30] ^= (byte) 0x80;
        expectError("InvalidParameter", 400, () -> sdk.decrypt(b64(flippedBody)));

        expectError("InvalidParameter", 400, () -> sdk.decrypt(b64(Arrays.copyOf(blob, blob.length - 1))));
        expectError("InvalidParameter", 400, () -> sdk.decrypt(b64(Arrays.copyOf(blob, 50))));
        expectError("InvalidParameter", 400, () -> sdk.decrypt(b64(Arrays.copyOf(blob, 20))));
        expectError("InvalidParameter", 400, () -> sdk.decrypt("this is not base64!"));
        expectError("InvalidParameter", 400, () -> sdk.decrypt(b64(randomBytes(80))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void plaintextIsLimitedToSixKibibytes(KmsApi sdk) {
        String keyId = sdk.newKey();
        byte[] max = randomBytes(6 * 1024);
        String blob = sdk.encrypt(keyId, b64(max)).ciphertextBlob();
        assertThat(unb64(sdk.decrypt(blob).plaintext())).isEqualTo(max);

        expectError("InvalidParameter", 400, () -> sdk.encrypt(keyId, b64(randomBytes(6 * 1024 + 1))));
        expectError("InvalidParameter", 400, () -> sdk.encrypt(keyId, "not base64 at all!"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void missingParametersAreReported(KmsApi sdk) {
        String keyId = sdk.newKey();
        String blob = sdk.encrypt(keyId, "aGVsbG8=").ciphertextBlob();
        expectError("MissingParameter", 400, () -> sdk.encrypt(null, "aGVsbG8=", null, null));
        expectError("MissingParameter", 400, () -> sdk.encrypt(keyId, null, null, null));
        expectError("MissingParameter", 400, () -> sdk.decrypt(null, null, null));
        expectError("MissingParameter", 400, () -> sdk.generateDataKey(null, null, null, null, null));
        expectError("MissingParameter", 400, () -> sdk.generateDataKeyWithoutPlaintext(null, null, null, null, null));
        expectError("MissingParameter", 400, () -> sdk.reEncrypt(null, null, keyId, null, null));
        expectError("MissingParameter", 400, () -> sdk.reEncrypt(blob, null, null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void unknownKeysAndAliasesAreNotFound(KmsApi sdk) {
        String keyId = sdk.newKey();
        String blob = sdk.encrypt(keyId, "aGVsbG8=").ciphertextBlob();
        String alias = uniqueAlias();
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.encrypt(UNKNOWN_KEY, "aGVsbG8="));
        expectError("Forbidden.AliasNotFound", 404, () -> sdk.encrypt(alias, "aGVsbG8="));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.generateDataKey(UNKNOWN_KEY, null, null, null, null));
        expectError("Forbidden.AliasNotFound", 404, () -> sdk.generateDataKey(alias, null, null, null, null));
        expectError(
                "Forbidden.KeyNotFound",
                404,
                () -> sdk.generateDataKeyWithoutPlaintext(UNKNOWN_KEY, null, null, null, null));
        expectError(
                "Forbidden.AliasNotFound",
                404,
                () -> sdk.generateDataKeyWithoutPlaintext(alias, null, null, null, null));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.reEncrypt(blob, null, UNKNOWN_KEY, null, null));
        expectError("Forbidden.AliasNotFound", 404, () -> sdk.reEncrypt(blob, null, alias, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void disabledKeysRefuseEveryCryptographicOperation(KmsApi sdk) {
        String keyId = sdk.newKey();
        String other = sdk.newKey();
        String blob = sdk.encrypt(keyId, "aGVsbG8=").ciphertextBlob();
        String otherBlob = sdk.encrypt(other, "aGVsbG8=").ciphertextBlob();
        sdk.disableKey(keyId);
        expectError("Rejected.Disabled", 409, () -> sdk.encrypt(keyId, "aGVsbG8="));
        expectError("Rejected.Disabled", 409, () -> sdk.decrypt(blob));
        expectError("Rejected.Disabled", 409, () -> sdk.generateDataKey(keyId, null, null, null, null));
        expectError("Rejected.Disabled", 409, () -> sdk.generateDataKeyWithoutPlaintext(keyId, null, null, null, null));
        expectError("Rejected.Disabled", 409, () -> sdk.reEncrypt(blob, null, other, null, null));
        expectError("Rejected.Disabled", 409, () -> sdk.reEncrypt(otherBlob, null, keyId, null, null));
        sdk.enableKey(keyId);
        assertThat(sdk.decrypt(blob).plaintext()).isEqualTo("aGVsbG8=");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void keysPendingDeletionRefuseEveryCryptographicOperation(KmsApi sdk) {
        String keyId = sdk.newKey();
        String other = sdk.newKey();
        String blob = sdk.encrypt(keyId, "aGVsbG8=").ciphertextBlob();
        String otherBlob = sdk.encrypt(other, "aGVsbG8=").ciphertextBlob();
        sdk.scheduleKeyDeletion(keyId, 7);
        expectError("Rejected.PendingDeletion", 409, () -> sdk.encrypt(keyId, "aGVsbG8="));
        expectError("Rejected.PendingDeletion", 409, () -> sdk.decrypt(blob));
        expectError("Rejected.PendingDeletion", 409, () -> sdk.generateDataKey(keyId, null, null, null, null));
        expectError(
                "Rejected.PendingDeletion",
                409,
                () -> sdk.generateDataKeyWithoutPlaintext(keyId, null, null, null, null));
        expectError("Rejected.PendingDeletion", 409, () -> sdk.reEncrypt(blob, null, other, null, null));
        expectError("Rejected.PendingDeletion", 409, () -> sdk.reEncrypt(otherBlob, null, keyId, null, null));
        sdk.cancelKeyDeletion(keyId);
        assertThat(sdk.decrypt(blob).plaintext()).isEqualTo("aGVsbG8=");
    }

    // ---- DryRun --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void dryRunChecksButNeverPerforms(KmsApi sdk) {
        String keyId = sdk.newKey();
        String other = sdk.newKey();
        Map<String, String> context = ctx("purpose", "dry-run");
        String blob = sdk.encrypt(keyId, "aGVsbG8=", context).ciphertextBlob();

        expectError("DryRunOperationError", 400, () -> sdk.encrypt(keyId, "aGVsbG8=", context, "true"));
        expectError("DryRunOperationError", 400, () -> sdk.decrypt(blob, context, "true"));
        expectError("DryRunOperationError", 400, () -> sdk.generateDataKey(keyId, null, 32, context, "true"));
        expectError(
                "DryRunOperationError",
                400,
                () -> sdk.generateDataKeyWithoutPlaintext(keyId, null, 32, context, "true"));
        expectError("DryRunOperationError", 400, () -> sdk.reEncrypt(blob, context, other, null, "true"));

        // DryRun=false is an ordinary call.
        assertThat(sdk.encrypt(keyId, "aGVsbG8=", context, "false").keyId()).isEqualTo(keyId);
        assertThat(sdk.decrypt(blob, context, "false").plaintext()).isEqualTo("aGVsbG8=");
    }

    /**
     * The V2 SDK's DryRun documentation (github.com/aliyun/alibabacloud-java-sdk, kms-20160120): with DryRun=true the
     * answer is always an error — DryRunOperationError when the call would succeed, ValidationError when a parameter is
     * bad, AccessDeniedError when not authorised.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void dryRunReportsBadParametersAsValidationError(KmsApi sdk) {
        String keyId = sdk.newKey();
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put(
                "Encrypt 6145-byte Plaintext", () -> sdk.encrypt(keyId, b64(randomBytes(6 * 1024 + 1)), null, "true"));
        calls.put("Encrypt non-Base64 Plaintext", () -> sdk.encrypt(keyId, "not base64!", null, "true"));
        calls.put("GenerateDataKey NumberOfBytes=0", () -> sdk.generateDataKey(keyId, null, 0, null, "true"));
        calls.put("GenerateDataKey NumberOfBytes=1025", () -> sdk.generateDataKey(keyId, null, 1025, null, "true"));
        calls.put(
                "GenerateDataKeyWithoutPlaintext KeySpec=AES_512",
                () -> sdk.generateDataKeyWithoutPlaintext(keyId, "AES_512", null, null, "true"));
        calls.put("Decrypt non-Base64 CiphertextBlob", () -> sdk.decrypt("not base64!", null, "true"));
        Map<String, String> expected = new LinkedHashMap<>();
        calls.keySet().forEach(k -> expected.put(k, "400 ValidationError"));
        assertThat(outcomes(calls)).as(sdk.name()).isEqualTo(expected);
    }

    /** A dry run must never claim "would have succeeded" for a call that fails when run for real. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void dryRunDoesNotApproveCiphertextsThatWouldFailToDecrypt(KmsApi sdk) {
        String keyId = sdk.newKey();
        String other = sdk.newKey();
        Map<String, String> context = ctx("purpose", "dry-run");
        String blob = sdk.encrypt(keyId, "aGVsbG8=", context).ciphertextBlob();
        byte[] tampered = unb64(blob);
        tampered[tampered.length - 1] ^= 1;

        // For real, these fail with InvalidParameter ...
        expectError("InvalidParameter", 400, () -> sdk.decrypt(blob, ctx("purpose", "other")));
        expectError("InvalidParameter", 400, () -> sdk.decrypt(b64(tampered), context));
        expectError("InvalidParameter", 400, () -> sdk.reEncrypt(blob, ctx("purpose", "other"), other, null, null));
        // ... so their dry runs must not answer DryRunOperationError ("Request would have succeeded").
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("Decrypt DryRun, wrong EncryptionContext", () -> sdk.decrypt(blob, ctx("purpose", "other"), "true"));
        calls.put("Decrypt DryRun, tampered CiphertextBlob", () -> sdk.decrypt(b64(tampered), context, "true"));
        calls.put(
                "ReEncrypt DryRun, wrong SourceEncryptionContext",
                () -> sdk.reEncrypt(blob, ctx("purpose", "other"), other, null, "true"));
        assertThat(outcomes(calls))
                .allSatisfy((call, outcome) -> assertThat(outcome)
                        .as(sdk.name() + ": " + call)
                        .startsWith("400 ")
                        .isNotEqualTo("400 DryRunOperationError"));
    }

    /** Outcome of each call, in order (see {@link Conformance#outcome}). */
    private static Map<String, String> outcomes(Map<String, ThrowingCallable> calls) {
        Map<String, String> out = new LinkedHashMap<>();
        calls.forEach((name, call) -> out.put(name, Conformance.outcome(call)));
        return out;
    }

    // ---- GenerateDataKey / GenerateDataKeyWithoutPlaintext -------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void generateDataKeyReturnsPlaintextOfTheRequestedLengthAndItsWrappedCopy(KmsApi sdk) {
        KeyMeta key = sdk.createKey(new CreateKey());
        Map<String, String> context = ctx("file", "report.pdf");
        record Case(String keySpec, Integer numberOfBytes, int expected) {}
        for (Case c : List.of(
                new Case(null, null, 32),
                new Case("AES_256", null, 32),
                new Case("AES_128", null, 16),
                new Case(null, 1, 1),
                new Case(null, 1024, 1024),
                new Case("AES_128", 64, 64))) {
            DataKey dk = sdk.generateDataKey(key.keyId(), c.keySpec(), c.numberOfBytes(), context, null);
            byte[] plaintext = unb64(dk.plaintext());
            assertThat(plaintext).as("%s", c).hasSize(c.expected());
            assertThat(dk.keyId()).isEqualTo(key.keyId());
            assertThat(dk.keyVersionId()).isEqualTo(key.primaryKeyVersion());
            Decrypted d = sdk.decrypt(dk.ciphertextBlob(), context);
            assertThat(unb64(d.plaintext())).isEqualTo(plaintext);
            expectError("InvalidParameter", 400, () -> sdk.decrypt(dk.ciphertextBlob()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void generateDataKeyWithoutPlaintextReturnsOnlyTheWrappedKey(KmsApi sdk) {
        KeyMeta key = sdk.createKey(new CreateKey());
        for (int n : new int[] {1, 16, 32, 1024}) {
            DataKey dk = sdk.generateDataKeyWithoutPlaintext(key.keyId(), null, n, null, null);
            assertThat(dk.keyId()).isEqualTo(key.keyId());
            assertThat(dk.keyVersionId()).isEqualTo(key.primaryKeyVersion());
            assertThat(unb64(sdk.decrypt(dk.ciphertextBlob()).plaintext())).hasSize(n);
        }
        DataKey bySpec = sdk.generateDataKeyWithoutPlaintext(key.keyId(), "AES_128", null, ctx("a", "b"), null);
        assertThat(unb64(sdk.decrypt(bySpec.ciphertextBlob(), ctx("a", "b")).plaintext()))
                .hasSize(16);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void dataKeyLengthOutOfRangeIsInvalid(KmsApi sdk) {
        String keyId = sdk.newKey();
        expectError("InvalidParameter", 400, () -> sdk.generateDataKey(keyId, null, 0, null, null));
        expectError("InvalidParameter", 400, () -> sdk.generateDataKey(keyId, null, 1025, null, null));
        expectError("InvalidParameter", 400, () -> sdk.generateDataKey(keyId, "AES_512", null, null, null));
        expectError("InvalidParameter", 400, () -> sdk.generateDataKeyWithoutPlaintext(keyId, null, 0, null, null));
        expectError("InvalidParameter", 400, () -> sdk.generateDataKeyWithoutPlaintext(keyId, null, 1025, null, null));
        expectError(
                "InvalidParameter", 400, () -> sdk.generateDataKeyWithoutPlaintext(keyId, "AES_512", null, null, null));
    }

    // ---- ReEncrypt -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void reEncryptMovesACiphertextToAnotherKeyAndContext(KmsApi sdk) {
        String source = sdk.newKey();
        KeyMeta destination = sdk.createKey(new CreateKey().keySpec("Aliyun_SM4"));
        String plaintext = b64(randomBytes(48));
        Map<String, String> sourceContext = ctx("stage", "old");
        Map<String, String> destinationContext = ctx("stage", "new", "owner", "ops");
        String blob = sdk.encrypt(source, plaintext, sourceContext).ciphertextBlob();

        Encrypted moved = sdk.reEncrypt(blob, sourceContext, destination.keyId(), destinationContext, null);
        // ReEncrypt answers with the destination key and its primary version (the reference page is ambiguous here).
        assertThat(moved.keyId()).isEqualTo(destination.keyId());
        assertThat(moved.keyVersionId()).isEqualTo(destination.primaryKeyVersion());
        Decrypted d = sdk.decrypt(moved.ciphertextBlob(), destinationContext);
        assertThat(d.plaintext()).isEqualTo(plaintext);
        assertThat(d.keyId()).isEqualTo(destination.keyId());
        expectError("InvalidParameter", 400, () -> sdk.decrypt(moved.ciphertextBlob(), sourceContext));

        // Wrong source context, corrupted source.
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.reEncrypt(blob, ctx("stage", "other"), destination.keyId(), null, null));
        expectError("InvalidParameter", 400, () -> sdk.reEncrypt(blob, null, destination.keyId(), null, null));
        byte[] corrupted = unb64(blob);
        corrupted[corrupted.length - 5] ^= 0x10;
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.reEncrypt(b64(corrupted), sourceContext, destination.keyId(), null, null));

        // Destination by alias: the response names the resolved key.
        String alias = uniqueAlias();
        sdk.createAlias(alias, source);
        Encrypted back = sdk.reEncrypt(moved.ciphertextBlob(), destinationContext, alias, null, null);
        assertThat(back.keyId()).isEqualTo(source);
        assertThat(sdk.decrypt(back.ciphertextBlob()).plaintext()).isEqualTo(plaintext);
    }

    // ---- Rotation and key specs ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void oldCiphertextsKeepDecryptingAfterCreateKeyVersion(KmsApi sdk) {
        KeyMeta key = sdk.createKey(new CreateKey());
        String v0 = key.primaryKeyVersion();
        Map<String, String> context = ctx("doc", "1");
        String p0 = b64(randomBytes(20));
        Encrypted e0 = sdk.encrypt(key.keyId(), p0, context);
        DataKey dk0 = sdk.generateDataKey(key.keyId(), null, 32, null, null);
        assertThat(e0.keyVersionId()).isEqualTo(v0);

        String v1 = sdk.createKeyVersion(key.keyId()).keyVersionId();
        String p1 = b64(randomBytes(20));
        Encrypted e1 = sdk.encrypt(key.keyId(), p1, context);
        assertThat(e1.keyVersionId()).isEqualTo(v1);
        assertThat(sdk.generateDataKeyWithoutPlaintext(key.keyId(), null, null, null, null)
                        .keyVersionId())
                .isEqualTo(v1);

        Decrypted d0 = sdk.decrypt(e0.ciphertextBlob(), context);
        assertThat(d0.plaintext()).isEqualTo(p0);
        assertThat(d0.keyVersionId()).isEqualTo(v0);
        assertThat(sdk.decrypt(dk0.ciphertextBlob()).plaintext()).isEqualTo(dk0.plaintext());
        Decrypted d1 = sdk.decrypt(e1.ciphertextBlob(), context);
        assertThat(d1.plaintext()).isEqualTo(p1);
        assertThat(d1.keyVersionId()).isEqualTo(v1);

        // ReEncrypt onto the same key upgrades an old ciphertext to the primary version.
        Encrypted upgraded = sdk.reEncrypt(e0.ciphertextBlob(), context, key.keyId(), context, null);
        assertThat(upgraded.keyVersionId()).isEqualTo(v1);
        assertThat(sdk.decrypt(upgraded.ciphertextBlob(), context).plaintext()).isEqualTo(p0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void sm4AndAes128KeysRoundTrip(KmsApi sdk) {
        for (String spec : List.of("Aliyun_SM4", "Aliyun_AES_128")) {
            KeyMeta key = sdk.createKey(new CreateKey().keySpec(spec));
            Map<String, String> context = ctx("spec", spec);
            for (int size : new int[] {1, 15, 16, 17, 4096}) {
                byte[] data = randomBytes(size);
                Encrypted e = sdk.encrypt(key.keyId(), b64(data), context);
                assertThat(e.keyId()).isEqualTo(key.keyId());
                assertThat(unb64(sdk.decrypt(e.ciphertextBlob(), context).plaintext()))
                        .as("%s %s bytes", spec, size)
                        .isEqualTo(data);
            }
            DataKey dk = sdk.generateDataKey(key.keyId(), null, null, context, null);
            assertThat(unb64(sdk.decrypt(dk.ciphertextBlob(), context).plaintext()))
                    .isEqualTo(unb64(dk.plaintext()));
            byte[] blob = unb64(sdk.encrypt(key.keyId(), "aGVsbG8=").ciphertextBlob());
            blob[blob.length - 1] ^= 1;
            expectError("InvalidParameter", 400, () -> sdk.decrypt(b64(blob)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void largestLegalRequestFitsAndOversizeContextIsInvalid(KmsApi sdk) {
        String keyId = sdk.newKey();
        // 6 KiB of plaintext (8 KiB of Base64) and an EncryptionContext of about 8000 characters, all in the query
        // string.
        Map<String, String> big = new LinkedHashMap<>();
        for (int i = 0; big.toString().length() < 7600; i++) {
            big.put("attribute-" + i, "value+/=" + "x".repeat(40) + i);
        }
        assertThat(V1Api.json(big).length()).isLessThanOrEqualTo(8192);
        byte[] max = randomBytes(6 * 1024);
        String blob = sdk.encrypt(keyId, b64(max), big).ciphertextBlob();
        assertThat(unb64(sdk.decrypt(blob, big).plaintext())).isEqualTo(max);

        Map<String, String> tooBig = ctx("k", "v".repeat(8200));
        expectError("InvalidParameter", 400, () -> sdk.encrypt(keyId, "aGVsbG8=", tooBig));
    }

    @Test
    void concurrentCallsFromBothSdksAllSucceed() throws Exception {
        List<KmsApi> sdks = server.matrix();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                KmsApi sdk = sdks.get(t % sdks.size());
                results.add(pool.submit(() -> {
                    String keyId = sdk.newKey();
                    String alias = uniqueAlias();
                    sdk.createAlias(alias, keyId);
                    sdk.tagResource(
                            keyId,
                            "[{\"TagKey\":\"worker\",\"TagValue\":\""
                                    + sdk.name().replace(' ', '-') + "\"}]");
                    for (int i = 0; i < 5; i++) {
                        String p = b64(randomBytes(64));
                        Map<String, String> c = ctx("i", Integer.toString(i));
                        String blob = sdk.encrypt(alias, p, c).ciphertextBlob();
                        assertThat(sdk.decrypt(blob, c).plaintext()).isEqualTo(p);
                    }
                    String v1 = sdk.createKeyVersion(keyId).keyVersionId();
                    DataKey dk = sdk.generateDataKey(keyId, null, 32, null, null);
                    assertThat(dk.keyVersionId()).isEqualTo(v1);
                    assertThat(sdk.decrypt(dk.ciphertextBlob()).plaintext()).isEqualTo(dk.plaintext());
                    assertThat(sdk.listKeyVersions(keyId, null, null).totalCount())
                            .isEqualTo(2);
                    return keyId;
                }));
            }
            Set<String> keys = new HashSet<>();
            for (Future<String> f : results) {
                keys.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(keys).hasSize(20);
        } finally {
            pool.shutdownNow();
        }
    }

    /** V1 with {@code Format=XML}: Encrypt/Decrypt/GenerateDataKey answers parse, XML-special characters survive. */
    @Test
    void v1XmlResponsesParse() {
        V1Api v1 = server.v1();
        String keyId = v1.newKey();
        String context = "{\"a\":\"<&>\\\"'\"}";
        EncryptRequest enc = new EncryptRequest();
        enc.setKeyId(keyId);
        enc.setPlaintext("PCY+Ig==");
        enc.setEncryptionContext(context);
        enc.setSysAcceptFormat(FormatType.XML);
        var e = v1.call(enc);
        assertThat(e.getKeyId()).isEqualTo(keyId);
        DecryptRequest dec = new DecryptRequest();
        dec.setCiphertextBlob(e.getCiphertextBlob());
        dec.setEncryptionContext(context);
        dec.setSysAcceptFormat(FormatType.XML);
        assertThat(v1.call(dec).getPlaintext()).isEqualTo("PCY+Ig==");
        GenerateDataKeyRequest gdk = new GenerateDataKeyRequest();
        gdk.setKeyId(keyId);
        gdk.setNumberOfBytes(24);
        gdk.setSysAcceptFormat(FormatType.XML);
        assertThat(unb64(v1.call(gdk).getPlaintext())).hasSize(24);
        DecryptRequest wrong = new DecryptRequest();
        wrong.setCiphertextBlob(e.getCiphertextBlob());
        wrong.setSysAcceptFormat(FormatType.XML);
        expectError("InvalidParameter", 400, () -> v1.call(wrong));
    }

    /**
     * The Node SDK 1.x flattens maps: {@code EncryptionContext.<k>=<v>} (observed on the wire: @alicloud/kms20160120
     * 1.x on @alicloud/rpc-client). Same context.
     */
    @Test
    void flattenedEncryptionContextEqualsTheJsonForm() {
        String keyId = server.v2().newKey();
        Map<String, String> params = RawRpc.params("Encrypt");
        params.put("KeyId", keyId);
        params.put("Plaintext", "aGVsbG8=");
        params.put("EncryptionContext.purpose", "demo");
        params.put("EncryptionContext.k e*y~", "v+/=é");
        HttpResponse<String> r = new RawRpc(server.httpPort()).post(RawRpc.signedQuery(params));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String blob = RawRpc.json(r).path("CiphertextBlob").asText();
        for (KmsApi sdk : server.matrix()) {
            assertThat(sdk.decrypt(blob, ctx("k e*y~", "v+/=é", "purpose", "demo"))
                            .plaintext())
                    .isEqualTo("aGVsbG8=");
        }
    }
}
