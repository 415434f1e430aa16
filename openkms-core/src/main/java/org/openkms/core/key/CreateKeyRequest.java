package org.openkms.core.key;

import java.util.Map;

/**
 * CreateKey after wire parsing. {@code keyUsage} null means "the spec's default"; interval 0 means no rotation;
 * {@code dkmsInstanceId} is the KMS instance that is to hold the key (an instance the caller has checked exists), null
 * for a default key.
 */
public record CreateKeyRequest(
        String description,
        KeySpec keySpec,
        KeyUsage keyUsage,
        Origin origin,
        String protectionLevel,
        long rotationIntervalSeconds,
        Map<String, String> tags,
        String dkmsInstanceId) {

    /** A default key (of no KMS instance). */
    public CreateKeyRequest(
            String description,
            KeySpec keySpec,
            KeyUsage keyUsage,
            Origin origin,
            String protectionLevel,
            long rotationIntervalSeconds,
            Map<String, String> tags) {
        this(description, keySpec, keyUsage, origin, protectionLevel, rotationIntervalSeconds, tags, null);
    }
}
