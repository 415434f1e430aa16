package org.openkms.server.gateway;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.openkms.core.Ids;
import org.openkms.core.audit.AuditRecord;
import org.openkms.core.audit.AuditSink;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.AccessRequest;
import org.openkms.core.iam.Authorizer;
import org.openkms.core.iam.Decision;
import org.openkms.core.iam.Principal;
import org.openkms.core.service.Kms;
import org.openkms.server.api.ApiRequest;
import org.openkms.server.api.ApiResponse;
import org.openkms.server.auth.Authenticator;
import org.openkms.server.throttle.Throttle;
import org.openkms.wire.AcsHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAPI pipeline, run once for every call: identify the product (by API version) and action →
 * authenticate → authorise every resource the call touches → execute → encode → audit. Actions contain only
 * their own logic; everything cross-cutting happens here.
 */
public final class Gateway {
    public static final String API_VERSION = "2016-01-20";
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Protocol parameters that are not business input (protocol-openapi.md §7 step 7). */
    private static final Set<String> TRANSPORT_PARAMS = Set.of(
            "Action",
            "Version",
            "Format",
            "AccessKeyId",
            "Signature",
            "SignatureMethod",
            "SignatureVersion",
            "SignatureNonce",
            "Timestamp",
            "SecurityToken",
            "SignatureType",
            "BearerToken");

    private final Map<String, ApiProduct> products = new HashMap<>();
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final Kms kms;
    private final AuditSink audit;
    private final String hostId;
    private final Throttle throttle;

    /** KMS only, every call open to the root principal alone (tests of the KMS pipeline). */
    public Gateway(
            ActionRegistry actions, Authenticator authenticator, Authorizer authorizer, Kms kms, AuditSink audit) {
        this(
                List.of(new ApiProduct(
                        API_VERSION,
                        "Kms",
                        "kms",
                        actions,
                        (a, p) -> List.of(new ResourceResolver.Target("kms:" + a, "*")),
                        "Forbidden.NoPermission")),
                authenticator,
                authorizer,
                kms,
                audit);
    }

    /** The products' actions are built with the services they need (RAM's identities, STS's tokens). */
    public Gateway(
            List<ApiProduct> products, Authenticator authenticator, Authorizer authorizer, Kms kms, AuditSink audit) {
        this(products, authenticator, authorizer, kms, audit, Throttle.off());
    }

    /** With request rate limits, applied to every authenticated call of both front ends. */
    public Gateway(
            List<ApiProduct> products,
            Authenticator authenticator,
            Authorizer authorizer,
            Kms kms,
            AuditSink audit,
            Throttle throttle) {
        this.throttle = throttle;
        products.forEach(p -> this.products.put(p.version(), p));
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.kms = kms;
        this.audit = audit;
        this.hostId = "kms." + kms.account().region() + ".aliyuncs.com";
    }

    /**
     * The same pipeline (products, authentication, authorisation, throttle buckets) auditing into {@code other}: the
     * instance listener's front ends use one whose metrics label their calls {@code gateway="instance"}.
     */
    public Gateway withAudit(AuditSink other) {
        return new Gateway(List.copyOf(products.values()), authenticator, authorizer, kms, other, throttle);
    }

    /**
     * The same pipeline deciding with {@code other} and auditing into {@code sink}: each instance gateway authorises
     * ClientKeys for its own instance (a policy scoped to another instance grants nothing there).
     */
    public Gateway with(Authorizer other, AuditSink sink) {
        return new Gateway(List.copyOf(products.values()), authenticator, other, kms, sink, throttle);
    }

    /**
     * Whether calls can be served now; false while a fail-closed audit log cannot be written, so that a load
     * balancer's health check moves traffic to a node that can.
     */
    public boolean ready() {
        return audit.available();
    }

    public ApiResponse handle(ApiRequest req) {
        return handle(req, null);
    }

    /**
     * As {@link #handle(ApiRequest)}, limited to some KMS actions: a front end that serves only part of the API (a
     * KMS instance's endpoint serves its cryptographic operations and GetSecretValue) still runs every call through
     * this one pipeline, so a refused call is authenticated and audited like any other.
     *
     * @param kmsActions the KMS ({@value #API_VERSION}) actions served, or null for every action of every product;
     *                   any other call (another KMS action, RAM, STS) is refused after authentication with
     *                   {@code refusal}
     * @param refusal    the error for a call outside {@code kmsActions}, given the action name
     */
    public ApiResponse handle(ApiRequest req, Set<String> kmsActions, Function<String, KmsException> refusal) {
        return handle(req, kmsActions == null ? null : new Scope(kmsActions, refusal));
    }

