package org.openkms.server.gateway;

import org.openkms.core.iam.Principal;
import org.openkms.core.service.Kms;

/**
 * One authenticated call handed to an action: its parameters, who made it, and the domain core. Actions
 * report the resource they touched (for the audit record) with {@link #resource(String)}.
 */
public final class Call {
    private final String action;
    private final Params params;
    private final Principal principal;
    private final Kms kms;
    private final Object context;
    private String resource = "";
    private String auditDetail = "";

    public Call(String action, Params params, Principal principal, Kms kms) {
        this(action, params, principal, kms, null);
    }

    public Call(String action, Params params, Principal principal, Kms kms, Object context) {
        this.action = action;
        this.params = params;
        this.principal = principal;
        this.kms = kms;
        this.context = context;
    }

    /** The services of non-KMS products (RAM, STS), as the server wired them; the action knows the type. */
    @SuppressWarnings("unchecked")
    public <T> T context() {
        return (T) context;
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

    public String resource() {
        return resource;
    }

    public void resource(String arnOrId) {
        this.resource = arnOrId;
    }

    public String auditDetail() {
        return auditDetail;
    }

    /** Explains the outcome in the audit record (server-written text only: never a parameter value). */
    public void auditDetail(String detail) {
        this.auditDetail = detail;
    }

    /** Records a secret as this call's resource, by its ARN. */
    public void secretResource(String secretName) {
        this.resource = kms.account().secretArn(secretName);
    }

    /** Records a key as this call's resource, by its ARN. */
    public void keyResource(String keyId) {
        this.resource = kms.account().keyArn(keyId);
    }
}
