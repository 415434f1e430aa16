package org.openkms.core.iam;

/**
 * Decides whether a principal may perform an action (e.g. {@code kms:Encrypt}) on a resource ARN. Called by the
 * gateway's pipeline after authentication and before the action runs, once per resource the call touches; the
 * gateway turns anything but ALLOW into the API's NoPermission error.
 */
public interface Authorizer {
    Decision decide(Principal principal, AccessRequest request);

    /** Throws {@code Forbidden.NoPermission} when the request is not allowed. */
    default void authorize(Principal principal, String action, String resourceArn) {
        if (decide(principal, AccessRequest.of(action, resourceArn)) != Decision.ALLOW) {
            throw new org.openkms.core.error.KmsException(
                    403, "Forbidden.NoPermission", "This operation is forbidden by permission system.");
        }
    }

    /** Only the root account may do anything (the behaviour before RAM; kept for tests). */
    Authorizer ROOT_ONLY = (principal, request) -> principal.root() ? Decision.ALLOW : Decision.IMPLICIT_DENY;
}
