package org.openkms.server.metrics;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Label values that an unauthenticated caller cannot multiply. Every distinct label value is a new time series in
 * the registry and in Prometheus ("every unique combination of key-value label pairs represents a new time series,
 * which can dramatically increase the amount of data stored", https://prometheus.io/docs/practices/naming/#labels),
 * and a failed authentication is audited with the action the caller <em>claimed</em>. So an action is its own label
 * only if it is a registered action name, and a result code only if it looks like one and is among the first
 * {@link #MAX_CODES} codes seen; everything else is {@value #OTHER}.
 */
public final class BoundedLabels {
    /** The label value for anything not known or not admitted. */
    public static final String OTHER = "other";
    /** Distinct result codes kept as labels (the KMS, RAM and STS APIs use fewer than this between them). */
    public static final int MAX_CODES = 128;
    /** Alibaba's codes: dotted words, e.g. Forbidden.KeyNotFound, InvalidAccessKeyId.NotFound, OK. */
    private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,47}(\\.[A-Za-z0-9]{1,48}){0,3}");

    private final Set<String> actions;
    private final Set<String> codes = ConcurrentHashMap.newKeySet();

    /** @param actions every registered action name, of every product served */
    public BoundedLabels(Collection<String> actions) {
        this.actions = Set.copyOf(actions);
    }

    /** The action if it is registered, else {@value #OTHER}. */
    public String action(String action) {
        return action != null && actions.contains(action) ? action : OTHER;
    }

    /** The code if already admitted, or if it has a code's shape and there is room; else {@value #OTHER}. */
    public String code(String code) {
        if (code == null) {
            return OTHER;
        }
        if (codes.contains(code)) {
            return code;
        }
        if (code.length() > 100 || !CODE.matcher(code).matches()) {
            return OTHER;
        }
        synchronized (codes) {
            if (codes.size() >= MAX_CODES) {
                return OTHER;
            }
            codes.add(code);
            return code;
        }
    }
}
