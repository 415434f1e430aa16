package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.openkms.conformance.Conformance.UNKNOWN_KEY;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.outcome;
import static org.openkms.conformance.Conformance.unique;
import static org.openkms.conformance.Conformance.uniqueAlias;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.conformance.KmsApi.Tag;
import org.openkms.conformance.KmsApi.TagPage;
import org.openkms.conformance.KmsApi.TagResource;

/**
 * Tags
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-tagresource,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-tagresources):
 * the single-resource TagResource / UntagResource / ListResourceTags and the batch TagResources / UntagResources /
 * ListTagResources (flattened {@code ResourceId.N}, {@code Tag.N.Key}).
 */
@ExtendWith(SharedServer.class)
class TagConformanceTest {
    private static final String SDKS = "org.openkms.conformance.SharedServer#sdks";

    private final ConformanceServer server;

    TagConformanceTest(ConformanceServer server) {
        this.server = server;
    }

    // ---- TagResource / UntagResource / ListResourceTags ----------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void tagResourceAddsAndOverwritesAndUntagResourceRemoves(KmsApi sdk) {
        String keyId = sdk.newKey();
        assertThat(sdk.listResourceTags(keyId)).isEmpty();

        sdk.tagResource(
                keyId,
                "[{\"TagKey\":\"team\",\"TagValue\":\"payments\"},{\"TagKey\":\"cost-center\",\"TagValue\":\"cc:42/a@b\"}]");
        assertThat(sdk.listResourceTags(keyId))
                .extracting(Tag::keyId, Tag::tagKey, Tag::tagValue)
                .containsExactlyInAnyOrder(tuple(keyId, "team", "payments"), tuple(keyId, "cost-center", "cc:42/a@b"));

        // The same tag key again overwrites its value; other tags stay.
        sdk.tagResource(
                keyId, "[{\"TagKey\":\"team\",\"TagValue\":\"risk\"},{\"TagKey\":\"env\",\"TagValue\":\"prod\"}]");
        assertThat(sdk.listResourceTags(keyId))
                .extracting(Tag::tagKey, Tag::tagValue)
                .containsExactlyInAnyOrder(
                        tuple("team", "risk"), tuple("cost-center", "cc:42/a@b"), tuple("env", "prod"));

        // Unknown tag keys are ignored.
        sdk.untagResource(keyId, "[\"team\",\"no-such-tag\"]");
        assertThat(sdk.listResourceTags(keyId)).extracting(Tag::tagKey).containsExactlyInAnyOrder("cost-center", "env");

