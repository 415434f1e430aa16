package org.openkms.bench;

import java.io.IOException;
import java.util.Map;

/**
 * One kind of request the bench sends over and over. Add a scenario by implementing this and registering it in
 * {@link Scenarios} (e.g. AsymmetricSign would create an EC_P256 SIGN/VERIFY key in {@link #prepare} and return
 * {@code false} from {@link #needsSymmetricKey}; GetSecretValue would create a secret there).
 */
public interface Scenario {

    /** The API action sent, e.g. {@code Encrypt}. */
    String action();

    /**
     * Whether the run needs a symmetric key: then {@code --key-id} is used, or the bench creates an Aliyun_AES_256
     * key (and schedules its deletion afterwards) and passes it in {@link Setup#keyId()}.
     */
    default boolean needsSymmetricKey() {
        return true;
    }

    /** Once, on the main thread, before any load: create what the requests refer to. */
    void prepare(Setup setup) throws IOException;

    /**
     * The business parameters of the next request. Called on every worker thread for every request, so it must be
     * thread-safe and cheap; returning the same immutable map each time is the usual answer.
     */
    Map<String, String> params();

    /**
     * A field a correct answer carries: a 200 without it is counted as an error (a server that answers 200 with
     * the wrong body must not score). Null accepts any 200.
     */
    default String bodyMustContain() {
        return switch (action()) {
            case "Encrypt", "GenerateDataKey" -> "\"CiphertextBlob\"";
            case "Decrypt", "AsymmetricDecrypt" -> "\"Plaintext\"";
            case "DescribeKey" -> "\"KeyMetadata\"";
            case "AsymmetricSign" -> "\"Value\"";
            case "AsymmetricVerify" -> "\"Value\":true";
            case "GetSecretValue" -> "\"SecretData\"";
            default -> null;
        };
    }

    /**
     * The request bytes of the load. OpenAPI scenarios are signed by the bench's encoder (AccessKey, ACS3 or RPC);
     * a scenario on another protocol (the KMS Instance API) writes its own.
     */
    default LoadRun.RequestWriter writer(SignedRequestEncoder encoder) {
        String action = action();
        return (nonces, out) -> encoder.encode(action, params(), nonces, out);
    }

    /** Where the load goes: {@code --endpoint}, unless the scenario has a gateway of its own. */
    default Endpoint target(Endpoint endpoint) {
        return endpoint;
    }

    /**
     * What a RAM user needs to send this load ({@code <Action>-AsRamUser}), after {@link #prepare}: each policy
     * action mapped to the one resource ARN it is allowed on. The default: this action on the key the requests name
     * by KeyId, else on {@code benchKeyId} (the key inside Decrypt's ciphertext), else on every resource.
     *
     * @param benchKeyId the run's symmetric key, or null when the run has none
     */
    default Map<String, String> ramGrants(String benchKeyId) {
        String key = params().getOrDefault("KeyId", benchKeyId);
        return Map.of("kms:" + action(), key == null ? "*" : keyArn(key));
    }

    /** A key's ARN in any region and account, for a policy's Resource. */
    static String keyArn(String keyId) {
        return "acs:kms:*:*:key/" + keyId;
    }

    /** After the load: remove what {@link #prepare} created (best effort: a failure is reported, not fatal). */
    default void cleanup(ApiClient api) throws IOException {}

    /** A short description for the report header, e.g. {@code Encrypt (256-byte plaintext)}. */
    default String describe() {
        return action();
    }

    /** What a scenario may use while preparing. */
    interface Setup {
        /** Signed calls to the server under test (same credentials and signature scheme as the load). */
        ApiClient api();

        /** The symmetric key, or null when {@link #needsSymmetricKey()} is false. */
        String keyId();

        /** {@code --plaintext-size}. */
        int plaintextSize();

        /** Random bytes (not secret) for payloads. */
        byte[] randomBytes(int n);

        /** {@code --instance-endpoint}: the KMS instance gateway, for the Instance API scenarios. */
        String instanceEndpoint();

        /** {@code --agent-endpoint}: the local agent, for AgentGetSecretValue. */
        String agentEndpoint();

        /** {@code --agent-token}, or null. */
        String agentToken();

        /** The connect and read timeout of the load. */
        int timeoutMillis();
    }
}
