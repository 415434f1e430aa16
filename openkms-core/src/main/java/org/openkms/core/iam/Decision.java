package org.openkms.core.iam;

/** Outcome of evaluating policies: an explicit Deny beats an Allow, and nothing matching is an implicit deny. */
public enum Decision {
    ALLOW,
    EXPLICIT_DENY,
    IMPLICIT_DENY;

    /** Combines two independent verdicts (identity and resource policy) by RAM's precedence. */
    public Decision or(Decision other) {
        if (this == EXPLICIT_DENY || other == EXPLICIT_DENY) {
            return EXPLICIT_DENY;
        }
        return this == ALLOW || other == ALLOW ? ALLOW : IMPLICIT_DENY;
    }
}
