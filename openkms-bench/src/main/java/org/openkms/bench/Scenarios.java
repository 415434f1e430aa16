package org.openkms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The scenarios {@code --action} can name. Register new ones in the static block. */
public final class Scenarios {
    private static final Map<String, Supplier<Scenario>> REGISTRY = new LinkedHashMap<>();

    static {
        register("Encrypt", EncryptScenario::new);
        register("Decrypt", DecryptScenario::new);
        register("GenerateDataKey", GenerateDataKeyScenario::new);
        register("DescribeKey", DescribeKeyScenario::new);
        AsymmetricScenarios.registerAll();
        register("GetSecretValue", GetSecretValueScenario::new);
        InstanceScenario.registerAll();
        AgentScenario.registerAll();
    }

    private Scenarios() {}

    static void register(String action, Supplier<Scenario> factory) {
        REGISTRY.put(action, factory);
    }

    /** Action names in registration order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(REGISTRY.keySet());
    }

    /**
     * @param action matched case-insensitively
     * @throws IllegalArgumentException for an unknown action
     */
    public static Scenario create(String action) {
        for (Map.Entry<String, Supplier<Scenario>> e : REGISTRY.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(action.toLowerCase(Locale.ROOT))) {
                return e.getValue().get();
            }
        }
        throw new IllegalArgumentException("unknown action " + action + " (known: " + String.join(", ", names()) + ")");
    }

    /** {@code Encrypt} of a fixed random plaintext of {@code --plaintext-size} bytes. */
    static final class EncryptScenario implements Scenario {
        private Map<String, String> params;
        private int size;

        @Override
        public String action() {
            return "Encrypt";
        }

        @Override
        public void prepare(Setup setup) {
            size = setup.plaintextSize();
            params = Map.of(
                    "KeyId", setup.keyId(), "Plaintext", Base64.getEncoder().encodeToString(setup.randomBytes(size)));
        }

        @Override
        public Map<String, String> params() {
            return params;
        }

        @Override
        public String describe() {
            return "Encrypt (" + size + "-byte plaintext)";
        }
    }

    /** {@code Decrypt} of one ciphertext made by an Encrypt during preparation. */
    static final class DecryptScenario implements Scenario {
        private Map<String, String> params;
        private int size;

        @Override
        public String action() {
            return "Decrypt";
        }

        @Override
        public void prepare(Setup setup) throws IOException {
            size = setup.plaintextSize();
            JsonNode r = setup.api()
                    .call(
                            "Encrypt",
                            Map.of(
                                    "KeyId",
                                    setup.keyId(),
                                    "Plaintext",
                                    Base64.getEncoder().encodeToString(setup.randomBytes(size))));
            params = Map.of("CiphertextBlob", ApiClient.field(r, "CiphertextBlob"));
        }

        @Override
        public Map<String, String> params() {
            return params;
        }

        @Override
        public String describe() {
            return "Decrypt (" + size + "-byte plaintext)";
        }
    }

    /** {@code GenerateDataKey} of a 32-byte (AES-256) data key. */
    static final class GenerateDataKeyScenario implements Scenario {
        private Map<String, String> params;

        @Override
        public String action() {
            return "GenerateDataKey";
        }

        @Override
        public void prepare(Setup setup) {
            params = Map.of("KeyId", setup.keyId(), "NumberOfBytes", "32");
        }

        @Override
        public Map<String, String> params() {
            return params;
        }

        @Override
        public String describe() {
            return "GenerateDataKey (32 bytes)";
        }
    }

    /** {@code DescribeKey}: metadata only, no cryptography beyond the request signature. */
    static final class DescribeKeyScenario implements Scenario {
        private Map<String, String> params;

        @Override
        public String action() {
            return "DescribeKey";
        }

        @Override
        public void prepare(Setup setup) {
            params = Map.of("KeyId", setup.keyId());
        }

        @Override
        public Map<String, String> params() {
            return params;
        }
    }
}
