package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.openkms.conformance.Conformance.b64;
import static org.openkms.conformance.Conformance.ctx;
import static org.openkms.conformance.Conformance.expectError;
import static org.openkms.conformance.Conformance.expectErrorStatus;
import static org.openkms.conformance.Conformance.keyArn;
import static org.openkms.conformance.Conformance.randomBytes;
import static org.openkms.conformance.Conformance.uniqueAlias;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.KmsApi.Alias;
import org.openkms.conformance.KmsApi.CreateKey;
import org.openkms.conformance.KmsApi.KeyMeta;
import org.openkms.conformance.KmsApi.KeyVersion;
import org.openkms.conformance.KmsApi.Tag;
import org.openkms.conformance.KmsApi.TagResource;

/**
 * Durability across a restart: everything made through the SDKs is still there, and still usable, after the
 * server is closed and a new one is started on the same data directory (new ports). Uses its own server, not the
 * shared one.
 */
class RestartConformanceTest {
    @TempDir
    Path dataDir;

    private ConformanceServer running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    /** One ciphertext with what is needed to check it later. */
    record Sealed(String keyId, String blob, Map<String, String> context, String plaintext, String keyVersionId) {}

    @Test
    void keysAliasesTagsVersionsAndCiphertextsSurviveARestart() throws Exception {
        running = ConformanceServer.start(dataDir);
        KmsApi v2 = running.v2();
        KmsApi v1 = running.v1();
        String certificateBefore = running.caPem();

        // --- before: a varied estate, made through both SDKs ---
        KeyMeta aes = v2.createKey(
                new CreateKey().description("restart aes").tags("[{\"TagKey\":\"app\",\"TagValue\":\"billing\"}]"));
        KeyMeta sm4 = v1.createKey(new CreateKey().keySpec("Aliyun_SM4").description("restart sm4 密钥"));
        KeyMeta aes128 = v2.createKey(new CreateKey().keySpec("Aliyun_AES_128").rotation(true, "90d"));
        KeyMeta disabled = v1.createKey(new CreateKey().description("will be disabled"));
        KeyMeta pending = v2.createKey(new CreateKey().description("will be pending deletion"));
        KeyMeta guarded = v1.createKey(new CreateKey().description("deletion protected"));
        KeyMeta external = v2.createKey(new CreateKey().origin("EXTERNAL"));

        List<Sealed> sealed = new ArrayList<>();
        Map<String, String> context = ctx("tenant", "acme", "purpose", "restart");
        sealed.add(seal(v2, aes.keyId(), context));
        sealed.add(seal(v1, sm4.keyId(), null));
        sealed.add(seal(v2, aes128.keyId(), context));
        sealed.add(seal(v1, disabled.keyId(), null));
        sealed.add(seal(v2, pending.keyId(), null));

        KeyVersion rotated = v2.createKeyVersion(aes.keyId());
        sealed.add(seal(v1, aes.keyId(), context)); // under the new primary version
        KmsApi.DataKey dataKey = v2.generateDataKey(sm4.keyId(), null, 48, context, null);

        String aliasAes = uniqueAlias();
        String aliasSm4 = uniqueAlias();
        String aliasSecond = uniqueAlias();
        v2.createAlias(aliasAes, aes.keyId());
        v1.createAlias(aliasSm4, sm4.keyId());
        v2.createAlias(aliasSecond, aes.keyId());
        String movedAlias = uniqueAlias();
        v1.createAlias(movedAlias, sm4.keyId());
        v1.updateAlias(movedAlias, aes128.keyId());

        v1.tagResource(
                sm4.keyId(),
                "[{\"TagKey\":\"team\",\"TagValue\":\"crypto\"},{\"TagKey\":\"env\",\"TagValue\":\"prod\"}]");
        Map<String, String> batch = new LinkedHashMap<>();
        batch.put("batch", "one");
        v2.tagResources("key", List.of(aes.keyId(), aes128.keyId()), batch);
        v2.updateKeyDescription(aes128.keyId(), "described after creation");
        v2.disableKey(disabled.keyId());
        v1.scheduleKeyDeletion(pending.keyId(), 10);
        v2.setDeletionProtection(keyArn(guarded.keyId()), true, "keep me");

        Map<String, KeyMeta> describedBefore = new LinkedHashMap<>();
        for (KeyMeta k : List.of(aes, sm4, aes128, disabled, pending, guarded, external)) {
            describedBefore.put(k.keyId(), v2.describeKey(k.keyId()));
        }
        List<Alias> aliasesBefore = aliasesOf(v2, List.of(aes.keyId(), sm4.keyId(), aes128.keyId()));
        List<KeyVersion> versionsBefore =
                v2.listKeyVersions(aes.keyId(), null, null).items();
        List<Tag> sm4TagsBefore = v2.listResourceTags(sm4.keyId());
        int oldHttp = running.httpPort();
        int oldHttps = running.httpsPort();

        // --- restart on the same data directory ---
        running.close();
        running = null;
        // Keep the old ports busy while the new server binds, so the SDKs' per-host:port connection pools never
        // hand it a socket of the old server.
        try (ServerSocket blockHttp = tryBind(oldHttp);
                ServerSocket blockHttps = tryBind(oldHttps)) {
            running = ConformanceServer.start(dataDir);
        }
        assertThat(running.caPem())
                .as("the self-signed certificate is kept in the data directory")
                .isEqualTo(certificateBefore);

        for (KmsApi sdk : List.of(
                running.v2(),
                running.v1(),
                running.v2(V2Api.Signing.RPC, false),
                running.v2(V2Api.Signing.ACS3, true),
                running.v1(true))) {
            // Metadata is unchanged.
            for (Map.Entry<String, KeyMeta> e : describedBefore.entrySet()) {
                assertThat(sdk.describeKey(e.getKey()))
                        .as("%s %s", sdk, e.getKey())
                        .isEqualTo(e.getValue());
            }
            assertThat(sdk.describeKey(aes128.keyId()).description()).isEqualTo("described after creation");
            assertThat(sdk.describeKey(sm4.keyId()).description()).isEqualTo("restart sm4 密钥");
            assertThat(sdk.describeKey(aes.keyId()).primaryKeyVersion()).isEqualTo(rotated.keyVersionId());
            assertThat(sdk.describeKey(disabled.keyId()).keyState()).isEqualTo("Disabled");
            assertThat(sdk.describeKey(pending.keyId()).keyState()).isEqualTo("PendingDeletion");
            assertThat(sdk.describeKey(guarded.keyId()).deletionProtection()).isEqualTo("Enabled");
            assertThat(sdk.describeKey(external.keyId()).keyState()).isEqualTo("PendingImport");
            assertThat(sdk.describeKey(aes128.keyId()).rotationInterval()).isEqualTo("7776000s");

            // Aliases, versions and tags are unchanged.
            assertThat(aliasesOf(sdk, List.of(aes.keyId(), sm4.keyId(), aes128.keyId())))
                    .containsExactlyInAnyOrderElementsOf(aliasesBefore);
            assertThat(sdk.describeKey(movedAlias).keyId()).isEqualTo(aes128.keyId());
            assertThat(sdk.listKeyVersions(aes.keyId(), null, null).items())
                    .containsExactlyInAnyOrderElementsOf(versionsBefore);
            assertThat(sdk.describeKeyVersion(aes.keyId(), aes.primaryKeyVersion())
                            .keyVersionId())
                    .isEqualTo(aes.primaryKeyVersion());
            assertThat(sdk.listResourceTags(sm4.keyId())).containsExactlyInAnyOrderElementsOf(sm4TagsBefore);
            assertThat(sdk.listResourceTags(aes.keyId()))
                    .extracting(Tag::tagKey, Tag::tagValue)
                    .containsExactlyInAnyOrder(tuple("app", "billing"), tuple("batch", "one"));
            assertThat(sdk.listTagResources("key", List.of(aes128.keyId()), null, null)
                            .rows())
                    .extracting(TagResource::tagKey, TagResource::tagValue)
                    .containsExactly(tuple("batch", "one"));

            // Old ciphertexts decrypt (except under keys whose state forbids it), old and new versions alike.
            for (Sealed s : sealed) {
                if (s.keyId().equals(disabled.keyId())) {
                    expectError("Rejected.Disabled", 409, () -> sdk.decrypt(s.blob(), s.context()));
                } else if (s.keyId().equals(pending.keyId())) {
                    expectError("Rejected.PendingDeletion", 409, () -> sdk.decrypt(s.blob(), s.context()));
                } else {
                    KmsApi.Decrypted d = sdk.decrypt(s.blob(), s.context());
                    assertThat(d.plaintext())
                            .as("%s blob under %s", sdk, s.keyId())
                            .isEqualTo(s.plaintext());
                    assertThat(d.keyVersionId()).isEqualTo(s.keyVersionId());
                }
            }
            assertThat(sdk.decrypt(dataKey.ciphertextBlob(), context).plaintext())
                    .isEqualTo(dataKey.plaintext());

            // And the keys keep working: new encryptions by alias use the current primary version.
            KmsApi.Encrypted fresh = sdk.encrypt(aliasAes, "aGVsbG8=", context);
            assertThat(fresh.keyVersionId()).isEqualTo(rotated.keyVersionId());
            assertThat(sdk.decrypt(fresh.ciphertextBlob(), context).plaintext()).isEqualTo("aGVsbG8=");
        }

        // State changes still work after the restart.
        KmsApi v2b = running.v2();
        v2b.enableKey(disabled.keyId());
        Sealed disabledBlob = sealed.get(3);
        assertThat(v2b.decrypt(disabledBlob.blob()).plaintext()).isEqualTo(disabledBlob.plaintext());
        v2b.cancelKeyDeletion(pending.keyId());
        Sealed pendingBlob = sealed.get(4);
        assertThat(v2b.decrypt(pendingBlob.blob()).plaintext()).isEqualTo(pendingBlob.plaintext());
        assertThat(v2b.createKeyVersion(sm4.keyId()).keyVersionId()).isNotBlank();
        assertThat(v2b.decrypt(sealed.get(1).blob()).plaintext())
                .isEqualTo(sealed.get(1).plaintext());
        expectErrorStatus(409, () -> v2b.scheduleKeyDeletion(guarded.keyId(), 7));
        expectError("AliasAlreadyExists", 400, () -> v2b.createAlias(aliasAes, sm4.keyId()));
    }

    private static Sealed seal(KmsApi sdk, String keyId, Map<String, String> context) {
        String plaintext = b64(randomBytes(37));
        KmsApi.Encrypted e = sdk.encrypt(keyId, plaintext, context);
        return new Sealed(keyId, e.ciphertextBlob(), context, plaintext, e.keyVersionId());
    }

    private static List<Alias> aliasesOf(KmsApi sdk, List<String> keyIds) {
        List<Alias> out = new ArrayList<>();
        for (String keyId : keyIds) {
            out.addAll(sdk.listAliasesByKeyId(keyId, 1, 100).items());
        }
        return out;
    }

    /** Binds the port if it is free (SO_REUSEADDR, as Jetty would); null when it cannot be bound. */
    private static ServerSocket tryBind(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        } catch (IOException e) {
            return null;
        }
    }
}
