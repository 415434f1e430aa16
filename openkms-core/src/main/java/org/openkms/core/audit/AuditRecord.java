package org.openkms.core.audit;

/**
 * One API call as the audit log records it. By construction it has no field for plaintext, ciphertext, key
 * material or secret values: only who, what, on which resource, and how it ended. {@code detail} explains a failure that the code alone
 * does not (e.g. why a secret rotation failed); it is written by the server, never copied from request input.
 * {@code principal} is {@code <type>:<name>} (root, user:alice, assumed-role:role/session) and {@code decision}
 * the authorisation outcome (Allow, ImplicitDeny, ExplicitDeny; empty when the call never got that far).
 */
public record AuditRecord(
        long timeMillis,
        String requestId,
        String accessKeyId,
        String principal,
        String action,
        String resource,
        String sourceIp,
        int httpStatus,
        String resultCode,
        long latencyMicros,
        String detail,
        String decision) {

    public AuditRecord(long timeMillis, String requestId, String accessKeyId, String principal, String action,
                       String resource, String sourceIp, int httpStatus, String resultCode, long latencyMicros, String detail) {
        this(timeMillis, requestId, accessKeyId, principal, action, resource, sourceIp, httpStatus, resultCode,
                latencyMicros, detail, "");
    }

    /** A record without detail (most calls: the result code says it all). */
    public AuditRecord(long timeMillis, String requestId, String accessKeyId, String principal, String action,
                       String resource, String sourceIp, int httpStatus, String resultCode, long latencyMicros) {
        this(timeMillis, requestId, accessKeyId, principal, action, resource, sourceIp, httpStatus, resultCode,
                latencyMicros, "");
    }
}
