package org.openkms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * AsymmetricSign, AsymmetricVerify and AsymmetricDecrypt per key spec, registered as {@code <Action>-<KeySpec>}
 * (e.g. {@code --action AsymmetricSign-EC_P256}); the plain action names use RSA_2048. Each run creates its own
 * asymmetric key in {@link #prepare} (no symmetric key needed) and sends the same request every time: sign a
 * fixed 32-byte digest, verify one signature made during preparation, or decrypt one ciphertext of a 32-byte
 * data key, which is what the API's callers do with these keys.
 */
final class AsymmetricScenarios {
    private static final String[] SIGNING_SPECS = {"RSA_2048", "RSA_3072", "EC_P256", "EC_P256K", "EC_SM2"};
    private static final String[] ENCRYPTION_SPECS = {"RSA_2048", "RSA_3072", "EC_SM2"};

    private AsymmetricScenarios() {}

    static void registerAll() {
        Scenarios.register("AsymmetricSign", () -> new Sign("RSA_2048", false));
        Scenarios.register("AsymmetricVerify", () -> new Sign("RSA_2048", true));
        Scenarios.register("AsymmetricDecrypt", () -> new Decrypt("RSA_2048"));
        for (String spec : SIGNING_SPECS) {
            Scenarios.register("AsymmetricSign-" + spec, () -> new Sign(spec, false));
            Scenarios.register("AsymmetricVerify-" + spec, () -> new Sign(spec, true));
        }
        for (String spec : ENCRYPTION_SPECS) {
            Scenarios.register("AsymmetricDecrypt-" + spec, () -> new Decrypt(spec));
        }
    }

    static String signatureAlgorithm(String spec) {
        return switch (spec) {
            case "EC_P256", "EC_P256K" -> "ECDSA_SHA_256";
            case "EC_SM2" -> "SM2DSA";
            default -> "RSA_PKCS1_SHA_256";
        };
    }

    /** Creates a key of {@code spec} with {@code usage}; returns {KeyId, PrimaryKeyVersion}. */
    static String[] createKey(Scenario.Setup setup, String spec, String usage) throws IOException {
        JsonNode r = setup.api()
                .call("CreateKey", Map.of("KeySpec", spec, "KeyUsage", usage, "Description", "openkms bench " + spec));
        return new String[] {
            ApiClient.field(r, "KeyMetadata", "KeyId"), ApiClient.field(r, "KeyMetadata", "PrimaryKeyVersion")
        };
    }

    /** AsymmetricSign, or AsymmetricVerify of a signature made once in preparation. */
    static final class Sign implements Scenario {
        private final String spec;
        private final boolean verify;
        private Map<String, String> params;

        Sign(String spec, boolean verify) {
            this.spec = spec;
            this.verify = verify;
        }

        @Override
        public String action() {
            return verify ? "AsymmetricVerify" : "AsymmetricSign";
        }

        @Override
        public boolean needsSymmetricKey() {
            return false;
        }

        @Override
        public void prepare(Setup setup) throws IOException {
            String[] key = createKey(setup, spec, "SIGN/VERIFY");
            String digest;
            try {
                digest = Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-256").digest(setup.randomBytes(64)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> sign = Map.of(
                    "KeyId", key[0], "KeyVersionId", key[1], "Algorithm", signatureAlgorithm(spec), "Digest", digest);
            if (verify) {
                String value = ApiClient.field(setup.api().call("AsymmetricSign", sign), "Value");
                params = Map.of(
                        "KeyId",
                        key[0],
                        "KeyVersionId",
                        key[1],
                        "Algorithm",
                        signatureAlgorithm(spec),
                        "Digest",
                        digest,
                        "Value",
                        value);
            } else {
                params = sign;
            }
        }

        @Override
        public Map<String, String> params() {
            return params;
        }

        @Override
        public String describe() {
            return action() + " (" + spec + ", " + signatureAlgorithm(spec) + ")";
        }

        /** The key spec whose JDK signing rate this load is compared with, or null (verify, or not a JDK spec). */
        String jdkComparableSpec() {
            return verify || JdkSigningRate.algorithm(spec) == null ? null : spec;
        }
    }

    /** AsymmetricDecrypt of one ciphertext (a 32-byte data key) made by AsymmetricEncrypt in preparation. */
    static final class Decrypt implements Scenario {
        private final String spec;
        private Map<String, String> params;

        Decrypt(String spec) {
            this.spec = spec;
        }

        private String algorithm() {
            return spec.equals("EC_SM2") ? "SM2PKE" : "RSAES_OAEP_SHA_256";
        }

        @Override
        public String action() {
            return "AsymmetricDecrypt";
        }

        @Override
        public boolean needsSymmetricKey() {
            return false;
        }

        @Override
        public void prepare(Setup setup) throws IOException {
            String[] key = createKey(setup, spec, "ENCRYPT/DECRYPT");
            JsonNode r = setup.api()
                    .call(
                            "AsymmetricEncrypt",
                            Map.of(
                                    "KeyId",
                                    key[0],
                                    "KeyVersionId",
                                    key[1],
                                    "Algorithm",
                                    algorithm(),
                                    "Plaintext",
                                    Base64.getEncoder().encodeToString(setup.randomBytes(32))));
            params = Map.of(
                    "KeyId",
                    key[0],
                    "KeyVersionId",
                    key[1],
                    "Algorithm",
                    algorithm(),
                    "CiphertextBlob",
                    ApiClient.field(r, "CiphertextBlob"));
        }

        @Override
        public Map<String, String> params() {
            return params;
        }

        @Override
        public String describe() {
            return "AsymmetricDecrypt (" + spec + ", " + algorithm() + ", 32-byte plaintext)";
        }
    }
}
