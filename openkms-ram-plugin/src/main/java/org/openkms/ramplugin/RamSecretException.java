package org.openkms.ramplugin;

/** The RAM secret cannot be read; {@link #code()} is KMS's error code (or ConnectionError), never secret material. */
public final class RamSecretException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;

    RamSecretException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code == null ? "UnknownError" : code;
    }

    public String code() {
        return code;
    }
}
