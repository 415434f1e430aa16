package org.openkms.wire;

import java.util.Arrays;
import java.util.Map;

/**
 * The sorted {@code pe(name)=pe(value)&...} list shared by the three schemes, which differ only in which parameters
 * they drop and how they write an empty value.
 */
final class CanonicalQuery {

    /** How a parameter whose value is "" is written. */
    enum Empty {
        /** {@code name=} (RPC as sent by V1/Node/async SDKs, ACS3). */
        NAME_EQUALS,
        /** left out entirely (RPC as signed by the V2 SDK's openapiutil getRPCSignature). */
        OMIT,
        /** bare {@code name} without '=' (ACS4, as alibabacloud-gateway-pop writes it). */
        BARE_NAME
    }

    private CanonicalQuery() {}

    /**
     * @param excluded a parameter name left out (RPC's own "Signature"), or null
     */
    static void append(Map<String, String> params, String excluded, Empty empty, StringBuilder out) {
        if (params == null || params.isEmpty()) {
            return;
        }
        String[] names = params.keySet().toArray(new String[0]);
        // String.compareTo = UTF-16 code-unit order, which is what the Java SDKs' TreeMap/Arrays.sort produce.
        Arrays.sort(names);
        boolean first = true;
        for (String name : names) {
            if (name == null || name.equals(excluded)) {
                continue;
            }
            String value = params.get(name);
            if (value == null) {
                value = "";
            }
            if (value.isEmpty() && empty == Empty.OMIT) {
                continue;
            }
            if (!first) {
                out.append('&');
            }
            first = false;
            PercentEncoding.encode(name, out);
            if (!value.isEmpty()) {
                out.append('=');
                PercentEncoding.encode(value, out);
            } else if (empty == Empty.NAME_EQUALS) {
                out.append('=');
            }
        }
    }

    static boolean hasEmptyValue(Map<String, String> params, String excluded) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            String v = e.getValue();
            if ((v == null || v.isEmpty()) && e.getKey() != null && !e.getKey().equals(excluded)) {
                return true;
            }
        }
        return false;
    }
}
