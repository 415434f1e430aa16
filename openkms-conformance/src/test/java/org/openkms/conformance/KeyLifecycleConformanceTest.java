package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;
import static org.openkms.conformance.Conformance.ISO_SECONDS;
import static org.openkms.conformance.Conformance.UNKNOWN_KEY;
import static org.openkms.conformance.Conformance.UUID_36;
import static org.openkms.conformance.Conformance.aliasArn;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.blank;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.expectErrorStatus;
import static org.openkms.conformance.Conformance.instant;
import static org.openkms.conformance.Conformance.keyArn;
import static org.openkms.conformance.Conformance.randomBytes;
import static org.openkms.conformance.Conformance.unique;
import static org.openkms.conformance.Conformance.uniqueAlias;

import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.HttpResponse;
import com.aliyuncs.kms.model.v20160120.DescribeKeyRequest;
import com.aliyuncs.kms.model.v20160120.DescribeKeyResponse;
import com.aliyuncs.kms.model.v20160120.ListAliasesByKeyIdRequest;
import com.aliyuncs.kms.model.v20160120.ListAliasesByKeyIdResponse;
import com.aliyuncs.kms.model.v20160120.ListKeysRequest;
import com.aliyuncs.kms.model.v20160120.ListKeysResponse;
import com.aliyuncs.kms.model.v20160120.UpdateKeyDescriptionRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.conformance.KmsApi.CreateKey;
import org.openkms.conformance.KmsApi.KeyMeta;
import org.openkms.conformance.KmsApi.KeyRef;
import org.openkms.conformance.KmsApi.KeyVersion;
import org.openkms.conformance.KmsApi.Page;

/**
 * Key lifecycle
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createkey and
 * siblings; key states:
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/impact-of-cmk-status-on-api-operations):
 * CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, EnableKey, DisableKey, ScheduleKeyDeletion,
 * CancelKeyDeletion, SetDeletionProtection, UpdateRotationPolicy, CreateKeyVersion, DescribeKeyVersion, ListKeyVersions
 * — every test runs once per SDK configuration.
 */
@ExtendWith(SharedServer.class)
class KeyLifecycleConformanceTest {
    private static final String SDKS = "org.openkms.conformance.SharedServer#sdks";

    private final ConformanceServer server;

    KeyLifecycleConformanceTest(ConformanceServer server) {
        this.server = server;
    }

