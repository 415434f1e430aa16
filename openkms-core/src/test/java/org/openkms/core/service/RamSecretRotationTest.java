package org.openkms.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openkms.core.service.KmsFixture.assertCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.Account;
import org.openkms.core.KmsSettings;
import org.openkms.core.MutableClock;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.IamService;
import org.openkms.core.iam.PolicyDocuments;
import org.openkms.core.secret.CreateSecretRequest;
import org.openkms.core.secret.RamAccessKeys;
import org.openkms.core.secret.SecretStages;
import org.openkms.core.secret.SecretType;
import org.openkms.core.secret.SecretVersionRecord;
import org.openkms.core.secret.rotation.AccessKeyIssuer;
import org.openkms.core.secret.rotation.RotationException;
import org.openkms.core.store.memory.InMemoryStorage;
import org.openkms.crypto.rootkey.FileRootKeyProvider;

/**
 * RAMCredentials secrets on InMemoryStorage with the real RAM store (IamService, CredentialStore): CreateSecret's
 * checks, rotation to a new AccessKey, retirement of the old one after the overlap, RAM's two-key limit and a
 * rotation interrupted between creating the AccessKey and moving the labels.
 */
class RamSecretRotationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private InMemoryStorage storage;
    private Kms kms;
    private IamService iam;
    private CredentialStore credentials;
    private FaultyIssuer issuer;

    @BeforeEach
    void open() {
        storage = new InMemoryStorage();
        var rootKey = FileRootKeyProvider.openOrCreate(dir.resolve("root.key"));
        kms = new Kms(new Account("1234567890123456", "cn-hangzhou"), storage, rootKey, KmsSettings.defaults(), clock);
        iam = new IamService(kms.account(), storage.iam(), new PolicyDocuments(), clock);
        credentials = new CredentialStore(storage.accessKeys(), rootKey, clock);
        issuer = new FaultyIssuer(new RamAccessKeys(iam, credentials));
        kms.secrets().rotation().registerAccessKeys(issuer, Duration.ofHours(24));
        iam.createUser("alice", "Alice", "");
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private String create(String[] pair) {
        return create("$Auto", "alice", pair[0], pair[1]);
    }

    private String create(String name, String user, String id, String secret) {
        return kms.secrets()
                .createSecret(new CreateSecretRequest(
                        name,
                        "v1",
                        "{\"AccessKeys\":[{\"AccessKeyId\":\"" + id + "\",\"AccessKeySecret\":\"" + secret + "\"}]}",
                        null,
                        SecretType.RAMCredentials,
                        "",
                        null,
                        "{\"SecretSubType\":\"RamUserAccessKey\",\"UserName\":\"" + user + "\"}",
                        true,
                        Duration.ofDays(30).toSeconds(),
                        Map.of(),
                        null))
                .secret()
                .secretName();
    }

    private JsonNode value(String stage) throws Exception {
        return JSON.readTree(
                kms.secrets().getSecretValue("acs/ram/user/alice", null, stage).data());
    }

    @Test
    void createChecksTheUserAndThatThePairAuthenticates() throws Exception {
        String[] pair = credentials.generate("alice");
        assertCode(() -> create("$Auto", "bob", pair[0], pair[1]), "EntityNotExist.User");
        assertCode(() -> create("$Auto", "alice", pair[0], pair[1] + "x"), "InvalidParameter");
        assertCode(() -> create("$Auto", "alice", "LTAInope", pair[1]), "InvalidParameter");
        assertCode(() -> create("my-secret", "alice", pair[0], pair[1]), "InvalidParameter");
        String[] rootPair = credentials.generate("root");
        assertCode(() -> create("$Auto", "alice", rootPair[0], rootPair[1]), "InvalidParameter");
        assertThatThrownBy(() -> create("$Auto", "alice", pair[0], pair[1] + "x"))
                .hasMessageNotContaining(pair[1]);

        assertThat(create(pair)).isEqualTo("acs/ram/user/alice");
        JsonNode v = value(SecretStages.CURRENT);
        assertThat(v.get("AccessKeyId").asText()).isEqualTo(pair[0]);
        assertThat(v.get("AccessKeySecret").asText()).isEqualTo(pair[1]);
        assertThat(v.get("GenerateTimestamp").asText()).isEqualTo("2026-01-01 00:00:00");
        var s = kms.secrets().describeSecret("acs/ram/user/alice");
        assertThat(s.extendedConfig()).contains("\"SecretSubType\":\"RamUserAccessKey\"", "\"UserName\":\"alice\"");
        assertThat(s.automaticRotation()).isTrue();
        assertThat(s.nextRotationDate()).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
    }

    @Test
    void rotationCreatesANewKeyAndRetiresTheOldOneAfterTheOverlap() throws Exception {
        String[] pair = credentials.generate("alice");
        create(pair);
        String v2 = kms.secrets().rotateSecret("acs/ram/user/alice", "r1");
        assertThat(v2).isEqualTo("r1");
        JsonNode current = value(SecretStages.CURRENT);
        String newId = current.get("AccessKeyId").asText();
        assertThat(newId).isNotEqualTo(pair[0]).startsWith("LTAI");
        assertThat(issuer.authenticates(
                        "alice", newId, current.get("AccessKeySecret").asText()))
                .isTrue();
        assertThat(value(SecretStages.PREVIOUS).get("AccessKeyId").asText()).isEqualTo(pair[0]);
        assertThat(credentials.find(pair[0])).isPresent(); // still in its overlap

        clock.advance(Duration.ofHours(23));
        assertThat(kms.secrets().rotation().retireDue()).isEmpty();
        clock.advance(Duration.ofHours(2));
        assertThat(kms.secrets().rotation().retireDue()).containsExactly(pair[0]);
        assertThat(credentials.find(pair[0])).isEmpty();
        assertThat(issuer.accessKeyIds("alice")).containsExactly(newId);
        assertThat(kms.secrets().rotation().retireDue()).isEmpty();
    }

    @Test
    void scheduledRotationAndTheMaintenanceJobRetire() throws Exception {
        String[] pair = credentials.generate("alice");
        create(pair);
        clock.advance(Duration.ofDays(30));
        var outcomes = kms.secrets().rotation().rotateDue();
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).failure()).isNull();
        clock.advance(Duration.ofDays(1));
        new org.openkms.core.secret.SecretMaintenance(kms.secrets(), o -> {}).runOnce();
        assertThat(credentials.find(pair[0])).isEmpty();
        assertThat(issuer.accessKeyIds("alice"))
                .containsExactly(value(SecretStages.CURRENT).get("AccessKeyId").asText());
    }

    @Test
    void withZeroOverlapTheRotationDeletesTheOldKey() throws Exception {
        kms.secrets().rotation().registerAccessKeys(issuer, Duration.ZERO);
        String[] pair = credentials.generate("alice");
        create(pair);
        kms.secrets().rotateSecret("acs/ram/user/alice", "r1");
        assertThat(credentials.find(pair[0])).isEmpty();
        assertThat(issuer.accessKeyIds("alice")).hasSize(1);
    }

    @Test
    void twoKeyLimit() throws Exception {
        String[] pair = credentials.generate("alice");
        create(pair);
        // Rotating again within the overlap: the key rotated out first makes room for the next one.
        kms.secrets().rotateSecret("acs/ram/user/alice", "r1");
        String r1Key = value(SecretStages.CURRENT).get("AccessKeyId").asText();
        kms.secrets().rotateSecret("acs/ram/user/alice", "r2");
        assertThat(credentials.find(pair[0])).isEmpty();
        assertThat(issuer.accessKeyIds("alice")).hasSize(2).contains(r1Key);

        // A second key the secret does not hold: rotation fails clearly and changes nothing.
        iam.createUser("carol", "", "");
        String[] c1 = credentials.generate("carol");
        credentials.generate("carol");
        create("$Auto", "carol", c1[0], c1[1]);
        assertThatThrownBy(() -> kms.secrets().rotateSecret("acs/ram/user/carol", "x1"))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo("Rejected.RotationFailed"))
                .hasMessageContaining("already has 2 AccessKeys");
        assertThat(kms.secrets().describeSecret("acs/ram/user/carol").rotationFailure())
                .contains("already has 2 AccessKeys");
        assertThat(versions("acs/ram/user/carol")).hasSize(1);
    }

    @Test
    void aCrashAfterCreatingTheKeyIsFinishedByTheNextRotation() throws Exception {
        String[] pair = credentials.generate("alice");
        create(pair);
        issuer.crashAfterCreate = true;
        assertThatThrownBy(() -> kms.secrets().rotateSecret("acs/ram/user/alice", "r1"))
                .isInstanceOf(IllegalStateException.class);
        issuer.crashAfterCreate = false;
        assertThat(issuer.accessKeyIds("alice")).hasSize(2);
        assertThat(versions("acs/ram/user/alice")).hasSize(2); // the new key's value is kept, unlabelled

        assertThat(kms.secrets().rotateSecret("acs/ram/user/alice", "r2")).isEqualTo("r1");
        assertThat(issuer.accessKeyIds("alice")).hasSize(2); // no second new key
        assertThat(value(SecretStages.PREVIOUS).get("AccessKeyId").asText()).isEqualTo(pair[0]);
        assertThat(issuer.accessKeyIds("alice"))
                .contains(value(SecretStages.CURRENT).get("AccessKeyId").asText());
    }

    @Test
    void aCrashBeforeCreatingTheKeyLeavesNothingBehind() throws Exception {
        String[] pair = credentials.generate("alice");
        create(pair);
        issuer.crashBeforeCreate = true;
        assertThatThrownBy(() -> kms.secrets().rotateSecret("acs/ram/user/alice", "r1"))
                .isInstanceOf(IllegalStateException.class);
        issuer.crashBeforeCreate = false;
        assertThat(issuer.accessKeyIds("alice")).containsExactly(pair[0]);

        assertThat(kms.secrets().rotateSecret("acs/ram/user/alice", "r2")).isEqualTo("r2");
        assertThat(versions("acs/ram/user/alice")).hasSize(2); // the dead pending version is gone
        assertThat(issuer.accessKeyIds("alice")).hasSize(2);
    }

    @Test
    void rotationOfADeletedUsersSecretFailsAndKeepsTheValue() throws Exception {
        String[] pair = credentials.generate("alice");
        create(pair);
        credentials.delete(pair[0]);
        iam.deleteUser("alice");
        assertThatThrownBy(() -> kms.secrets().rotateSecret("acs/ram/user/alice", "r1"))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo("Rejected.RotationFailed"))
                .hasMessageContaining("RAM user alice does not exist");
        assertThat(value(SecretStages.CURRENT).get("AccessKeyId").asText()).isEqualTo(pair[0]);
        assertThat(versions("acs/ram/user/alice")).hasSize(1);
    }

    private List<SecretVersionRecord> versions(String name) {
        return kms.secrets().listSecretVersionIds(name, true);
    }

    /** The real RAM store, with a simulated process death around the AccessKey's creation. */
    static final class FaultyIssuer implements AccessKeyIssuer {
        private final AccessKeyIssuer real;
        boolean crashBeforeCreate;
        boolean crashAfterCreate;

        FaultyIssuer(AccessKeyIssuer real) {
            this.real = real;
        }

        @Override
        public int maxAccessKeysPerUser() {
            return real.maxAccessKeysPerUser();
        }

        @Override
        public boolean userExists(String userName) {
            return real.userExists(userName);
        }

        @Override
        public List<String> accessKeyIds(String userName) {
            return real.accessKeyIds(userName);
        }

        @Override
        public boolean authenticates(String userName, String accessKeyId, String accessKeySecret) {
            return real.authenticates(userName, accessKeyId, accessKeySecret);
        }

        @Override
        public boolean exists(String accessKeyId) {
            return real.exists(accessKeyId);
        }

        @Override
        public String[] newPair() {
            return real.newPair();
        }

        @Override
        public void create(String userName, String accessKeyId, String accessKeySecret) throws RotationException {
            if (crashBeforeCreate) {
                throw new IllegalStateException("simulated crash");
            }
            real.create(userName, accessKeyId, accessKeySecret);
            if (crashAfterCreate) {
                throw new IllegalStateException("simulated crash");
            }
        }

        @Override
        public boolean delete(String accessKeyId) {
            return real.delete(accessKeyId);
        }
    }
}