    private record Scope(Set<String> kmsActions, Function<String, KmsException> refusal) {}

    private ApiResponse handle(ApiRequest req, Scope scope) {
        long start = System.nanoTime();
        String requestId = Ids.newRequestId();
        boolean xml = "XML".equalsIgnoreCase(req.param("Format"));
        String actionName = actionName(req);
        Principal principal = null;
        Call call = null;
        ApiResponse response;
        String resultCode = "OK";
        String decision = "";
        String deniedResource = "";
        ApiProduct product = null;
        try {
            if (!"GET".equals(req.method()) && !"POST".equals(req.method())) {
                throw new KmsException(403, "UnsupportedHTTPMethod", "This http method is not supported.");
            }
            if (actionName == null || actionName.isEmpty()) {
                throw Errors.missingParameter("Action");
            }
            product = product(req);
            // Only an action its product registered as anonymous (STS AssumeRoleWithOIDC, authenticated by the OIDC
            // token it carries) skips signature verification; a signature it carries anyway is not looked at.
            Authenticator.Authenticated who = product.actions().anonymous(actionName)
                    ? new Authenticator.Authenticated(Principal.anonymous(req.sourceIp()), false)
                    : authenticator.authenticateRequest(req);
            principal = who.principal();
            // After authentication, so that only a caller who can sign spends a bucket's tokens.
            throttle.admit(principal.accessKeyId(), actionName);
            if (!audit.available()) {
                // audit.failClosed: nothing is executed that cannot be audited (the refusal goes to the audit queue as
                // usual).
                throw Errors.auditUnavailable();
            }
            if (scope != null
                    && !(API_VERSION.equals(product.version())
                            && scope.kmsActions().contains(actionName))) {
                throw scope.refusal().apply(actionName);
            }
            Operation operation = product.actions().find(actionName);
            if (operation == null) {
                throw new KmsException(
                        404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
            }
            Params params = new Params(businessParams(req, who.emptyValuesUnsigned()));
            call = new Call(actionName, params, principal, kms);
            List<ResourceResolver.Target> targets;
            if (operation.declared()) {
                // Resolved once, for everyone (the handler and the audit record use it too); only tags are lazy.
                call.resolved(operation.targets().resolve(call));
                targets = call.resolved().targets();
            } else {
                targets = principal.root() ? List.of() : product.resources().targets(actionName, params, principal);
            }
            try {
                decision = authorize(product, principal, targets, req);
            } catch (DeniedException denied) {
                call = null; // the denied resource is audited, not the call's
                throw denied;
            }
            Map<String, Object> body = new LinkedHashMap<>(execute(operation, call));
            body.put("RequestId", requestId);
            response = xml ? ResponseEncoder.xml(200, actionName + "Response", body) : ResponseEncoder.json(200, body);
        } catch (KmsException e) {
            if (e instanceof DeniedException denied) {
                decision = denied.decision;
                deniedResource = denied.resource;
            }
            resultCode = e.code();
            response = error(e, requestId, xml, product);
        } catch (RuntimeException e) {
            // Internal detail goes to the server log with the RequestId, never to the client.
            LOG.error("request {} ({}) failed", requestId, actionName, e);
            KmsException internal = Errors.internal();
            resultCode = internal.code();
            response = error(internal, requestId, xml, product);
        }
        audit.record(new AuditRecord(
                System.currentTimeMillis(),
                requestId,
                principal != null ? principal.accessKeyId() : claimedAccessKey(req),
                principal != null ? principal.type() + ":" + principal.name() : "",
                actionName == null ? "" : actionName,
                call != null ? call.auditResource() : deniedResource,
                req.sourceIp(),
                response.status(),
                resultCode,
                (System.nanoTime() - start) / 1000,
                call != null ? call.auditDetail() : "",
                decision));
        return response;
    }

    /** What a front end other than the OpenAPI one gets back: the response fields, or the error. */
    public record Outcome(String requestId, Map<String, Object> body, KmsException error) {}

    /**
     * The pipeline for a second front end (the KMS Instance API): the same steps as {@link #handle} — authenticate,
     * refuse what cannot be audited, authorise every target of the declared operation, execute, audit — for a call
     * whose protocol the front end has already decoded into {@code params}; only the wire format differs.
     *
     * @param authenticate verifies the caller (throws the protocol's error); runs inside the pipeline, so that a
     *                     refused authentication is audited like any other failure
     * @param claimedKey   the key id the caller claimed, for the audit record of a failed authentication
     */
    public Outcome invoke(
            ApiProduct product,
            String actionName,
            java.util.function.Supplier<Principal> authenticate,
            Map<String, String> params,
            String sourceIp,
            boolean secure,
            String claimedKey) {
        long start = System.nanoTime();
        String requestId = Ids.newRequestId();
        Principal principal = null;
        Call call = null;
        Map<String, Object> body = null;
        KmsException error = null;
        String decision = "";
        String deniedResource = "";
        int status = 200;
        try {
            principal = authenticate.get();
            throttle.admit(principal.accessKeyId(), actionName);
            if (!audit.available()) {
                throw Errors.auditUnavailable();
            }
            Operation operation = product.actions().find(actionName);
            if (operation == null || !operation.declared()) {
                throw new KmsException(400, "InvalidApiName", "The ApiName \"" + actionName + "\" is invalid.");
            }
            call = new Call(actionName, new Params(params), principal, kms);
            call.resolved(operation.targets().resolve(call));
            ApiRequest forConditions =
                    new ApiRequest("POST", "/", Map.of(), Map.of(), Map.of(), new byte[0], sourceIp, secure);
            try {
                decision = authorize(product, principal, call.resolved().targets(), forConditions);
            } catch (DeniedException denied) {
                call = null;
                throw denied;
            }
            body = new LinkedHashMap<>(execute(operation, call));
        } catch (KmsException e) {
            if (e instanceof DeniedException denied) {
                decision = denied.decision;
                deniedResource = denied.resource;
            }
            error = e;
            status = e.httpStatus();
        } catch (RuntimeException e) {
            LOG.error("request {} ({}) failed", requestId, actionName, e);
            error = Errors.internal();
            status = error.httpStatus();
        }
        audit.record(new AuditRecord(
                System.currentTimeMillis(),
                requestId,
                principal != null ? principal.accessKeyId() : claimedKey == null ? "" : claimedKey,
                principal != null ? principal.type() + ":" + principal.name() : "",
                actionName == null ? "" : actionName,
                call != null ? call.auditResource() : deniedResource,
                sourceIp,
                status,
                error == null ? "OK" : error.code(),
                (System.nanoTime() - start) / 1000,
                call != null ? call.auditDetail() : "",
                decision));
        return new Outcome(requestId, body, error);
    }

    /**
     * Answers, and audits, a request refused before it could be read as an {@link ApiRequest}: one that names a
     * parameter twice (in the query, in the form body, or in both). Nothing of it is trusted, so the answer is JSON
     * (its Format may be the very parameter in doubt) and the audit record names no caller or action.
     */
    public ApiResponse refuseDuplicate(String parameterName, String sourceIp) {
        String requestId = Ids.newRequestId();
        // Alibaba documents no error for a repeated parameter. InvalidParameter with HTTP 400 is what its gateway
        // answers for a parameter it cannot accept
        // (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/common-error-codes-1):
        // the V1 SDK raises it as a ClientException and the V2/Node SDKs as an error with that code, and none of
        // them retries a 400, which is right for a request that will never be accepted as it is.
        String shown = parameterName.length() > 64 ? parameterName.substring(0, 64) + "…" : parameterName;
        KmsException e = Errors.invalidParameter(
                shown, "It is given more than once (in the query string, in the form body, or in both).");
        ApiResponse response = error(e, requestId, false, null);
        audit.record(new AuditRecord(
                System.currentTimeMillis(),
                requestId,
                "",
                "",
                "",
                "",
                sourceIp,
                response.status(),
                e.code(),
                0,
                "",
                ""));
        return response;
    }

    /**
     * Authorises every (action, resource) the call touches. The root principal skips resolution altogether
     * (it may do everything); others are evaluated against compiled, cached policies: no database read unless a
     * kms:tag condition needs the resource's tags. Returns the decision for the audit record.
     */
    private String authorize(
            ApiProduct product, Principal principal, List<ResourceResolver.Target> targets, ApiRequest req) {
        if (principal.root()) {
            return "Allow";
        }
        long now = System.currentTimeMillis();
        for (ResourceResolver.Target t : targets) {
            Decision d = authorizer.decide(
                    principal,
                    new AccessRequest(
                            t.action(), t.resource(), req.sourceIp(), req.secure(), now, t.tags(), t.alias()));
            if (d != Decision.ALLOW) {
                String label = d == Decision.EXPLICIT_DENY ? "ExplicitDeny" : "ImplicitDeny";
                throw new DeniedException(product.denialCode(), label, t.action(), t.resource());
            }
        }
        return "Allow";
    }

    /** A denial that remembers its decision for the audit record. */
    static final class DeniedException extends KmsException {
        final String decision;
        final String resource;

        DeniedException(String code, String decision, String action, String resource) {
            super(
                    403,
                    code,
                    "You are not authorized to do " + action + " on " + resource
                            + ". This operation is forbidden by permission system"
                            + (decision.equals("ExplicitDeny") ? " (explicit deny)." : "."));
            this.decision = decision;
            this.resource = resource;
        }
    }

    /**
     * Runs the action as declared: validates its fields in order, then under DryRun=true (if the action takes
     * DryRun) runs its check and answers DryRunOperation, else runs the handler. Under DryRun=true Alibaba
     * reports bad parameters as ValidationError instead of InvalidParameter or MissingParameter; the
     * translation is made here once rather than in every action that supports DryRun.
     */
    private static Map<String, Object> execute(Operation operation, Call call) {
        try {
            for (Field<?> field : operation.fields()) {
                call.get(field);
            }
            if (operation.dryRun().supported() && call.params().dryRun()) {
                operation.dryRun().run(call);
                throw Errors.dryRun();
            }
            Map<String, Object> body = operation.handler().handle(call);
            if (operation.created() != null) {
                call.created(operation.created().apply(body));
            }
            return body;
        } catch (KmsException e) {
            boolean parameterError = "InvalidParameter".equals(e.code()) || "MissingParameter".equals(e.code());
            if (parameterError && "true".equalsIgnoreCase(call.params().optional("DryRun"))) {
                throw Errors.dryRunValidation(e);
            }
            throw e;
        }
    }

    private ApiResponse error(KmsException e, String requestId, boolean xml, ApiProduct product) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RequestId", requestId);
        body.put(
                "HostId",
                product == null || product.version().equals(API_VERSION)
                        ? hostId
                        : product.product().toLowerCase(Locale.ROOT) + ".aliyuncs.com");
        body.put("Code", e.code());
        body.put("Message", e.getMessage());
        body.put(
                "Recommend",
                "https://api.aliyun.com/troubleshoot?q=" + e.code() + "&product="
                        + (product == null ? "Kms" : product.product()));
        body.put("HttpStatus", e.httpStatus());
        return xml ? ResponseEncoder.xml(e.httpStatus(), "Error", body) : ResponseEncoder.json(e.httpStatus(), body);
    }

