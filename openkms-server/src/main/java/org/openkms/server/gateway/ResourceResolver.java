package org.openkms.server.gateway;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Finds what a call acts on, before it runs, so that resource-level policies can be evaluated. */
@FunctionalInterface
public interface ResourceResolver {
    /**
     * One (policy action, resource ARN) pair to authorise; {@code tags} are fetched only if a condition asks;
     * {@code alias} is the alias ({@code alias/<name>}) the caller named a key resource by, else null.
     */
    record Target(String action, String resource, Supplier<Map<String, String>> tags, String alias) {
        public Target(String action, String resource, Supplier<Map<String, String>> tags) {
            this(action, resource, tags, null);
        }

        public Target(String action, String resource) {
            this(action, resource, Map::of);
        }
    }

    /** Every pair the call must be allowed; an empty list means the action needs no permission. */
    List<Target> targets(String action, Params params);

    /** As {@link #targets(String, Params)}, for resolvers whose answer depends on the caller. */
    default List<Target> targets(String action, Params params, org.openkms.core.iam.Principal caller) {
        return targets(action, params);
    }
}
