package org.openkms.core.audit;

/**
 * One API call as the audit log records it. By construction it has no field for plaintext, ciphertext, key
 * material or secret values: only who, what, on which resource, and how it ended.
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
        long latencyMicros) {
}
