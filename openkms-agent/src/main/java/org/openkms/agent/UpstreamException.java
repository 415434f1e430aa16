package org.openkms.agent;

/**
 * A failed call to the KMS endpoint: the HTTP status and code to answer with, and whether it is transient (the
 * endpoint unreachable, timing out, throttling or failing inside), which is when a stale cached value may be served.
 */
public final class UpstreamException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final boolean transientError;

    UpstreamException(int status, String code, String message, boolean transientError, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.transientError = transientError;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public boolean isTransient() {
        return transientError;
    }
}
