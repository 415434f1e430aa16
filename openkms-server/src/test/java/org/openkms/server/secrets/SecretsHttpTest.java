package org.openkms.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.SignedClient;
import org.openkms.server.config.ServerConfig;

/** Every secrets operation over HTTP, with Alibaba's field names, list shapes and error codes. */
class SecretsHttpTest {
    @TempDir
    static Path dir;

    static OpenKmsServer server;
    static SignedClient client;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir)
                .withListen("127.0.0.1:0")
                .withHttpsListen("")
                .withRootAccessKey("LTAIsecrets", "secrets-secret"));
        client = new SignedClient("http://127.0.0.1:" + server.httpPort(), "LTAIsecrets", "secrets-secret");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SignedClient.Reply call(String action, String... kv) throws Exception {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return client.call(action, p);
    }

    static JsonNode ok(String action, String... kv) throws Exception {
        SignedClient.Reply r = call(action, kv);
        assertThat(r.status()).as(action + " " + r.raw()).isEqualTo(200);
        return r.body();
    }

    static void fails(int status, String code, String action, String... kv) throws Exception {
        SignedClient.Reply r = call(action, kv);
        assertThat(r.status()).as(action + " " + r.raw()).isEqualTo(status);
        assertThat(r.code()).isEqualTo(code);
    }

    static List<String> stages(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.path("VersionStages").path("VersionStage").forEach(s -> out.add(s.asText()));
        return out;
    }

    @Test
    void createThenGetSecretValueWithAlibabasFields() throws Exception {
        JsonNode created = ok(
                "CreateSecret",
                "SecretName",
                "app/db",
                "VersionId",
                "v1",
                "SecretData",
                "s3cr3t",
                "Description",
                "the db",
                "Tags",
                "[{\"TagKey\":\"env\",\"TagValue\":\"prod\"}]");
        assertThat(created.path("Arn").asText())
                .isEqualTo("acs:kms:cn-hangzhou:" + server.kms().account().uid() + ":secret/app/db");
        assertThat(created.path("SecretType").asText()).isEqualTo("Generic");
        assertThat(created.path("VersionId").asText()).isEqualTo("v1");

        JsonNode v = ok("GetSecretValue", "SecretName", "app/db");
        assertThat(v.path("SecretData").asText()).isEqualTo("s3cr3t");
        assertThat(v.path("SecretDataType").asText()).isEqualTo("text");
        assertThat(v.path("VersionId").asText()).isEqualTo("v1");
        assertThat(stages(v)).containsExactly("ACSCurrent");
        assertThat(v.path("CreateTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        // By ARN too.
        assertThat(ok("GetSecretValue", "SecretName", created.path("Arn").asText())
                        .path("SecretData")
                        .asText())
                .isEqualTo("s3cr3t");

        JsonNode d = ok("DescribeSecret", "SecretName", "app/db", "FetchTags", "true");
        assertThat(d.path("Description").asText()).isEqualTo("the db");
        assertThat(d.path("EncryptionKeyId").asText()).startsWith("key-");
        assertThat(d.path("Tags").path("Tag").get(0).path("TagKey").asText()).isEqualTo("env");
        assertThat(d.path("PlannedDeleteTime").asText()).isEmpty();
        assertThat(d.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void duplicateNamesAndMissingSecretsGetTheirCodes() throws Exception {
        ok("CreateSecret", "SecretName", "dup", "VersionId", "v1", "SecretData", "x");
        fails(409, "Rejected.ResourceExist", "CreateSecret", "SecretName", "dup", "VersionId", "v1", "SecretData", "x");
        fails(404, "Forbidden.ResourceNotFound", "GetSecretValue", "SecretName", "nope");
        fails(404, "Forbidden.ResourceNotFound", "DescribeSecret", "SecretName", "nope");
        fails(404, "Forbidden.ResourceNotFound", "GetSecretValue", "SecretName", "dup", "VersionStage", "ACSPrevious");
        fails(404, "Forbidden.ResourceNotFound", "GetSecretValue", "SecretName", "dup", "VersionId", "v9");
        fails(400, "MissingParameter", "CreateSecret", "SecretName", "m", "VersionId", "v1");
        fails(400, "InvalidParameter", "CreateSecret", "SecretName", "acs/x", "VersionId", "v1", "SecretData", "x");
        fails(
                400,
                "InvalidParameter",
                "CreateSecret",
                "SecretName",
                "b",
                "VersionId",
                "v1",
                "SecretData",
                "not base64!",
                "SecretDataType",
                "binary");
        fails(
                404,
                "Forbidden.ResourceNotFound",
                "CreateSecret",
                "SecretName",
                "k",
                "VersionId",
                "v1",
                "SecretData",
                "x",
                "EncryptionKeyId",
                "key-doesnotexist");
        fails(400, "DryRunOperationError", "GetSecretValue", "SecretName", "dup", "DryRun", "true");
    }

    @Test
    void putSecretValueMovesStagesLikeAlibaba() throws Exception {
        ok("CreateSecret", "SecretName", "rot", "VersionId", "v1", "SecretData", "one");
        JsonNode p2 = ok("PutSecretValue", "SecretName", "rot", "VersionId", "v2", "SecretData", "two");
        assertThat(stages(p2)).containsExactly("ACSCurrent");
        ok("PutSecretValue", "SecretName", "rot", "VersionId", "v3", "SecretData", "three");
        assertThat(ok("GetSecretValue", "SecretName", "rot").path("SecretData").asText())
                .isEqualTo("three");
        JsonNode prev = ok("GetSecretValue", "SecretName", "rot", "VersionStage", "ACSPrevious");
        assertThat(prev.path("VersionId").asText()).isEqualTo("v2");
        assertThat(prev.path("SecretData").asText()).isEqualTo("two");
        // v1 lost its label: hidden unless IncludeDeprecated, still readable by VersionId.
        JsonNode ids = ok("ListSecretVersionIds", "SecretName", "rot");
        assertThat(ids.path("TotalCount").asInt()).isEqualTo(2);
        assertThat(ids.path("VersionIds")
                        .path("VersionId")
                        .get(0)
                        .path("VersionId")
                        .asText())
                .isEqualTo("v2");
        assertThat(ok("ListSecretVersionIds", "SecretName", "rot", "IncludeDeprecated", "true")
                        .path("TotalCount")
                        .asInt())
                .isEqualTo(3);
        assertThat(ok("GetSecretValue", "SecretName", "rot", "VersionId", "v1")
                        .path("SecretData")
                        .asText())
                .isEqualTo("one");
        // Idempotent retry; conflicting reuse of a VersionId.
        ok("PutSecretValue", "SecretName", "rot", "VersionId", "v3", "SecretData", "three");
        fails(
                409,
                "Rejected.ResourceExist",
                "PutSecretValue",
                "SecretName",
                "rot",
                "VersionId",
                "v3",
                "SecretData",
                "other");
        // Custom stage only: ACSCurrent stays where it is.
        JsonNode custom = ok(
                "PutSecretValue",
                "SecretName",
                "rot",
                "VersionId",
                "v4",
                "SecretData",
                "four",
                "VersionStages",
                "[\"MyNext\"]");
        assertThat(stages(custom)).containsExactly("MyNext");
        assertThat(ok("GetSecretValue", "SecretName", "rot").path("VersionId").asText())
                .isEqualTo("v3");
        assertThat(ok("GetSecretValue", "SecretName", "rot", "VersionStage", "MyNext")
                        .path("SecretData")
                        .asText())
                .isEqualTo("four");
    }

    @Test
    void thereIsNoAcsPendingStage() throws Exception {
        ok("CreateSecret", "SecretName", "nopending", "VersionId", "v1", "SecretData", "x");
        fails(
                404,
                "Forbidden.ResourceNotFound",
                "GetSecretValue",
                "SecretName",
                "nopending",
                "VersionStage",
                "ACSPending");
    }

    @Test
    void updateSecretVersionStageMovesAddsAndRemoves() throws Exception {
        ok("CreateSecret", "SecretName", "stg", "VersionId", "v1", "SecretData", "one");
        ok("PutSecretValue", "SecretName", "stg", "VersionId", "v2", "SecretData", "two", "VersionStages", "[]");
        ok("UpdateSecretVersionStage", "SecretName", "stg", "VersionStage", "ACSCurrent", "MoveToVersion", "v2");
        assertThat(ok("GetSecretValue", "SecretName", "stg").path("VersionId").asText())
                .isEqualTo("v2");
        assertThat(ok("GetSecretValue", "SecretName", "stg", "VersionStage", "ACSPrevious")
                        .path("VersionId")
                        .asText())
                .isEqualTo("v1");
        ok("UpdateSecretVersionStage", "SecretName", "stg", "VersionStage", "blue", "MoveToVersion", "v1");
        ok("UpdateSecretVersionStage", "SecretName", "stg", "VersionStage", "blue", "RemoveFromVersion", "v1");
        fails(404, "Forbidden.ResourceNotFound", "GetSecretValue", "SecretName", "stg", "VersionStage", "blue");
        fails(
                400,
                "InvalidParameter",
                "UpdateSecretVersionStage",
                "SecretName",
                "stg",
                "VersionStage",
                "ACSCurrent",
                "RemoveFromVersion",
                "v2");
        fails(400, "InvalidParameter", "UpdateSecretVersionStage", "SecretName", "stg", "VersionStage", "x");
        fails(
                404,
                "Forbidden.ResourceNotFound",
                "UpdateSecretVersionStage",
                "SecretName",
                "stg",
                "VersionStage",
                "x",
                "MoveToVersion",
                "v9");
        for (int i = 0; i < 6; i++) { // ACSCurrent + ACSPrevious + 6 custom = the limit of 8
            ok("UpdateSecretVersionStage", "SecretName", "stg", "VersionStage", "L" + i, "MoveToVersion", "v1");
        }
        fails(
                400,
                "Rejected.LimitExceeded",
                "UpdateSecretVersionStage",
                "SecretName",
                "stg",
                "VersionStage",
                "L6",
                "MoveToVersion",
                "v1");
    }

    @Test
    void atMostTenVersionsAreKeptOldestUnlabelledGoFirst() throws Exception {
        ok("CreateSecret", "SecretName", "many", "VersionId", "v0", "SecretData", "x0");
        for (int i = 1; i <= 12; i++) {
            ok("PutSecretValue", "SecretName", "many", "VersionId", "v" + i, "SecretData", "x" + i);
        }
        JsonNode all = ok("ListSecretVersionIds", "SecretName", "many", "IncludeDeprecated", "true", "PageSize", "100");
        assertThat(all.path("TotalCount").asInt()).isEqualTo(10);
        assertThat(all.path("VersionIds")
                        .path("VersionId")
                        .get(0)
                        .path("VersionId")
                        .asText())
                .isEqualTo("v3");
    }

    @Test
    void deleteWindowRejectsReadsAndRestoreBringsEverythingBack() throws Exception {
        ok("CreateSecret", "SecretName", "del", "VersionId", "v1", "SecretData", "one");
        ok("PutSecretValue", "SecretName", "del", "VersionId", "v2", "SecretData", "two");
        JsonNode d = ok("DeleteSecret", "SecretName", "del", "RecoveryWindowInDays", "7");
        assertThat(d.path("PlannedDeleteTime").asText()).isNotEmpty();
        fails(409, "Rejected.ResourceInDeleteWindow", "GetSecretValue", "SecretName", "del");
        fails(
                409,
                "Rejected.ResourceInDeleteWindow",
                "PutSecretValue",
                "SecretName",
                "del",
                "VersionId",
                "v3",
                "SecretData",
                "x");
        fails(409, "Rejected.ResourceInDeleteWindow", "DeleteSecret", "SecretName", "del");
        fails(
                409,
                "Rejected.ResourceInDeleteWindow",
                "CreateSecret",
                "SecretName",
                "del",
                "VersionId",
                "v1",
                "SecretData",
                "x");
        assertThat(ok("DescribeSecret", "SecretName", "del")
                        .path("PlannedDeleteTime")
                        .asText())
                .isNotEmpty();
        ok("RestoreSecret", "SecretName", "del");
        assertThat(ok("GetSecretValue", "SecretName", "del").path("SecretData").asText())
                .isEqualTo("two");
        assertThat(ok("GetSecretValue", "SecretName", "del", "VersionStage", "ACSPrevious")
                        .path("SecretData")
                        .asText())
                .isEqualTo("one");
        fails(400, "InvalidParameter", "DeleteSecret", "SecretName", "del", "RecoveryWindowInDays", "3");
        ok("DeleteSecret", "SecretName", "del", "ForceDeleteWithoutRecovery", "true");
        fails(404, "Forbidden.ResourceNotFound", "DescribeSecret", "SecretName", "del");
        ok("CreateSecret", "SecretName", "del", "VersionId", "v1", "SecretData", "again");
    }

    @Test
    void listSecretsPagesAndFilters() throws Exception {
        for (int i = 0; i < 3; i++) {
            ok(
                    "CreateSecret",
                    "SecretName",
                    "list/s" + i,
                    "VersionId",
                    "v1",
                    "SecretData",
                    "x",
                    "Tags",
                    "[{\"TagKey\":\"group\",\"TagValue\":\"g" + (i % 2) + "\"}]");
        }
        JsonNode page = ok(
                "ListSecrets",
                "PageSize",
                "2",
                "Filters",
                "[{\"Key\":\"SecretName\",\"Values\":[\"list/\"]}]",
                "FetchTags",
                "true");
        assertThat(page.path("TotalCount").asInt()).isEqualTo(3);
        assertThat(page.path("PageSize").asInt()).isEqualTo(2);
        assertThat(page.path("SecretList").path("Secret")).hasSize(2);
        assertThat(page.path("SecretList")
                        .path("Secret")
                        .get(0)
                        .path("Tags")
                        .path("Tag")
                        .get(0)
                        .path("TagKey")
                        .asText())
                .isEqualTo("group");
        JsonNode tagged = ok("ListSecrets", "Filters", "[{\"Key\":\"TagValue\",\"Values\":[\"g1\"]}]");
        assertThat(tagged.path("TotalCount").asInt()).isEqualTo(1);
        fails(400, "InvalidParameter", "ListSecrets", "Filters", "[{\"Key\":\"Bogus\",\"Values\":[\"x\"]}]");
    }

    @Test
    void batchGetSecretValueReportsPartialFailures() throws Exception {
        ok("CreateSecret", "SecretName", "b1", "VersionId", "v1", "SecretData", "one");
        JsonNode r =
                ok("BatchGetSecretValue", "SecretsList", "[{\"SecretName\":\"b1\"},{\"SecretName\":\"b-missing\"}]");
        assertThat(r.path("SecretValues")).hasSize(1);
        assertThat(r.path("SecretValues").get(0).path("SecretData").asText()).isEqualTo("one");
        assertThat(r.path("Errors").get(0).path("SecretName").asText()).isEqualTo("b-missing");
        assertThat(r.path("Errors").get(0).path("Code").asText()).isEqualTo("Forbidden.ResourceNotFound");
        assertThat(r.path("Errors").get(0).path("HttpStatus").asInt()).isEqualTo(404);
        fails(400, "MissingParameter", "BatchGetSecretValue");
    }

    @Test
    void aDisabledKeyMakesItsSecretsUnreadable() throws Exception {
        String keyId = ok("CreateKey").path("KeyMetadata").path("KeyId").asText();
        ok("CreateSecret", "SecretName", "keyed", "VersionId", "v1", "SecretData", "x", "EncryptionKeyId", keyId);
        assertThat(ok("DescribeSecret", "SecretName", "keyed")
                        .path("EncryptionKeyId")
                        .asText())
                .isEqualTo(keyId);
        ok("GetSecretValue", "SecretName", "keyed"); // warm the cache: the key state must still be honoured
        ok("DisableKey", "KeyId", keyId);
        fails(409, "Rejected.Disabled", "GetSecretValue", "SecretName", "keyed");
        fails(409, "Rejected.Disabled", "PutSecretValue", "SecretName", "keyed", "VersionId", "v2", "SecretData", "y");
        ok("EnableKey", "KeyId", keyId);
        assertThat(ok("GetSecretValue", "SecretName", "keyed")
                        .path("SecretData")
                        .asText())
                .isEqualTo("x");
    }

    @Test
    void binarySecretsRoundTripAsBase64Text() throws Exception {
        ok(
                "CreateSecret",
                "SecretName",
                "bin",
                "VersionId",
                "v1",
                "SecretData",
                "AAECAw==",
                "SecretDataType",
                "binary");
        JsonNode v = ok("GetSecretValue", "SecretName", "bin");
        assertThat(v.path("SecretDataType").asText()).isEqualTo("binary");
        assertThat(v.path("SecretData").asText()).isEqualTo("AAECAw==");
    }

    @Test
    void updateSecretAndRotationCallsOnGenericSecrets() throws Exception {
        ok("CreateSecret", "SecretName", "upd", "VersionId", "v1", "SecretData", "x");
        ok("UpdateSecret", "SecretName", "upd", "Description", "new words");
        assertThat(ok("DescribeSecret", "SecretName", "upd").path("Description").asText())
                .isEqualTo("new words");
        fails(
                400,
                "InvalidParameter",
                "UpdateSecret",
                "SecretName",
                "upd",
                "ExtendedConfig.CustomData",
                "{\"a\":\"b\"}");
        fails(400, "Rejected.UnsupportedOperation", "RotateSecret", "SecretName", "upd", "VersionId", "r1");
        fails(
                400,
                "Rejected.UnsupportedOperation",
                "UpdateSecretRotationPolicy",
                "SecretName",
                "upd",
                "EnableAutomaticRotation",
                "true",
                "RotationInterval",
                "7d");
    }

    @Test
    void managedSecretsValidateAndReportRotationFields() throws Exception {
        String config =
                "{\"SecretSubType\":\"SingleUser\",\"DBInstanceId\":\"postgresql://127.0.0.1:1/x\",\"CustomData\":{\"a\":\"b\"}}";
        JsonNode c = ok(
                "CreateSecret",
                "SecretName",
                "rds1",
                "VersionId",
                "v1",
                "SecretType",
                "Rds",
                "SecretData",
                "{\"Accounts\":[{\"AccountName\":\"app\",\"AccountPassword\":\"pw\"}]}",
                "ExtendedConfig",
                config,
                "EnableAutomaticRotation",
                "true",
                "RotationInterval",
                "7d");
        assertThat(c.path("AutomaticRotation").asText()).isEqualTo("Enabled");
        assertThat(c.path("RotationInterval").asText()).isEqualTo("604800s");
        assertThat(c.path("NextRotationDate").asText()).isNotEmpty();
        JsonNode v = ok("GetSecretValue", "SecretName", "rds1", "FetchExtendedConfig", "true", "VersionId", "ignored");
        assertThat(v.path("SecretData").asText()).isEqualTo("{\"AccountName\":\"app\",\"AccountPassword\":\"pw\"}");
        assertThat(v.path("ExtendedConfig").asText()).contains("\"DBInstanceId\"");
        fails(400, "InvalidParameter", "GetSecretValue", "SecretName", "rds1", "VersionStage", "Custom");
        fails(
                400,
                "Rejected.UnsupportedOperation",
                "PutSecretValue",
                "SecretName",
                "rds1",
                "VersionId",
                "v2",
                "SecretData",
                "x");
        ok("UpdateSecret", "SecretName", "rds1", "ExtendedConfig.CustomData", "{\"port\":\"5432\"}");
        assertThat(ok("DescribeSecret", "SecretName", "rds1")
                        .path("ExtendedConfig")
                        .asText())
                .contains("\"port\":\"5432\"");
        fails(
                400,
                "InvalidParameter",
                "CreateSecret",
                "SecretName",
                "rds2",
                "VersionId",
                "v1",
                "SecretType",
                "Rds",
                "SecretData",
                "{\"Accounts\":[]}",
                "ExtendedConfig",
                config);
        fails(
                400,
                "InvalidParameter",
                "UpdateSecretRotationPolicy",
                "SecretName",
                "rds1",
                "EnableAutomaticRotation",
                "true",
                "RotationInterval",
                "1h");
        ok("UpdateSecretRotationPolicy", "SecretName", "rds1", "EnableAutomaticRotation", "false");
        assertThat(ok("DescribeSecret", "SecretName", "rds1")
                        .path("AutomaticRotation")
                        .asText())
                .isEqualTo("Disabled");
        // Nothing listens on port 1: the rotation fails, says why, and the old value stays current.
        SignedClient.Reply r = call("RotateSecret", "SecretName", "rds1", "VersionId", "r1");
        assertThat(r.code()).isEqualTo("Rejected.RotationFailed");
        assertThat(r.body().path("Message").asText()).contains("PostgreSQL").doesNotContain("pw\"");
        assertThat(ok("GetSecretValue", "SecretName", "rds1").path("VersionId").asText())
                .isEqualTo("v1");
        JsonNode d = ok("DescribeSecret", "SecretName", "rds1");
        assertThat(d.path("LastRotationFailure").asText()).contains("PostgreSQL");
        assertThat(ok("ListSecretVersionIds", "SecretName", "rds1", "IncludeDeprecated", "true")
                        .path("TotalCount")
                        .asInt())
                .isEqualTo(1);
        String log = Files.readString(dir.resolve("audit").resolve("audit.log"));
        assertThat(log).doesNotContain("\"pw\"");
    }

    @Test
    void getRandomPasswordHonoursEveryOption() throws Exception {
        assertThat(ok("GetRandomPassword").path("RandomPassword").asText()).hasSize(32);
        String p = ok(
                        "GetRandomPassword",
                        "PasswordLength",
                        "64",
                        "ExcludeLowercase",
                        "true",
                        "ExcludeUppercase",
                        "true",
                        "ExcludePunctuation",
                        "true",
                        "ExcludeCharacters",
                        "0123")
                .path("RandomPassword")
                .asText();
        assertThat(p).hasSize(64).matches("[4-9]+");
        String each = ok("GetRandomPassword", "PasswordLength", "8", "RequireEachIncludedType", "true")
                .path("RandomPassword")
                .asText();
        assertThat(each)
                .matches(".*[0-9].*")
                .matches(".*[a-z].*")
                .matches(".*[A-Z].*")
                .matches(".*[^A-Za-z0-9].*");
        fails(400, "InvalidParameter", "GetRandomPassword", "PasswordLength", "7");
        fails(
                400,
                "InvalidParameter",
                "GetRandomPassword",
                "ExcludeLowercase",
                "true",
                "ExcludeUppercase",
                "true",
                "ExcludeNumbers",
                "true",
                "ExcludePunctuation",
                "true");
    }

    @Test
    void tagsOnSecretsThroughEveryTagCall() throws Exception {
        ok("CreateSecret", "SecretName", "tagme", "VersionId", "v1", "SecretData", "x");
        ok("TagResource", "SecretName", "tagme", "Tags", "[{\"TagKey\":\"a\",\"TagValue\":\"1\"}]");
        ok(
                "TagResources",
                "RegionId",
                "cn-hangzhou",
                "ResourceType",
                "secret",
                "ResourceId.1",
                "tagme",
                "Tag.1.Key",
                "b",
                "Tag.1.Value",
                "2");
        JsonNode listed =
                ok("ListTagResources", "RegionId", "cn-hangzhou", "ResourceType", "secret", "ResourceId.1", "tagme");
        assertThat(listed.path("TagResources").path("TagResource")).hasSize(2);
        assertThat(listed.path("TagResources")
                        .path("TagResource")
                        .get(0)
                        .path("ResourceType")
                        .asText())
                .isEqualTo("secret");
        ok("UntagResource", "SecretName", "tagme", "TagKeys", "[\"a\"]");
        ok(
                "UntagResources",
                "RegionId",
                "cn-hangzhou",
                "ResourceType",
                "secret",
                "ResourceId.1",
                "tagme",
                "TagKey.1",
                "b");
        assertThat(ok("DescribeSecret", "SecretName", "tagme", "FetchTags", "true")
                        .path("Tags")
                        .path("Tag"))
                .isEmpty();
        fails(
                404,
                "Forbidden.ResourceNotFound",
                "TagResource",
                "SecretName",
                "nope",
                "Tags",
                "[{\"TagKey\":\"a\",\"TagValue\":\"1\"}]");
        fails(
                404,
                "Forbidden.ResourceNotFound",
                "TagResources",
                "RegionId",
                "cn-hangzhou",
                "ResourceType",
                "secret",
                "ResourceId.1",
                "nope",
                "Tag.1.Key",
                "b");
    }

    @Test
    void defaultServiceKeyIsCreatedOnceWithItsAlias() throws Exception {
        ok("CreateSecret", "SecretName", "dk1", "VersionId", "v1", "SecretData", "x");
        ok("CreateSecret", "SecretName", "dk2", "VersionId", "v1", "SecretData", "x");
        String k1 = ok("DescribeSecret", "SecretName", "dk1")
                .path("EncryptionKeyId")
                .asText();
        assertThat(ok("DescribeSecret", "SecretName", "dk2")
                        .path("EncryptionKeyId")
                        .asText())
                .isEqualTo(k1);
        assertThat(ok("DescribeKey", "KeyId", "alias/acs/secrets-manager")
                        .path("KeyMetadata")
                        .path("KeyId")
                        .asText())
                .isEqualTo(k1);
    }

    @Test
    void xmlFormatUsesAlibabasListShape() throws Exception {
        ok("CreateSecret", "SecretName", "xml1", "VersionId", "v1", "SecretData", "x");
        SignedClient.Reply r = call("GetSecretValue", "SecretName", "xml1", "Format", "XML");
        assertThat(r.raw()).contains("<VersionStages><VersionStage>ACSCurrent</VersionStage></VersionStages>");
    }
}
