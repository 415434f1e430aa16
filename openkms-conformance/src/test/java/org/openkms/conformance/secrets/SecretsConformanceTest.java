package org.openkms.conformance.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkms.conformance.Conformance;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.KmsApi;
import org.openkms.conformance.SharedServer;
import org.openkms.conformance.V1Api;
import org.openkms.conformance.V2Api;

/**
 * Every secrets operation (https://www.alibabacloud.com/help/doc-detail/152002.htm,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createsecret
 * and siblings) through the official V2 and V1 Java SDKs in every configuration of the harness's matrix (HTTP and
 * HTTPS, ACS3 and HMAC-SHA1), success and error paths: the SDKs' own typed models must see Alibaba's field names, list
 * shapes, error codes and HTTP statuses. (BatchGetSecretValue is newer than the V2 SDK 1.2.3 and absent from V1; it is
 * covered over HTTP in openkms-server's SecretsHttpTest.)
 */
@ExtendWith(SharedServer.class)
class SecretsConformanceTest {
    private static final Pattern ISO = Conformance.ISO_SECONDS;

    /** The harness's SDK matrix, each configuration seen through the secrets operations. */
    static Stream<SecretsSdk> sdks() {
        return SharedServer.sdks().map(SecretsConformanceTest::secrets);
    }

