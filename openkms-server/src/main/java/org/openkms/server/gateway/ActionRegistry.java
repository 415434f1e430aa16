package org.openkms.server.gateway;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Action name (as on the wire: {@code CreateKey}) → its declaration. Filled once at start-up, then read-only. */
public final class ActionRegistry {
    private final Map<String, Operation> operations = new TreeMap<>();
    private final Set<String> anonymous = new HashSet<>();

    /** Registers an action not (yet) declared: see {@link Operation#legacy}. */
    public ActionRegistry register(String name, Action action) {
        return register(Operation.legacy(name, action));
    }

    public ActionRegistry register(Operation operation) {
        if (operations.put(operation.name(), operation) != null) {
            throw new IllegalStateException("action registered twice: " + operation.name());
        }
        return this;
    }

    /**
     * Registers an action that callers make without credentials, because the request itself carries what
     * authenticates it (STS AssumeRoleWithOIDC: the OIDC token). The gateway skips signature verification for
     * exactly these actions; the action must check everything itself, and its product's resolver must give it no
     * targets.
     */
    public ActionRegistry registerAnonymous(String name, Action action) {
        register(name, action);
        anonymous.add(name);
        return this;
    }

    /** Whether the action was registered with {@link #registerAnonymous}. */
    public boolean anonymous(String name) {
        return anonymous.contains(name);
    }

    public Operation find(String name) {
        return operations.get(name);
    }

    public Map<String, Operation> all() {
        return Collections.unmodifiableMap(operations);
    }
}
