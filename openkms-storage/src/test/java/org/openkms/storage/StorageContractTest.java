package org.openkms.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openkms.core.error.StorageException;
import org.openkms.core.iam.AccessKeyRecord;
import org.openkms.core.key.AliasRecord;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyState;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.KeyVersionRecord;
import org.openkms.core.key.Origin;
import org.openkms.core.secret.SecretRecord;
import org.openkms.core.secret.SecretType;
import org.openkms.core.secret.SecretVersionRecord;
import org.openkms.core.store.Storage;
import org.openkms.core.tag.TagRecord;

/**
 * The behaviour every {@link Storage} implementation must have, written against the ports' javadoc. A
 * backend passes by extending this class and supplying a fresh, empty storage per test. Exported in this
 * module's test-jar so other backends (or wrappers such as caches) can reuse it.
 *
 * <p>Records holding byte[] (versions, access keys) are compared field by field with content equality for
 * arrays, since record equals() compares array references.
 */
public abstract class StorageContractTest {
    /** A fixed instant with a millisecond part, the precision every backend must keep. */
    protected static final Instant T0 = Instant.ofEpochMilli(1_767_225_600_123L);

    /** The storage under test; opened before and closed after each test. */
    protected Storage storage;

    /** A new storage with no data at all. Called once per test, before the test method. */
    protected abstract Storage newStorage();

    /**
     * Opens a second Storage over the same data as the last {@link #newStorage()} (same file, same
     * schema), after that one was closed. Backends that cannot do this keep the default, which skips the
     * durability test.
     */
    protected Storage reopenStorage() {
        Assumptions.abort("this backend does not support reopening");
        return null;
    }

    @BeforeEach
    void openStorage() {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }

    // ---------------------------------------------------------------- keys: round trips

    @Test
    void keyRoundTripsEveryField() {
        KeyRecord key = new KeyRecord(
                "key-1",
                "描述 with unicode ✓ and 'quotes'",
                KeySpec.Aliyun_SM4,
                KeyUsage.ENCRYPT_DECRYPT,
                Origin.EXTERNAL,
                "HSM",
                KeyState.PendingDeletion,
                T0,
                T0.plusSeconds(7 * 86400),
                "ver-1",
                31_536_000L,
                T0.plusMillis(1),
                true,
                "protected because",
                "root",
                T0.plusMillis(999),
                "kst-hzz6812a0f7xqmx8c1a2",
                42L);

        storage.keys().create(key, List.of(), Map.of());

        assertThat(storage.keys().find("key-1")).contains(key);
    }

    @Test
    void keyRoundTripsNullOptionalFields() {
        KeyRecord key = new KeyRecord(
                "key-1",
                null,
                KeySpec.RSA_2048,
                KeyUsage.SIGN_VERIFY,
                Origin.Aliyun_KMS,
                null,
                KeyState.PendingImport,
                T0,
                null,
                null,
                0L,
                null,
                false,
                null,
                null,
                null,
                null,
                0L);

        storage.keys().create(key, List.of(), Map.of());

        assertThat(storage.keys().find("key-1")).contains(key);
    }

    @Test
    void everyEnumValueRoundTrips() {
        int i = 0;
        for (KeySpec spec : KeySpec.values()) {
            for (KeyState state : KeyState.values()) {
                KeyRecord key = new KeyRecord(
                        "key-" + i++,
                        "",
                        spec,
                        KeyUsage.values()[i % 2],
                        Origin.values()[i % 2],
                        "SOFTWARE",
                        state,
                        T0,
                        null,
                        null,
                        0L,
                        null,
                        false,
                        "",
                        "",
                        null,
                        i % 2 == 0 ? null : "kst-" + i,
                        1L);
                storage.keys().create(key, List.of(), Map.of());
                assertThat(storage.keys().find(key.keyId())).contains(key);
            }
        }
    }

    @Test
    void instantsKeepMillisecondsAndDropFinerParts() {
        Instant fine = Instant.ofEpochSecond(1_767_225_600L, 123_456_789);
        Instant beforeEpoch = Instant.ofEpochMilli(-86_400_001L);
        storage.keys().create(key("key-1", fine).withState(KeyState.PendingDeletion, beforeEpoch), List.of(), Map.of());

        KeyRecord stored = storage.keys().find("key-1").orElseThrow();

        assertThat(stored.creationDate()).isEqualTo(fine.truncatedTo(ChronoUnit.MILLIS));
        assertThat(stored.deleteDate()).isEqualTo(beforeEpoch);
    }

    @Test
    void findUnknownKeyIsEmpty() {
        assertThat(storage.keys().find("missing")).isEmpty();
        assertThat(storage.keys().list()).isEmpty();
    }

    @Test
    void createStoresVersionsAndTagsWithTheKey() {
        KeyVersionRecord v1 = version("key-1", "ver-1", T0, bytes(1, 48));
        KeyVersionRecord v2 = version("key-1", "ver-2", T0.plusMillis(5), bytes(2, 48));

        storage.keys().create(key("key-1", T0), List.of(v1, v2), Map.of("env", "prod", "team", "a"));

        assertVersions(storage.keys().versions("key-1"), v1, v2);
        assertVersion(storage.keys().findVersion("ver-2"), v2);
        assertThat(storage.tags().list("key", "key-1"))
                .containsExactly(Map.entry("env", "prod"), Map.entry("team", "a"));
    }

    @Test
    void versionMaterialRoundTripsBytesExactly() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        List<KeyVersionRecord> versions = List.of(
                version("key-1", "ver-all", T0, everyByte),
                version("key-1", "ver-big", T0, bytes(3, 64 * 1024)),
                version("key-1", "ver-empty", T0, new byte[0]),
                version("key-1", "ver-null", T0, null));

        storage.keys().create(key("key-1", T0), versions, Map.of());

