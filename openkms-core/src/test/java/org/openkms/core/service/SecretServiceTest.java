package org.openkms.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.Account;
import org.openkms.core.KmsSettings;
import org.openkms.core.MutableClock;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.AccessKeyRepository;
import org.openkms.core.key.AliasRepository;
import org.openkms.core.key.KeyRepository;
import org.openkms.core.secret.CreateSecretRequest;
import org.openkms.core.secret.ManagedAccount;
import org.openkms.core.secret.SecretMaintenance;
import org.openkms.core.secret.SecretRepository;
import org.openkms.core.secret.SecretRotation;
import org.openkms.core.secret.SecretType;
import org.openkms.core.secret.rotation.RotationException;
import org.openkms.core.secret.rotation.SecretRotator;
import org.openkms.core.store.Storage;
import org.openkms.core.store.memory.InMemoryStorage;
import org.openkms.core.tag.TagRepository;
import org.openkms.crypto.rootkey.FileRootKeyProvider;

/**
 * SecretService on InMemoryStorage with a movable clock and an in-memory rotator: the hot path reads no database,
 * scheduled rotation and its retry pause, and the end of the deletion window.
 */
class SecretServiceTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger secretReads = new AtomicInteger();
    private final FakeRotator rotator = new FakeRotator();
    /** The data, and the read-counting view of it the Kms uses. */
    private InMemoryStorage data;

    private Storage storage;
    private Kms kms;
    private final java.util.List<SecretRotation.Outcome> outcomes = new java.util.ArrayList<>();

    /** Called again by a test, it restarts: a new handle on the same data and a new Kms with cold caches. */
    @BeforeEach
    void open() {
        data = data == null ? new InMemoryStorage() : data.reopen();
        storage = counting(data);
        kms = new Kms(
                new Account("1234567890123456", "cn-hangzhou"),
                storage,
                FileRootKeyProvider.openOrCreate(dir.resolve("root.key")),
                KmsSettings.defaults(),
                clock);
        kms.secrets().rotation().register(rotator);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void warmGetSecretValueOfTheCurrentVersionReadsNoDatabase() {
        generic("hot", "v1", "value");
        kms.secrets().getSecretValue("hot", null, null); // warms the secret and its key
        secretReads.set(0);
        for (int i = 0; i < 100; i++) {
            assertThat(kms.secrets().getSecretValue("hot", null, null).data()).isEqualTo("value");
        }
        assertThat(secretReads.get()).isZero();
        // A write invalidates: the next read sees the new value.
        kms.secrets().putSecretValue("hot", "v2", "new", null, null);
        assertThat(kms.secrets().getSecretValue("hot", null, null).data()).isEqualTo("new");
    }

    @Test
    void scheduledRotationRunsWhenDueAndPausesAfterAFailure() {
        managed("sched", 6 * 3600);
        SecretMaintenance job = new SecretMaintenance(kms.secrets(), outcomes::add);
        assertThat(job.runOnce()).isZero();
        clock.advance(Duration.ofHours(6));
        assertThat(job.runOnce()).isEqualTo(1);
        assertThat(outcomes.get(0).failure()).isNull();
        assertThat(ManagedAccount.parse(kms.secrets()
                                .getSecretValue("sched", null, null)
                                .data())
                        .accountPassword())
                .isEqualTo(rotator.password);
        assertThat(kms.secrets().describeSecret("sched").lastRotationDate()).isEqualTo(clock.instant());
        assertThat(kms.secrets().describeSecret("sched").nextRotationDate())
                .isEqualTo(clock.instant().plus(Duration.ofHours(6)));

        rotator.fail = true;
        clock.advance(Duration.ofHours(6));
        job.runOnce();
        assertThat(outcomes.get(1).failure()).contains("server said no");
        assertThat(kms.secrets().describeSecret("sched").automaticRotationStatus())
                .isEqualTo("Invalid");
        assertThat(job.runOnce()).as("no retry within the pause").isZero();
        rotator.fail = false;
        clock.advance(Duration.ofMinutes(5));
        assertThat(job.runOnce()).isEqualTo(1);
        assertThat(kms.secrets().describeSecret("sched").rotationFailure()).isNull();
        assertThat(kms.secrets().describeSecret("sched").automaticRotationStatus())
                .isEqualTo("Enabled");
    }

    @Test
    void aRotationInterruptedAfterThePasswordChangeIsFinishedByTheNextOne() {
        managed("crash", 6 * 3600);
        rotator.dieAfterChange = true; // the process "dies" between changing the password and moving the labels
        assertThatThrownBy(() -> kms.secrets().rotateSecret("crash", "r1")).isInstanceOf(IllegalStateException.class);
        String setOnServer = rotator.password;
        assertThat(kms.secrets().getSecretValue("crash", null, null).version().versionId())
                .isEqualTo("v1");
        assertThat(kms.secrets().listSecretVersionIds("crash", true)).hasSize(2); // the new value was stored first

        rotator.dieAfterChange = false;
        assertThat(kms.secrets().rotateSecret("crash", "r2")).isEqualTo("r1"); // finished, not rotated again
        assertThat(ManagedAccount.parse(kms.secrets()
                                .getSecretValue("crash", null, null)
                                .data())
                        .accountPassword())
                .isEqualTo(setOnServer);
        assertThat(kms.secrets()
                        .getSecretValue("crash", null, "ACSPrevious")
                        .version()
                        .versionId())
                .isEqualTo("v1");
    }

    @Test
    void deletionWindowEndsWithPurgeAndNotBefore() {
        generic("gone", "v1", "x");
        kms.secrets().deleteSecret("gone", 7, false);
        SecretMaintenance job = new SecretMaintenance(kms.secrets(), outcomes::add);
        clock.advance(Duration.ofDays(7).minusSeconds(1));
        job.runOnce();
        assertThat(kms.secrets().describeSecret("gone").pendingDeletion()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        job.runOnce();
        assertThatThrownBy(() -> kms.secrets().describeSecret("gone"))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo("Forbidden.ResourceNotFound"));
        assertThat(storage.tags().list("secret", "gone")).isEmpty();
    }

    @Test
    void versionsSurviveAReopenOfTheStore() {
        generic("durable", "v1", "one");
        kms.secrets().putSecretValue("durable", "v2", "two", null, List.of("ACSCurrent", "blue"));
        storage.close();
        open();
        assertThat(kms.secrets().getSecretValue("durable", null, "blue").data()).isEqualTo("two");
        assertThat(kms.secrets().getSecretValue("durable", null, "ACSPrevious").data())
                .isEqualTo("one");
    }

    private void generic(String name, String versionId, String data) {
        kms.secrets()
                .createSecret(new CreateSecretRequest(
                        name, versionId, data, null, SecretType.Generic, null, null, null, false, 0, Map.of("k", "v")));
    }

    private void managed(String name, long interval) {
        kms.secrets()
                .createSecret(new CreateSecretRequest(
                        name,
                        "v1",
                        "{\"AccountName\":\"app\",\"AccountPassword\":\"first\"}",
                        null,
                        SecretType.Rds,
                        null,
                        null,
                        "{\"SecretSubType\":\"SingleUser\",\"DBInstanceId\":\"fake://db\"}",
                        true,
                        interval,
                        Map.of()));
    }

    /** Records the password it was asked to set; fails on demand. */
    static final class FakeRotator implements SecretRotator {
        volatile boolean fail;
        volatile boolean dieAfterChange;
        volatile String password;

        @Override
        public Set<String> schemes() {
            return Set.of("fake");
        }

        @Override
        public void changePassword(String endpoint, ManagedAccount login, String account, String newPassword)
                throws RotationException {
            if (fail) {
                throw new RotationException("server said no");
            }
            password = newPassword;
            if (dieAfterChange) {
                throw new IllegalStateException("simulated crash");
            }
        }

        @Override
        public boolean canLogIn(String endpoint, ManagedAccount credentials) {
            return password == null
                    ? "first".equals(credentials.accountPassword())
                    : password.equals(credentials.accountPassword());
        }
    }

    /** Wraps a Storage so that every read of the secrets repository is counted. */
    private Storage counting(Storage real) {
        SecretRepository secrets = (SecretRepository) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {SecretRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("find")
                            || method.getName().equals("versions")
                            || method.getName().equals("list")) {
                        secretReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(real.secrets(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new Storage() {
            @Override
            public KeyRepository keys() {
                return real.keys();
            }

            @Override
            public AliasRepository aliases() {
                return real.aliases();
            }

            @Override
            public TagRepository tags() {
                return real.tags();
            }

            @Override
            public AccessKeyRepository accessKeys() {
                return real.accessKeys();
            }

            @Override
            public SecretRepository secrets() {
                return secrets;
            }

            public org.openkms.core.accesspoint.AccessPointRepository accessPoints() {
                return real.accessPoints();
            }

            public org.openkms.core.iam.IamRepository iam() {
                return real.iam();
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }
}
