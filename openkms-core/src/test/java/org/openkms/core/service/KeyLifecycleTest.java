package org.openkms.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.Account;
import org.openkms.core.KmsSettings;
import org.openkms.core.MutableClock;
import org.openkms.core.error.KmsException;
import org.openkms.core.key.CreateKeyRequest;
import org.openkms.core.key.CryptoService;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyState;
import org.openkms.core.key.Origin;
import org.openkms.core.store.memory.InMemoryStorage;
import org.openkms.crypto.rootkey.FileRootKeyProvider;

/**
 * The domain core on InMemoryStorage (held to the SQL backends' behaviour by the storage contract suite) with a
 * clock the test moves: the key state machine, the deletion
 * job, automatic rotation, and that ciphertexts survive rotation and a reopen of the store.
 */
class KeyLifecycleTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private InMemoryStorage storage;
    private Kms kms;

    /** Called again by a test, it restarts: a new handle on the same data and a new Kms with cold caches. */
    @BeforeEach
    void open() {
        storage = storage == null ? new InMemoryStorage() : storage.reopen();
        kms = new Kms(
                new Account("1234567890123456", "cn-hangzhou"),
                storage,
                FileRootKeyProvider.openOrCreate(dir.resolve("root.key")),
                KmsSettings.defaults(),
                clock);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private KeyRecord newKey(KeySpec spec, long rotationSeconds) {
        return kms.keys()
                .createKey(new CreateKeyRequest(
                        "d", spec, null, Origin.Aliyun_KMS, "SOFTWARE", rotationSeconds, Map.of()));
    }

    @Test
    void theInstanceOfAKeyOrSecretIsKeptByEveryChangeAndAReopen() {
        KeyRecord key = kms.keys()
                .createKey(new CreateKeyRequest(
                        "d", KeySpec.Aliyun_AES_256, null, Origin.Aliyun_KMS, "SOFTWARE", 0, Map.of(), "kst-a"));
        KeyRecord plain = newKey(KeySpec.Aliyun_AES_256, 0);
        assertThat(key.dkmsInstanceId()).isEqualTo("kst-a");
        assertThat(key.inInstance("kst-a")).isTrue();
        assertThat(key.inInstance("kst-b")).isFalse();
        assertThat(plain.dkmsInstanceId()).isNull();
        assertThat(plain.inInstance(null)).isFalse(); // a default key is in no instance, whatever the gateway's id
        kms.keys().updateKeyDescription(key.keyId(), "changed");
        kms.keys().disableKey(key.keyId());
        kms.keys().enableKey(key.keyId());
        kms.keys().updateRotationPolicy(key.keyId(), true, "604800s");
        kms.keys().setDeletionProtection(key.keyId(), true, "keep");

        kms.secrets()
                .createSecret(new org.openkms.core.secret.CreateSecretRequest(
                        "in-instance",
                        "v1",
                        "one",
                        null,
                        org.openkms.core.secret.SecretType.Generic,
                        null,
                        key.keyId(),
                        null,
                        false,
                        0,
                        Map.of(),
                        "kst-a"));
        kms.secrets().putSecretValue("in-instance", "v2", "two", null, null);
        kms.secrets().updateSecret("in-instance", "changed", null);

        storage.close();
        open();
        assertThat(kms.keys().describeKey(key.keyId()).dkmsInstanceId()).isEqualTo("kst-a");
        assertThat(kms.keys().describeKey(key.keyId()).description()).isEqualTo("changed");
        assertThat(kms.keys().describeKey(plain.keyId()).dkmsInstanceId()).isNull();
        assertThat(kms.secrets().describeSecret("in-instance").dkmsInstanceId()).isEqualTo("kst-a");
    }

    @Test
    void keysAliasesAndVersionsStopAtTheirCountLimits() {
        // The documented limits (10,000 keys, 10,000 aliases, 50 versions a key) with small numbers: the same
        // checks, reached in milliseconds. LimitsTest reaches the real 50 versions over HTTP.
        kms = new Kms(
                new Account("1234567890123456", "cn-hangzhou"),
                storage,
                FileRootKeyProvider.openOrCreate(dir.resolve("root.key")),
                new KmsSettings(3, 2, 4, Duration.ZERO, Duration.ofDays(7), Duration.ofDays(730)),
                clock);
        KeyRecord first = newKey(KeySpec.Aliyun_AES_256, 0);
        newKey(KeySpec.Aliyun_AES_256, 0);
        newKey(KeySpec.Aliyun_AES_256, 0);
        assertCode(() -> newKey(KeySpec.Aliyun_AES_256, 0), "Rejected.LimitExceeded");

        kms.aliases().createAlias("alias/one", first.keyId());
        kms.aliases().createAlias("alias/two", first.keyId());
        assertCode(() -> kms.aliases().createAlias("alias/three", first.keyId()), "Rejected.LimitExceeded");

        for (int n = 2; n <= 4; n++) {
            kms.keys().createKeyVersion(first.keyId());
        }
        assertCode(() -> kms.keys().createKeyVersion(first.keyId()), "Rejected.LimitExceeded");
    }

    @Test
    void deletionJobDestroysTheKeyWhenTheWindowEndsAndNotBefore() {
        KeyRecord k = newKey(KeySpec.Aliyun_AES_256, 0);
        byte[] blob = kms.crypto().encrypt(k.keyId(), bytes("x"), Map.of()).ciphertextBlob();
        kms.aliases().createAlias("alias/doomed", k.keyId());
        kms.keys().scheduleKeyDeletion(k.keyId(), 7);
        assertThat(kms.keys().describeKey(k.keyId()).deleteDate())
                .isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        assertCode(() -> kms.crypto().decrypt(blob, Map.of()), "Rejected.PendingDeletion");

        clock.advance(Duration.ofDays(6));
        assertThat(kms.maintenance().runOnce()).isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(kms.maintenance().runOnce()).isEqualTo(1);

        assertCode(() -> kms.keys().describeKey(k.keyId()), "Forbidden.KeyNotFound");
        assertCode(() -> kms.keys().describeKey("alias/doomed"), "Forbidden.AliasNotFound");
        assertCode(() -> kms.crypto().decrypt(blob, Map.of()), "Forbidden.KeyNotFound");
        assertThat(storage.keys().versions(k.keyId())).isEmpty();
    }

    @Test
    void automaticRotationMakesANewPrimaryAndOldCiphertextsStillDecrypt() {
        KeyRecord k = newKey(KeySpec.Aliyun_SM4, Duration.ofDays(7).toSeconds());
        CryptoService.Encrypted before = kms.crypto().encrypt(k.keyId(), bytes("old"), Map.of("a", "b"));
        clock.advance(Duration.ofDays(7));
        assertThat(kms.maintenance().runOnce()).isEqualTo(1);
        KeyRecord rotated = kms.keys().describeKey(k.keyId());
        assertThat(rotated.primaryKeyVersion()).isNotEqualTo(k.primaryKeyVersion());
        assertThat(rotated.lastRotationDate()).isEqualTo(clock.instant());
        assertThat(rotated.nextRotationDate()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        CryptoService.Encrypted after = kms.crypto().encrypt(k.keyId(), bytes("new"), Map.of());
        assertThat(after.keyVersionId()).isEqualTo(rotated.primaryKeyVersion());
        assertThat(kms.crypto()
                        .decrypt(before.ciphertextBlob(), Map.of("a", "b"))
                        .plaintext())
                .isEqualTo(bytes("old"));
        assertThat(kms.crypto()
                        .decrypt(before.ciphertextBlob(), Map.of("a", "b"))
                        .keyVersionId())
                .isEqualTo(k.primaryKeyVersion());
    }

    @Test
    void rotationIsSuspendedWhileTheKeyIsDisabled() {
        KeyRecord k = newKey(KeySpec.Aliyun_AES_256, Duration.ofDays(7).toSeconds());
        kms.keys().disableKey(k.keyId());
        assertThat(kms.keys().describeKey(k.keyId()).automaticRotationStatus()).isEqualTo("Suspended");
        clock.advance(Duration.ofDays(30));
        assertThat(kms.maintenance().runOnce()).isZero();
        kms.keys().enableKey(k.keyId());
        assertThat(kms.maintenance().runOnce()).isEqualTo(1);
    }

    @Test
    void stateMachineFollowsAlibabasTable() {
        KeyRecord k = newKey(KeySpec.Aliyun_AES_128, 0);
        kms.keys().enableKey(k.keyId()); // idempotent
        kms.keys().disableKey(k.keyId());
        kms.keys().disableKey(k.keyId()); // idempotent
        assertCode(() -> kms.crypto().encrypt(k.keyId(), bytes("x"), Map.of()), "Rejected.Disabled");
        assertCode(() -> kms.keys().cancelKeyDeletion(k.keyId()), "Rejected.StateModifiedFailed");
        kms.keys().scheduleKeyDeletion(k.keyId(), 30);
        assertCode(() -> kms.keys().enableKey(k.keyId()), "Rejected.StateModifiedFailed");
        assertCode(() -> kms.keys().disableKey(k.keyId()), "Rejected.StateModifiedFailed");
        assertCode(() -> kms.keys().scheduleKeyDeletion(k.keyId(), 30), "Rejected.StateModifiedFailed");
        assertCode(() -> kms.keys().updateKeyDescription(k.keyId(), "x"), "Rejected.PendingDeletion");
        kms.keys().cancelKeyDeletion(k.keyId());
        assertThat(kms.keys().describeKey(k.keyId()).state()).isEqualTo(KeyState.Enabled);
        assertThat(kms.keys().describeKey(k.keyId()).deleteDate()).isNull();
    }

    @Test
    void externalKeysWaitForMaterialAndRefuseCrypto() {
        KeyRecord k = kms.keys()
                .createKey(new CreateKeyRequest(
                        "", KeySpec.Aliyun_AES_256, null, Origin.EXTERNAL, "SOFTWARE", 0, Map.of()));
        assertThat(k.state()).isEqualTo(KeyState.PendingImport);
        assertCode(() -> kms.crypto().encrypt(k.keyId(), bytes("x"), Map.of()), "Rejected.PendingImport");
        assertCode(() -> kms.keys().enableKey(k.keyId()), "Rejected.StateModifiedFailed");
    }

    @Test
    void deletionProtectionBlocksScheduling() {
        KeyRecord k = newKey(KeySpec.Aliyun_AES_256, 0);
        kms.keys().setDeletionProtection(k.keyId(), true, "prod");
        assertCode(() -> kms.keys().scheduleKeyDeletion(k.keyId(), 7), "Rejected.DeletionProtection");
        kms.keys().setDeletionProtection(k.keyId(), false, null);
        kms.keys().scheduleKeyDeletion(k.keyId(), 7);
    }

    @Test
    void keysAndCiphertextsSurviveReopeningTheStore() {
        KeyRecord k = newKey(KeySpec.Aliyun_AES_256, 0);
        byte[] blob = kms.crypto()
                .encrypt(k.keyId(), bytes("durable"), Map.of("c", "d"))
                .ciphertextBlob();
        storage.close();
        open();
        assertThat(kms.crypto().decrypt(blob, Map.of("c", "d")).plaintext()).isEqualTo(bytes("durable"));
    }

    @Test
    void disablingTakesEffectImmediatelyDespiteTheCache() {
        KeyRecord k = newKey(KeySpec.Aliyun_AES_256, 0);
        kms.crypto().encrypt(k.keyId(), bytes("warm the cache"), Map.of());
        kms.keys().disableKey(k.keyId());
        assertCode(() -> kms.crypto().encrypt(k.keyId(), bytes("x"), Map.of()), "Rejected.Disabled");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
