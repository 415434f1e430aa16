package org.openkms.conformance;

import com.aliyun.teaopenapi.models.Params;
import java.util.Map;

/**
 * The V2 SDK's generic {@code callApi} for actions its generated clients lack (newer KMS actions, RAM's OIDC
 * providers, ActionTrail's LookupEvents): the {@link Params} of an RPC-style POST with a form body and a JSON answer,
 * as the generated clients build them.
 */
public final class GenericCalls {
    private GenericCalls() {}

    /** RPC style, POST {@code /}, AccessKey signature, form body, JSON answer. */
    public static Params rpc(String action, String version, boolean https) {
        return new Params()
                .setAction(action)
                .setVersion(version)
                .setProtocol(https ? "HTTPS" : "HTTP")
                .setPathname("/")
                .setMethod("POST")
                .setAuthType("AK")
                .setStyle("RPC")
                .setReqBodyType("formData")
                .setBodyType("json");
    }

    /** The parsed JSON body of a {@code callApi} answer (the SDK returns {@code {headers, statusCode, body}}). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> body(Map<String, ?> answer) {
        return (Map<String, Object>) answer.get("body");
    }
}
