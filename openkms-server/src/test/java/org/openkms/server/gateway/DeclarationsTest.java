package org.openkms.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openkms.core.error.KmsException;
import org.openkms.server.actions.Actions;
import org.openkms.server.actions.KmsFields;

/** The KMS actions are declared (fields, targets, DryRun) rather than registered by handler alone. */
class DeclarationsTest {
    private final ActionRegistry kms = Actions.all(null); // the context is only stored by the actions that use it

    @Test
    void everyKmsActionButTheAccessPointOnesIsDeclared() {
        Set<String> undeclared = kms.all().values().stream()
                .filter(o -> !o.declared())
                .map(Operation::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(undeclared)
                .allMatch(n -> n.contains("NetworkRule")
                        || n.endsWith("Policy")
                        || n.endsWith("Policies")
                        || n.contains("ApplicationAccessPoint")
                        || n.contains("ClientKey"));
        assertThat(undeclared).doesNotContain("SetKeyPolicy", "GetKeyPolicy", "SetSecretPolicy", "GetSecretPolicy");
        assertThat(kms.find("DescribeKey").declared()).isTrue();
    }

    @Test
    void dryRunIsDeclaredByExactlyTheActionsThatHonourIt() {
        Set<String> dryRun = kms.all().values().stream()
                .filter(o -> o.dryRun().supported())
                .map(Operation::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(dryRun)
                .containsExactlyInAnyOrder(
                        "Encrypt",
                        "Decrypt",
                        "GenerateDataKey",
                        "GenerateDataKeyWithoutPlaintext",
                        "ReEncrypt",
                        "ExportDataKey",
                        "GenerateAndExportDataKey",
                        "AsymmetricSign",
                        "AsymmetricVerify",
                        "AsymmetricEncrypt",
                        "AsymmetricDecrypt",
                        "GetPublicKey",
                        "GenerateMac",
                        "VerifyMac",
                        "GetSecretValue");
    }

    @Test
    void fieldsAnswerWithAlibabasCodesAndParseOnce() {
        Call missing = new Call("Encrypt", new Params(Map.of()), null, null);
        assertThatThrownBy(() -> missing.get(KmsFields.KEY_ID))
                .isInstanceOf(KmsException.class)
                .extracting(e -> ((KmsException) e).code())
                .isEqualTo("MissingParameter");
        assertThatThrownBy(missing::keyId)
                .extracting(e -> ((KmsException) e).code())
                .isEqualTo("MissingParameter");

        Call bad = new Call("Encrypt", new Params(Map.of("Plaintext", "%%%", "PageSize", "101")), null, null);
        assertThatThrownBy(() -> bad.get(KmsFields.PLAINTEXT))
                .extracting(e -> ((KmsException) e).code())
                .isEqualTo("InvalidParameter");
        assertThatThrownBy(() -> bad.get(KmsFields.PAGE_SIZE))
                .extracting(e -> ((KmsException) e).code())
                .isEqualTo("InvalidParameter");

        Call ok = new Call("Encrypt", new Params(Map.of("KeyId", "alias/a", "Plaintext", "aGk=")), null, null);
        assertThat(ok.get(KmsFields.PLAINTEXT))
                .isSameAs(ok.get(KmsFields.PLAINTEXT))
                .containsExactly('h', 'i');
        assertThat(ok.get(KmsFields.PAGE_SIZE)).isEqualTo(10);
        assertThat(ok.keyId()).isEqualTo("alias/a"); // nothing resolved: the parameter as given
        ok.resolved(new Targets.Resolved(java.util.List.of(), "key-1", "acs:kms:r:1:key/key-1"));
        assertThat(ok.keyId()).isEqualTo("key-1");
        assertThat(ok.auditResource()).isEqualTo("acs:kms:r:1:key/key-1");
    }
}
