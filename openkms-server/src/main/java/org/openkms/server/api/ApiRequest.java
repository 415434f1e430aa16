package org.openkms.server.api;

import java.util.Map;
import org.openkms.wire.DuplicateParameterException;

/**
 * A request as the gateway sees it, independent of the HTTP server: the HTTP adapter fills it, the pipeline
 * never touches Jetty. {@code query} and {@code form} are decoded; {@code headers} has lower-case names. A name is in
 * the query or in the form, never in both (see the constructor), so every layer reads the same value for it.
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

    /**
     * @throws DuplicateParameterException when a name is both in the query and in the form body. Resolving it ("the
     *     query wins") would let the signature cover one value while the action acts on the other; the rule
     *     is that conflicting sources are an error. No official SDK sends a parameter in both places.
     */
    public ApiRequest {
        if (!form.isEmpty()) {
            Map<String, String> smaller = form.size() <= query.size() ? form : query;
            Map<String, String> larger = smaller == form ? query : form;
            for (String name : smaller.keySet()) {
                if (larger.containsKey(name)) {
                    throw new DuplicateParameterException(name);
                }
            }
        }
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /** A parameter from the query string or the form body (it cannot be in both). */
    public String param(String name) {
        String v = query.get(name);
        return v != null ? v : form.get(name);
    }
}
