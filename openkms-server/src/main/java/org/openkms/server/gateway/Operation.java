package org.openkms.server.gateway;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One action, declared in one place: its name, the typed fields it reads (validated by the gateway in this
 * order before anything else runs), the resources it targets (resolved once, handed to authorisation, the
 * handler and the audit record), its DryRun behaviour, for create actions the resource the result names, and
 * its handler. The gateway pipeline reads the declaration; the handler contains only the action's own logic.
 *
 * <p>An operation declared without targets ({@link #legacy}) is authorised by its product's
 * {@link ResourceResolver} (the RAM, STS and access-point actions); its audit record names no resource.
 */
public record Operation(
        String name,
        List<Field<?>> fields,
        Targets targets,
        DryRun dryRun,
        Function<Map<String, Object>, String> created,
        Action handler) {

    public Operation {
        Objects.requireNonNull(name);
        fields = List.copyOf(fields);
        Objects.requireNonNull(dryRun);
        Objects.requireNonNull(handler);
    }

    /** An action registered by name and handler only: resources from the product's resolver, DryRun ignored. */
    public static Operation legacy(String name, Action handler) {
        return new Operation(name, List.of(), null, DryRun.NONE, null, handler);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public boolean declared() {
        return targets != null;
    }

    /** Collects a declaration; {@link #handle(Action)} ends it. */
    public static final class Builder {
        private final String name;
        private List<Field<?>> fields = List.of();
        private Targets targets;
        private DryRun dryRun = DryRun.NONE;
        private Function<Map<String, Object>, String> created;

        private Builder(String name) {
            this.name = name;
        }

        public Builder fields(Field<?>... fields) {
            this.fields = List.of(fields);
            return this;
        }

        public Builder targets(Targets targets) {
            this.targets = Objects.requireNonNull(targets);
            return this;
        }

        public Builder dryRun(DryRun dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** For create actions: the resource the audit record names, read from the response. */
        public Builder created(Function<Map<String, Object>, String> created) {
            this.created = created;
            return this;
        }

        /** Ends the declaration; its targets must have been declared ({@link Targets#NONE} if it needs no permission). */
        public Operation handle(Action handler) {
            if (targets == null) {
                throw new IllegalStateException(name + " declares no targets: an action must say what it acts on");
            }
            return new Operation(name, fields, targets, dryRun, created, handler);
        }
    }
}
