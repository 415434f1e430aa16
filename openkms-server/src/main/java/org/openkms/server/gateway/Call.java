package org.openkms.server.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.iam.Principal;
import org.openkms.core.service.Kms;

/**
 * One authenticated call handed to an action: its parameters (typed through {@link #get(Field)}), who made
 * it, the domain core, and what it acts on as resolved once from its declaration ({@link #keyId()}).
 * Handlers never write the audit resource: it comes from the declaration.
 */
public final class Call {
    private final String action;
    private final Params params;
    private final Principal principal;
    private final Kms kms;
    private final Map<Field<?>, Object> values = new HashMap<>();
    private Targets.Resolved resolved = Targets.Resolved.of(List.of());
    private String created = "";
    private String auditDetail = "";

    public Call(String action, Params params, Principal principal, Kms kms) {
        this.action = action;
        this.params = params;
        this.principal = principal;
        this.kms = kms;
    }

    /** The field's value, parsed (and validated) once per call. */
    @SuppressWarnings("unchecked")
    public <T> T get(Field<T> field) {
        if (values.containsKey(field)) {
            return (T) values.get(field);
        }
        T value = field.parse(params);
        values.put(field, value);
        return value;
    }

    /**
     * The key this call acts on: the KeyId parameter after alias resolution, resolved once before
     * authorisation. MissingParameter when KeyId is absent; the parameter as given when it names nothing, so
     * that the service reports the not-found error it always has.
     */
    public String keyId() {
        return resolved.keyId() != null ? resolved.keyId() : params.required("KeyId");
    }

    /** What the call acts on, as resolved from its declaration (empty for actions without one). */
    public Targets.Resolved resolved() {
        return resolved;
    }

    void resolved(Targets.Resolved resolved) {
        this.resolved = resolved;
    }

    void created(String resource) {
        this.created = resource == null ? "" : resource;
    }

    /** The audit record's resource: the created resource, else the targets' (empty for undeclared actions). */
    String auditResource() {
        return created.isEmpty() ? resolved.resource() : created;
    }

    public String action() {
        return action;
    }

    public Params params() {
        return params;
    }

    public Principal principal() {
        return principal;
    }

    public Kms kms() {
        return kms;
    }

    public String auditDetail() {
        return auditDetail;
    }

    /** Explains the outcome in the audit record (server-written text only: never a parameter value). */
    public void auditDetail(String detail) {
        this.auditDetail = detail;
    }
}
