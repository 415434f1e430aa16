package org.openkms.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import org.openkms.core.Account;
import org.openkms.core.KmsSettings;
import org.openkms.core.MutableClock;
import org.openkms.core.error.KmsException;
import org.openkms.core.key.CreateKeyRequest;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.Origin;
import org.openkms.core.store.memory.InMemoryStorage;
import org.openkms.crypto.rootkey.FileRootKeyProvider;

/** The domain core on InMemoryStorage with a movable clock; reopen() simulates a restart (same data, cold caches). */
final class KmsFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Path dir;
    InMemoryStorage storage;
    Kms kms;

    KmsFixture(Path dir) {
        this.dir = dir;
        open();
    }

    private void open() {
        storage = storage == null ? new InMemoryStorage() : storage.reopen();
        kms = new Kms(
                new Account("1234567890123456", "cn-hangzhou"),
                storage,
                FileRootKeyProvider.openOrCreate(dir.resolve("root.key")),
                KmsSettings.defaults(),
                clock);
    }

    void reopen() {
        storage.close();
        open();
    }

    KeyRecord create(KeySpec spec, KeyUsage usage) {
        return kms.keys().createKey(new CreateKeyRequest("", spec, usage, Origin.Aliyun_KMS, "SOFTWARE", 0, Map.of()));
    }

    KeyRecord createExternal(KeySpec spec) {
        return kms.keys().createKey(new CreateKeyRequest("", spec, null, Origin.EXTERNAL, "SOFTWARE", 0, Map.of()));
    }

    @Override
    public void close() {
        storage.close();
    }

    static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes());
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
