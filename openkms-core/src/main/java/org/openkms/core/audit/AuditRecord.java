package org.openkms.core.audit;

/**
 * One API call as the audit log records it. By construction it has no field for plaintext, ciphertext, key
 * material or secret values: only who, what, on which resource, and how it ended. {@code detail} explains a failure that the code alone
 * does not (e.g. why a secret rotation failed); it is written by the server, never copied from request input.
 * {@code principal} is {@code <type>:<name>} (root, user:alice, assumed-role:role/session) and {@code decision}
 * the authorisation outcome (Allow, ImplicitDeny, ExplicitDeny; empty when the call never got that far).
 *
 * <p>Every text field is bounded here, once, whoever builds the record: a failed authentication records the
 * AccessKeyId and action the caller <em>claimed</em>, which are attacker input of any length, and an
 * unauthenticated caller must not be able to make the log grow faster than by a small record per request.
 * Each field is cut to a budget of bytes it may take once written as a JSON string in UTF-8 (escapes counted
 * at their worst, 6 bytes for {@code \}{@code uXXXX}), and a cut field ends with {@link #TRUNCATED}, so a
 * record is at most {@link #MAX_ENCODED_BYTES} bytes of field text whatever the caller sends. Null becomes "".
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

    /** What a cut field ends with. */
    public static final String TRUNCATED = "…(truncated)";
    /** Budgets in encoded bytes: identifiers and names (real ones are far shorter: AccessKeyIds ~24, actions ~30). */
    public static final int MAX_ID = 128;
    /** A principal is {@code type:name}; an assumed role's name carries the role and the session name. */
    public static final int MAX_PRINCIPAL = 256;
    /** An ARN; key and secret ARNs are well under 200 bytes, a secret name may be up to 192 characters. */
    public static final int MAX_RESOURCE = 512;

    public static final int MAX_DETAIL = 512;
    /** The longest IPv6 text form with an IPv4 tail and a zone is under 64. */
    public static final int MAX_SOURCE_IP = 64;

    public static final int MAX_REQUEST_ID = 64;
    public static final int MAX_DECISION = 32;
    /** The sum of the budgets above: the most field text one record can carry. */
    public static final int MAX_ENCODED_BYTES =
            MAX_REQUEST_ID + 3 * MAX_ID + MAX_PRINCIPAL + MAX_RESOURCE + MAX_SOURCE_IP + MAX_DETAIL + MAX_DECISION;

    private static final int MARK_BYTES = encodedBytes(TRUNCATED);

    public AuditRecord {
        requestId = bound(requestId, MAX_REQUEST_ID);
        accessKeyId = bound(accessKeyId, MAX_ID);
        principal = bound(principal, MAX_PRINCIPAL);
        action = bound(action, MAX_ID);
        resource = bound(resource, MAX_RESOURCE);
        sourceIp = bound(sourceIp, MAX_SOURCE_IP);
        resultCode = bound(resultCode, MAX_ID);
        detail = bound(detail, MAX_DETAIL);
        decision = bound(decision, MAX_DECISION);
    }

    public AuditRecord(
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
            String detail) {
        this(
                timeMillis,
                requestId,
                accessKeyId,
                principal,
                action,
                resource,
                sourceIp,
                httpStatus,
                resultCode,
                latencyMicros,
                detail,
                "");
    }

    /** A record without detail (most calls: the result code says it all). */
    public AuditRecord(
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
        this(
                timeMillis,
                requestId,
                accessKeyId,
                principal,
                action,
                resource,
                sourceIp,
                httpStatus,
                resultCode,
                latencyMicros,
                "");
    }

    /**
     * {@code s} if it takes at most {@code maxBytes} once JSON-encoded, else its longest prefix that leaves room
     * for {@link #TRUNCATED}, followed by it. Never splits a surrogate pair.
     */
    public static String bound(String s, int maxBytes) {
        if (s == null) {
            return "";
        }
        // Fast path: a string of n chars takes at most 6n bytes.
        if ((long) s.length() * 6 <= maxBytes) {
            return s;
        }
        // Second fast path: a string that fits whole (request ids, AccessKeyIds, ARNs) is only counted, without the
        // cut-point bookkeeping below. Every character takes at least a byte, so a longer string never fits.
        if (s.length() <= maxBytes && encodedBytes(s) <= maxBytes) {
            return s;
        }
        int budget = maxBytes - MARK_BYTES;
        int used = 0;
        int keep = -1;
        for (int i = 0; i < s.length(); i++) {
            if (keep < 0 && used + (long) weight(s.charAt(i)) > budget) {
                keep = i;
            }
            used += weight(s.charAt(i));
            if (used > maxBytes) {
                break;
            }
        }
        if (used <= maxBytes) {
            return s;
        }
        if (keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) {
            keep--;
        }
        return s.substring(0, Math.max(keep, 0)) + TRUNCATED;
    }

    /** The most bytes {@code s} can take as the content of a JSON string in UTF-8. */
    public static int encodedBytes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += weight(s.charAt(i));
        }
        return n;
    }

    /**
     * Bytes one UTF-16 unit can take in the written JSON: control characters (C0, DEL, C1), the Unicode line and
     * paragraph separators and each half of a surrogate pair may be written as a 6-byte {@code \}{@code uXXXX}
     * escape by the JSON sink, quote and backslash as 2 bytes, other ASCII as 1, the rest as its UTF-8 length.
     */
    private static int weight(char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
            return 6;
        }
        if (c == '"' || c == '\\') {
            return 2;
        }
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        return 3;
    }
}
