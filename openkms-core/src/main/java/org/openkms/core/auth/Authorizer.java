package org.openkms.core.auth;

/**
 * Decides whether a principal may perform an action (e.g. {@code kms:Encrypt}) on a resource ARN. Called once
 * per request by the gateway's pipeline, after authentication and before the action runs.
 */
public interface Authorizer {
    /** Throws {@code Forbidden.NoPermission} when the request is not allowed. */
    void authorize(Principal principal, String action, String resourceArn);

    /** The only principal that exists before RAM users and policies: the root account may do everything. */
    Authorizer ROOT_ONLY = (principal, action, resource) -> {
        if (!principal.root()) {
            throw new org.openkms.core.error.KmsException(403, "Forbidden.NoPermission",
                    "This operation is forbidden by permission system.");
        }
    };
}
