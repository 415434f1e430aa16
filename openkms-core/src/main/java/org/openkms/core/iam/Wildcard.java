package org.openkms.core.iam;

import java.util.Locale;

/**
 * A RAM wildcard pattern ({@code *} any run, {@code ?} one character), pre-classified at compile time so that
 * the common forms ("*", exact, "prefix*") match without the general backtracking loop.
 */
public final class Wildcard {
    private final String pattern;
    private final boolean ignoreCase;
    private final int kind; // 0 any, 1 exact, 2 prefix, 3 general

    public Wildcard(String pattern, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        this.pattern = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        int star = this.pattern.indexOf('*');
        boolean q = this.pattern.indexOf('?') >= 0;
        if ("*".equals(this.pattern)) {
            kind = 0;
        } else if (star < 0 && !q) {
            kind = 1;
        } else if (!q && star == this.pattern.length() - 1) {
            kind = 2;
        } else {
            kind = 3;
        }
    }

    public boolean matches(String value) {
        return switch (kind) {
            case 0 -> true;
            case 1 -> ignoreCase ? pattern.equalsIgnoreCase(value) : pattern.equals(value);
            case 2 -> value.regionMatches(ignoreCase, 0, pattern, 0, pattern.length() - 1);
            default -> glob(pattern, ignoreCase ? value.toLowerCase(Locale.ROOT) : value);
        };
    }

    /** Iterative glob with single-star backtracking: linear in practice, no regex compilation. */
    static boolean glob(String p, String s) {
        int pi = 0, si = 0, star = -1, mark = 0;
        while (si < s.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == s.charAt(si))) {
                pi++;
                si++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
