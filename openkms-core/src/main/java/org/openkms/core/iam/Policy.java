package org.openkms.core.iam;

import java.util.List;

/** A compiled policy document: ready to evaluate, no parsing at request time. */
public record Policy(List<Statement> statements) {

    /** Identity-policy evaluation of one document: Deny wins, then Allow, else no verdict. */
    public Decision evaluate(AccessRequest r) {
        Decision d = Decision.IMPLICIT_DENY;
        for (Statement s : statements) {
            if (s.applies(r)) {
                if (s.effect() == Effect.DENY) {
                    return Decision.EXPLICIT_DENY;
                }
                d = Decision.ALLOW;
            }
        }
        return d;
    }

    /** Resource-policy evaluation: only statements whose Principal names the caller count. */
    public Decision evaluateFor(String principalArn, AccessRequest r) {
        Decision d = Decision.IMPLICIT_DENY;
        for (Statement s : statements) {
            if (s.appliesTo(principalArn) && s.applies(r)) {
                if (s.effect() == Effect.DENY) {
                    return Decision.EXPLICIT_DENY;
                }
                d = Decision.ALLOW;
            }
        }
        return d;
    }

    /**
     * Key/secret-policy evaluation for the same account
     * (https://www.alibabacloud.com/help/ja/kms/key-management-service/security-and-compliance/overview-of-key-policies):
     * a Deny naming the caller (or the whole account) wins; an Allow counts only when it names the caller specifically.
     */
    public Decision evaluateAsResourcePolicy(String principalArn, AccessRequest r) {
        Decision d = Decision.IMPLICIT_DENY;
        for (Statement s : statements) {
            if (!s.applies(r)) {
                continue;
            }
            if (s.effect() == Effect.DENY && s.appliesTo(principalArn)) {
                return Decision.EXPLICIT_DENY;
            }
            if (s.effect() == Effect.ALLOW && s.namesSpecifically(principalArn)) {
                d = Decision.ALLOW;
            }
        }
        return d;
    }

    /** Evaluates several documents together (a principal's attached set): any Deny wins over any Allow. */
    public static Decision evaluateAll(List<Policy> policies, AccessRequest r) {
        Decision d = Decision.IMPLICIT_DENY;
        for (Policy p : policies) {
            Decision one = p.evaluate(r);
            if (one == Decision.EXPLICIT_DENY) {
                return one;
            }
            if (one == Decision.ALLOW) {
                d = one;
            }
        }
        return d;
    }
}
