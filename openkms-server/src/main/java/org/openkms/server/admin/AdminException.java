package org.openkms.server.admin;

/** A refusal of an admin command: printed as one line ("openkms admin: ..."), exit status 2, no stack trace. */
public final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
