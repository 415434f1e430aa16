package org.openkms.core.key;

import java.util.Map;

/** CreateKey after wire parsing. {@code keyUsage} null means "the spec's default"; interval 0 means no rotation. */
public record CreateKeyRequest(
        String description,
        KeySpec keySpec,
        KeyUsage keyUsage,
        Origin origin,
        String protectionLevel,
        long rotationIntervalSeconds,
        Map<String, String> tags) {}