    private static SecretsSdk secrets(KmsApi api) {
        if (api instanceof V2Api v2) {
            return new V2Secrets(v2);
        }
        return new V1Secrets((V1Api) api);
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static void expectError(SecretsSdk sdk, String code, int status, ThrowingCallable call) {
        Conformance.expectError(code, status, call);
    }

    private static SecretsSdk.Created generic(SecretsSdk sdk, String name, String value) {
        return sdk.createSecret(name, "v1", value, null, null, null, null, null, null, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdks")
    void createSecretAndGetSecretValue(SecretsSdk sdk) {
        String name = unique("conf/app-");
        SecretsSdk.Created c = sdk.createSecret(
                name,
                "v1",
                "s3cr3t value ✓",
                "text",
                "Generic",
                null,
                null,
                "[{\"TagKey\":\"team\",\"TagValue\":\"db\"}]",
                null,
                null);
        assertThat(c.arn()).isEqualTo("acs:kms:cn-hangzhou:" + ConformanceServer.ACCOUNT_ID + ":secret/" + name);
        assertThat(c.secretName()).isEqualTo(name);
        assertThat(c.versionId()).isEqualTo("v1");
        assertThat(c.secretType()).isEqualTo("Generic");

        SecretsSdk.Value v = sdk.getSecretValue(name, null, null, null);
        assertThat(v.secretData()).isEqualTo("s3cr3t value ✓");
        assertThat(v.secretDataType()).isEqualTo("text");
        assertThat(v.secretType()).isEqualTo("Generic");
        assertThat(v.versionId()).isEqualTo("v1");
        assertThat(v.versionStages()).containsExactly("ACSCurrent");
        assertThat(v.createTime()).matches(ISO);
        assertThat(sdk.getSecretValue(c.arn(), "v1", "ACSCurrent", true).secretData())
                .isEqualTo("s3cr3t value ✓");

        expectError(sdk, "Rejected.ResourceExist", 409, () -> generic(sdk, name, "again"));
        expectError(
                sdk, "Forbidden.ResourceNotFound", 404, () -> sdk.getSecretValue(unique("nope-"), null, null, null));
        expectError(sdk, "Forbidden.ResourceNotFound", 404, () -> sdk.getSecretValue(name, null, "ACSPrevious", null));
        expectError(
                sdk,
                "MissingParameter",
                400,
                () -> sdk.createSecret(unique("m-"), "v1", null, null, null, null, null, null, null, null));
        expectError(sdk, "InvalidParameter", 400, () -> generic(sdk, "acs/" + unique("x"), "x"));
        expectError(
                sdk,
                "Forbidden.ResourceNotFound",
                404,
                () -> sdk.createSecret(
                        unique("k-"), "v1", "x", null, null, null, "key-hzz000000000000000000", null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdks")
    void putSecretValueAndStages(SecretsSdk sdk) {
        String name = unique("conf/stages-");
        generic(sdk, name, "one");
        SecretsSdk.Put p = sdk.putSecretValue(name, "v2", "two", null);
        assertThat(p.secretName()).isEqualTo(name);
        assertThat(p.versionId()).isEqualTo("v2");
        assertThat(p.versionStages()).containsExactly("ACSCurrent");
        assertThat(sdk.getSecretValue(name, null, "ACSPrevious", null).secretData())
                .isEqualTo("one");
        sdk.putSecretValue(name, "v2", "two", null); // idempotent
        expectError(sdk, "Rejected.ResourceExist", 409, () -> sdk.putSecretValue(name, "v2", "different", null));
        assertThat(sdk.putSecretValue(name, "v3", "three", "[\"MyNext\"]").versionStages())
                .containsExactly("MyNext");
        assertThat(sdk.getSecretValue(name, null, null, null).versionId()).isEqualTo("v2");

        sdk.updateSecretVersionStage(name, "ACSCurrent", "v2", "v3");
        SecretsSdk.Value now = sdk.getSecretValue(name, null, null, null);
        assertThat(now.versionId()).isEqualTo("v3");
        assertThat(now.versionStages()).containsExactly("ACSCurrent", "MyNext");
        assertThat(sdk.getSecretValue(name, null, "ACSPrevious", null).versionId())
                .isEqualTo("v2");
        sdk.updateSecretVersionStage(name, "MyNext", "v3", null);
        expectError(sdk, "Forbidden.ResourceNotFound", 404, () -> sdk.getSecretValue(name, null, "MyNext", null));
        expectError(sdk, "InvalidParameter", 400, () -> sdk.updateSecretVersionStage(name, "ACSCurrent", "v3", null));
        expectError(sdk, "Forbidden.ResourceNotFound", 404, () -> sdk.updateSecretVersionStage(name, "X", null, "v9"));

        SecretsSdk.Versions labelled = sdk.listSecretVersionIds(name, null);
        assertThat(labelled.secretName()).isEqualTo(name);
        assertThat(labelled.versions())
                .extracting(SecretsSdk.Version::versionId)
                .containsExactly("v2", "v3");
        assertThat(labelled.versions().get(0).versionStages()).containsExactly("ACSPrevious");
        assertThat(labelled.versions().get(0).createTime()).matches(ISO);
        assertThat(labelled.totalCount()).isEqualTo(2);
        assertThat(labelled.pageNumber()).isEqualTo(1);
        assertThat(labelled.pageSize()).isEqualTo(20);
        SecretsSdk.Versions all = sdk.listSecretVersionIds(name, true);
        assertThat(all.versions()).extracting(SecretsSdk.Version::versionId).containsExactly("v1", "v2", "v3");
        assertThat(all.versions().get(0).versionStages()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdks")
    void describeListAndUpdateSecrets(SecretsSdk sdk) {
        String prefix = unique("conf/list-");
        for (int i = 0; i < 3; i++) {
            sdk.createSecret(
                    prefix + "/" + i,
                    "v1",
                    "x",
                    null,
                    null,
                    null,
                    null,
                    "[{\"TagKey\":\"idx\",\"TagValue\":\"" + i + "\"}]",
                    null,
                    null);
        }
        SecretsSdk.Described d = sdk.describeSecret(prefix + "/1", true);
        assertThat(d.secretName()).isEqualTo(prefix + "/1");
        assertThat(d.arn()).endsWith(":secret/" + prefix + "/1");
        assertThat(d.secretType()).isEqualTo("Generic");
        assertThat(d.encryptionKeyId()).startsWith("key-");
        assertThat(d.createTime()).matches(ISO);
        assertThat(d.updateTime()).matches(ISO);
        assertThat(d.tagKeys()).containsExactly("idx");
        sdk.updateSecret(prefix + "/1", "described", null);
        assertThat(sdk.describeSecret(prefix + "/1", null).description()).isEqualTo("described");

        SecretsSdk.Listed page = sdk.listSecrets("[{\"Key\":\"SecretName\",\"Values\":[\"" + prefix + "\"]}]", 2, 2);
        assertThat(page.totalCount()).isEqualTo(3);
        assertThat(page.pageNumber()).isEqualTo(2);
        assertThat(page.pageSize()).isEqualTo(2);
        assertThat(page.names()).containsExactly(prefix + "/2");
        expectError(
                sdk,
                "InvalidParameter",
                400,
                () -> sdk.listSecrets("[{\"Key\":\"Nope\",\"Values\":[\"x\"]}]", null, null));
        expectError(sdk, "Forbidden.ResourceNotFound", 404, () -> sdk.describeSecret(unique("nope-"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdks")
    void deleteAndRestoreSecret(SecretsSdk sdk) {
        String name = unique("conf/del-");
        generic(sdk, name, "one");
        sdk.putSecretValue(name, "v2", "two", null);
        assertThat(sdk.deleteSecret(name, "7", null)).matches(ISO);
        expectError(sdk, "Rejected.ResourceInDeleteWindow", 409, () -> sdk.getSecretValue(name, null, null, null));
        expectError(sdk, "Rejected.ResourceInDeleteWindow", 409, () -> sdk.deleteSecret(name, null, null));
        expectError(sdk, "Rejected.ResourceInDeleteWindow", 409, () -> generic(sdk, name, "x"));
        assertThat(sdk.describeSecret(name, null).plannedDeleteTime()).matches(ISO);
        sdk.restoreSecret(name);
        assertThat(sdk.getSecretValue(name, null, null, null).secretData()).isEqualTo("two");
        assertThat(sdk.getSecretValue(name, "v1", null, null).secretData()).isEqualTo("one");
        expectError(sdk, "InvalidParameter", 400, () -> sdk.deleteSecret(name, "2", null));
        sdk.deleteSecret(name, null, "true");
        expectError(sdk, "Forbidden.ResourceNotFound", 404, () -> sdk.describeSecret(name, null));
        expectError(sdk, "Forbidden.ResourceNotFound", 404, () -> sdk.restoreSecret(name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdks")
    void managedSecretRotationPolicyAndRotateSecret(SecretsSdk sdk) {
        String name = unique("conf/rds-");
        String config =
                "{\"SecretSubType\":\"SingleUser\",\"DBInstanceId\":\"postgresql://127.0.0.1:1/none\",\"CustomData\":{}}";
        SecretsSdk.Created c = sdk.createSecret(
                name,
                "v1",
                "{\"Accounts\":[{\"AccountName\":\"app\",\"AccountPassword\":\"pw\"}]}",
                null,
                "Rds",
                config,
                null,
                null,
                true,
                "30d");
        assertThat(c.secretType()).isEqualTo("Rds");
        assertThat(c.automaticRotation()).isEqualTo("Enabled");
        assertThat(c.rotationInterval()).isEqualTo("2592000s");
        assertThat(c.nextRotationDate()).matches(ISO);
        assertThat(c.extendedConfig()).contains("\"SecretSubType\":\"SingleUser\"");
        SecretsSdk.Value v = sdk.getSecretValue(name, null, null, true);
        assertThat(v.secretData()).isEqualTo("{\"AccountName\":\"app\",\"AccountPassword\":\"pw\"}");
        assertThat(v.automaticRotation()).isEqualTo("Enabled");
        assertThat(v.extendedConfig()).contains("DBInstanceId");

        sdk.updateSecret(name, null, "{\"DBName\":\"app1\"}");
        assertThat(sdk.describeSecret(name, null).extendedConfig()).contains("\"DBName\":\"app1\"");
        sdk.updateSecretRotationPolicy(name, false, null);
        assertThat(sdk.describeSecret(name, null).automaticRotation()).isEqualTo("Disabled");
        expectError(sdk, "InvalidParameter", 400, () -> sdk.updateSecretRotationPolicy(name, true, "1h"));
        sdk.updateSecretRotationPolicy(name, true, "7d");
        assertThat(sdk.describeSecret(name, null).rotationInterval()).isEqualTo("604800s");

        // Nothing listens on port 1: the rotation fails with its reason and the value is unchanged.
        expectError(sdk, "Rejected.RotationFailed", 409, () -> sdk.rotateSecret(name, "r1"));
        assertThat(sdk.getSecretValue(name, null, null, null).versionId()).isEqualTo("v1");
        assertThat(sdk.describeSecret(name, null).automaticRotation()).isEqualTo("Invalid");

        String generic = unique("conf/gen-");
        generic(sdk, generic, "x");
        expectError(sdk, "Rejected.UnsupportedOperation", 400, () -> sdk.rotateSecret(generic, "r1"));
        expectError(
                sdk, "Rejected.UnsupportedOperation", 400, () -> sdk.updateSecretRotationPolicy(generic, true, "7d"));
        expectError(sdk, "Rejected.UnsupportedOperation", 400, () -> sdk.putSecretValue(name, "v2", "x", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdks")
    void binarySecretsAndDisabledKeys(SecretsSdk sdk) {
        String keyId = sdk.newKey();
        String name = unique("conf/bin-");
        sdk.createSecret(name, "v1", "AAECAwQ=", "binary", null, null, keyId, null, null, null);
        SecretsSdk.Value v = sdk.getSecretValue(name, null, null, null);
        assertThat(v.secretDataType()).isEqualTo("binary");
        assertThat(v.secretData()).isEqualTo("AAECAwQ=");
        assertThat(sdk.describeSecret(name, null).encryptionKeyId()).isEqualTo(keyId);
        sdk.disableKey(keyId);
        expectError(sdk, "Rejected.Disabled", 409, () -> sdk.getSecretValue(name, null, null, null));
        sdk.enableKey(keyId);
        assertThat(sdk.getSecretValue(name, null, null, null).secretData()).isEqualTo("AAECAwQ=");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdks")
    void getRandomPassword(SecretsSdk sdk) {
        assertThat(sdk.getRandomPassword(null, null, null, null)).hasSize(32);
        assertThat(sdk.getRandomPassword("20", "abc", "true", "true"))
                .hasSize(20)
                .doesNotContainPattern("[0-9abc]");
        expectError(sdk, "InvalidParameter", 400, () -> sdk.getRandomPassword("129", null, null, null));
    }
}
