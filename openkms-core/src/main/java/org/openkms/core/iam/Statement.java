package org.openkms.core.iam;

import java.util.List;

/**
 * One compiled statement. {@code principals} is only used by key and secret policies (RAM principal ARNs,
 * wildcards allowed); identity policies leave it empty, meaning "whoever the policy is attached to".
 */
public record Statement(Effect effect, List<Wildcard> actions, List<Wildcard> resources, List<Condition> conditions,
                        List<Wildcard> principals) {

    public boolean applies(AccessRequest r) {
        return any(actions, r.action()) && any(resources, r.resource()) && conditionsHold(r);
    }

    public boolean appliesTo(String principalArn) {
        return any(principals, principalArn);
    }

    private boolean conditionsHold(AccessRequest r) {
        for (Condition c : conditions) {
            if (!c.matches(r)) {
                return false;
            }
        }
        return true;
    }

    private static boolean any(List<Wildcard> patterns, String value) {
        for (Wildcard w : patterns) {
            if (w.matches(value)) {
                return true;
            }
        }
        return false;
    }
}
