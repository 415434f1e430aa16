package org.openkms.server.api;

import java.util.Map;

/**
 * A request as the gateway sees it, independent of the HTTP server: the HTTP adapter fills it, the pipeline
 * never touches Jetty. {@code query} and {@code form} are decoded; {@code headers} has lower-case names.
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, String> query,
        Map<String, String> form,
        Map<String, String> headers,
        byte[] body,
        String sourceIp,
        boolean secure) {

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /** A parameter from the query string, else from a form body (the query wins, as on Alibaba's gateway). */
    public String param(String name) {
        String v = query.get(name);
        return v != null ? v : form.get(name);
    }
}
