package org.openkms.server.config;

/**
 * A start-up refusal the operator can fix: a bad option value, a file that is missing, a port in use, a root
 * key that does not belong to the database. {@code openkms server} prints it as ONE line naming the option
 * and the fix ({@link #line()}) and exits with status 2, without a stack trace: the message is the whole
 * story, and a trace would bury it.
 */
public final class ConfigException extends RuntimeException {
    private final String option;

    /**
     * @param option  the option and its value as the operator wrote it, e.g. {@code --listen 127.0.0.1:8080};
     *                null when the problem is not one option's (e.g. the root key does not match the database)
     * @param message what is wrong and how to fix it, one line
     */
    public ConfigException(String option, String message) {
        super(option == null ? message : option + ": " + message);
        this.option = option;
    }

    public ConfigException(String option, String message, Throwable cause) {
        super(option == null ? message : option + ": " + message, cause);
        this.option = option;
    }

    /** The option this is about, or null. */
    public String option() {
        return option;
    }

    /** {@code openkms: <option>: <message>}, on one line (any line breaks in a cause's text are flattened). */
    public String line() {
        return "openkms: " + getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
