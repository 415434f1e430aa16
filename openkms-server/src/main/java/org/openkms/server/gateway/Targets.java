package org.openkms.server.gateway;

import java.util.List;

/**
 * What a call acts on, resolved once before it runs: every (policy action, resource) pair to authorise, and
 * the key the handler is to act on ({@link Call#keyId()}). The same
 * resolution is handed to authorisation, to the handler and to the audit record.
 */
@FunctionalInterface
public interface Targets {
    /** No permission needed and no resource (DescribeRegions). */
    Targets NONE = c -> Resolved.of(List.of());

    Resolved resolve(Call call);

    /**
     * @param targets  every pair the call must be allowed; empty when the action needs no permission
     * @param keyId    the key the call names after alias resolution, or null when it names none (or none that
     *                 resolves: the handler then reports the error with the parameter as given)
     * @param resource the resource named in the audit record
     */
    record Resolved(List<ResourceResolver.Target> targets, String keyId, String resource) {
        public Resolved {
            targets = List.copyOf(targets);
            resource = resource == null ? "" : resource;
        }

        /** Targets only; the audit record names the first. */
        public static Resolved of(List<ResourceResolver.Target> targets) {
            return new Resolved(
                    targets, null, targets.isEmpty() ? "" : targets.get(0).resource());
        }
    }
}
