package org.openkms.server.gateway;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.openkms.core.audit.AuditRecord;
import org.openkms.core.audit.AuditSink;
import org.openkms.core.auth.Authorizer;
import org.openkms.core.auth.Principal;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.core.service.Ids;
import org.openkms.core.service.Kms;
import org.openkms.server.auth.Authenticator;
import org.openkms.wire.AcsHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAPI pipeline, run once for every call: identify the action → authenticate → authorise → execute →
 * encode → audit. Actions contain only their own logic; everything cross-cutting happens here.
 */
public final class Gateway {
    public static final String API_VERSION = "2016-01-20";
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Protocol parameters that are not business input (protocol-openapi.md §7 step 7). */
    private static final Set<String> TRANSPORT_PARAMS = Set.of("Action", "Version", "Format", "AccessKeyId", "Signature",
            "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "SecurityToken", "SignatureType",
            "BearerToken");

    private final ActionRegistry actions;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final Kms kms;
    private final AuditSink audit;
    private final String hostId;

    public Gateway(ActionRegistry actions, Authenticator authenticator, Authorizer authorizer, Kms kms, AuditSink audit) {
        this.actions = actions;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.kms = kms;
        this.audit = audit;
        this.hostId = "kms." + kms.account().region() + ".aliyuncs.com";
    }

    public ApiResponse handle(ApiRequest req) {
        long start = System.nanoTime();
        String requestId = Ids.newRequestId();
        boolean xml = "XML".equalsIgnoreCase(req.param("Format"));
        String actionName = actionName(req);
        Principal principal = null;
        Call call = null;
        ApiResponse response;
        String resultCode = "OK";
        try {
            if (!"GET".equals(req.method()) && !"POST".equals(req.method())) {
                throw new KmsException(403, "UnsupportedHTTPMethod", "This http method is not supported.");
            }
            if (actionName == null || actionName.isEmpty()) {
                throw Errors.missingParameter("Action");
            }
            checkVersion(req);
            principal = authenticator.authenticate(req);
            Action action = actions.find(actionName);
            if (action == null) {
                throw new KmsException(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
            }
            authorizer.authorize(principal, "kms:" + actionName, "*");
            call = new Call(actionName, new Params(businessParams(req)), principal, kms);
            Map<String, Object> body = new LinkedHashMap<>(execute(action, call));
            body.put("RequestId", requestId);
            response = xml ? ResponseEncoder.xml(200, actionName + "Response", body) : ResponseEncoder.json(200, body);
        } catch (KmsException e) {
            resultCode = e.code();
            response = error(e, requestId, xml);
        } catch (RuntimeException e) {
            // Internal detail goes to the server log with the RequestId, never to the client.
            LOG.error("request {} ({}) failed", requestId, actionName, e);
            KmsException internal = Errors.internal();
            resultCode = internal.code();
            response = error(internal, requestId, xml);
        }
        audit.record(new AuditRecord(System.currentTimeMillis(), requestId,
                principal != null ? principal.accessKeyId() : claimedAccessKey(req),
                principal != null ? principal.type() + ":" + principal.name() : "",
                actionName == null ? "" : actionName, call != null ? call.resource() : "", req.sourceIp(),
                response.status(), resultCode, (System.nanoTime() - start) / 1000, call != null ? call.auditDetail() : ""));
        return response;
    }

    /**
     * Runs the action. Under DryRun=true Alibaba reports bad parameters as ValidationError (api-semantics.md
     * §2.6); the translation is made here once rather than in every action that supports DryRun.
     */
    private static Map<String, Object> execute(Action action, Call call) {
        try {
            return action.handle(call);
        } catch (KmsException e) {
            boolean parameterError = "InvalidParameter".equals(e.code()) || "MissingParameter".equals(e.code());
            if (parameterError && "true".equalsIgnoreCase(call.params().optional("DryRun"))) {
                throw Errors.dryRunValidation(e);
            }
            throw e;
        }
    }

    private ApiResponse error(KmsException e, String requestId, boolean xml) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RequestId", requestId);
        body.put("HostId", hostId);
        body.put("Code", e.code());
        body.put("Message", e.getMessage());
        body.put("Recommend", "https://api.aliyun.com/troubleshoot?q=" + e.code() + "&product=Kms");
        body.put("HttpStatus", e.httpStatus());
        return xml ? ResponseEncoder.xml(e.httpStatus(), "Error", body) : ResponseEncoder.json(e.httpStatus(), body);
    }

    /** ACS3 carries the action in a header only; RPC in the Action parameter (V1 in V3 mode sends both). */
    private static String actionName(ApiRequest req) {
        String header = req.header(AcsHeaders.ACTION);
        return header != null && !header.isEmpty() ? header : req.param("Action");
    }

    private static void checkVersion(ApiRequest req) {
        String version = req.header(AcsHeaders.VERSION);
        if (version == null || version.isEmpty()) {
            version = req.param("Version");
        }
        if (version == null || version.isEmpty()) {
            throw Errors.missingParameter("Version");
        }
        if (!API_VERSION.equals(version)) {
            throw new KmsException(400, "InvalidVersion", "Specified parameter Version is not valid.");
        }
    }

    private static Map<String, String> businessParams(ApiRequest req) {
        Map<String, String> params = new HashMap<>(req.form());
        params.putAll(req.query());
        params.keySet().removeAll(TRANSPORT_PARAMS);
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
