package org.openkms.core.iam;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What is being authorised: the action ({@code kms:Encrypt}), the resource ARN, and the request facts that
 * conditions may test. Resource tags are fetched lazily, only when a statement has a {@code kms:tag/…} condition.
 * {@code alias} is the alias ({@code alias/<name>}) through which the caller named the key resource, or null: an
 * application access point's policy may grant a key by its alias.
 */
public record AccessRequest(
        String action,
        String resource,
        String sourceIp,
        boolean secureTransport,
        long timeMillis,
        Supplier<Map<String, String>> resourceTags,
        String alias) {
    public AccessRequest(
            String action,
            String resource,
            String sourceIp,
            boolean secureTransport,
            long timeMillis,
            Supplier<Map<String, String>> resourceTags) {
        this(action, resource, sourceIp, secureTransport, timeMillis, resourceTags, null);
    }

    public static AccessRequest of(String action, String resource) {
        return new AccessRequest(action, resource, "", false, System.currentTimeMillis(), Map::of);
    }
}
