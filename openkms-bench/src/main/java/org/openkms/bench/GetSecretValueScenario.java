package org.openkms.bench;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GetSecretValue} of the ACSCurrent version of one Generic secret whose value is {@code --plaintext-size}
 * random bytes as Base64 text, created during preparation under the bench's symmetric key. The scenario has no
 * clean-up step, so the secret (uniquely named {@code bench/secret-<uuid>}) stays; it becomes unreadable when the
 * bench key's scheduled deletion completes.
 */
final class GetSecretValueScenario implements Scenario {
    private Map<String, String> params;
    private int size;
    private String name;

    @Override
    public String action() {
        return "GetSecretValue";
    }

    @Override
    public void prepare(Setup setup) throws IOException {
        size = setup.plaintextSize();
        name = "bench/secret-" + UUID.randomUUID();
        setup.api()
                .call(
                        "CreateSecret",
                        Map.of(
                                "SecretName",
                                name,
                                "VersionId",
                                "v1",
                                "EncryptionKeyId",
                                setup.keyId(),
                                "SecretData",
                                Base64.getEncoder().encodeToString(setup.randomBytes(size))));
        params = Map.of("SecretName", name);
    }

    @Override
    public Map<String, String> params() {
        return params;
    }

    /** The secret, and kms:Decrypt on its customer key: RAM authorises a secret value read on both. */
    @Override
    public Map<String, String> ramGrants(String benchKeyId) {
        Map<String, String> grants = new LinkedHashMap<>();
        grants.put("kms:GetSecretValue", "acs:kms:*:*:secret/" + name);
        grants.put("kms:Decrypt", Scenario.keyArn(benchKeyId));
        return grants;
    }

    @Override
    public String describe() {
        return "GetSecretValue (" + size + "-byte secret, ACSCurrent)";
    }
}