        // An alias works as KeyId.
        String alias = uniqueAlias();
        sdk.createAlias(alias, keyId);
        sdk.tagResource(alias, "[{\"TagKey\":\"via\",\"TagValue\":\"alias\"}]");
        assertThat(sdk.listResourceTags(alias)).extracting(Tag::keyId).containsOnly(keyId);
        assertThat(sdk.listResourceTags(keyId)).extracting(Tag::tagKey).contains("via");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void tagsFollowTheKeyStateRules(KmsApi sdk) {
        String keyId = sdk.newKey();
        sdk.tagResource(keyId, "[{\"TagKey\":\"k\",\"TagValue\":\"v\"}]");
        sdk.disableKey(keyId);
        sdk.tagResource(keyId, "[{\"TagKey\":\"disabled\",\"TagValue\":\"ok\"}]");
        sdk.enableKey(keyId);

        sdk.scheduleKeyDeletion(keyId, 7);
        expectError(
                "Rejected.PendingDeletion",
                409,
                () -> sdk.tagResource(keyId, "[{\"TagKey\":\"x\",\"TagValue\":\"y\"}]"));
        expectError("Rejected.PendingDeletion", 409, () -> sdk.untagResource(keyId, "[\"k\"]"));
        expectError("Rejected.PendingDeletion", 409, () -> sdk.tagResources("key", List.of(keyId), Map.of("x", "y")));
        // Reading works in every state.
        assertThat(sdk.listResourceTags(keyId)).extracting(Tag::tagKey).containsExactlyInAnyOrder("k", "disabled");
        sdk.cancelKeyDeletion(keyId);
        sdk.untagResource(keyId, "[\"k\"]");
        assertThat(sdk.listResourceTags(keyId)).extracting(Tag::tagKey).containsExactly("disabled");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void singleResourceTagErrors(KmsApi sdk) {
        String keyId = sdk.newKey();
        expectError(
                "Forbidden.KeyNotFound",
                404,
                () -> sdk.tagResource(UNKNOWN_KEY, "[{\"TagKey\":\"k\",\"TagValue\":\"v\"}]"));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.untagResource(UNKNOWN_KEY, "[\"k\"]"));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.listResourceTags(UNKNOWN_KEY));
        expectError("MissingParameter", 400, () -> sdk.listResourceTags(null));
        expectError("MissingParameter", 400, () -> sdk.tagResource(keyId, null));
        expectError("MissingParameter", 400, () -> sdk.untagResource(keyId, null));
        expectError("InvalidParameter", 400, () -> sdk.tagResource(keyId, "not json"));
        expectError("InvalidParameter", 400, () -> sdk.tagResource(keyId, "{\"TagKey\":\"k\",\"TagValue\":\"v\"}"));
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.tagResource(keyId, "[{\"TagKey\":\"aliyun:x\",\"TagValue\":\"v\"}]"));
        expectError(
                "InvalidParameter", 400, () -> sdk.tagResource(keyId, "[{\"TagKey\":\"acs:x\",\"TagValue\":\"v\"}]"));
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.tagResource(keyId, "[{\"TagKey\":\"" + "k".repeat(129) + "\",\"TagValue\":\"v\"}]"));
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.tagResource(keyId, "[{\"TagKey\":\"k\",\"TagValue\":\"" + "v".repeat(129) + "\"}]"));
        expectError("InvalidParameter", 400, () -> sdk.untagResource(keyId, "\"k\""));
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"TagKey\":\"t").append(i).append("\",\"TagValue\":\"v\"}");
        }
        expectError(
                "InvalidParameter",
                400,
                () -> sdk.tagResource(keyId, many.append(']').toString()));
        assertThat(sdk.listResourceTags(keyId)).isEmpty();
    }

    // ---- TagResources / UntagResources / ListTagResources --------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void batchTagUntagAndList(KmsApi sdk) {
        String a = sdk.newKey();
        String b = sdk.newKey();
        String marker = unique("batch");
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(marker, "yes");
        tags.put("owner", "team one");
        tags.put("tier", "gold");
        sdk.tagResources("key", List.of(a, b), tags);

        TagPage page = sdk.listTagResources("key", List.of(a, b), null, null);
        assertThat(page.rows())
                .extracting(
                        TagResource::resourceId, TagResource::resourceType, TagResource::tagKey, TagResource::tagValue)
                .containsExactlyInAnyOrder(
                        tuple(a, "key", marker, "yes"),
                        tuple(a, "key", "owner", "team one"),
                        tuple(a, "key", "tier", "gold"),
                        tuple(b, "key", marker, "yes"),
                        tuple(b, "key", "owner", "team one"),
                        tuple(b, "key", "tier", "gold"));
        assertThat(page.nextToken()).as("NextToken on the last page").isNullOrEmpty();

        // Filtering by tag, across all keys of the account.
        TagPage byTag = sdk.listTagResources("key", null, Map.of(marker, "yes"), null);
        assertThat(byTag.rows()).extracting(TagResource::resourceId).containsExactlyInAnyOrder(a, b);

        // The single-resource view agrees.
        assertThat(sdk.listResourceTags(a)).extracting(Tag::tagKey).containsExactlyInAnyOrder(marker, "owner", "tier");

        // Remove one key from one resource; unknown tag keys are ignored.
        sdk.untagResources("key", List.of(a), List.of("owner", "not-there"), null);
        assertThat(sdk.listTagResources("key", List.of(a), null, null).rows())
                .extracting(TagResource::tagKey)
                .containsExactlyInAnyOrder(marker, "tier");

        // All=true is ignored when TagKey is given.
        sdk.untagResources("key", List.of(b), List.of("tier"), true);
        assertThat(sdk.listTagResources("key", List.of(b), null, null).rows())
                .extracting(TagResource::tagKey)
                .containsExactlyInAnyOrder(marker, "owner");

        // All=true without TagKey clears everything.
        sdk.untagResources("key", List.of(a, b), null, true);
        assertThat(sdk.listTagResources("key", List.of(a, b), null, null).rows())
                .isEmpty();
        assertThat(sdk.listResourceTags(b)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void batchTagErrorsLeaveNothingHalfDone(KmsApi sdk) {
        String a = sdk.newKey();
        expectError(
                "Forbidden.KeyNotFound", 404, () -> sdk.tagResources("key", List.of(a, UNKNOWN_KEY), Map.of("k", "v")));
        assertThat(sdk.listResourceTags(a)).isEmpty();
        expectError(
                "Forbidden.KeyNotFound",
                404,
                () -> sdk.untagResources("key", List.of(UNKNOWN_KEY), List.of("k"), null));

        expectError("MissingParameter", 400, () -> sdk.tagResources("key", null, Map.of("k", "v")));
        expectError("MissingParameter", 400, () -> sdk.tagResources("key", List.of(a), null));
        expectError("MissingParameter", 400, () -> sdk.tagResources(null, List.of(a), Map.of("k", "v")));
        expectError("InvalidParameter", 400, () -> sdk.tagResources("certificate", List.of(a), Map.of("k", "v")));
        expectError("InvalidParameter", 400, () -> sdk.tagResources("key", List.of(a), Map.of("aliyun-x", "v")));
        Map<String, String> tooMany = new LinkedHashMap<>();
        for (int i = 0; i < 21; i++) {
            tooMany.put("t" + i, "v");
        }
        expectError("InvalidParameter", 400, () -> sdk.tagResources("key", List.of(a), tooMany));
        List<String> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add(a);
        }
        expectError("InvalidParameter", 400, () -> sdk.tagResources("key", fiftyOne, Map.of("k", "v")));
        expectError("MissingParameter", 400, () -> sdk.untagResources("key", null, List.of("k"), null));
        List<String> twentyOneKeys = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            twentyOneKeys.add("t" + i);
        }
        expectError("InvalidParameter", 400, () -> sdk.untagResources("key", List.of(a), twentyOneKeys, null));
        expectError("MissingParameter", 400, () -> sdk.listTagResources(null, List.of(a), null, null));
        expectError("InvalidParameter", 400, () -> sdk.listTagResources("key", List.of(a), null, "not-a-token"));
        assertThat(sdk.listResourceTags(a)).isEmpty();
    }

    @Test
    void listTagResourcesPagesWithNextToken() {
        // 11 keys x 20 tags = 220 rows: one full page of 200 and a second page of 20.
        KmsApi v2 = server.v2();
        KmsApi v1 = server.v1();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            keys.add(v2.newKey());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            tags.put("page-tag-" + i, "value-" + i);
        }
        v2.tagResources("key", keys, tags);

        for (KmsApi sdk : List.of(v2, v1, server.v2(V2Api.Signing.RPC, false))) {
            TagPage first = sdk.listTagResources("key", keys, null, null);
            assertThat(first.rows()).as(sdk.name()).hasSize(200);
            assertThat(first.nextToken()).as(sdk.name()).isNotBlank();
            TagPage second = sdk.listTagResources("key", keys, null, first.nextToken());
            assertThat(second.rows()).as(sdk.name()).hasSize(20);
            assertThat(second.nextToken()).as(sdk.name()).isNullOrEmpty();
            List<TagResource> all = new ArrayList<>(first.rows());
            all.addAll(second.rows());
            assertThat(all).doesNotHaveDuplicates().hasSize(220);
            assertThat(all).extracting(TagResource::resourceId).containsOnlyElementsOf(keys);
        }
    }

    /**
     * The reference pages
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-untagresources,
     * …-listtagresources): UntagResources' TagKey.N "may not start with acs:/aliyun"; ListTagResources takes at most 50
     * ResourceId.N and 20 Tag.N. These limits are documented request validation (InvalidParameter 400).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void batchTagLimitsAreValidated(KmsApi sdk) {
        String a = sdk.newKey();
        Map<String, String> outcomes = new LinkedHashMap<>();
        outcomes.put(
                "UntagResources TagKey.1=aliyun-x",
                outcome(() -> sdk.untagResources("key", List.of(a), List.of("aliyun-x"), null)));
        outcomes.put(
                "UntagResources TagKey.1=acs:x",
                outcome(() -> sdk.untagResources("key", List.of(a), List.of("acs:x"), null)));
        List<String> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add(a);
        }
        outcomes.put(
                "ListTagResources 51 x ResourceId", outcome(() -> sdk.listTagResources("key", fiftyOne, null, null)));
        Map<String, String> twentyOne = new LinkedHashMap<>();
        for (int i = 0; i < 21; i++) {
            twentyOne.put("t" + i, "v");
        }
        outcomes.put(
                "ListTagResources 21 x Tag", outcome(() -> sdk.listTagResources("key", List.of(a), twentyOne, null)));
        Map<String, String> expected = new LinkedHashMap<>();
        outcomes.keySet().forEach(k -> expected.put(k, "400 InvalidParameter"));
        assertThat(outcomes).as(sdk.name()).isEqualTo(expected);
    }
}