    /** ACS3 carries the action in a header only; RPC in the Action parameter (V1 in V3 mode sends both). */
    private static String actionName(ApiRequest req) {
        String header = req.header(AcsHeaders.ACTION);
        return header != null && !header.isEmpty() ? header : req.param("Action");
    }

    private ApiProduct product(ApiRequest req) {
        String version = req.header(AcsHeaders.VERSION);
        if (version == null || version.isEmpty()) {
            version = req.param("Version");
        }
        if (version == null || version.isEmpty()) {
            throw Errors.missingParameter("Version");
        }
        ApiProduct p = products.get(version);
        if (p == null) {
            throw new KmsException(400, "InvalidVersion", "Specified parameter Version is not valid.");
        }
        return p;
    }

    private static Map<String, String> businessParams(ApiRequest req, boolean emptyValuesUnsigned) {
        // Disjoint by construction (ApiRequest refuses a name in both), so the order of the two puts changes nothing.
        Map<String, String> params =
                new HashMap<>(2 * (req.form().size() + req.query().size()));
        params.putAll(req.form());
        params.putAll(req.query());
        params.keySet().removeAll(TRANSPORT_PARAMS);
        if (emptyValuesUnsigned) {
            // The V2 SDK's RPC mode sends empty values without signing them, so anyone could add one. A top-level
            // empty value is kept: that SDK clears a description with Description="" and must keep working, and an
            // added empty top-level parameter means the same as an absent one. An empty member of a flattened map
            // or list (EncryptionContext.x=) would add an entry the signer never sent, so it is dropped.
            params.entrySet().removeIf(e -> e.getValue().isEmpty() && e.getKey().indexOf('.') >= 0);
        }
        return params;
    }

    /** For the audit record of a failed authentication: the AccessKeyId the caller claimed, if any. */
    private static String claimedAccessKey(ApiRequest req) {
        String ak = req.param("AccessKeyId");
        if (ak != null) {
            return ak;
        }
        String auth = req.header(AcsHeaders.AUTHORIZATION);
        if (auth != null) {
            int i = auth.indexOf("Credential=");
            if (i >= 0) {
                int end = auth.indexOf(',', i);
                String cred = auth.substring(i + 11, end < 0 ? auth.length() : end);
                int slash = cred.indexOf('/');
                return slash < 0 ? cred : cred.substring(0, slash);
            }
        }
        return "";
    }
}