        assertVersions(storage.keys().versions("key-1"), versions.toArray(KeyVersionRecord[]::new));
        assertThat(storage.keys().findVersion("ver-empty").orElseThrow().sealedMaterial())
                .isNotNull()
                .isEmpty();
        assertThat(storage.keys().findVersion("ver-null").orElseThrow().sealedMaterial())
                .isNull();
    }

    @Test
    void createWithDuplicateKeyIdFailsAndKeepsTheFirst() {
        KeyRecord first = key("key-1", T0);
        storage.keys().create(first, List.of(version("key-1", "ver-1", T0, bytes(1, 32))), Map.of("a", "1"));

        assertThatThrownBy(() -> storage.keys()
                        .create(
                                first.withDescription("second"),
                                List.of(version("key-1", "ver-2", T0, bytes(2, 32))),
                                Map.of("a", "2")))
                .isInstanceOf(StorageException.class);

        assertThat(storage.keys().find("key-1")).contains(first);
        assertThat(storage.keys().versions("key-1"))
                .extracting(KeyVersionRecord::keyVersionId)
                .containsExactly("ver-1");
        assertThat(storage.tags().list("key", "key-1")).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void createIsOneTransaction() {
        storage.keys().create(key("key-0", T0), List.of(version("key-0", "taken", T0, bytes(1, 32))), Map.of());

        // The second version's id clashes with an existing one: key, first version and tags must all vanish.
        assertThatThrownBy(() -> storage.keys()
                        .create(
                                key("key-1", T0),
                                List.of(
                                        version("key-1", "ver-1", T0, bytes(2, 32)),
                                        version("key-1", "taken", T0, bytes(3, 32))),
                                Map.of("a", "1")))
                .isInstanceOf(StorageException.class);

        assertThat(storage.keys().find("key-1")).isEmpty();
        assertThat(storage.keys().findVersion("ver-1")).isEmpty();
        assertThat(storage.keys().versions("key-1")).isEmpty();
        assertThat(storage.tags().list("key", "key-1")).isEmpty();
        assertThat(storage.keys().findVersion("taken").orElseThrow().keyId()).isEqualTo("key-0");
    }

    @Test
    void listOrdersByCreationDateThenKeyId() {
        storage.keys().create(key("key-c", T0.plusSeconds(1)), List.of(), Map.of());
        storage.keys().create(key("key-b", T0), List.of(), Map.of());
        storage.keys().create(key("key-d", T0.minusSeconds(1)), List.of(), Map.of());
        storage.keys().create(key("key-a", T0), List.of(), Map.of());

        assertThat(storage.keys().list())
                .extracting(KeyRecord::keyId)
                .containsExactly("key-d", "key-a", "key-b", "key-c");
    }

    // ---------------------------------------------------------------- keys: optimistic updates

    @Test
    void updateReplacesEveryFieldWhenRevisionMatches() {
        KeyRecord original = key("key-1", T0);
        storage.keys().create(original, List.of(), Map.of());
        KeyRecord changed = new KeyRecord(
                "key-1",
                "new description",
                KeySpec.EC_P256,
                KeyUsage.SIGN_VERIFY,
                Origin.EXTERNAL,
                "HSM",
                KeyState.PendingDeletion,
                T0.plusMillis(1),
                T0.plusSeconds(604_800),
                "ver-9",
                86_400L,
                T0.plusMillis(2),
                true,
                "why",
                "someone",
                T0.plusMillis(3),
                "kst-changed",
                original.revision() + 1);

        assertThat(storage.keys().update(changed, original.revision())).isTrue();
        assertThat(storage.keys().find("key-1")).contains(changed);

        // And back: non-null fields can be set to null again.
        KeyRecord cleared = new KeyRecord(
                "key-1",
                null,
                KeySpec.Aliyun_AES_256,
                KeyUsage.ENCRYPT_DECRYPT,
                Origin.Aliyun_KMS,
                null,
                KeyState.Enabled,
                T0,
                null,
                null,
                0L,
                null,
                false,
                null,
                null,
                null,
                null,
                changed.revision() + 1);
        assertThat(storage.keys().update(cleared, changed.revision())).isTrue();
        assertThat(storage.keys().find("key-1")).contains(cleared);
    }

    @Test
    void updateWithWrongRevisionReturnsFalseAndLeavesRowUnchanged() {
        KeyRecord original = key("key-1", T0);
        storage.keys().create(original, List.of(), Map.of());
        KeyRecord first = original.withDescription("first");
        assertThat(storage.keys().update(first, original.revision())).isTrue();

        // A second writer still holding the original revision loses.
        assertThat(storage.keys().update(original.withDescription("stale"), original.revision()))
                .isFalse();
        assertThat(storage.keys().update(original.withDescription("future"), first.revision() + 1))
                .isFalse();

        assertThat(storage.keys().find("key-1")).contains(first);
    }

    @Test
    void updateOfUnknownKeyReturnsFalseAndCreatesNothing() {
        assertThat(storage.keys().update(key("missing", T0), 0L)).isFalse();
        assertThat(storage.keys().find("missing")).isEmpty();
    }

    @Test
    void addVersionUpdatesKeyAndAddsVersion() {
        KeyVersionRecord v1 = version("key-1", "ver-1", T0, bytes(1, 32));
        KeyRecord original = key("key-1", T0).withPrimaryVersion("ver-1", T0);
        storage.keys().create(original, List.of(v1), Map.of());
        KeyVersionRecord v2 = version("key-1", "ver-2", T0.plusSeconds(60), bytes(2, 32));
        KeyRecord rotated = original.withPrimaryVersion("ver-2", T0.plusSeconds(60));

        assertThat(storage.keys().addVersion(rotated, original.revision(), v2)).isTrue();

        assertThat(storage.keys().find("key-1")).contains(rotated);
        assertVersions(storage.keys().versions("key-1"), v1, v2);
        assertVersion(storage.keys().findVersion("ver-2"), v2);
    }

    @Test
    void addVersionWithWrongRevisionChangesNothing() {
        KeyVersionRecord v1 = version("key-1", "ver-1", T0, bytes(1, 32));
        KeyRecord original = key("key-1", T0).withPrimaryVersion("ver-1", T0);
        storage.keys().create(original, List.of(v1), Map.of());
        KeyRecord rotated = original.withPrimaryVersion("ver-2", T0.plusSeconds(60));

        assertThat(storage.keys()
                        .addVersion(
                                rotated,
                                original.revision() - 1,
                                version("key-1", "ver-2", T0.plusSeconds(60), bytes(2, 32))))
                .isFalse();

        assertThat(storage.keys().find("key-1")).contains(original);
        assertVersions(storage.keys().versions("key-1"), v1);
        assertThat(storage.keys().findVersion("ver-2")).isEmpty();
    }

    @Test
    void addVersionToUnknownKeyReturnsFalse() {
        KeyRecord ghost = key("missing", T0);
        assertThat(storage.keys().addVersion(ghost, ghost.revision(), version("missing", "ver-1", T0, bytes(1, 32))))
                .isFalse();
        assertThat(storage.keys().findVersion("ver-1")).isEmpty();
    }

    @Test
    void addVersionIsAtomicWhenTheVersionInsertFails() {
        storage.keys().create(key("key-0", T0), List.of(version("key-0", "taken", T0, bytes(1, 32))), Map.of());
        KeyRecord original = key("key-1", T0);
        storage.keys().create(original, List.of(version("key-1", "ver-1", T0, bytes(2, 32))), Map.of());

        // The key row update succeeds first, then the version insert fails: the update must be rolled back.
        assertThatThrownBy(() -> storage.keys()
                        .addVersion(
                                original.withPrimaryVersion("taken", T0.plusSeconds(1)),
                                original.revision(),
                                version("key-1", "taken", T0.plusSeconds(1), bytes(3, 32))))
                .isInstanceOf(StorageException.class);

        assertThat(storage.keys().find("key-1")).contains(original);
        assertThat(storage.keys().versions("key-1"))
                .extracting(KeyVersionRecord::keyVersionId)
                .containsExactly("ver-1");
        assertThat(storage.keys().findVersion("taken").orElseThrow().keyId()).isEqualTo("key-0");
    }

    @Test
    void replaceVersionMaterialUpdatesKeyAndMaterialTogether() {
        KeyVersionRecord v1 = version("key-1", "ver-1", T0, bytes(1, 32));
        KeyRecord original = key("key-1", T0).withPrimaryVersion("ver-1", T0);
        storage.keys().create(original, List.of(v1), Map.of());
        KeyRecord cleared = original.withImportedMaterial(null, KeyState.PendingImport, null, T0);

        assertThat(storage.keys().replaceVersionMaterial(cleared, original.revision(), "ver-1", bytes(9, 48)))
                .isTrue();

        assertThat(storage.keys().find("key-1")).contains(cleared);
        assertVersion(storage.keys().findVersion("ver-1"), version("key-1", "ver-1", T0, bytes(9, 48)));
    }

    @Test
    void replaceVersionMaterialWithWrongRevisionOrForeignVersionChangesNothing() {
        storage.keys().create(key("key-0", T0), List.of(version("key-0", "other", T0, bytes(1, 32))), Map.of());
        KeyRecord original = key("key-1", T0).withPrimaryVersion("ver-1", T0);
        storage.keys().create(original, List.of(version("key-1", "ver-1", T0, bytes(2, 32))), Map.of());
        KeyRecord cleared = original.withImportedMaterial(null, KeyState.PendingImport, null, T0);

        assertThat(storage.keys().replaceVersionMaterial(cleared, original.revision() - 1, "ver-1", bytes(9, 48)))
                .isFalse();
        assertThatThrownBy(() ->
                        storage.keys().replaceVersionMaterial(cleared, original.revision(), "other", bytes(9, 48)))
                .isInstanceOf(StorageException.class);

        assertThat(storage.keys().find("key-1")).contains(original);
        assertVersion(storage.keys().findVersion("ver-1"), version("key-1", "ver-1", T0, bytes(2, 32)));
        assertVersion(storage.keys().findVersion("other"), version("key-0", "other", T0, bytes(1, 32)));
    }

    @Test
    void versionsComeInCreationOrderEvenWithEqualTimestamps() {
        KeyRecord key = key("key-1", T0);
        List<KeyVersionRecord> expected = new ArrayList<>();
        expected.add(version("key-1", "ver-z", T0, bytes(1, 32)));
        expected.add(version("key-1", "ver-m", T0, bytes(2, 32)));
        storage.keys().create(key, expected, Map.of());
        for (String id : List.of("ver-a", "ver-y", "ver-b")) {
            KeyVersionRecord v = version("key-1", id, T0, bytes(id.hashCode(), 32));
            KeyRecord next = key.withPrimaryVersion(id, T0);
            assertThat(storage.keys().addVersion(next, key.revision(), v)).isTrue();
            key = next;
            expected.add(v);
        }

        assertVersions(storage.keys().versions("key-1"), expected.toArray(KeyVersionRecord[]::new));
    }

    @Test
    void versionsAreScopedToTheirKey() {
        storage.keys().create(key("key-1", T0), List.of(version("key-1", "ver-1", T0, bytes(1, 32))), Map.of());
        storage.keys().create(key("key-2", T0), List.of(version("key-2", "ver-2", T0, bytes(2, 32))), Map.of());

        assertThat(storage.keys().versions("key-1"))
                .extracting(KeyVersionRecord::keyVersionId)
                .containsExactly("ver-1");
        assertThat(storage.keys().versions("key-2"))
                .extracting(KeyVersionRecord::keyVersionId)
                .containsExactly("ver-2");
        assertThat(storage.keys().versions("missing")).isEmpty();
        assertThat(storage.keys().findVersion("missing")).isEmpty();
    }

    // ---------------------------------------------------------------- keys: delete

    @Test
    void deleteRemovesKeyVersionsAliasesAndKeyTagsOnly() {
        storage.keys()
                .create(
                        key("key-1", T0),
                        List.of(
                                version("key-1", "ver-1a", T0, bytes(1, 32)),
                                version("key-1", "ver-1b", T0, bytes(2, 32))),
                        Map.of("env", "prod"));
        storage.keys()
                .create(key("key-2", T0), List.of(version("key-2", "ver-2", T0, bytes(3, 32))), Map.of("env", "dev"));
        storage.aliases().create(new AliasRecord("alias/one", "key-1", T0));
        storage.aliases().create(new AliasRecord("alias/two", "key-1", T0));
        storage.aliases().create(new AliasRecord("alias/other", "key-2", T0));
        storage.tags().put("key", "key-1", Map.of("extra", "x"));
        storage.tags().put("secret", "key-1", Map.of("env", "secret-tag")); // same id, other resource type

        storage.keys().delete("key-1");

        assertThat(storage.keys().find("key-1")).isEmpty();
        assertThat(storage.keys().versions("key-1")).isEmpty();
        assertThat(storage.keys().findVersion("ver-1a")).isEmpty();
        assertThat(storage.keys().findVersion("ver-1b")).isEmpty();
        assertThat(storage.aliases().find("alias/one")).isEmpty();
        assertThat(storage.aliases().listByKey("key-1")).isEmpty();
        assertThat(storage.tags().list("key", "key-1")).isEmpty();
        // Everything else survives.
        assertThat(storage.keys().list()).extracting(KeyRecord::keyId).containsExactly("key-2");
        assertThat(storage.keys().findVersion("ver-2")).isPresent();
        assertThat(storage.aliases().list()).extracting(AliasRecord::aliasName).containsExactly("alias/other");
        assertThat(storage.tags().list("key", "key-2")).containsExactly(Map.entry("env", "dev"));
        assertThat(storage.tags().list("secret", "key-1")).containsExactly(Map.entry("env", "secret-tag"));
    }

    @Test
    void deleteOfUnknownKeyDoesNothing() {
        storage.keys().create(key("key-1", T0), List.of(), Map.of());
        storage.keys().delete("missing");
        assertThat(storage.keys().list()).hasSize(1);
    }

    @Test
    void deletedKeyIdCanBeReused() {
        storage.keys().create(key("key-1", T0), List.of(version("key-1", "ver-1", T0, bytes(1, 32))), Map.of("a", "1"));
        storage.keys().delete("key-1");

        KeyRecord again = key("key-1", T0.plusSeconds(1));
        storage.keys().create(again, List.of(version("key-1", "ver-1", T0, bytes(2, 32))), Map.of());

        assertThat(storage.keys().find("key-1")).contains(again);
        assertThat(storage.tags().list("key", "key-1")).isEmpty();
    }

    // ---------------------------------------------------------------- aliases

    @Test
    void aliasRoundTrips() {
        storage.keys().create(key("key-1", T0), List.of(), Map.of());
        AliasRecord alias = new AliasRecord("alias/my-key", "key-1", T0.plusMillis(7));

        assertThat(storage.aliases().create(alias)).isTrue();

        assertThat(storage.aliases().find("alias/my-key")).contains(alias);
        assertThat(storage.aliases().find("alias/missing")).isEmpty();
    }

    @Test
    void aliasNameIsUnique() {
        storage.keys().create(key("key-1", T0), List.of(), Map.of());
        storage.keys().create(key("key-2", T0), List.of(), Map.of());
        AliasRecord first = new AliasRecord("alias/a", "key-1", T0);
        assertThat(storage.aliases().create(first)).isTrue();

        assertThat(storage.aliases().create(new AliasRecord("alias/a", "key-2", T0.plusSeconds(1))))
                .isFalse();

        assertThat(storage.aliases().find("alias/a")).contains(first);
        assertThat(storage.aliases().list()).containsExactly(first);
    }

    @Test
    void aliasUpdateRepointsOnlyExistingAliases() {
        storage.keys().create(key("key-1", T0), List.of(), Map.of());
        storage.keys().create(key("key-2", T0), List.of(), Map.of());
        storage.aliases().create(new AliasRecord("alias/a", "key-1", T0));

        assertThat(storage.aliases().update("alias/a", "key-2")).isTrue();
        assertThat(storage.aliases().update("alias/missing", "key-2")).isFalse();

        assertThat(storage.aliases().find("alias/a")).contains(new AliasRecord("alias/a", "key-2", T0));
        assertThat(storage.aliases().find("alias/missing")).isEmpty();
        assertThat(storage.aliases().listByKey("key-1")).isEmpty();
    }

    @Test
    void aliasDeleteReportsWhetherItExisted() {
        storage.keys().create(key("key-1", T0), List.of(), Map.of());
        storage.aliases().create(new AliasRecord("alias/a", "key-1", T0));

        assertThat(storage.aliases().delete("alias/a")).isTrue();
        assertThat(storage.aliases().delete("alias/a")).isFalse();
        assertThat(storage.aliases().find("alias/a")).isEmpty();
        assertThat(storage.keys().find("key-1")).isPresent();
    }

    @Test
    void aliasesAreListedByName() {
        storage.keys().create(key("key-1", T0), List.of(), Map.of());
        storage.keys().create(key("key-2", T0), List.of(), Map.of());
        for (String name : List.of("alias/c", "alias/B", "alias/a", "alias/b")) {
            storage.aliases()
                    .create(new AliasRecord(name, name.endsWith("b") || name.endsWith("B") ? "key-2" : "key-1", T0));
        }

        // Byte order: upper case sorts before lower case on every backend.
        assertThat(storage.aliases().list())
                .extracting(AliasRecord::aliasName)
                .containsExactly("alias/B", "alias/a", "alias/b", "alias/c");
        assertThat(storage.aliases().listByKey("key-1"))
                .extracting(AliasRecord::aliasName)
                .containsExactly("alias/a", "alias/c");
        assertThat(storage.aliases().listByKey("key-2"))
                .extracting(AliasRecord::aliasName)
                .containsExactly("alias/B", "alias/b");
        assertThat(storage.aliases().listByKey("missing")).isEmpty();
    }

    @Test
    void aliasMustPointAtAnExistingKey() {
        assertThatThrownBy(() -> storage.aliases().create(new AliasRecord("alias/a", "missing", T0)))
                .isInstanceOf(StorageException.class);
        assertThat(storage.aliases().list()).isEmpty();
    }

    // ---------------------------------------------------------------- tags

    @Test
    void tagsAreListedByTagKey() {
        storage.tags().put("key", "key-1", Map.of("team", "a", "Env", "prod", "cost", "42", "empty", ""));

        assertThat(storage.tags().list("key", "key-1"))
                .containsExactly(
                        Map.entry("Env", "prod"),
                        Map.entry("cost", "42"),
                        Map.entry("empty", ""),
                        Map.entry("team", "a"));
        assertThat(storage.tags().list("key", "untagged")).isEmpty();
    }

    /**
     * Text sorts by code point, which is the byte order of its UTF-8 form (SQLite's BINARY collation, the "C"
     * collation of the PostgreSQL schema), not by UTF-16 unit as String.compareTo does: U+E000 (EE 80 80)
     * before U+1F600 (F0 9F 98 80), although the latter's first UTF-16 unit (D83D) is the smaller.
     */
    @Test
    void textSortsByCodePoint() {
        String privateUse = "\uE000";
        String emoji = "\uD83D\uDE00";
        storage.tags().put("key", "key-1", Map.of(emoji, "1", privateUse, "2", "z", "3"));
        storage.keys().create(key("key-1", T0), List.of(), Map.of());
        storage.aliases().create(new AliasRecord("alias/" + emoji, "key-1", T0));
        storage.aliases().create(new AliasRecord("alias/" + privateUse, "key-1", T0));

        assertThat(storage.tags().list("key", "key-1").keySet()).containsExactly("z", privateUse, emoji);
        assertThat(storage.aliases().list())
                .extracting(AliasRecord::aliasName)
                .containsExactly("alias/" + privateUse, "alias/" + emoji);
    }

    @Test
    void putOverwritesExistingTagValuesAndKeepsOthers() {
        storage.tags().put("key", "key-1", Map.of("env", "dev", "team", "a"));

        storage.tags().put("key", "key-1", Map.of("env", "prod", "owner", "me"));

        assertThat(storage.tags().list("key", "key-1"))
                .containsExactly(Map.entry("env", "prod"), Map.entry("owner", "me"), Map.entry("team", "a"));
    }

    @Test
    void putOfNothingChangesNothing() {
        storage.tags().put("key", "key-1", Map.of());
        assertThat(storage.tags().listAll("key")).isEmpty();
    }

    @Test
    void removeDeletesGivenKeysAndIgnoresUnknownOnes() {
        storage.tags().put("key", "key-1", Map.of("a", "1", "b", "2", "c", "3"));
        storage.tags().put("key", "key-2", Map.of("a", "1"));

        storage.tags().remove("key", "key-1", List.of("a", "unknown", "c"));
        storage.tags().remove("key", "missing-resource", List.of("a"));
        storage.tags().remove("key", "key-1", List.of());

        assertThat(storage.tags().list("key", "key-1")).containsExactly(Map.entry("b", "2"));
        assertThat(storage.tags().list("key", "key-2")).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void removeAllClearsOneResourceOnly() {
        storage.tags().put("key", "key-1", Map.of("a", "1", "b", "2"));
        storage.tags().put("key", "key-2", Map.of("a", "1"));
        storage.tags().put("secret", "key-1", Map.of("a", "1"));

        storage.tags().removeAll("key", "key-1");
        storage.tags().removeAll("key", "missing");

        assertThat(storage.tags().list("key", "key-1")).isEmpty();
        assertThat(storage.tags().list("key", "key-2")).containsExactly(Map.entry("a", "1"));
        assertThat(storage.tags().list("secret", "key-1")).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void listAllOrdersByResourceIdThenTagKeyWithinOneType() {
        storage.tags().put("key", "key-b", Map.of("z", "1", "a", "2"));
        storage.tags().put("key", "key-a", Map.of("m", "3"));
        storage.tags().put("secret", "secret-1", Map.of("a", "4"));

        assertThat(storage.tags().listAll("key"))
                .containsExactly(
                        new TagRecord("key", "key-a", "m", "3"),
                        new TagRecord("key", "key-b", "a", "2"),
                        new TagRecord("key", "key-b", "z", "1"));
        assertThat(storage.tags().listAll("secret")).containsExactly(new TagRecord("secret", "secret-1", "a", "4"));
        assertThat(storage.tags().listAll("nothing")).isEmpty();
    }

    // ---------------------------------------------------------------- access keys

    @Test
    void accessKeyRoundTrips() {
        AccessKeyRecord ak = new AccessKeyRecord("LTAI0123456789", bytes(9, 60), "root", "Active", T0);

        storage.accessKeys().create(ak);

        assertAccessKey(storage.accessKeys().find("LTAI0123456789").orElseThrow(), ak);
        assertThat(storage.accessKeys().find("missing")).isEmpty();
    }

    @Test
    void accessKeysAreListedByCreationDateThenId() {
        AccessKeyRecord b = new AccessKeyRecord("ak-b", bytes(1, 16), "root", "Active", T0);
        AccessKeyRecord c = new AccessKeyRecord("ak-c", bytes(2, 16), "root", "Inactive", T0.minusSeconds(1));
        AccessKeyRecord a = new AccessKeyRecord("ak-a", bytes(3, 16), "alice", "Active", T0);
        storage.accessKeys().create(b);
        storage.accessKeys().create(c);
        storage.accessKeys().create(a);

        assertThat(storage.accessKeys().list()).usingRecursiveComparison().isEqualTo(List.of(c, a, b));
    }

    @Test
    void duplicateAccessKeyIdFails() {
        AccessKeyRecord ak = new AccessKeyRecord("ak-1", bytes(1, 16), "root", "Active", T0);
        storage.accessKeys().create(ak);

        assertThatThrownBy(
                        () -> storage.accessKeys().create(new AccessKeyRecord("ak-1", bytes(2, 16), "x", "Active", T0)))
                .isInstanceOf(StorageException.class);
        assertAccessKey(storage.accessKeys().find("ak-1").orElseThrow(), ak);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentCreatesUpdatesAndReadsSucceed() throws Exception {
        int threads = 8;
        int keysPerThread = 15;
        runConcurrently(threads, t -> {
            for (int i = 0; i < keysPerThread; i++) {
                String id = "key-" + t + "-" + i;
                KeyRecord k = key(id, T0.plusMillis(i));
                storage.keys().create(k, List.of(version(id, id + "-v1", T0, bytes(i, 32))), Map.of("thread", "" + t));
                KeyRecord described = k.withDescription("updated " + id);
                assertThat(storage.keys().update(described, k.revision())).isTrue();
                KeyRecord rotated = described.withPrimaryVersion(id + "-v2", T0.plusSeconds(1));
                assertThat(storage.keys()
                                .addVersion(
                                        rotated,
                                        described.revision(),
                                        version(id, id + "-v2", T0.plusSeconds(1), bytes(i + 1, 32))))
                        .isTrue();
                assertThat(storage.aliases().create(new AliasRecord("alias/" + id, id, T0)))
                        .isTrue();
                storage.tags().put("key", id, Map.of("i", "" + i));
                assertThat(storage.keys().find(id)).contains(rotated);
                assertThat(storage.keys().list()).isNotEmpty();
            }
            return null;
        });

        assertThat(storage.keys().list())
                .hasSize(threads * keysPerThread)
                .allSatisfy(k -> assertThat(k.description()).startsWith("updated "));
        assertThat(storage.aliases().list()).hasSize(threads * keysPerThread);
        assertThat(storage.tags().listAll("key")).hasSize(threads * keysPerThread * 2);
        assertThat(storage.keys().versions("key-3-7"))
                .extracting(KeyVersionRecord::keyVersionId)
                .containsExactly("key-3-7-v1", "key-3-7-v2");
    }

    @Test
    void concurrentOptimisticUpdatesOfOneKeyLoseNothing() throws Exception {
        KeyRecord original = key("key-1", T0).withDescription("0");
        storage.keys().create(original, List.of(), Map.of());
        int threads = 8;
        int incrementsPerThread = 10;
        AtomicInteger conflicts = new AtomicInteger();

        // Each thread increments a counter kept in the description with read-modify-write; a lost update
        // would show as a final count below threads * increments.
        runConcurrently(threads, t -> {
            for (int i = 0; i < incrementsPerThread; i++) {
                while (true) {
                    KeyRecord current = storage.keys().find("key-1").orElseThrow();
                    KeyRecord next =
                            current.withDescription(Integer.toString(Integer.parseInt(current.description()) + 1));
                    if (storage.keys().update(next, current.revision())) {
                        break;
                    }
                    conflicts.incrementAndGet();
                }
            }
            return null;
        });

        KeyRecord last = storage.keys().find("key-1").orElseThrow();
        assertThat(last.description()).isEqualTo(Integer.toString(threads * incrementsPerThread));
        assertThat(last.revision()).isEqualTo(original.revision() + threads * incrementsPerThread);
    }

    @Test
    void ofConcurrentAddVersionsOnOneRevisionExactlyOneWins() throws Exception {
        KeyRecord original = key("key-1", T0);
        storage.keys().create(original, List.of(version("key-1", "ver-0", T0, bytes(0, 32))), Map.of());
        int threads = 8;

        List<Boolean> results = runConcurrently(
                threads,
                t -> storage.keys()
                        .addVersion(
                                original.withPrimaryVersion("ver-" + (t + 1), T0.plusSeconds(1)),
                                original.revision(),
                                version("key-1", "ver-" + (t + 1), T0.plusSeconds(1), bytes(t + 1, 32))));

        assertThat(results).containsOnlyOnce(true);
        String winner = "ver-" + (results.indexOf(true) + 1);
        assertThat(storage.keys().find("key-1").orElseThrow().primaryKeyVersion())
                .isEqualTo(winner);
        assertThat(storage.keys().versions("key-1"))
                .extracting(KeyVersionRecord::keyVersionId)
                .containsExactly("ver-0", winner);
    }

    @Test
    void ofConcurrentCreatesOfOneAliasExactlyOneWins() throws Exception {
        storage.keys().create(key("key-1", T0), List.of(), Map.of());

        List<Boolean> results =
                runConcurrently(8, t -> storage.aliases().create(new AliasRecord("alias/x", "key-1", T0)));

        assertThat(results).containsOnlyOnce(true);
        assertThat(storage.aliases().list()).hasSize(1);
    }

    // ---------------------------------------------------------------- durability

    @Test
    void closeAndReopenKeepsEverything() {
        KeyVersionRecord v1 = version("key-1", "ver-1", T0, bytes(1, 32));
        KeyVersionRecord v2 = version("key-1", "ver-2", T0.plusSeconds(1), bytes(2, 32));
        KeyRecord key = key("key-1", T0).withPrimaryVersion("ver-1", T0);
        storage.keys().create(key, List.of(v1), Map.of("env", "prod"));
        KeyRecord rotated = key.withPrimaryVersion("ver-2", T0.plusSeconds(1));
        storage.keys().addVersion(rotated, key.revision(), v2);
        AliasRecord alias = new AliasRecord("alias/a", "key-1", T0);
        storage.aliases().create(alias);
        storage.tags().put("secret", "s-1", Map.of("k", "v"));
        AccessKeyRecord ak = new AccessKeyRecord("ak-1", bytes(3, 48), "root", "Active", T0);
        storage.accessKeys().create(ak);

        storage.close();
        storage = null;
        storage = reopenStorage();

        assertThat(storage.keys().list()).containsExactly(rotated);
        assertVersions(storage.keys().versions("key-1"), v1, v2);
        assertThat(storage.aliases().list()).containsExactly(alias);
        assertThat(storage.tags().list("key", "key-1")).containsExactly(Map.entry("env", "prod"));
        assertThat(storage.tags().listAll("secret")).containsExactly(new TagRecord("secret", "s-1", "k", "v"));
        assertAccessKey(storage.accessKeys().find("ak-1").orElseThrow(), ak);
        // And the reopened storage is writable.
        assertThat(storage.keys().update(rotated.withDescription("after reopen"), rotated.revision()))
                .isTrue();
    }

    // ---------------------------------------------------------------- secrets

    @Test
    void secretRoundTripsEveryField() {
        SecretRecord s = new SecretRecord(
                "db/prod",
                SecretType.Rds,
                "描述 'quoted'",
                "key-1",
                "{\"SecretSubType\":\"SingleUser\"}",
                true,
                604_800L,
                T0.plusSeconds(5),
                T0,
                T0.plusSeconds(6),
                T0.plusSeconds(7),
                "PostgreSQL refused: 28P01",
                T0.plusSeconds(8),
                "root",
                "kst-hzz6812a0f7xqmx8c1a2",
                3L);
        SecretVersionRecord v = secretVersion("db/prod", "v1", T0, Set.of("ACSCurrent", "custom-1"));
        assertThat(storage.secrets().create(s, List.of(v), Map.of("team", "db")))
                .isTrue();
        assertThat(storage.secrets().find("db/prod")).contains(s);
        assertSecretVersions(storage.secrets().versions("db/prod"), v);
        assertThat(storage.tags().list("secret", "db/prod")).containsExactly(Map.entry("team", "db"));
    }

    @Test
    void secretNullableFieldsRoundTripAsNull() {
        SecretRecord s = secret("plain", T0);
        storage.secrets().create(s, List.of(), Map.of());
        assertThat(storage.secrets().find("plain")).contains(s);
        assertThat(storage.secrets().find("missing")).isEmpty();
        assertThat(storage.secrets().versions("missing")).isEmpty();
    }

    @Test
    void createOfATakenSecretNameReturnsFalseAndWritesNothing() {
        storage.secrets()
                .create(secret("s", T0), List.of(secretVersion("s", "v1", T0, Set.of("ACSCurrent"))), Map.of());
        SecretRecord other = secret("s", T0.plusSeconds(1)).withDescription("other", T0);
        assertThat(storage.secrets().create(other, List.of(secretVersion("s", "v2", T0, Set.of())), Map.of("a", "b")))
                .isFalse();
        assertThat(storage.secrets().find("s").orElseThrow().description()).isEqualTo("test secret s");
        assertThat(storage.secrets().versions("s"))
                .extracting(SecretVersionRecord::versionId)
                .containsExactly("v1");
        assertThat(storage.tags().list("secret", "s")).isEmpty();
    }

    @Test
    void secretsAreListedByCreationDateThenName() {
        storage.secrets().create(secret("b", T0), List.of(), Map.of());
        storage.secrets().create(secret("c", T0.minusSeconds(1)), List.of(), Map.of());
        storage.secrets().create(secret("a", T0), List.of(), Map.of());
        assertThat(storage.secrets().list())
                .extracting(SecretRecord::secretName)
                .containsExactly("c", "a", "b");
    }

    @Test
    void secretUpdateIsRevisionChecked() {
        SecretRecord s = secret("s", T0);
        storage.secrets().create(s, List.of(), Map.of());
        SecretRecord next = s.withDescription("new", T0.plusSeconds(1));
        assertThat(storage.secrets().update(next, s.revision())).isTrue();
        assertThat(storage.secrets().update(next.withDescription("stale", T0), s.revision()))
                .isFalse();
        assertThat(storage.secrets().update(secret("missing", T0), 1L)).isFalse();
        assertThat(storage.secrets().find("s")).contains(next);
    }

    @Test
    void saveVersionsInsertsRestagesAndRemovesAtomically() {
        SecretRecord s = secret("s", T0);
        SecretVersionRecord v1 = secretVersion("s", "v1", T0, Set.of("ACSCurrent"));
        SecretVersionRecord v2 = secretVersion("s", "v2", T0.plusSeconds(1), Set.of("ACSPrevious"));
        storage.secrets().create(s, List.of(v1, v2), Map.of());
        SecretVersionRecord v3 = secretVersion("s", "v3", T0.minusSeconds(9), Set.of("ACSCurrent"));
        SecretRecord next = s.touched(T0.plusSeconds(2));
        assertThat(storage.secrets()
                        .saveVersions(
                                next, s.revision(), List.of(v1.withStages(Set.of("ACSPrevious")), v3), List.of("v2")))
                .isTrue();
        // Insertion order, not creation date, orders versions; a restaged version keeps its place and value.
        assertSecretVersions(storage.secrets().versions("s"), v1.withStages(Set.of("ACSPrevious")), v3);
        assertThat(storage.secrets().find("s")).contains(next);
    }

    @Test
    void saveVersionsOnAStaleRevisionWritesNothing() {
        SecretRecord s = secret("s", T0);
        SecretVersionRecord v1 = secretVersion("s", "v1", T0, Set.of("ACSCurrent"));
        storage.secrets().create(s, List.of(v1), Map.of());
        assertThat(storage.secrets()
                        .saveVersions(
                                s.touched(T0),
                                s.revision() + 5,
                                List.of(v1.withStages(Set.of()), secretVersion("s", "v2", T0, Set.of("ACSCurrent"))),
                                List.of("v1")))
                .isFalse();
        assertSecretVersions(storage.secrets().versions("s"), v1);
    }

    @Test
    void secretVersionIdsAreScopedToTheirSecret() {
        storage.secrets()
                .create(secret("a", T0), List.of(secretVersion("a", "v1", T0, Set.of("ACSCurrent"))), Map.of());
        storage.secrets()
                .create(secret("b", T0), List.of(secretVersion("b", "v1", T0, Set.of("ACSCurrent"))), Map.of());
        assertThat(storage.secrets().versions("a")).hasSize(1);
        assertThat(storage.secrets().versions("b")).hasSize(1);
    }

    @Test
    void deleteSecretRemovesVersionsAndTagsOfThatSecretOnly() {
        storage.secrets()
                .create(secret("a", T0), List.of(secretVersion("a", "v1", T0, Set.of("ACSCurrent"))), Map.of("k", "v"));
        storage.secrets()
                .create(secret("b", T0), List.of(secretVersion("b", "v1", T0, Set.of("ACSCurrent"))), Map.of("k", "v"));
        storage.secrets().delete("a");
        assertThat(storage.secrets().find("a")).isEmpty();
        assertThat(storage.secrets().versions("a")).isEmpty();
        assertThat(storage.tags().list("secret", "a")).isEmpty();
        assertThat(storage.secrets().versions("b")).hasSize(1);
        assertThat(storage.tags().list("secret", "b")).hasSize(1);
        // The name is free again.
        assertThat(storage.secrets().create(secret("a", T0), List.of(), Map.of()))
                .isTrue();
    }

    @Test
    void ofConcurrentStageMovesOnOneRevisionExactlyOneWins() throws Exception {
        SecretRecord s = secret("s", T0);
        storage.secrets().create(s, List.of(secretVersion("s", "v0", T0, Set.of("ACSCurrent"))), Map.of());
        List<Boolean> wins = runConcurrently(
                8,
                t -> storage.secrets()
                        .saveVersions(
                                s.touched(T0),
                                s.revision(),
                                List.of(secretVersion("s", "v-" + t, T0, Set.of())),
                                List.of()));
        assertThat(wins).containsOnlyOnce(true);
        assertThat(storage.secrets().versions("s")).hasSize(2);
    }

    @Test
    void secretsSurviveCloseAndReopen() {
        SecretRecord s = secret("s", T0);
        SecretVersionRecord v1 = secretVersion("s", "v1", T0, Set.of("ACSCurrent"));
        storage.secrets().create(s, List.of(v1), Map.of());
        SecretVersionRecord v2 = secretVersion("s", "v2", T0, Set.of("ACSCurrent"));
        storage.secrets()
                .saveVersions(
                        s.touched(T0), s.revision(), List.of(v1.withStages(Set.of("ACSPrevious")), v2), List.of());
        storage.close();
        storage = null;
        storage = reopenStorage();
        assertSecretVersions(storage.secrets().versions("s"), v1.withStages(Set.of("ACSPrevious")), v2);
    }

    // ---------------------------------------------------------------- KMS instance scope of keys and secrets

    @Test
    void instanceOfKeysAndSecretsIsKeptByEveryWrite() {
        KeyRecord scoped = keyInInstance("key-i", T0, "kst-a");
        storage.keys().create(scoped, List.of(version("key-i", "v-1", T0, bytes(1, 40))), Map.of());
        storage.keys().create(key("key-d", T0.plusMillis(1)), List.of(), Map.of());
        KeyRecord described = scoped.withDescription("changed");
        assertThat(storage.keys().update(described, scoped.revision())).isTrue();
        KeyRecord rotated = described.withPrimaryVersion("v-2", T0.plusSeconds(1));
        assertThat(storage.keys().addVersion(rotated, described.revision(), version("key-i", "v-2", T0, bytes(2, 40))))
                .isTrue();
        assertThat(storage.keys().find("key-i")).contains(rotated);
        assertThat(storage.keys().find("key-i").orElseThrow().dkmsInstanceId()).isEqualTo("kst-a");
        assertThat(storage.keys().list())
                .extracting(KeyRecord::keyId, KeyRecord::dkmsInstanceId)
                .containsExactly(tuple("key-i", "kst-a"), tuple("key-d", null));

        SecretRecord secret = secretInInstance("s-i", T0, "kst-a");
        SecretVersionRecord v1 = secretVersion("s-i", "v1", T0, Set.of("ACSCurrent"));
        assertThat(storage.secrets().create(secret, List.of(v1), Map.of())).isTrue();
        storage.secrets().create(secret("s-d", T0.plusMillis(1)), List.of(), Map.of());
        SecretRecord updated = secret.withDescription("changed", T0.plusSeconds(1));
        assertThat(storage.secrets().update(updated, secret.revision())).isTrue();
        SecretRecord touched = updated.touched(T0.plusSeconds(2));
        assertThat(storage.secrets()
                        .saveVersions(
                                touched,
                                updated.revision(),
                                List.of(
                                        v1.withStages(Set.of("ACSPrevious")),
                                        secretVersion("s-i", "v2", T0, Set.of("ACSCurrent"))),
                                List.of()))
                .isTrue();
        assertThat(storage.secrets().find("s-i")).contains(touched);
        assertThat(storage.secrets().list())
                .extracting(SecretRecord::secretName, SecretRecord::dkmsInstanceId)
                .containsExactly(tuple("s-i", "kst-a"), tuple("s-d", null));
    }

    @Test
    void instanceOfKeysAndSecretsSurvivesCloseAndReopen() {
        KeyRecord k = keyInInstance("key-i", T0, "kst-a");
        storage.keys().create(k, List.of(), Map.of());
        SecretRecord s = secretInInstance("s-i", T0, "kst-a");
        storage.secrets().create(s, List.of(secretVersion("s-i", "v1", T0, Set.of("ACSCurrent"))), Map.of());
        storage.close();
        storage = null;
        storage = reopenStorage();
        assertThat(storage.keys().find("key-i")).contains(k);
        assertThat(storage.secrets().find("s-i")).contains(s);
    }

    protected static KeyRecord keyInInstance(String keyId, Instant created, String instanceId) {
        KeyRecord k = key(keyId, created);
        return new KeyRecord(
                k.keyId(),
                k.description(),
                k.keySpec(),
                k.keyUsage(),
                k.origin(),
                k.protectionLevel(),
                k.state(),
                k.creationDate(),
                k.deleteDate(),
                k.primaryKeyVersion(),
                k.rotationIntervalSeconds(),
                k.lastRotationDate(),
                k.deletionProtection(),
                k.deletionProtectionDescription(),
                k.creator(),
                k.materialExpireTime(),
                instanceId,
                k.revision());
    }

    protected static SecretRecord secretInInstance(String name, Instant created, String instanceId) {
        SecretRecord s = secret(name, created);
        return new SecretRecord(
                s.secretName(),
                s.secretType(),
                s.description(),
                s.encryptionKeyId(),
                s.extendedConfig(),
                s.automaticRotation(),
                s.rotationIntervalSeconds(),
                s.lastRotationDate(),
                s.creationDate(),
                s.updateDate(),
                s.plannedDeleteTime(),
                s.rotationFailure(),
                s.rotationFailureDate(),
                s.creator(),
                instanceId,
                s.revision());
    }

    protected static SecretRecord secret(String name, Instant created) {
        return new SecretRecord(
                name,
                SecretType.Generic,
                "test secret " + name,
                "key-1",
                null,
                false,
                0L,
                null,
                created,
                created,
                null,
                null,
                null,
                "root",
                null,
                1L);
    }

    protected static SecretVersionRecord secretVersion(
            String name, String versionId, Instant created, Set<String> stages) {
        return new SecretVersionRecord(name, versionId, created, "text", bytes(versionId.hashCode(), 60), stages);
    }

    protected static void assertSecretVersions(List<SecretVersionRecord> actual, SecretVersionRecord... expected) {
        assertThat(actual).usingRecursiveFieldByFieldElementComparator().containsExactly(expected);
    }

    // ---------------------------------------------------------------- fixtures

    /** An Enabled AES key with every optional field set except the deletion date. */
    protected static KeyRecord key(String keyId, Instant created) {
        return new KeyRecord(
                keyId,
                "test key " + keyId,
                KeySpec.Aliyun_AES_256,
                KeyUsage.ENCRYPT_DECRYPT,
                Origin.Aliyun_KMS,
                "SOFTWARE",
                KeyState.Enabled,
                created,
                null,
                null,
                0L,
                null,
                false,
                null,
                "root",
                null,
                null,
                1L);
    }

    protected static KeyVersionRecord version(String keyId, String versionId, Instant created, byte[] material) {
        return new KeyVersionRecord(keyId, versionId, created, material);
    }

    /** Deterministic pseudo-random bytes. */
    protected static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Byte arrays compared whole with Arrays.equals: the recursive comparison would otherwise visit a 64 KiB
     * array element by element, which took seconds per test.
     */
    protected static void assertVersions(List<KeyVersionRecord> actual, KeyVersionRecord... expected) {
        assertThat(actual)
                .usingRecursiveComparison()
                .withEqualsForType(Arrays::equals, byte[].class)
                .isEqualTo(List.of(expected));
    }

    protected static void assertVersion(Optional<KeyVersionRecord> actual, KeyVersionRecord expected) {
        assertThat(actual).isPresent();
        assertThat(actual.get())
                .usingRecursiveComparison()
                .withEqualsForType(Arrays::equals, byte[].class)
                .isEqualTo(expected);
    }

    protected static void assertAccessKey(AccessKeyRecord actual, AccessKeyRecord expected) {
        assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
    }

    /** Work for one of several threads; {@code thread} is its index. */
    @FunctionalInterface
    protected interface ThreadWork<T> {
        T run(int thread) throws Exception;
    }

    /** Runs {@code work} on {@code threads} threads released at the same moment; rethrows the first failure. */
    protected static <T> List<T> runConcurrently(int threads, ThreadWork<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<T> task = () -> {
                    start.await();
                    return work.run(thread);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- scheduled jobs (Storage#runExclusive): the part every backend shares; PostgresStorageTest adds the
    // exclusion between nodes

    @Test
    void anExclusiveJobRunsAndSaysSo() {
        AtomicInteger runs = new AtomicInteger();
        assertThat(storage.runExclusive("key-maintenance", runs::incrementAndGet))
                .isTrue();
        assertThat(storage.runExclusive("key-maintenance", runs::incrementAndGet))
                .isTrue();
        assertThat(runs).hasValue(2);
    }

    @Test
    void anExclusiveJobWritesThroughTheSameStorage() {
        // On SQLite the job needs the one writer connection, on PostgreSQL another pooled one: neither may deadlock.
        assertThat(storage.runExclusive(
                        "key-maintenance", () -> storage.keys().create(key("job-key", T0), List.of(), Map.of())))
                .isTrue();
        assertThat(storage.keys().find("job-key")).isPresent();
    }

    @Test
    void aFailingExclusiveJobThrowsItsOwnExceptionAndDoesNotKeepTheJob() {
        IllegalStateException failure = new IllegalStateException("job failed");
        assertThatThrownBy(() -> storage.runExclusive("key-maintenance", () -> {
                    throw failure;
                }))
                .isSameAs(failure);
        AtomicInteger runs = new AtomicInteger();
        assertThat(storage.runExclusive("key-maintenance", runs::incrementAndGet))
                .isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void differentJobsDoNotExcludeEachOther() {
        AtomicInteger runs = new AtomicInteger();
        assertThat(storage.runExclusive("key-maintenance", () -> {
                    runs.incrementAndGet();
                    assertThat(storage.runExclusive("secret-maintenance", runs::incrementAndGet))
                            .isTrue();
                }))
                .isTrue();
        assertThat(runs).hasValue(2);
    }

    // ---- database metadata (V5__server_meta.sql)

    @Test
    void aNewDatabaseHasNoRootKeyCheckAndNothingSealed() {
        assertThat(storage.meta().rootKeyCheck()).isEmpty();
        assertThat(storage.meta().holdsSealedData()).isFalse();
        // Identity rows hold nothing sealed: a database with only them may still get a new root key.
        storage.iam().putResourcePolicy("acs:kms:r:1:key/k", "{}");
        storage.tags().put("key", "key-1", Map.of("a", "b"));
        assertThat(storage.meta().holdsSealedData()).isFalse();
    }

    @Test
    void theFirstRecordedRootKeyCheckStays() {
        assertThat(storage.meta().recordRootKeyCheck(bytes(1, 45))).isTrue();
        assertThat(storage.meta().recordRootKeyCheck(bytes(2, 45))).isFalse();
        assertThat(storage.meta().rootKeyCheck())
                .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(1, 45)));
    }

    @Test
    void concurrentNodesRecordExactlyOneRootKeyCheck() throws Exception {
        List<Boolean> won = runConcurrently(8, t -> storage.meta().recordRootKeyCheck(bytes(100 + t, 45)));
        assertThat(won).containsOnlyOnce(true);
        byte[] winner = bytes(100 + won.indexOf(true), 45);
        assertThat(storage.meta().rootKeyCheck())
                .hasValueSatisfying(v -> assertThat(v).isEqualTo(winner));
    }

    @Test
    void keysAccessKeysAndSecretsCountAsSealedData() {
        storage.accessKeys().create(new AccessKeyRecord("ak-1", bytes(3, 48), "root", "Active", T0));
        assertThat(storage.meta().holdsSealedData()).isTrue();
        storage.accessKeys().delete("ak-1");
        assertThat(storage.meta().holdsSealedData()).isFalse();
        storage.keys().create(key("key-1", T0), List.of(version("key-1", "ver-1", T0, bytes(1, 60))), Map.of());
        assertThat(storage.meta().holdsSealedData()).isTrue();
        storage.keys().delete("key-1");
        assertThat(storage.meta().holdsSealedData()).isFalse();
        assertThat(storage.secrets()
                        .create(secret("s", T0), List.of(secretVersion("s", "v1", T0, Set.of("ACSCurrent"))), Map.of()))
                .isTrue();
        assertThat(storage.meta().holdsSealedData()).isTrue();
    }

    @Test
    void theRootKeyCheckSurvivesCloseAndReopen() {
        storage.meta().recordRootKeyCheck(bytes(7, 45));
        storage.close();
        storage = null;
        storage = reopenStorage();
        assertThat(storage.meta().rootKeyCheck())
                .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(7, 45)));
        assertThat(storage.meta().recordRootKeyCheck(bytes(8, 45))).isFalse();
    }

    // ---- identity (V3__iam.sql)

    @Test
    void iamUsersRolesPoliciesAndAttachmentsRoundTrip() {
        var iam = storage.iam();
        java.time.Instant t = java.time.Instant.ofEpochMilli(1_700_000_000_000L);
        iam.createUser(new org.openkms.core.iam.RamUser("1000000000000001", "alice", "Alice", "c", t, t));
        iam.createUser(new org.openkms.core.iam.RamUser("1000000000000002", "bob", "bob", "", t, t));
        assertThat(iam.listUsers())
                .extracting(org.openkms.core.iam.RamUser::userName)
                .containsExactly("alice", "bob");
        assertThat(iam.listUsers().get(0))
                .isEqualTo(new org.openkms.core.iam.RamUser("1000000000000001", "alice", "Alice", "c", t, t));
        assertThatThrownBy(() -> iam.createUser(new org.openkms.core.iam.RamUser("1", "alice", "a", "", t, t)))
                .isInstanceOf(org.openkms.core.error.StorageException.class);
        assertThat(iam.deleteUser("bob")).isTrue();
        assertThat(iam.deleteUser("bob")).isFalse();

        var role = new org.openkms.core.iam.RamRole(
                "3000000000000000001", "Reader", "d", "{\"Version\":\"1\"}", 3600, t, t);
        iam.createRole(role);
        assertThat(iam.listRoles()).containsExactly(role);
        var policy = new org.openkms.core.iam.PolicyRecord("p1", "Custom", "", "{}", t, t);
        iam.createPolicy(policy);
        assertThat(iam.listPolicies()).containsExactly(policy);

        var a = new org.openkms.core.iam.Attachment("User", "alice", "Custom", "p1", t);
        iam.attach(a);
        iam.attach(new org.openkms.core.iam.Attachment(
                "Role", "Reader", "System", "AliyunKMSFullAccess", t.plusSeconds(1)));
        assertThat(iam.listAttachments()).hasSize(2).contains(a);
        assertThat(iam.detach("User", "alice", "Custom", "p1")).isTrue();
        assertThat(iam.detach("User", "alice", "Custom", "p1")).isFalse();
        assertThat(iam.deletePolicy("p1")).isTrue();
        assertThat(iam.deleteRole("Reader")).isTrue();
        assertThat(iam.listRoles()).isEmpty();
    }

    @Test
    void oidcProvidersRoundTripUpdateAndDelete() {
        var iam = storage.iam();
        java.time.Instant t = java.time.Instant.ofEpochMilli(1_700_000_000_123L);
        var k8s = new org.openkms.core.iam.OidcProvider(
                "ack-rrsa",
                "https://oidc.example.com/cluster",
                List.of("902ef2deeb3c5b13ea4c3d5193629309e231ae55"),
                List.of("sts.aliyuncs.com", "app"),
                12,
                "cluster issuer",
                t,
                t);
        var local = new org.openkms.core.iam.OidcProvider(
                "a-local", "http://127.0.0.1:9000", List.of(), List.of(), 1, "", t, t);
        iam.createOidcProvider(k8s);
        iam.createOidcProvider(local);
        assertThat(iam.listOidcProviders()).containsExactly(local, k8s);
        assertThatThrownBy(() -> iam.createOidcProvider(k8s))
                .isInstanceOf(org.openkms.core.error.StorageException.class);

        var updated = k8s.withClientIds(List.of("sts.aliyuncs.com"), t.plusSeconds(5));
        assertThat(iam.updateOidcProvider(updated)).isTrue();
        assertThat(iam.listOidcProviders()).containsExactly(local, updated);
        assertThat(iam.updateOidcProvider(new org.openkms.core.iam.OidcProvider(
                        "missing", "https://x", List.of(), List.of(), 1, "", t, t)))
                .isFalse();
        assertThat(iam.deleteOidcProvider("ack-rrsa")).isTrue();
        assertThat(iam.deleteOidcProvider("ack-rrsa")).isFalse();
        assertThat(iam.listOidcProviders()).containsExactly(local);
    }

    @Test
    void resourcePoliciesAreReplacedWhole() {
        var iam = storage.iam();
        assertThat(iam.findResourcePolicy("acs:kms:r:1:key/k")).isEmpty();
        iam.putResourcePolicy("acs:kms:r:1:key/k", "one");
        iam.putResourcePolicy("acs:kms:r:1:key/k", "two");
        assertThat(iam.findResourcePolicy("acs:kms:r:1:key/k")).contains("two");
    }

    @Test
    void accessKeysCanBeDisabledAndDeleted() {
        var keys = storage.accessKeys();
        keys.create(new AccessKeyRecord(
                "LTAIiam0000000000000001", new byte[] {1}, "alice", "Active", java.time.Instant.ofEpochMilli(1)));
        assertThat(keys.updateStatus("LTAIiam0000000000000001", "Inactive")).isTrue();
        assertThat(keys.find("LTAIiam0000000000000001").orElseThrow().active()).isFalse();
        assertThat(keys.updateStatus("nope", "Inactive")).isFalse();
        assertThat(keys.delete("LTAIiam0000000000000001")).isTrue();
        assertThat(keys.find("LTAIiam0000000000000001")).isEmpty();
        assertThat(keys.delete("LTAIiam0000000000000001")).isFalse();
    }

    @Test
    void accessPointDocumentsArePutListedAndDeleted() {
        var aap = storage.accessPoints();
        aap.put("Policy", "b", "{\"v\":1}");
        aap.put("Policy", "a", "{\"v\":2}");
        aap.put("Policy", "a", "{\"v\":3}");
        aap.put("NetworkRule", "a", "{}");
        assertThat(aap.list("Policy"))
                .containsExactly(java.util.Map.entry("a", "{\"v\":3}"), java.util.Map.entry("b", "{\"v\":1}"));
        assertThat(aap.delete("Policy", "a")).isTrue();
        assertThat(aap.delete("Policy", "a")).isFalse();
        assertThat(aap.list("Policy")).containsOnlyKeys("b");
        assertThat(aap.list("NetworkRule")).containsOnlyKeys("a");
    }

    // ---- KMS instances (kms_instances)

    @Test
    void instancesAreCreatedOnceFoundAndListedById() {
        var instances = storage.instances();
        var b = new org.openkms.core.instance.InstanceRecord(
                "kst-b", "b", "InUse", T0, "-----CA b-----", new byte[] {1, 2}, "-----TLS b-----", new byte[] {3});
        var a = new org.openkms.core.instance.InstanceRecord(
                "kst-a", "a", "InUse", T0.plusMillis(1), "ca", new byte[] {0, (byte) 0xff}, "tls", new byte[] {9, 8});
        assertThat(instances.list()).isEmpty();
        assertThat(instances.find("kst-a")).isEmpty();
        assertThat(instances.create(b)).isTrue();
        assertThat(instances.create(a)).isTrue();
        var clash = new org.openkms.core.instance.InstanceRecord(
                "kst-a", "other", "InUse", T0, "x", new byte[] {1}, "y", new byte[] {1});
        assertThat(instances.create(clash)).isFalse();
        var found = instances.find("kst-a").orElseThrow();
        assertThat(found.instanceName()).isEqualTo("a");
        assertThat(found.createTime()).isEqualTo(T0.plusMillis(1));
        assertThat(found.sealedCaKey()).containsExactly(0, 0xff);
        assertThat(found.sealedKey()).containsExactly(9, 8);
        assertThat(found.caCertificatePem()).isEqualTo("ca");
        assertThat(found.certificatePem()).isEqualTo("tls");
        assertThat(instances.list())
                .extracting(org.openkms.core.instance.InstanceRecord::instanceId)
                .containsExactly("kst-a", "kst-b");
    }

    @Test
    void instanceWithAMissingColumnIsRefused() {
        var incomplete = new org.openkms.core.instance.InstanceRecord(
                "kst-c", "c", "InUse", T0, "ca", null, "tls", new byte[] {1});
        assertThatThrownBy(() -> storage.instances().create(incomplete)).isInstanceOf(StorageException.class);
        assertThat(storage.instances().list()).isEmpty();
    }
}
