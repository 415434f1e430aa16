package org.openkms.core.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.Signature;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.core.Account;
import org.openkms.core.error.KmsException;
import org.openkms.core.store.memory.InMemoryStorage;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.crypto.rootkey.RootKeyProvider;

class InstancesTest {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesOneInstanceWithItsCaAndATlsCertificateSignedByIt() throws Exception {
        RootKeyProvider root = FileRootKeyProvider.openOrCreate(dir.resolve("root.key"));
        InMemoryStorage storage = new InMemoryStorage();
        Instances instances =
                new Instances(new Account("1234", "cn-hangzhou"), storage.instances(), root, Clock.systemUTC());

        InstanceRecord first = instances.ensureDefault(List.of("kms.example.test"));
        assertThat(first.instanceId()).matches("kst-hzz[a-z0-9]{18}");
        assertThat(instances.ensureDefault(List.of()).instanceId()).isEqualTo(first.instanceId());
        assertThat(instances.list()).hasSize(1);

        Instances.Tls tls = instances.tls(first.instanceId());
        tls.certificate().verify(tls.ca().getPublicKey());
        assertThat(tls.ca().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        // CaCertificateChainPem: the root, then the sub CA that signs the gateway's certificate.
        var cas = Instances.certificates(first.caCertificatePem());
        assertThat(cas).hasSize(2);
        cas.get(0).verify(cas.get(0).getPublicKey());
        assertThat(cas.get(1)).isEqualTo(tls.ca());
        tls.ca().verify(cas.get(0).getPublicKey());
        assertThat(tls.ca().getSubjectX500Principal()).isNotEqualTo(tls.ca().getIssuerX500Principal());
        assertThat(tls.chain()).containsExactly(tls.certificate(), cas.get(1), cas.get(0));
        assertThat(tls.certificate().getSubjectAlternativeNames())
                .extracting(n -> n.get(1).toString())
                .contains(
                        "127.0.0.1",
                        "localhost",
                        first.instanceId() + ".cryptoservice.kms.aliyuncs.com",
                        "kms.example.test")
                .anyMatch(n -> n.startsWith("0:0:0:0:0:0:0:1"));
        // The unsealed private key is the certificate's.
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(tls.key());
        s.update(new byte[] {1});
        byte[] sig = s.sign();
        s.initVerify(tls.certificate());
        s.update(new byte[] {1});
        assertThat(s.verify(sig)).isTrue();
        // Only sealed keys in storage: the PKCS#8 encoding does not appear in the row.
        assertThat(new String(first.sealedKey(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(tls.key().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void unknownInstanceIsAlibabasError() {
        Instances instances = new Instances(
                new Account("1234", "cn-hangzhou"),
                new InMemoryStorage().instances(),
                FileRootKeyProvider.openOrCreate(dir.resolve("root.key")),
                Clock.systemUTC());
        assertThatThrownBy(() -> instances.get("kst-nope"))
                .isInstanceOf(KmsException.class)
                .extracting(e -> ((KmsException) e).code())
                .isEqualTo("Forbidden.DKMSInstanceNotFound");
    }

    @Test
    void aLabelBindsOneInstanceOfItsOwnAcrossCallsAndTheDefaultStaysTheDefault() {
        RootKeyProvider root = FileRootKeyProvider.openOrCreate(dir.resolve("root.key"));
        InMemoryStorage storage = new InMemoryStorage();
        Account account = new Account("1234", "cn-hangzhou");
        Instances instances = new Instances(account, storage.instances(), root, Clock.systemUTC());
        InstanceRecord first = instances.ensureDefault(List.of());
        InstanceRecord a = instances.ensureLabelled("team-a", List.of("a.example.test"));
        InstanceRecord b = instances.ensureLabelled("team_b", List.of());

        assertThat(a.instanceId()).matches("kst-hzz[a-z0-9]{18}").isNotEqualTo(first.instanceId());
        assertThat(a.instanceName()).isEqualTo("team-a");
        assertThat(b.instanceId()).isNotIn(first.instanceId(), a.instanceId());
        assertThat(a.caCertificatePem()).isNotEqualTo(first.caCertificatePem()).isNotEqualTo(b.caCertificatePem());
        assertThat(instances.list()).hasSize(3);

        // As after a restart: a new Instances over the same storage finds the same records by label.
        Instances again = new Instances(account, storage.instances(), root, Clock.systemUTC());
        assertThat(again.ensureDefault(List.of()).instanceId()).isEqualTo(first.instanceId());
        assertThat(again.defaultInstanceId()).isEqualTo(first.instanceId());
        assertThat(again.ensureLabelled("team-a", List.of()).instanceId()).isEqualTo(a.instanceId());
        assertThat(again.list()).hasSize(3);

        // Each CA signs its own instance's certificate only.
        assertThat(again.tls(a.instanceId()).ca())
                .isNotEqualTo(again.tls(b.instanceId()).ca());

        // Served: the default always, labelled ones while configured.
        again.configured(java.util.Set.of(a.instanceId()));
        assertThat(again.status(again.get(a.instanceId()))).isEqualTo("InUse");
        assertThat(again.status(again.get(b.instanceId()))).isEqualTo("Disconnected");
        assertThat(again.status(again.get(first.instanceId()))).isEqualTo("InUse");
    }

    @Test
    void labelsAreNamesNotIds() {
        assertThat(Instances.validLabel("a")).isTrue();
        assertThat(Instances.validLabel("Team_B-2")).isTrue();
        assertThat(Instances.validLabel("")).isFalse();
        assertThat(Instances.validLabel("-a")).isFalse();
        assertThat(Instances.validLabel("a b")).isFalse();
        assertThat(Instances.validLabel("a".repeat(65))).isFalse();
        assertThat(Instances.validLabel("kst-hzz123")).isFalse();
    }
}
