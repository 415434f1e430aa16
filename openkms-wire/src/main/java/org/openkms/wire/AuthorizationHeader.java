package org.openkms.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parsed {@code Authorization: <ALG> Credential=..,SignedHeaders=a;b,Signature=..} header (ACS3 / ACS4).
 *
 * <p>Fields are matched by name, in any order: the V2 SDK writes {@code Credential, SignedHeaders, Signature} while
 * the V1 SDK in V3 mode writes {@code Credential, Signature, SignedHeaders} (aliyun-java-sdk-core's
 * V3SignatureComposer). Spaces after the commas are tolerated; unknown fields are ignored; a repeated or missing
 * field is an error.
 */
public final class AuthorizationHeader {

    private static final String CREDENTIAL = "Credential";
    private static final String SIGNED_HEADERS = "SignedHeaders";
    private static final String SIGNATURE = "Signature";

    private final String algorithm;
    private final String credential;
    private final List<String> signedHeaders;
    private final String signature;

    private AuthorizationHeader(String algorithm, String credential, List<String> signedHeaders, String signature) {
        this.algorithm = algorithm;
        this.credential = credential;
        this.signedHeaders = signedHeaders;
        this.signature = signature;
    }

    /** @throws IllegalArgumentException if the value is not {@code <alg> k=v,k=v,...} with the three fields */
    public static AuthorizationHeader parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing Authorization header");
        }
        String v = value.trim();
        int space = v.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("Authorization header has no algorithm and fields");
        }
        String algorithm = v.substring(0, space);
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        int pos = space + 1;
        int n = v.length();
        while (pos <= n) {
            int comma = v.indexOf(',', pos);
            int end = comma < 0 ? n : comma;
            int from = skipSpaces(v, pos, end);
            int to = trimEnd(v, from, end);
            if (from == to) {
                throw new IllegalArgumentException("empty field in Authorization header");
            }
            int eq = v.indexOf('=', from);
            if (eq < 0 || eq >= to || eq == from) {
                throw new IllegalArgumentException("Authorization field without name=value");
            }
            String name = v.substring(from, eq);
            String fieldValue = v.substring(eq + 1, to);
            if (CREDENTIAL.equals(name)) {
                credential = once(credential, fieldValue, name);
            } else if (SIGNED_HEADERS.equals(name)) {
                signedHeaders = once(signedHeaders, fieldValue, name);
            } else if (SIGNATURE.equals(name)) {
                signature = once(signature, fieldValue, name);
            }
            // Other fields: ignored, so a future client adding one does not break us.
            pos = end + 1;
        }
        if (credential == null || credential.isEmpty()) {
            throw new IllegalArgumentException("Authorization header without Credential");
        }
        if (signature == null || signature.isEmpty()) {
            throw new IllegalArgumentException("Authorization header without Signature");
        }
        if (signedHeaders == null || signedHeaders.isEmpty()) {
            throw new IllegalArgumentException("Authorization header without SignedHeaders");
        }
        return new AuthorizationHeader(algorithm, credential, splitHeaders(signedHeaders), signature);
    }

    private static String once(String previous, String value, String name) {
        if (previous != null) {
            throw new IllegalArgumentException("repeated " + name + " in Authorization header");
        }
        return value;
    }

    /**
     * SignedHeaders lists already split. A client sends the same list with every request, so splitting it again was a
     * measurable share of a request's allocation. Bounded, since the text comes before authentication: once full, or
     * for an unusually long list, a list is split and not kept.
     */
    private static final ConcurrentHashMap<String, List<String>> SPLIT = new ConcurrentHashMap<>();

    private static final int SPLIT_KEPT = 256;
    private static final int SPLIT_KEPT_LENGTH = 512;

    private static List<String> splitHeaders(String s) {
        List<String> known = SPLIT.get(s);
        if (known != null) {
            return known;
        }
        List<String> split = split(s);
        if (SPLIT.size() < SPLIT_KEPT && s.length() <= SPLIT_KEPT_LENGTH) {
            SPLIT.putIfAbsent(s, split);
        }
        return split;
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>(8);
        int start = 0;
        int n = s.length();
        while (start <= n) {
            int semi = s.indexOf(';', start);
            int end = semi < 0 ? n : semi;
            if (end == start) {
                throw new IllegalArgumentException("empty name in SignedHeaders");
            }
            out.add(s.substring(start, end));
            start = end + 1;
        }
        return Collections.unmodifiableList(out);
    }

    private static int skipSpaces(String s, int from, int to) {
        while (from < to && s.charAt(from) == ' ') {
            from++;
        }
        return from;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from && s.charAt(to - 1) == ' ') {
            to--;
        }
        return to;
    }

    /** e.g. {@code ACS3-HMAC-SHA256}; not validated here (the verifier dispatches on it). */
    public String algorithm() {
        return algorithm;
    }

    /** The raw Credential field: the AK for ACS3, {@code AK/date/region/product/aliyun_v4_request} for ACS4. */
    public String credential() {
        return credential;
    }

    /** Header names in the order sent (unmodifiable). */
    public List<String> signedHeaders() {
        return signedHeaders;
    }

    public String signature() {
        return signature;
    }

    /** For ACS4: first '/'-segment of Credential; for ACS3 (and anything else) the whole Credential. */
    public String accessKeyId() {
        if (isAcs4()) {
            int slash = credential.indexOf('/');
            return slash < 0 ? credential : credential.substring(0, slash);
        }
        return credential;
    }

    /**
     * ACS4 credential scope segments after the AK: {@code [date, region, product, terminator]}; empty for ACS3.
     * An ACS4 Credential with a different number of segments is returned as is; the verifier rejects it.
     */
    public List<String> credentialScope() {
        if (!isAcs4()) {
            return Collections.emptyList();
        }
        List<String> out = new ArrayList<>(4);
        int start = credential.indexOf('/');
        if (start < 0) {
            return Collections.emptyList();
        }
        start++;
        while (start <= credential.length()) {
            int slash = credential.indexOf('/', start);
            int end = slash < 0 ? credential.length() : slash;
            out.add(credential.substring(start, end));
            start = end + 1;
        }
        return Collections.unmodifiableList(out);
    }

    public boolean isAcs3() {
        return algorithm.startsWith("ACS3-");
    }

    public boolean isAcs4() {
        return algorithm.startsWith("ACS4-");
    }

    @Override
    public String toString() {
        // No signature: toString ends up in logs.
        return algorithm + " Credential=" + credential + ",SignedHeaders=" + String.join(";", signedHeaders);
    }
}
