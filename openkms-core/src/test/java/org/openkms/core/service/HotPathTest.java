package org.openkms.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.Account;
import org.openkms.core.KmsSettings;
import org.openkms.core.MutableClock;
import org.openkms.core.iam.AccessKeyRepository;
import org.openkms.core.key.AliasRepository;
import org.openkms.core.key.CreateKeyRequest;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeyRepository;
import org.openkms.core.key.KeySpec;
import org.openkms.core.key.KeyUsage;
import org.openkms.core.key.Origin;
import org.openkms.core.store.Storage;
import org.openkms.core.store.memory.InMemoryStorage;
import org.openkms.core.tag.TagRepository;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.crypto.asymmetric.SignatureAlgorithm;
import org.openkms.crypto.mac.MacAlgorithm;

/** Once a key is warm, private-key and MAC calls touch no storage at all (no reads, no unsealing, no parsing). */
class HotPathTest {
    @TempDir
    Path dir;

    @Test
    void warmPrivateKeyAndMacCallsReadNoDatabase() throws Exception {
        AtomicInteger keyReads = new AtomicInteger();
        try (Storage real = new InMemoryStorage()) {
            KeyRepository counting = (KeyRepository) Proxy.newProxyInstance(
                    KeyRepository.class.getClassLoader(),
                    new Class<?>[] {KeyRepository.class},
                    (proxy, method, args) -> {
                        keyReads.incrementAndGet();
                        try {
                            return method.invoke(real.keys(), args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            Storage storage = new Storage() {
                public KeyRepository keys() {
                    return counting;
                }

                public AliasRepository aliases() {
                    return real.aliases();
                }

                public TagRepository tags() {
                    return real.tags();
                }

                public AccessKeyRepository accessKeys() {
                    return real.accessKeys();
                }

                public org.openkms.core.secret.SecretRepository secrets() {
                    return real.secrets();
                }

                public org.openkms.core.accesspoint.AccessPointRepository accessPoints() {
                    return real.accessPoints();
                }

                public org.openkms.core.iam.IamRepository iam() {
                    return real.iam();
                }

                public void close() {}
            };
            Kms kms = new Kms(
                    new Account("1234567890123456", "cn-hangzhou"),
                    storage,
                    org.openkms.crypto.rootkey.FileRootKeyProvider.openOrCreate(dir.resolve("root.key")),
                    KmsSettings.defaults(),
                    new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
            KeyRecord sign = kms.keys()
                    .createKey(new CreateKeyRequest(
                            "", KeySpec.EC_P256, null, Origin.Aliyun_KMS, "SOFTWARE", 0, java.util.Map.of()));
            KeyRecord enc = kms.keys()
                    .createKey(new CreateKeyRequest(
                            "",
                            KeySpec.RSA_2048,
                            KeyUsage.ENCRYPT_DECRYPT,
                            Origin.Aliyun_KMS,
                            "SOFTWARE",
                            0,
                            java.util.Map.of()));
            KeyRecord mac = kms.keys()
                    .createKey(new CreateKeyRequest(
                            "", KeySpec.HMAC_SHA_256, null, Origin.Aliyun_KMS, "SOFTWARE", 0, java.util.Map.of()));
            byte[] digest = new byte[32];
            byte[] ct = kms.asymmetric()
                    .encrypt(enc.keyId(), enc.primaryKeyVersion(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, new byte[8])
                    .data();
            kms.asymmetric().sign(sign.keyId(), sign.primaryKeyVersion(), SignatureAlgorithm.ECDSA_SHA_256, digest);
            kms.mac().generate(mac.keyId(), MacAlgorithm.HMAC_SHA_256, new byte[8]);

            keyReads.set(0);
            for (int i = 0; i < 20; i++) {
                kms.asymmetric().sign(sign.keyId(), sign.primaryKeyVersion(), SignatureAlgorithm.ECDSA_SHA_256, digest);
                kms.asymmetric()
                        .decrypt(enc.keyId(), enc.primaryKeyVersion(), EncryptionAlgorithm.RSAES_OAEP_SHA_256, ct);
                kms.mac().generate(mac.keyId(), MacAlgorithm.HMAC_SHA_256, new byte[8]);
            }
            assertThat(keyReads.get()).isZero();
        }
    }
}
