package org.openkms.core.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.openkms.core.Account;
import org.openkms.core.MutableClock;
import org.openkms.core.accesspoint.AccessPoints.AccessPoint;
import org.openkms.core.accesspoint.AccessPoints.NetworkRule;
import org.openkms.core.accesspoint.AccessPoints.PermissionPolicy;
import org.openkms.core.error.KmsException;

/** The evaluation function the dedicated gateway will call: client key × source IP × action × resource. */
class AccessPointsTest {
    private final Map<String, String> store = new ConcurrentHashMap<>();
    private final AccessPointRepository repo = new AccessPointRepository() {
        public void put(String kind, String name, String document) {
            store.put(kind + "/" + name, document);
        }

        public boolean delete(String kind, String name) {
            return store.remove(kind + "/" + name) != null;
        }

        public Map<String, String> list(String kind) {
            Map<String, String> out = new TreeMap<>();
            store.forEach((k, v) -> {
                if (k.startsWith(kind + "/")) {
                    out.put(k.substring(kind.length() + 1), v);
                }
            });
            return out;
        }
    };
    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
    private final Account account = new Account("1234567890123456", "cn-hangzhou");

    @Test
    void clientKeyIpActionAndResourceAreAllChecked() throws Exception {
        AccessPoints ap = new AccessPoints(account, repo, clock);
        ap.putRule(new NetworkRule("office", "Private", "", List.of("10.0.0.0/8")), true);
        ap.putPolicy(
                new PermissionPolicy(
                        "crypto",
                        "",
                        "",
                        List.of("RbacPermission/Template/CryptoServiceKeyUser"),
                        List.of("key/key-a"),
                        List.of("office")),
                true);
        ap.putPolicy(
                new PermissionPolicy(
                        "secrets",
                        "",
                        "",
                        List.of("RbacPermission/Template/CryptoServiceSecretUser"),
                        List.of("secret/*"),
                        List.of()),
                true);
        ap.putAap(new AccessPoint("app", "", "ClientKey", List.of("crypto", "secrets")), true);
        var created = ap.createClientKey("app", null, null, "passw0rd!");
        String id = created.getKey().clientKeyId();
        assertThat(id).startsWith("KAAP.");

        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(new ByteArrayInputStream(created.getValue()), "passw0rd!".toCharArray());
        assertThat(p12.isKeyEntry(id)).isTrue();

        assertThat(ap.allows(id, "10.1.2.3", "Encrypt", "key/key-a")).isTrue();
        assertThat(ap.allows(id, "10.1.2.3", "Encrypt", "acs:kms:cn-hangzhou:1234567890123456:key/key-a"))
                .isTrue();
        assertThat(ap.allows(id, "192.168.0.1", "Encrypt", "key/key-a"))
                .as("outside the network rule")
                .isFalse();
        assertThat(ap.allows(id, "10.1.2.3", "Encrypt", "key/key-b"))
                .as("other key")
                .isFalse();
        assertThat(ap.allows(id, "10.1.2.3", "CreateKey", "key/key-a"))
                .as("not in the template")
                .isFalse();
        assertThat(ap.allows(id, "192.168.0.1", "GetSecretValue", "secret/db"))
                .as("no network rule on that policy")
                .isTrue();
        assertThat(ap.allows("KAAP.unknown", "10.1.2.3", "Encrypt", "key/key-a"))
                .isFalse();

        // Reloaded from storage, the same answers.
        AccessPoints reloaded = new AccessPoints(account, repo, clock);
        assertThat(reloaded.allows(id, "10.1.2.3", "Encrypt", "key/key-a")).isTrue();

        clock.advance(Duration.ofDays(5 * 366));
        assertThat(ap.allows(id, "10.1.2.3", "Encrypt", "key/key-a"))
                .as("expired client key")
                .isFalse();
    }

    @Test
    void referencesMustExistAndNamesAreUnique() {
        AccessPoints ap = new AccessPoints(account, repo, clock);
        assertThatThrownBy(() -> ap.putPolicy(
                        new PermissionPolicy(
                                "p",
                                "",
                                "",
                                List.of("RbacPermission/Template/CryptoServiceKeyUser"),
                                List.of("key/*"),
                                List.of("missing")),
                        true))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo("Forbidden.ResourceNotFound"));
        assertThatThrownBy(() -> ap.putPolicy(
                        new PermissionPolicy("p", "", "", List.of("Admin"), List.of("key/*"), List.of()), true))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameter"));
        ap.putRule(new NetworkRule("r", "Private", "", List.of("10.0.0.1")), true);
        assertThatThrownBy(() -> ap.putRule(new NetworkRule("r", "Private", "", List.of()), true))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo("Rejected.ResourceExist"));
        assertThatThrownBy(() -> ap.putRule(new NetworkRule("bad", "Private", "", List.of("10.0.0.0/99")), true))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameter"));
        assertThatThrownBy(() -> ap.createClientKey("nope", null, null, "passw0rd!"))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo("Forbidden.ResourceNotFound"));
    }

    @Test
    void aliasResourcesGrantAKeyNamedThroughTheAlias() {
        AccessPoints ap = new AccessPoints(account, repo, clock);
        ap.putPolicy(
                new PermissionPolicy(
                        "by-alias",
                        "",
                        "",
                        List.of("RbacPermission/Template/CryptoServiceKeyUser"),
                        List.of("alias/app"),
                        List.of()),
                true);
        ap.putAap(new AccessPoint("app", "", "ClientKey", List.of("by-alias")), true);
        String id = ap.createClientKey("app", null, null, "passw0rd!").getKey().clientKeyId();
        String keyArn = "acs:kms:cn-hangzhou:1234567890123456:key/key-a";
        assertThat(ap.allows(id, "10.0.0.1", "Encrypt", keyArn, "alias/app", null))
                .isTrue();
        assertThat(ap.allows(id, "10.0.0.1", "Encrypt", keyArn, null, null))
                .as("the same key by its id")
                .isFalse();
        assertThat(ap.allows(id, "10.0.0.1", "Encrypt", keyArn, "alias/other", null))
                .as("another alias of the key")
                .isFalse();
        assertThat(ap.allows(id, "10.0.0.1", "GetSecretValue", "secret/app", "alias/app", null))
                .as("an alias names keys only")
                .isFalse();
        assertThatThrownBy(() -> ap.putPolicy(
                        new PermissionPolicy(
                                "bad",
                                "",
                                "",
                                List.of("RbacPermission/Template/CryptoServiceKeyUser"),
                                List.of("aliases/x"),
                                List.of()),
                        true))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameter"));
    }
}
