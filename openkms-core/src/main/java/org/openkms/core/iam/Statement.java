package org.openkms.core.iam;

import java.util.List;

/**
 * One compiled statement. {@code principals} is only used by key and secret policies (RAM principal ARNs,
 * wildcards allowed); identity policies leave it empty, meaning "whoever the policy is attached to".
 */
public record Statement(
        Effect effect,
        List<Wildcard> actions,
        List<Wildcard> resources,
        List<Condition> conditions,
        List<Wildcard> principals) {

    public boolean applies(AccessRequest r) {
        return any(actions, r.action()) && any(resources, r.resource()) && conditionsHold(r);
    }

    public boolean appliesTo(String principalArn) {
        return any(principals, principalArn);
    }

    /**
     * Whether this statement names the principal specifically. In a key or secret policy the account-wide
     * principals ({@code acs:ram::<uid>:*}, {@code acs:ram::<uid>:root}, as in the default policy) delegate to
     * the caller's RAM policies rather than grant by themselves — otherwise every RAM user of the account could
     * use every key that has the default policy.
     */
    public boolean namesSpecifically(String principalArn) {
        for (Wildcard w : principals) {
            String p = w.toString();
            boolean accountWide =
                    p.startsWith("acs:ram::") && (p.endsWith(":*") || p.endsWith(":root")) || "*".equals(p);
            if (!accountWide && w.matches(principalArn)) {
                return true;
            }
        }
        return false;
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
