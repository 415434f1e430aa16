package org.openkms.core.secret;

/** Alibaba's two built-in stage labels. There is no ACSPending: Alibaba has none (api-semantics.md §5.3). */
public final class SecretStages {
    public static final String CURRENT = "ACSCurrent";
    public static final String PREVIOUS = "ACSPrevious";

    private SecretStages() {
    }

    public static boolean builtIn(String stage) {
        return CURRENT.equals(stage) || PREVIOUS.equals(stage);
    }
}
