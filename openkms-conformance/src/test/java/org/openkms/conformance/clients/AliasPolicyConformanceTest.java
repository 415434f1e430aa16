package org.openkms.conformance.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.openkms.conformance.Conformance.unique;

import com.aliyun.dkms.gcs.openapi.models.Config;
import com.aliyun.dkms.gcs.sdk.Client;
import com.aliyun.dkms.gcs.sdk.models.DecryptRequest;
import com.aliyun.dkms.gcs.sdk.models.EncryptRequest;
import com.aliyun.kms20160120.models.CreateAliasRequest;
import com.aliyun.kms20160120.models.CreateApplicationAccessPointRequest;
import com.aliyun.kms20160120.models.CreateClientKeyRequest;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.CreatePolicyRequest;
import com.aliyun.kms20160120.models.DescribePolicyRequest;
import com.aliyun.tea.TeaException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.V2Api;

/**
 * Alias resources in an application access point's policy ({@code alias/<name>}, {@code alias/*}): they authorise
 * the use of a key through that alias on the instance gateway, with the official Instance SDK 0.5.2. An alias grant
 * covers calls that name the alias, not the key named by its id, nor another alias of the same key.
 */
class AliasPolicyConformanceTest {
    private static final String PASSWORD = "Al1as-policy-pw";

    @TempDir
    static Path dir;

    static ConformanceServer server;
    static V2Api root;
    static Path caFile;
    static String key;
    static String granted;
    static String otherAlias;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(
                ConformanceServer.config(dir.resolve("data")).withInstanceListen("127.0.0.1:0"));
        root = server.v2();
        caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, server.server().instanceCaPem());
        var c = root.client();
        key = root.call(() -> c.createKey(new CreateKeyRequest()
                        .setKeySpec("Aliyun_AES_256")
                        .setDKMSInstanceId(server.server().instanceId())))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        granted = "alias/" + unique("app");
        otherAlias = "alias/" + unique("other");
        root.call(() ->
                c.createAlias(new CreateAliasRequest().setAliasName(granted).setKeyId(key)));
        root.call(() ->
                c.createAlias(new CreateAliasRequest().setAliasName(otherAlias).setKeyId(key)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** An instance SDK client whose access point has one policy over {@code resources}. */
    static Client clientFor(String resources) throws Exception {
        var c = root.client();
        String policy = unique("pol");
        root.call(() -> c.createPolicy(new CreatePolicyRequest()
                .setName(policy)
                .setKmsInstance(server.server().instanceId())
                .setPermissions("[\"RbacPermission/Template/CryptoServiceKeyUser\"]")
                .setResources(resources)));
        assertThat(root.call(() -> c.describePolicy(new DescribePolicyRequest().setName(policy)))
                        .getBody()
                        .getResources())
                .isNotEmpty();
        String aap = unique("aap");
        root.call(() -> c.createApplicationAccessPoint(new CreateApplicationAccessPointRequest()
                .setName(aap)
                .setAuthenticationMethod("ClientKey")
                .setPolicies("[\"" + policy + "\"]")));
        var ck = root.call(() -> c.createClientKey(
                        new CreateClientKeyRequest().setAapName(aap).setPassword(PASSWORD)))
                .getBody();
        return new Client(new Config()
                .setProtocol("https")
                .setEndpoint("127.0.0.1:" + server.server().instancePort())
                .setClientKeyContent("{\"KeyId\":\"" + ck.getClientKeyId() + "\",\"PrivateKeyData\":\""
                        + ck.getPrivateKeyData() + "\"}")
                .setPassword(PASSWORD)
                .setCaFilePath(caFile.toString()));
    }

    @Test
    void namedAliasGrantsUseThroughThatAliasOnly() throws Exception {
        Client sdk = clientFor("[\"" + granted + "\"]");
        var enc = sdk.encrypt(
                new EncryptRequest().setKeyId(granted).setPlaintext("via alias".getBytes(StandardCharsets.UTF_8)));
        assertThat(enc.getKeyId()).isEqualTo(key);
        var dec = sdk.decrypt(new DecryptRequest()
                .setKeyId(granted)
                .setCiphertextBlob(enc.getCiphertextBlob())
                .setIv(enc.getIv()));
        assertThat(new String(dec.getPlaintext(), StandardCharsets.UTF_8)).isEqualTo("via alias");
        // The ARN form of the alias names the same alias.
        String aliasArn = "acs:kms:" + ConformanceServer.REGION + ":" + ConformanceServer.ACCOUNT_ID + ":" + granted;
        assertThat(sdk.encrypt(new EncryptRequest().setKeyId(aliasArn).setPlaintext(new byte[] {1}))
                        .getKeyId())
                .isEqualTo(key);

        assertThat(code(() -> sdk.encrypt(new EncryptRequest().setKeyId(key).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.NoPermission");
        assertThat(code(() ->
                        sdk.encrypt(new EncryptRequest().setKeyId(otherAlias).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.NoPermission");
        // Decrypt of that ciphertext by key id is not granted either.
        assertThat(code(() -> sdk.decrypt(new DecryptRequest()
                        .setKeyId(key)
                        .setCiphertextBlob(enc.getCiphertextBlob())
                        .setIv(enc.getIv()))))
                .isEqualTo("Forbidden.NoPermission");
    }

    @Test
    void aliasWildcardGrantsEveryAliasButNotKeyIds() throws Exception {
        Client sdk = clientFor("[\"alias/*\"]");
        assertThat(sdk.encrypt(new EncryptRequest().setKeyId(granted).setPlaintext(new byte[] {1}))
                        .getKeyId())
                .isEqualTo(key);
        assertThat(sdk.encrypt(new EncryptRequest().setKeyId(otherAlias).setPlaintext(new byte[] {2}))
                        .getKeyId())
                .isEqualTo(key);
        assertThat(code(() -> sdk.encrypt(new EncryptRequest().setKeyId(key).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.NoPermission");
    }

    @Test
    void keyGrantStillCoversUseThroughAnyAlias() throws Exception {
        Client sdk = clientFor("[\"key/" + key + "\"]");
        assertThat(sdk.encrypt(new EncryptRequest().setKeyId(otherAlias).setPlaintext(new byte[] {1}))
                        .getKeyId())
                .isEqualTo(key);
    }

    @Test
    void unknownAliasIsAliasNotFoundOnlyWhenThePolicyCoversIt() throws Exception {
        // As key/* answers Forbidden.KeyNotFound for a missing key, alias/* lets the caller learn that the alias does
        // not exist; a policy naming other aliases does not.
        String absent = "alias/" + unique("absent");
        Client wildcard = clientFor("[\"alias/*\"]");
        assertThat(code(() ->
                        wildcard.encrypt(new EncryptRequest().setKeyId(absent).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.AliasNotFound");
        Client named = clientFor("[\"" + granted + "\"]");
        assertThat(code(() ->
                        named.encrypt(new EncryptRequest().setKeyId(absent).setPlaintext(new byte[] {1}))))
                .isEqualTo("Forbidden.NoPermission");
    }

    private static String code(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof TeaException te) {
                return te.getCode();
            }
        }
        throw new AssertionError("expected an error from the server, got " + t, t);
    }
}
