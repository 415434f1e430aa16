package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.UNKNOWN_KEY;
import static org.openkms.conformance.Conformance.aliasArn;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.keyArn;
import static org.openkms.conformance.Conformance.uniqueAlias;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.conformance.KmsApi.Alias;
import org.openkms.conformance.KmsApi.Page;

/**
 * Aliases
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createalias
 * and siblings): CreateAlias, UpdateAlias, DeleteAlias, ListAliases, ListAliasesByKeyId, and aliases as KeyId
 * everywhere.
 */
@ExtendWith(SharedServer.class)
class AliasConformanceTest {
    private static final String SDKS = "org.openkms.conformance.SharedServer#sdks";

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void createAliasThenUseItAsKeyId(KmsApi sdk) {
        String keyId = sdk.newKey();
        String alias = uniqueAlias();
        sdk.createAlias(alias, keyId);

        assertThat(sdk.describeKey(alias).keyId()).isEqualTo(keyId);
        assertThat(sdk.encrypt(alias, "aGVsbG8=").keyId()).isEqualTo(keyId);
        assertThat(sdk.generateDataKey(alias, null, 16, null, null).keyId()).isEqualTo(keyId);

        Page<Alias> byKey = sdk.listAliasesByKeyId(keyId, null, null);
        assertThat(byKey.items()).containsExactly(new Alias(alias, aliasArn(alias), keyId));
        assertThat(byKey.totalCount()).isEqualTo(1);
        assertThat(byKey.pageNumber()).isEqualTo(1);
        assertThat(byKey.pageSize()).isEqualTo(10);
        assertThat(allAliases(sdk)).contains(new Alias(alias, aliasArn(alias), keyId));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void aKeyCanHaveManyAliasesAndListAliasesByKeyIdPages(KmsApi sdk) {
        String keyId = sdk.newKey();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String alias = uniqueAlias();
            names.add(alias);
            sdk.createAlias(alias, keyId);
        }
        Page<Alias> p1 = sdk.listAliasesByKeyId(keyId, 1, 2);
        Page<Alias> p2 = sdk.listAliasesByKeyId(keyId, 2, 2);
        Page<Alias> p3 = sdk.listAliasesByKeyId(keyId, 3, 2);
        assertThat(p1.items()).hasSize(2);
        assertThat(p2.items()).hasSize(1);
        assertThat(p3.items()).isEmpty();
        for (Page<Alias> p : List.of(p1, p2, p3)) {
            assertThat(p.totalCount()).isEqualTo(3);
            assertThat(p.pageSize()).isEqualTo(2);
        }
        assertThat(p2.pageNumber()).isEqualTo(2);
        List<Alias> all = new ArrayList<>(p1.items());
        all.addAll(p2.items());
        assertThat(all).extracting(Alias::aliasName).containsExactlyInAnyOrderElementsOf(names);
        assertThat(all).allSatisfy(a -> {
            assertThat(a.keyId()).isEqualTo(keyId);
            assertThat(a.aliasArn()).isEqualTo(aliasArn(a.aliasName()));
        });
        // The key ARN works as KeyId too.
        assertThat(sdk.listAliasesByKeyId(keyArn(keyId), null, null).totalCount())
                .isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void listAliasesPagesConsistently(KmsApi sdk) {
        String keyId = sdk.newKey();
        List<String> mine = List.of(uniqueAlias(), uniqueAlias(), uniqueAlias());
        mine.forEach(a -> sdk.createAlias(a, keyId));

        Page<Alias> first = sdk.listAliases(1, 2);
        assertThat(first.pageNumber()).isEqualTo(1);
        assertThat(first.pageSize()).isEqualTo(2);
        int total = first.totalCount();
        assertThat(total).isGreaterThanOrEqualTo(3);
        List<Alias> collected = new ArrayList<>(first.items());
        for (int page = 2; (page - 1) * 2 < total; page++) {
            Page<Alias> p = sdk.listAliases(page, 2);
            assertThat(p.pageNumber()).isEqualTo(page);
            assertThat(p.totalCount()).isEqualTo(total);
            assertThat(p.items()).hasSizeBetween(1, 2);
            collected.addAll(p.items());
        }
        assertThat(collected).hasSize(total).doesNotHaveDuplicates();
        assertThat(collected).extracting(Alias::aliasName).containsAll(mine);
        assertThat(sdk.listAliases((total + 1) / 2 + 1, 2).items()).isEmpty();

        Page<Alias> defaults = sdk.listAliases(null, null);
        assertThat(defaults.pageNumber()).isEqualTo(1);
        assertThat(defaults.pageSize()).isEqualTo(10);
        assertThat(defaults.items()).hasSize(Math.min(10, total));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void updateAliasRepointsWithoutBreakingOldCiphertexts(KmsApi sdk) {
        String first = sdk.newKey();
        String second = sdk.newKey();
        String alias = uniqueAlias();
        sdk.createAlias(alias, first);
        String blob = sdk.encrypt(alias, "aGVsbG8=").ciphertextBlob();

        sdk.updateAlias(alias, second);
        assertThat(sdk.describeKey(alias).keyId()).isEqualTo(second);
        assertThat(sdk.encrypt(alias, "aGVsbG8=").keyId()).isEqualTo(second);
        assertThat(sdk.listAliasesByKeyId(first, null, null).items()).isEmpty();
        assertThat(sdk.listAliasesByKeyId(second, null, null).items())
                .extracting(Alias::aliasName)
                .containsExactly(alias);
        // Ciphertexts name their key version, not the alias.
        assertThat(sdk.decrypt(blob).keyId()).isEqualTo(first);

        // A disabled target is fine: only PendingDeletion blocks UpdateAlias.
        sdk.disableKey(first);
        sdk.updateAlias(alias, first);
        assertThat(sdk.describeKey(alias).keyId()).isEqualTo(first);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void deleteAliasLeavesTheKeyAlone(KmsApi sdk) {
        String keyId = sdk.newKey();
        String alias = uniqueAlias();
        sdk.createAlias(alias, keyId);
        assertThat(sdk.encrypt(alias, "aGVsbG8=").keyId()).isEqualTo(keyId); // warm any alias cache

        sdk.deleteAlias(alias);
        expectError("Forbidden.AliasNotFound", 404, () -> sdk.describeKey(alias));
        expectError("Forbidden.AliasNotFound", 404, () -> sdk.encrypt(alias, "aGVsbG8="));
        expectError("Forbidden.AliasNotFound", 404, () -> sdk.deleteAlias(alias));
        assertThat(sdk.describeKey(keyId).keyState()).isEqualTo("Enabled");
        assertThat(sdk.listAliasesByKeyId(keyId, null, null).totalCount()).isZero();

        // The freed name can be bound again, to another key, and resolves to the new one at once.
        String other = sdk.newKey();
        sdk.createAlias(alias, other);
        assertThat(sdk.encrypt(alias, "aGVsbG8=").keyId()).isEqualTo(other);

        // DeleteAlias works whatever the state of the key.
        sdk.scheduleKeyDeletion(other, 7);
        sdk.deleteAlias(alias);
        sdk.cancelKeyDeletion(other);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void createAliasErrors(KmsApi sdk) {
        String keyId = sdk.newKey();
        String alias = uniqueAlias();
        sdk.createAlias(alias, keyId);
        expectError("AliasAlreadyExists", 400, () -> sdk.createAlias(alias, keyId));
        expectError("AliasAlreadyExists", 400, () -> sdk.createAlias(alias, sdk.newKey()));

        expectError("InvalidParameter", 400, () -> sdk.createAlias("no-prefix", keyId));
        expectError("InvalidParameter", 400, () -> sdk.createAlias("alias/", keyId));
        expectError("InvalidParameter", 400, () -> sdk.createAlias("alias/has space", keyId));
        expectError("InvalidParameter", 400, () -> sdk.createAlias("alias/dots.not.allowed", keyId));
        expectError("InvalidParameter", 400, () -> sdk.createAlias("alias/acs/reserved", keyId));
        expectError("InvalidParameter", 400, () -> sdk.createAlias("alias/" + "a".repeat(256), keyId));
        String longest = "alias/" + "b".repeat(245) + uniqueAlias().substring(18, 28);
        sdk.createAlias(longest, keyId);
        assertThat(sdk.describeKey(longest).keyId()).isEqualTo(keyId);

        expectError("MissingParameter", 400, () -> sdk.createAlias(null, keyId));
        expectError("MissingParameter", 400, () -> sdk.createAlias(uniqueAlias(), null));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.createAlias(uniqueAlias(), UNKNOWN_KEY));

        // Allowed for Disabled and PendingImport keys, refused for PendingDeletion.
        String disabled = sdk.newKey();
        sdk.disableKey(disabled);
        sdk.createAlias(uniqueAlias(), disabled);
        String external =
                sdk.createKey(new KmsApi.CreateKey().origin("EXTERNAL")).keyId();
        sdk.createAlias(uniqueAlias(), external);
        String pending = sdk.newKey();
        sdk.scheduleKeyDeletion(pending, 7);
        expectError("Rejected.StateModifiedFailed", 409, () -> sdk.createAlias(uniqueAlias(), pending));
        sdk.cancelKeyDeletion(pending);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void updateDeleteAndListErrors(KmsApi sdk) {
        String keyId = sdk.newKey();
        String alias = uniqueAlias();
        sdk.createAlias(alias, keyId);

        expectError("Forbidden.AliasNotFound", 404, () -> sdk.updateAlias(uniqueAlias(), keyId));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.updateAlias(alias, UNKNOWN_KEY));
        expectError("MissingParameter", 400, () -> sdk.updateAlias(null, keyId));
        expectError("MissingParameter", 400, () -> sdk.updateAlias(alias, null));
        String pending = sdk.newKey();
        sdk.scheduleKeyDeletion(pending, 7);
        expectError("Rejected.PendingDeletion", 409, () -> sdk.updateAlias(alias, pending));
        sdk.cancelKeyDeletion(pending);
        assertThat(sdk.describeKey(alias).keyId()).isEqualTo(keyId);

        expectError("Forbidden.AliasNotFound", 404, () -> sdk.deleteAlias(uniqueAlias()));
        expectError("MissingParameter", 400, () -> sdk.deleteAlias(null));

        expectError("MissingParameter", 400, () -> sdk.listAliasesByKeyId(null, null, null));
        expectError("Forbidden.KeyNotFound", 404, () -> sdk.listAliasesByKeyId(UNKNOWN_KEY, null, null));
        expectError("InvalidParameter", 400, () -> sdk.listAliases(0, 10));
        expectError("InvalidParameter", 400, () -> sdk.listAliases(1, 101));
    }

    /** Every alias, walking ListAliases pages of 100. */
    static List<Alias> allAliases(KmsApi sdk) {
        List<Alias> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            Page<Alias> p = sdk.listAliases(page, 100);
            all.addAll(p.items());
            if (p.items().isEmpty() || all.size() >= p.totalCount()) {
                return all;
            }
        }
    }

    /** 24 parallel CreateAlias calls for one new name: exactly one wins, the rest get AliasAlreadyExists. */
    @Test
    void concurrentCreateAliasOfOneNameHasExactlyOneWinner(ConformanceServer server) throws Exception {
        List<KmsApi> sdks = server.matrix();
        String keyId = server.v2().newKey();
        String alias = uniqueAlias();
        Map<String, Integer> outcomes = KeyLifecycleConformanceTest.race(
                24, i -> sdks.get(i % sdks.size()).createAlias(alias, keyId));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("ok", 1, "400 AliasAlreadyExists", 23));
        assertThat(server.v2().describeKey(alias).keyId()).isEqualTo(keyId);
    }
}