    // ---- CreateKey -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void createKeyReturnsFullMetadataForEverySymmetricSpec(KmsApi sdk) {
        for (String spec : List.of("Aliyun_AES_256", "Aliyun_AES_128", "Aliyun_SM4")) {
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            KeyMeta m = sdk.createKey(new CreateKey().keySpec(spec).description("conformance " + spec));
            Instant after = Instant.now();

            assertThat(m.keyId()).as(spec).isNotBlank();
            assertThat(m.arn()).isEqualTo(keyArn(m.keyId()));
            assertThat(m.keySpec()).isEqualTo(spec);
            assertThat(m.keyUsage()).isEqualTo("ENCRYPT/DECRYPT");
            assertThat(m.keyState()).isEqualTo("Enabled");
            assertThat(m.origin()).isEqualTo("Aliyun_KMS");
            assertThat(m.protectionLevel()).isEqualTo("SOFTWARE");
            assertThat(m.description()).isEqualTo("conformance " + spec);
            assertThat(m.creator()).as("Creator is the account UID").isEqualTo(ConformanceServer.ACCOUNT_ID);
            assertThat(instant(m.creationDate())).isBetween(before, after);
            assertThat(m.primaryKeyVersion()).matches(UUID_36);
            assertThat(m.lastRotationDate()).isEqualTo(m.creationDate());
            assertThat(m.automaticRotation()).isEqualTo("Disabled");
            assertThat(blank(m.deleteDate())).as("DeleteDate of a new key").isTrue();

            KeyMeta d = sdk.describeKey(m.keyId());
            assertThat(d.keyId()).isEqualTo(m.keyId());
            assertThat(d.arn()).isEqualTo(m.arn());
            assertThat(d.keySpec()).isEqualTo(spec);
            assertThat(d.keyUsage()).isEqualTo("ENCRYPT/DECRYPT");
            assertThat(d.keyState()).isEqualTo("Enabled");
            assertThat(d.origin()).isEqualTo("Aliyun_KMS");
            assertThat(d.protectionLevel()).isEqualTo("SOFTWARE");
            assertThat(d.creationDate()).isEqualTo(m.creationDate());
            assertThat(d.creator()).isEqualTo(m.creator());
            assertThat(d.primaryKeyVersion()).isEqualTo(m.primaryKeyVersion());
            assertThat(d.lastRotationDate()).isEqualTo(m.lastRotationDate());
            assertThat(d.automaticRotation()).isEqualTo("Disabled");
            assertThat(d.deletionProtection()).isEqualTo("Disabled");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void createKeyWithoutParametersMakesAnAes256EncryptionKey(KmsApi sdk) {
        KeyMeta m = sdk.createKey(new CreateKey());
        assertThat(m.keySpec()).isEqualTo("Aliyun_AES_256");
        assertThat(m.keyUsage()).isEqualTo("ENCRYPT/DECRYPT");
        assertThat(m.keyState()).isEqualTo("Enabled");
        assertThat(m.origin()).isEqualTo("Aliyun_KMS");
        assertThat(m.description()).isNullOrEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void createKeyWithAutomaticRotationReportsIntervalInSecondsAndNextRotationDate(KmsApi sdk) {
        KeyMeta days = sdk.createKey(new CreateKey().rotation(true, "30d"));
        assertThat(days.automaticRotation()).isEqualTo("Enabled");
        assertThat(days.rotationInterval()).isEqualTo("2592000s");
        assertThat(instant(days.nextRotationDate()))
                .isEqualTo(instant(days.lastRotationDate()).plus(Duration.ofDays(30)));

        KeyMeta seconds = sdk.createKey(new CreateKey().rotation(true, "604800s"));
        assertThat(seconds.rotationInterval()).isEqualTo("604800s");
        KeyMeta described = sdk.describeKey(seconds.keyId());
        assertThat(described.automaticRotation()).isEqualTo("Enabled");
        assertThat(described.rotationInterval()).isEqualTo("604800s");
        assertThat(instant(described.nextRotationDate()))
                .isEqualTo(instant(described.lastRotationDate()).plus(Duration.ofDays(7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void createKeyWithTagsStoresThem(KmsApi sdk) {
        String tag = unique("team");
        KeyMeta m = sdk.createKey(new CreateKey()
                .tags("[{\"TagKey\":\"" + tag + "\",\"TagValue\":\"payments\"},"
                        + "{\"TagKey\":\"env\",\"TagValue\":\"conformance test\"}]"));
        assertThat(sdk.listResourceTags(m.keyId()))
                .extracting(KmsApi.Tag::keyId, KmsApi.Tag::tagKey, KmsApi.Tag::tagValue)
                .containsExactlyInAnyOrder(
                        tuple(m.keyId(), tag, "payments"), tuple(m.keyId(), "env", "conformance test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void createKeyWithExternalOriginIsPendingImportWithoutMaterial(KmsApi sdk) {
        KeyMeta m = sdk.createKey(new CreateKey().origin("EXTERNAL").description("byok"));
        assertThat(m.keyState()).isEqualTo("PendingImport");
        assertThat(m.origin()).isEqualTo("EXTERNAL");
        assertThat(blank(m.primaryKeyVersion()))
                .as("PrimaryKeyVersion of a key without material")
                .isTrue();

        KeyMeta d = sdk.describeKey(m.keyId());
        assertThat(d.keyState()).isEqualTo("PendingImport");
        assertThat(d.origin()).isEqualTo("EXTERNAL");

        expectError("Rejected.PendingImport", 409, () -> sdk.encrypt(m.keyId(), b64(randomBytes(8))));
        expectError("Rejected.PendingImport", 409, () -> sdk.generateDataKey(m.keyId(), null, null, null, null));
        expectError("Rejected.StateModifiedFailed", 409, () -> sdk.enableKey(m.keyId()));
        expectError("Rejected.StateModifiedFailed", 409, () -> sdk.disableKey(m.keyId()));
        expectError("Rejected.PendingImport", 409, () -> sdk.updateRotationPolicy(m.keyId(), true, "30d"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void createKeyRejectsInvalidParameters(KmsApi sdk) {
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().keySpec("Aliyun_AES_999")));
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().keyUsage("ENCRYPT/NOTHING")));
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().keyUsage("SIGN/VERIFY")));
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().origin("Somewhere")));
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().origin("external"))); // case-sensitive
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().description("d".repeat(8193))));
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().protectionLevel("QUANTUM")));
        expectError("MissingParameter", 400, () -> sdk.createKey(new CreateKey().rotation(true, null)));
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().rotation(true, "1d")));
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().rotation(true, "30x")));
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().tags("not json")));
        expectError("InvalidParameter", 400, () -> sdk.createKey(new CreateKey().tags("{\"TagKey\":\"k\"}")));
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.createKey(new CreateKey().tags("[{\"TagKey\":\"aliyun-reserved\",\"TagValue\":\"v\"}]")));
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.createKey(new CreateKey().tags("[{\"TagKey\":\"acs:reserved\",\"TagValue\":\"v\"}]")));
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 21; i++) {
            tooMany.append(i == 0 ? "" : ",")
                    .append("{\"TagKey\":\"t")
                    .append(i)
                    .append("\",\"TagValue\":\"v\"}");
        }
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.createKey(new CreateKey().tags(tooMany.append(']').toString())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void externalKeyLifecycleFollowsTheStateTable(KmsApi sdk) {
        String keyId = sdk.createKey(new CreateKey().origin("EXTERNAL")).keyId();
        // PendingImport allows description, tag and alias changes
        // (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/impact-of-cmk-status-on-api-operations).
        sdk.updateKeyDescription(keyId, "waiting for material");
        sdk.tagResource(keyId, "[{\"TagKey\":\"byok\",\"TagValue\":\"yes\"}]");
        assertThat(sdk.describeKey(keyId).description()).isEqualTo("waiting for material");
        expectError("Rejected.PendingImport", 409, () -> sdk.createKeyVersion(keyId));
        assertThat(sdk.listKeyVersions(keyId, null, null).totalCount()).isZero();

        // ScheduleKeyDeletion is allowed from PendingImport.
        sdk.scheduleKeyDeletion(keyId, 7);
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("PendingDeletion");
        sdk.cancelKeyDeletion(keyId);
        // Alibaba's page says "back to Enabled"; a key that never had material cannot be Enabled, so it goes back
        // to waiting for its material.
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("PendingImport");
        expectError("Rejected.PendingImport", 409, () -> sdk.encrypt(keyId, "aGVsbG8="));
    }

    // ---- DescribeKey ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void describeKeyAcceptsKeyIdAliasKeyArnAndAliasArn(KmsApi sdk) {
        String keyId = sdk.newKey();
        String alias = uniqueAlias();
        sdk.createAlias(alias, keyId);

        assertThat(sdk.describeKey(keyId).keyId()).isEqualTo(keyId);
        assertThat(sdk.describeKey(alias).keyId()).isEqualTo(keyId);
        assertThat(sdk.describeKey(keyArn(keyId)).keyId()).isEqualTo(keyId);
        assertThat(sdk.describeKey(aliasArn(alias)).keyId()).isEqualTo(keyId);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void describeKeyErrors(KmsApi sdk) {
        expectError("MissingParameter", 400, () -> sdk.describeKey(null));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.describeKey(UNKNOWN_KEY));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.describeKey(keyArn(UNKNOWN_KEY)));
        expectError("Forbidden.AliasNotFound", 404, () -> sdk.describeKey(uniqueAlias()));
        // A key of another account or region does not exist here.
        expectError(
                "Forbidden.KeyNotFound",
                404,
                () -> sdk.describeKey("acs:kms:cn-beijing:1111111111111111:key/" + sdk.newKey()));
    }

    // ---- ListKeys ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void listKeysPagesThroughFilteredKeys(KmsApi sdk) {
        String tag = unique("listkeys");
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(
                    sdk.createKey(new CreateKey().tags("[{\"TagKey\":\"" + tag + "\",\"TagValue\":\"v" + i + "\"}]"))
                            .keyId());
        }
        String filter = "[{\"Key\":\"TagKey\",\"Values\":[\"" + tag + "\"]}]";
        List<KeyRef> seen = new ArrayList<>();
        int[] expectedSizes = {2, 2, 1, 0};
        for (int page = 1; page <= 4; page++) {
            Page<KeyRef> p = sdk.listKeys(page, 2, filter);
            assertThat(p.pageNumber()).isEqualTo(page);
            assertThat(p.pageSize()).isEqualTo(2);
            assertThat(p.totalCount()).isEqualTo(5);
            assertThat(p.items()).hasSize(expectedSizes[page - 1]);
            seen.addAll(p.items());
        }
        assertThat(seen).extracting(KeyRef::keyId).containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen).allSatisfy(k -> assertThat(k.keyArn()).isEqualTo(keyArn(k.keyId())));

        // AND across filter keys, OR within one key's values.
        List<String> ids = new ArrayList<>(created);
        sdk.disableKey(ids.get(0));
        sdk.disableKey(ids.get(1));
        Page<KeyRef> disabled = sdk.listKeys(
                1,
                100,
                "[{\"Key\":\"TagKey\",\"Values\":[\"" + tag + "\"]},"
                        + "{\"Key\":\"KeyState\",\"Values\":[\"Disabled\"]}]");
        assertThat(disabled.items()).extracting(KeyRef::keyId).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
        assertThat(disabled.totalCount()).isEqualTo(2);
        Page<KeyRef> either = sdk.listKeys(
                1,
                100,
                "[{\"Key\":\"TagKey\",\"Values\":[\"" + tag + "\"]},"
                        + "{\"Key\":\"KeyState\",\"Values\":[\"Enabled\",\"Disabled\"]}]");
        assertThat(either.totalCount()).isEqualTo(5);
        Page<KeyRef> bySpecAndValue = sdk.listKeys(
                1,
                100,
                "[{\"Key\":\"TagValue\",\"Values\":[\"v3\"]}," + "{\"Key\":\"TagKey\",\"Values\":[\"" + tag
                        + "\"]},{\"Key\":\"KeySpec\",\"Values\":[\"Aliyun_AES_256\"]}]");
        assertThat(bySpecAndValue.items()).hasSize(1);
        String alias = uniqueAlias();
        sdk.createAlias(alias, ids.get(4));
        assertThat(sdk.listKeys(1, 100, "[{\"Key\":\"AliasName\",\"Values\":[\"" + alias + "\"]}]")
                        .items())
                .extracting(KeyRef::keyId)
                .containsExactly(ids.get(4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void listKeysDefaultsToFirstPageOfTen(KmsApi sdk) {
        sdk.newKey();
        Page<KeyRef> p = sdk.listKeys(null, null, null);
        assertThat(p.pageNumber()).isEqualTo(1);
        assertThat(p.pageSize()).isEqualTo(10);
        assertThat(p.totalCount()).isPositive();
        assertThat(p.items()).hasSizeBetween(1, 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void listKeysRejectsInvalidParameters(KmsApi sdk) {
        expectError("InvalidParameter", 400, () -> sdk.listKeys(1, 10, "not json"));
        expectError("InvalidParameter", 400, () -> sdk.listKeys(1, 10, "[{\"Key\":\"Colour\",\"Values\":[\"red\"]}]"));
        expectError("InvalidParameter", 400, () -> sdk.listKeys(1, 101, null));
        expectError("InvalidParameter", 400, () -> sdk.listKeys(1, 0, null));
        expectError("InvalidParameter", 400, () -> sdk.listKeys(0, 10, null));
    }

    // ---- UpdateKeyDescription ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void updateKeyDescriptionReplacesAndClears(KmsApi sdk) {
        String keyId = sdk.newKey();
        String text = "payments key — déjà vu ✓ 密钥 \"quoted\" & <b>";
        sdk.updateKeyDescription(keyId, text);
        assertThat(sdk.describeKey(keyId).description()).isEqualTo(text);
        // An empty value is sent as "Description=": the V2 SDK in RPC mode leaves it out of the signature.
        sdk.updateKeyDescription(keyId, "");
        assertThat(sdk.describeKey(keyId).description()).isNullOrEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void updateKeyDescriptionErrors(KmsApi sdk) {
        String keyId = sdk.newKey();
        expectError("MissingParameter", 400, () -> sdk.updateKeyDescription(keyId, null));
        expectError("InvalidParameter", 400, () -> sdk.updateKeyDescription(keyId, "d".repeat(8193)));
        sdk.updateKeyDescription(keyId, "d".repeat(8192));
        assertThat(sdk.describeKey(keyId).description()).hasSize(8192);
        expectError("MissingParameter", 400, () -> sdk.updateKeyDescription(null, "x"));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.updateKeyDescription(UNKNOWN_KEY, "x"));
        sdk.scheduleKeyDeletion(keyId, 7);
        expectError("Rejected.PendingDeletion", 409, () -> sdk.updateKeyDescription(keyId, "x"));
        sdk.cancelKeyDeletion(keyId);
        sdk.updateKeyDescription(keyId, "after cancel");
        assertThat(sdk.describeKey(keyId).description()).isEqualTo("after cancel");
    }

    // ---- EnableKey / DisableKey ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void disableAndEnableKey(KmsApi sdk) {
        String keyId = sdk.newKey();
        String plaintext = b64(randomBytes(16));
        String blob = sdk.encrypt(keyId, plaintext).ciphertextBlob();

        sdk.disableKey(keyId);
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("Disabled");
        sdk.disableKey(keyId); // idempotent
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("Disabled");
        expectError("Rejected.Disabled", 409, () -> sdk.encrypt(keyId, plaintext));
        expectError("Rejected.Disabled", 409, () -> sdk.decrypt(blob));

        sdk.enableKey(keyId);
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("Enabled");
        sdk.enableKey(keyId); // idempotent
        assertThat(sdk.decrypt(blob).plaintext()).isEqualTo(plaintext);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void enableAndDisableKeyErrors(KmsApi sdk) {
        expectError("MissingParameter", 400, () -> sdk.enableKey(null));
        expectError("MissingParameter", 400, () -> sdk.disableKey(null));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.enableKey(UNKNOWN_KEY));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.disableKey(UNKNOWN_KEY));
        String keyId = sdk.newKey();
        sdk.scheduleKeyDeletion(keyId, 30);
        expectError("Rejected.StateModifiedFailed", 409, () -> sdk.enableKey(keyId));
        expectError("Rejected.StateModifiedFailed", 409, () -> sdk.disableKey(keyId));
        sdk.cancelKeyDeletion(keyId);
    }

    // ---- ScheduleKeyDeletion / CancelKeyDeletion -----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void scheduleKeyDeletionThenCancel(KmsApi sdk) {
        String keyId = sdk.newKey();
        String plaintext = b64(randomBytes(16));
        String blob = sdk.encrypt(keyId, plaintext).ciphertextBlob();

        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sdk.scheduleKeyDeletion(keyId, 7);
        Instant after = Instant.now().plusSeconds(1);

        KeyMeta pending = sdk.describeKey(keyId);
        assertThat(pending.keyState()).isEqualTo("PendingDeletion");
        assertThat(instant(pending.deleteDate()))
                .isBetween(before.plus(Duration.ofDays(7)), after.plus(Duration.ofDays(7)));

        // The window has not elapsed: the maintenance job must leave the key alone.
        server.runMaintenance();
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("PendingDeletion");

        expectError("Rejected.PendingDeletion", 409, () -> sdk.encrypt(keyId, plaintext));
        expectError("Rejected.PendingDeletion", 409, () -> sdk.decrypt(blob));
        expectError("Rejected.StateModifiedFailed", 409, () -> sdk.scheduleKeyDeletion(keyId, 7));
        assertThat(sdk.listKeys(1, 100, "[{\"Key\":\"KeyId\",\"Values\":[\"" + keyId + "\"]}]")
                        .items())
                .extracting(KeyRef::keyId)
                .containsExactly(keyId);

        sdk.cancelKeyDeletion(keyId);
        KeyMeta restored = sdk.describeKey(keyId);
        assertThat(restored.keyState()).isEqualTo("Enabled");
        assertThat(blank(restored.deleteDate()))
                .as("DeleteDate after CancelKeyDeletion")
                .isTrue();
        assertThat(sdk.decrypt(blob).plaintext()).isEqualTo(plaintext);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void cancelKeyDeletionOfADisabledKeyReturnsItToEnabled(KmsApi sdk) {
        String keyId = sdk.newKey();
        sdk.disableKey(keyId);
        sdk.scheduleKeyDeletion(keyId, 366);
        KeyMeta pending = sdk.describeKey(keyId);
        assertThat(pending.keyState()).isEqualTo("PendingDeletion");
        assertThat(Duration.between(Instant.now(), instant(pending.deleteDate()))
                        .toDays())
                .isBetween(365L, 366L);
        sdk.cancelKeyDeletion(keyId);
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("Enabled");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void scheduleAndCancelKeyDeletionErrors(KmsApi sdk) {
        String keyId = sdk.newKey();
        expectError("InvalidParameter", 400, () -> sdk.scheduleKeyDeletion(keyId, 6));
        expectError("InvalidParameter", 400, () -> sdk.scheduleKeyDeletion(keyId, 367));
        expectError("MissingParameter", 400, () -> sdk.scheduleKeyDeletion(keyId, null));
        expectError("MissingParameter", 400, () -> sdk.scheduleKeyDeletion(null, 7));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.scheduleKeyDeletion(UNKNOWN_KEY, 7));
        expectError("Rejected.StateModifiedFailed", 409, () -> sdk.cancelKeyDeletion(keyId));
        expectError("MissingParameter", 400, () -> sdk.cancelKeyDeletion(null));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.cancelKeyDeletion(UNKNOWN_KEY));
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("Enabled");
    }

    // ---- SetDeletionProtection -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void deletionProtectionBlocksScheduleKeyDeletion(KmsApi sdk) {
        String keyId = sdk.newKey();
        sdk.setDeletionProtection(keyArn(keyId), true, "production key");
        KeyMeta protectedKey = sdk.describeKey(keyId);
        assertThat(protectedKey.deletionProtection()).isEqualTo("Enabled");
        assertThat(protectedKey.deletionProtectionDescription()).isEqualTo("production key");

        // The refusal code is undocumented
        // (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-setdeletionprotection);
        // this server answers 409 Rejected.*.
        ApiException refused = expectErrorStatus(409, () -> sdk.scheduleKeyDeletion(keyId, 7));
        assertThat(refused.code()).startsWith("Rejected.");
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("Enabled");

        sdk.setDeletionProtection(keyArn(keyId), false, null);
        assertThat(sdk.describeKey(keyId).deletionProtection()).isEqualTo("Disabled");
        sdk.scheduleKeyDeletion(keyId, 7);
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("PendingDeletion");
        // Protection cannot be switched on for a key that is already pending deletion.
        expectErrorStatus(409, () -> sdk.setDeletionProtection(keyArn(keyId), true, "too late"));
        sdk.cancelKeyDeletion(keyId);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void setDeletionProtectionErrors(KmsApi sdk) {
        String keyId = sdk.newKey();
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.setDeletionProtection(keyArn(UNKNOWN_KEY), true, null));
        expectError("MissingParameter", 400, () -> sdk.setDeletionProtection(keyArn(keyId), null, null));
        expectError("MissingParameter", 400, () -> sdk.setDeletionProtection(null, true, null));
    }

    // ---- UpdateRotationPolicy ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void updateRotationPolicyEnablesChangesAndDisablesRotation(KmsApi sdk) {
        String keyId = sdk.newKey();
        sdk.updateRotationPolicy(keyId, true, "30d");
        KeyMeta on = sdk.describeKey(keyId);
        assertThat(on.automaticRotation()).isEqualTo("Enabled");
        assertThat(on.rotationInterval()).isEqualTo("2592000s");
        assertThat(instant(on.nextRotationDate()))
                .isEqualTo(instant(on.lastRotationDate()).plus(Duration.ofDays(30)));

        sdk.updateRotationPolicy(keyId, true, "730d");
        assertThat(sdk.describeKey(keyId).rotationInterval()).isEqualTo("63072000s");
        sdk.updateRotationPolicy(keyId, true, "168h");
        assertThat(sdk.describeKey(keyId).rotationInterval()).isEqualTo("604800s");
        sdk.updateRotationPolicy(keyId, true, "604800s");
        KeyMeta changed = sdk.describeKey(keyId);
        assertThat(changed.rotationInterval()).isEqualTo("604800s");
        assertThat(instant(changed.nextRotationDate()))
                .isEqualTo(instant(changed.lastRotationDate()).plus(Duration.ofDays(7)));
        // Nothing is due: maintenance must not rotate.
        server.runMaintenance();
        assertThat(sdk.describeKey(keyId).primaryKeyVersion()).isEqualTo(on.primaryKeyVersion());

        // Rotation is Suspended while the key is not Enabled.
        sdk.disableKey(keyId);
        assertThat(sdk.describeKey(keyId).automaticRotation()).isEqualTo("Suspended");
        sdk.enableKey(keyId);
        assertThat(sdk.describeKey(keyId).automaticRotation()).isEqualTo("Enabled");
        sdk.scheduleKeyDeletion(keyId, 7);
        assertThat(sdk.describeKey(keyId).automaticRotation()).isEqualTo("Suspended");
        sdk.cancelKeyDeletion(keyId);
        assertThat(sdk.describeKey(keyId).automaticRotation()).isEqualTo("Enabled");

        sdk.updateRotationPolicy(keyId, false, null);
        KeyMeta off = sdk.describeKey(keyId);
        assertThat(off.automaticRotation()).isEqualTo("Disabled");
        assertThat(blank(off.rotationInterval()))
                .as("RotationInterval with rotation off")
                .isTrue();
        assertThat(blank(off.nextRotationDate()))
                .as("NextRotationDate with rotation off")
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void updateRotationPolicyErrors(KmsApi sdk) {
        String keyId = sdk.newKey();
        expectError("MissingParameter", 400, () -> sdk.updateRotationPolicy(keyId, true, null));
        expectError("MissingParameter", 400, () -> sdk.updateRotationPolicy(keyId, null, "30d"));
        expectError("MissingParameter", 400, () -> sdk.updateRotationPolicy(null, true, "30d"));
        expectError("InvalidParameter", 400, () -> sdk.updateRotationPolicy(keyId, true, "1d"));
        expectError("InvalidParameter", 400, () -> sdk.updateRotationPolicy(keyId, true, "731d"));
        expectError("InvalidParameter", 400, () -> sdk.updateRotationPolicy(keyId, true, "often"));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.updateRotationPolicy(UNKNOWN_KEY, true, "30d"));
        sdk.disableKey(keyId);
        expectError("Rejected.Disabled", 409, () -> sdk.updateRotationPolicy(keyId, true, "30d"));
        sdk.enableKey(keyId);
        sdk.scheduleKeyDeletion(keyId, 7);
        expectError("Rejected.PendingDeletion", 409, () -> sdk.updateRotationPolicy(keyId, true, "30d"));
        sdk.cancelKeyDeletion(keyId);
        assertThat(sdk.describeKey(keyId).automaticRotation()).isEqualTo("Disabled");
    }

    // ---- CreateKeyVersion / DescribeKeyVersion / ListKeyVersions -------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void keyVersionsAreCreatedDescribedAndListed(KmsApi sdk) {
        KeyMeta key = sdk.createKey(new CreateKey());
        String keyId = key.keyId();
        String v0 = key.primaryKeyVersion();

        KeyVersion v1 = sdk.createKeyVersion(keyId);
        assertThat(v1.keyId()).isEqualTo(keyId);
        assertThat(v1.keyVersionId()).matches(UUID_36).isNotEqualTo(v0);
        assertThat(v1.creationDate()).matches(ISO_SECONDS);
        KeyMeta afterRotation = sdk.describeKey(keyId);
        assertThat(afterRotation.primaryKeyVersion()).isEqualTo(v1.keyVersionId());
        assertThat(afterRotation.lastRotationDate()).isEqualTo(v1.creationDate());
        assertThat(afterRotation.creationDate()).isEqualTo(key.creationDate());

        KeyVersion v2 = sdk.createKeyVersion(keyId);
        assertThat(sdk.describeKey(keyId).primaryKeyVersion()).isEqualTo(v2.keyVersionId());

        // With automatic rotation on, the schedule restarts from the newest version.
        sdk.updateRotationPolicy(keyId, true, "30d");
        KeyMeta scheduled = sdk.describeKey(keyId);
        assertThat(scheduled.lastRotationDate()).isEqualTo(v2.creationDate());
        assertThat(instant(scheduled.nextRotationDate()))
                .isEqualTo(instant(v2.creationDate()).plus(Duration.ofDays(30)));
        sdk.updateRotationPolicy(keyId, false, null);

        KeyVersion first = sdk.describeKeyVersion(keyId, v0);
        assertThat(first.keyId()).isEqualTo(keyId);
        assertThat(first.keyVersionId()).isEqualTo(v0);
        assertThat(first.creationDate()).isEqualTo(key.creationDate());
        String alias = uniqueAlias();
        sdk.createAlias(alias, keyId);
        assertThat(sdk.describeKeyVersion(alias, v1.keyVersionId())).isEqualTo(v1);

        Page<KeyVersion> all = sdk.listKeyVersions(keyId, null, null);
        assertThat(all.totalCount()).isEqualTo(3);
        assertThat(all.pageNumber()).isEqualTo(1);
        assertThat(all.pageSize()).isEqualTo(10);
        assertThat(all.items())
                .extracting(KeyVersion::keyVersionId)
                .containsExactlyInAnyOrder(v0, v1.keyVersionId(), v2.keyVersionId());
        assertThat(all.items()).allSatisfy(v -> {
            assertThat(v.keyId()).isEqualTo(keyId);
            assertThat(v.creationDate()).matches(ISO_SECONDS);
        });

        Page<KeyVersion> p1 = sdk.listKeyVersions(keyId, 1, 2);
        Page<KeyVersion> p2 = sdk.listKeyVersions(alias, 2, 2);
        assertThat(p1.items()).hasSize(2);
        assertThat(p2.items()).hasSize(1);
        assertThat(p1.totalCount()).isEqualTo(3);
        assertThat(p2.totalCount()).isEqualTo(3);
        assertThat(p2.pageNumber()).isEqualTo(2);
        List<String> paged = new ArrayList<>();
        p1.items().forEach(v -> paged.add(v.keyVersionId()));
        p2.items().forEach(v -> paged.add(v.keyVersionId()));
        assertThat(paged).containsExactlyInAnyOrder(v0, v1.keyVersionId(), v2.keyVersionId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void keyVersionErrors(KmsApi sdk) {
        String keyId = sdk.newKey();
        String otherVersion = sdk.createKey(new CreateKey()).primaryKeyVersion();
        expectError(
                "Forbidden.KeyVersionNotFound",
                404,
                () -> sdk.describeKeyVersion(keyId, "00000000-0000-0000-0000-000000000000"));
        expectError("Forbidden.KeyVersionNotFound", 404, () -> sdk.describeKeyVersion(keyId, otherVersion));
        expectError("MissingParameter", 400, () -> sdk.describeKeyVersion(keyId, null));
        expectError("MissingParameter", 400, () -> sdk.describeKeyVersion(null, otherVersion));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.describeKeyVersion(UNKNOWN_KEY, otherVersion));
        expectError("Forbidden.AliasNotFound", 404, () -> sdk.describeKeyVersion(uniqueAlias(), otherVersion));
        expectError("MissingParameter", 400, () -> sdk.createKeyVersion(null));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.createKeyVersion(UNKNOWN_KEY));
        expectError("MissingParameter", 400, () -> sdk.listKeyVersions(null, null, null));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.listKeyVersions(UNKNOWN_KEY, null, null));
        expectError("Forbidden.AliasNotFound", 404, () -> sdk.listKeyVersions(uniqueAlias(), null, null));

        sdk.disableKey(keyId);
        expectError("Rejected.Disabled", 409, () -> sdk.createKeyVersion(keyId));
        sdk.enableKey(keyId);
        sdk.scheduleKeyDeletion(keyId, 7);
        expectError("Rejected.PendingDeletion", 409, () -> sdk.createKeyVersion(keyId));
        // Reading versions works in every state.
        assertThat(sdk.listKeyVersions(keyId, null, null).totalCount()).isEqualTo(1);
        sdk.cancelKeyDeletion(keyId);
        assertThat(sdk.listKeyVersions(keyId, null, null).totalCount()).isEqualTo(1);
    }

    /**
     * The V1 SDK can ask for XML ({@code Format=XML}, https://www.alibabacloud.com/help/doc-detail/69008.html); it
     * parses by Content-Type.
     */
    @Test
    void v1XmlResponsesParse() {
        V1Api v1 = server.v1();
        String keyId = v1.newKey();
        String alias = uniqueAlias();
        v1.createAlias(alias, keyId);

        UpdateKeyDescriptionRequest update = new UpdateKeyDescriptionRequest();
        update.setKeyId(keyId);
        update.setDescription("xml <escaping> & \"quotes\" é");
        update.setSysAcceptFormat(FormatType.XML);
        v1.call(update);

        DescribeKeyRequest describe = new DescribeKeyRequest();
        describe.setKeyId(alias);
        describe.setSysAcceptFormat(FormatType.XML);
        HttpResponse raw = v1.raw(describe);
        assertThat(raw.getStatus()).isEqualTo(200);
        assertThat(raw.getHeaderValue("Content-Type")).startsWith("text/xml");
        DescribeKeyResponse d = v1.call(describe);
        assertThat(d.getRequestId()).isNotBlank();
        assertThat(d.getKeyMetadata().getKeyId()).isEqualTo(keyId);
        assertThat(d.getKeyMetadata().getKeyState()).isEqualTo("Enabled");
        assertThat(d.getKeyMetadata().getDescription()).isEqualTo("xml <escaping> & \"quotes\" é");

        ListKeysRequest list = new ListKeysRequest();
        list.setFilters("[{\"Key\":\"KeyId\",\"Values\":[\"" + keyId + "\"]}]");
        list.setSysAcceptFormat(FormatType.XML);
        ListKeysResponse l = v1.call(list);
        assertThat(l.getKeys()).extracting(ListKeysResponse.Key::getKeyId).containsExactly(keyId);
        assertThat(l.getTotalCount()).isEqualTo(1);
        assertThat(l.getPageNumber()).isEqualTo(1);

        ListAliasesByKeyIdRequest aliases = new ListAliasesByKeyIdRequest();
        aliases.setKeyId(keyId);
        aliases.setSysAcceptFormat(FormatType.XML);
        assertThat(v1.call(aliases).getAliases())
                .extracting(ListAliasesByKeyIdResponse.Alias::getAliasName)
                .containsExactly(alias);

        DescribeKeyRequest missing = new DescribeKeyRequest();
        missing.setKeyId(UNKNOWN_KEY);
        missing.setSysAcceptFormat(FormatType.XML);
        expectError("Forbidden.KeyNotFound", 404, () -> v1.call(missing));
    }

    /**
     * CreateKeyVersion is limited to one new version per minimum interval (production default 7 days,
     * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createkeyversion):
     * too early → Rejected.UnsupportedOperation 400. The limit must also hold when many requests arrive at once: once
     * the interval has passed, 16 parallel calls create exactly one version. Own server with a 4-second interval (the
     * shared one runs with zero); the burst takes well under a second.
     */
    @Test
    void createKeyVersionRespectsTheMinimumIntervalEvenUnderConcurrency(@TempDir Path dir) throws Exception {
        Duration interval = Duration.ofSeconds(4);
        try (ConformanceServer strict =
                ConformanceServer.start(ConformanceServer.config(dir).withMinKeyVersionInterval(interval))) {
            for (KmsApi sdk : List.of(strict.v2(), strict.v1())) {
                String keyId = sdk.newKey();
                expectError("Rejected.UnsupportedOperation", 400, () -> sdk.createKeyVersion(keyId));
                assertThat(sdk.listKeyVersions(keyId, null, null).totalCount()).isEqualTo(1);
            }

            List<KmsApi> sdks = List.of(strict.v2(), strict.v2(V2Api.Signing.RPC, false));
            KeyMeta key = strict.v2().createKey(new CreateKey());
            // LastRotationDate is reported in whole seconds; the server keeps milliseconds, hence one more second.
            Instant due = instant(key.lastRotationDate()).plus(interval).plusSeconds(1);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Instant.now().isAfter(due));
            Map<String, Integer> outcomes =
                    race(16, i -> sdks.get(i % sdks.size()).createKeyVersion(key.keyId()));
            assertThat(outcomes)
                    .as("16 parallel CreateKeyVersion once the %s interval has passed: outcome -> count", interval)
                    .isEqualTo(Map.of("ok", 1, "400 Rejected.UnsupportedOperation", 15));
            assertThat(strict.v2().listKeyVersions(key.keyId(), 1, 100).totalCount())
                    .isEqualTo(2);
        }
    }

    /**
     * Concurrent writers on one key (CreateKeyVersion, UpdateKeyDescription from 32 parallel requests through the
     * V2 SDK) must all succeed: every one is a legitimate request, the shared server has no minimum version
     * interval, and this server throttles (429 Rejected.Throttling, Alibaba's throttling answer) only when its nonce
     * cache is full, which 64 requests cannot fill. So the count is exact: 32 successes each, 32 new versions, and the
     * description one of the 32 written. (A throttled or failed writer would show up as an outcome other than "ok".)
     */
    @Test
    void concurrentWritesToOneKeyAllSucceed() throws Exception {
        List<KmsApi> sdks =
                List.of(server.v2(), server.v2(V2Api.Signing.ACS3, true), server.v2(V2Api.Signing.RPC, false));
        String keyId = server.v2().newKey();
        Map<String, Integer> versionCalls =
                race(32, i -> sdks.get(i % sdks.size()).createKeyVersion(keyId));
        Map<String, Integer> descriptionCalls =
                race(32, i -> sdks.get(i % sdks.size()).updateKeyDescription(keyId, "writer " + i));

        assertThat(versionCalls)
                .as("CreateKeyVersion x32 on one key: outcome -> count")
                .isEqualTo(Map.of("ok", 32));
        assertThat(descriptionCalls)
                .as("UpdateKeyDescription x32 on one key: outcome -> count")
                .isEqualTo(Map.of("ok", 32));
        Page<KeyVersion> versions = server.v2().listKeyVersions(keyId, 1, 100);
        assertThat(versions.totalCount()).isEqualTo(33);
        assertThat(versions.items())
                .extracting(KeyVersion::keyVersionId)
                .doesNotHaveDuplicates()
                .hasSize(33);
        Set<String> written = new HashSet<>();
        for (int i = 0; i < 32; i++) {
            written.add("writer " + i);
        }
        assertThat(server.v2().describeKey(keyId).description()).isIn(written);
    }

    /** Runs {@code n} calls at once (released together); returns outcome -> count. */
    static Map<String, Integer> race(int n, IntConsumer call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    start.await();
                    String outcome = Conformance.outcome(() -> call.accept(index));
                    return outcome.startsWith("200") ? "ok" : outcome;
                }));
            }
            start.countDown();
            Map<String, Integer> counts = new TreeMap<>();
            for (Future<String> f : results) {
                counts.merge(f.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
            return counts;
        } finally {
            pool.shutdownNow();
        }
    }
}
