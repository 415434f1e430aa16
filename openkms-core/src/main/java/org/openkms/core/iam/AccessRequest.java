package org.openkms.core.iam;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What is being authorised: the action ({@code kms:Encrypt}), the resource ARN, and the request facts that
 * conditions may test. Resource tags are fetched lazily, only when a statement has a {@code kms:tag/…} condition.
 * {@code alias} is the alias ({@code alias/<name>}) through which the caller named the key resource, or null: an
 * application access point's policy may grant a key by its alias. {@code context} holds further condition keys
 * (lower-case) a request carries, such as {@code oidc:iss}, {@code oidc:aud} and {@code oidc:sub} when STS
 * AssumeRoleWithOIDC evaluates a trust policy.
 */
public record AccessRequest(
        String action,
        String resource,
        String sourceIp,
        boolean secureTransport,
        long timeMillis,
        Supplier<Map<String, String>> resourceTags,
        String alias,
        Map<String, String> context) {
    public AccessRequest(
            String action,
            String resource,
            String sourceIp,
            boolean secureTransport,
            long timeMillis,
            Supplier<Map<String, String>> resourceTags,
            String alias) {
        this(action, resource, sourceIp, secureTransport, timeMillis, resourceTags, alias, Map.of());
    }

    public AccessRequest(
            String action,
            String resource,
            String sourceIp,
            boolean secureTransport,
            long timeMillis,
            Supplier<Map<String, String>> resourceTags) {
        this(action, resource, sourceIp, secureTransport, timeMillis, resourceTags, null, Map.of());
    }

    public static AccessRequest of(String action, String resource) {
        return new AccessRequest(action, resource, "", false, System.currentTimeMillis(), Map::of);
    }
}
