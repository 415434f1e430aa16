package org.openkms.core.secret;

/**
 * Alibaba's two built-in stage labels (https://www.alibabacloud.com/help/doc-detail/152002.htm). There is no
 * ACSPending: Alibaba has none.
 */
public final class SecretStages {
    public static final String CURRENT = "ACSCurrent";
    public static final String PREVIOUS = "ACSPrevious";

    private SecretStages() {}

    public static boolean builtIn(String stage) {
        return CURRENT.equals(stage) || PREVIOUS.equals(stage);
    }
}
