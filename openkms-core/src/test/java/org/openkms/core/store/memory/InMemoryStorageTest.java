package org.openkms.core.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openkms.core.error.StorageException;
import org.openkms.core.iam.AccessKeyRecord;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyState;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.KeyVersionRecord;
import org.openkms.core.key.Origin;

/**
 * What only the in-memory backend has: handles on shared data, and copies of arrays. Its behaviour as a
 * Storage is checked by the contract suite (openkms-storage's InMemoryStorageTest).
 */
class InMemoryStorageTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aClosedHandleRefusesCallsAndReopenSeesTheData() {
        InMemoryStorage storage = new InMemoryStorage();
        var keys = storage.keys();
        keys.create(key("key-1"), List.of(), Map.of());
        storage.close();
        storage.close(); // idempotent

        assertThatThrownBy(() -> keys.find("key-1"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(storage::changeGeneration).isInstanceOf(StorageException.class);
        InMemoryStorage reopened = storage.reopen();
        assertThat(reopened.keys().find("key-1")).isPresent();
    }

    @Test
    void twoHandlesShareTheDataAndSeeEachOthersWritesInTheChangeGeneration() {
        InMemoryStorage node1 = new InMemoryStorage();
        InMemoryStorage node2 = node1.reopen();
        long before = node2.changeGeneration();

        node1.keys().create(key("key-1"), List.of(), Map.of());

        assertThat(node2.keys().find("key-1")).isPresent();
        assertThat(node2.changeGeneration()).isGreaterThan(before);
        long afterWrite = node2.changeGeneration();
        node1.keys().list();
        node1.meta().recordRootKeyCheck(new byte[] {1});
        assertThat(node2.changeGeneration())
                .as("reads and the root-key check (no node caches it) change nothing")
                .isEqualTo(afterWrite);
    }

    @Test
    void storedArraysAreCopiesInAndOut() {
        InMemoryStorage storage = new InMemoryStorage();
        byte[] material = {1, 2, 3};
        storage.keys().create(key("key-1"), List.of(new KeyVersionRecord("key-1", "v1", T0, material)), Map.of());
        byte[] secret = {4, 5};
        storage.accessKeys().create(new AccessKeyRecord("ak", secret, "root", "Active", T0));
        material[0] = 9;
        secret[0] = 9;
        storage.keys().findVersion("v1").orElseThrow().sealedMaterial()[1] = 9;
        storage.accessKeys().find("ak").orElseThrow().sealedSecret()[1] = 9;

        assertThat(storage.keys().findVersion("v1").orElseThrow().sealedMaterial())
                .containsExactly(1, 2, 3);
        assertThat(storage.accessKeys().find("ak").orElseThrow().sealedSecret()).containsExactly(4, 5);
    }

    @Test
    void byteOrderIsCodePointOrder() {
        assertThat(List.of("b", "\uD83D\uDE00", "B", "\uE000", "", "a", "ab").stream()
                        .sorted(Tables.BYTE_ORDER)
                        .toList())
                .containsExactly("", "B", "a", "ab", "b", "\uE000", "\uD83D\uDE00");
    }

    private static KeyRecord key(String id) {
        return new KeyRecord(
                id,
                "",
                KeySpec.Aliyun_AES_256,
                KeyUsage.ENCRYPT_DECRYPT,
                Origin.Aliyun_KMS,
                "SOFTWARE",
                KeyState.Enabled,
                T0,
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
}
