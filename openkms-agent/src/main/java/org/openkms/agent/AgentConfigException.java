package org.openkms.agent;

/** A configuration mistake, reported as one line naming the option (never a stack trace). */
public final class AgentConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentConfigException(String message) {
        super(message);
    }
}
