package org.openkms.server.gateway;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Action name (as on the wire: {@code CreateKey}) → its declaration. Filled once at start-up, then read-only. */
public final class ActionRegistry {
    private final Map<String, Operation> operations = new TreeMap<>();

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

    public Operation find(String name) {
        return operations.get(name);
    }

    public Map<String, Operation> all() {
        return Collections.unmodifiableMap(operations);
    }
}
