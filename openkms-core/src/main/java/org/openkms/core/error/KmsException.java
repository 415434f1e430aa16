package org.openkms.core.error;

/**
 * An API error as Alibaba's gateway reports it: a code such as {@code Forbidden.KeyNotFound}, a message for
 * people and the HTTP status the official SDKs expect. Messages never contain plaintext or key material.
 */
public class KmsException extends RuntimeException {
    private final String code;
    private final int httpStatus;

    public KmsException(int httpStatus, String code, String message) {
        super(message, null, false, false); // errors are control flow here; a stack trace per bad request is waste
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
