package org.openkms.bench;

import java.util.Map;
import org.openkms.wire.RequestSigner;
import org.openkms.wire.SignedAcs3Request;

/**
 * Signs one KMS call and lays out its HTTP/1.1 request bytes the way the SDKs send it: {@code POST /?<query>}, an
 * empty body with {@code content-length: 0}.
 * <ul>
 *   <li>ACS3 (Java V2 SDK): the query holds the business parameters; {@code host}, {@code x-acs-*} and
 *       {@code Authorization} come from {@link RequestSigner#signAcs3}.</li>
 *   <li>RPC (Java V1 SDK): the whole signed query from {@link RequestSigner#signRpc} (Action, Version, AccessKeyId,
 *       SignatureNonce, Timestamp, …, Signature), and a Host header.</li>
 * </ul>
 * Every request gets a fresh timestamp and nonce, so the server does the full verification (HMAC, freshness, nonce
 * cache) each time. Thread-safe if each thread passes its own {@link NonceSource} and buffer.
 */
final class SignedRequestEncoder {
    static final String USER_AGENT = "openkms-bench/0.1";
    private static final String METHOD = "POST";

    private final RequestSigner signer;
    private final SignatureScheme scheme;
    private final String hostHeader;

    SignedRequestEncoder(RequestSigner signer, SignatureScheme scheme, String hostHeader) {
        this.signer = signer;
        this.scheme = scheme;
        this.hostHeader = hostHeader;
    }

    SignatureScheme scheme() {
        return scheme;
    }

    /** Replaces the buffer's contents with the signed request. */
    void encode(String action, Map<String, String> params, NonceSource nonces, RequestBuffer out) {
        long now = System.currentTimeMillis();
        out.reset();
        if (scheme == SignatureScheme.ACS3) {
            SignedAcs3Request r = signer.signAcs3(METHOD, hostHeader, action, params, now, nonces.next(), null, null);
            String query = r.queryString(); // written as "/?" + query without concatenating a String
            out.ascii(METHOD)
                    .ascii(query.isEmpty() ? " /" : " /?")
                    .ascii(query)
                    .ascii(" HTTP/1.1")
                    .crlf();
            for (Map.Entry<String, String> h : r.headers().entrySet()) {
                out.header(h.getKey(), h.getValue()); // includes "host", exactly as signed
            }
        } else {
            String query = signer.signRpc(METHOD, action, params, now, nonces.next(), true);
            out.ascii(METHOD).ascii(" /?").ascii(query).ascii(" HTTP/1.1").crlf();
            out.header("host", hostHeader);
        }
        out.header("user-agent", USER_AGENT);
        out.ascii("content-length: 0").crlf().crlf();
    }
}
