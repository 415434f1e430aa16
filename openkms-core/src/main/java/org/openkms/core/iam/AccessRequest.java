package org.openkms.core.iam;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What is being authorised: the action ({@code kms:Encrypt}), the resource ARN, and the request facts that
 * conditions may test. Resource tags are fetched lazily, only when a statement has a {@code kms:tag/…} condition.
 */
public record AccessRequest(
        String action,
        String resource,
        String sourceIp,
        boolean secureTransport,
        long timeMillis,
        Supplier<Map<String, String>> resourceTags) {
    public static AccessRequest of(String action, String resource) {
        return new AccessRequest(action, resource, "", false, System.currentTimeMillis(), Map::of);
    }
}
