package org.openkms.core.key;

import java.time.Clock;
import org.openkms.core.error.Errors;
import org.openkms.crypto.mac.MacAlgorithm;
import org.openkms.crypto.mac.MacKey;

/**
 * GenerateMac and VerifyMac with HMAC keys
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-generatemac);
 * HMAC keys have one version.
 */
public final class MacService {
    /** Message limit: the API documents none; the Encrypt plaintext limit keeps requests bounded alike. */
    public static final int MAX_MESSAGE = CryptoService.MAX_PLAINTEXT;

    private final KeyCache cache;
    private final KeyResolver resolver;
    private final Clock clock;

    public MacService(KeyCache cache, KeyResolver resolver, Clock clock) {
        this.cache = cache;
        this.resolver = resolver;
        this.clock = clock;
    }

    public record Target(String keyId, MacKey key) {}

    public record Mac(String keyId, MacAlgorithm algorithm, byte[] value) {}

    public record Verified(String keyId, MacAlgorithm algorithm, boolean value) {}

    /** Every check of a MAC call (also DryRun's): key, state, HMAC usage, algorithm = the key's, message size. */
    public Target target(String keyIdParam, MacAlgorithm algorithm, byte[] message) {
        LoadedKey key = cache.get(resolver.resolve(keyIdParam)).orElseThrow(Errors::keyNotFound);
        KeyRecord k = key.record();
        KeyGuards.usable(k, clock.instant());
        if (!k.keySpec().mac() || k.keyUsage() != KeyUsage.GENERATE_VERIFY_MAC) {
            throw Errors.unsupportedOperation("The key is not an HMAC key.");
        }
        if (k.keySpec().macAlgorithm() != algorithm) {
            throw Errors.invalidParameter("Algorithm", algorithm + " cannot be used with KeySpec " + k.keySpec() + ".");
        }
        if (message.length > MAX_MESSAGE) {
            throw Errors.invalidParameter("Message", "It must not exceed " + MAX_MESSAGE + " bytes.");
        }
        VersionKey v = key.primaryVersion();
        if (v == null) {
            throw Errors.pendingImport();
        }
        return new Target(k.keyId(), v.mac());
    }

    public Mac generate(String keyIdParam, MacAlgorithm algorithm, byte[] message) {
        Target t = target(keyIdParam, algorithm, message);
        return new Mac(t.keyId(), algorithm, t.key().compute(message));
    }

    public Verified verify(String keyIdParam, MacAlgorithm algorithm, byte[] message, byte[] mac) {
        Target t = target(keyIdParam, algorithm, message);
        return new Verified(t.keyId(), algorithm, t.key().verify(message, mac));
    }
}
