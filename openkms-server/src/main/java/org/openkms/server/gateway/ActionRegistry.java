package org.openkms.server.gateway;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Action name (as on the wire: {@code CreateKey}) → handler. Filled once at start-up, then read-only. */
public final class ActionRegistry {
    private final Map<String, Action> actions = new TreeMap<>();

    public ActionRegistry register(String name, Action action) {
        if (actions.put(name, action) != null) {
            throw new IllegalStateException("action registered twice: " + name);
        }
        return this;
    }

    public Action find(String name) {
        return actions.get(name);
    }

    public Map<String, Action> all() {
        return Collections.unmodifiableMap(actions);
    }
}
