package org.openkms.bench;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /healthz}: answered by the server's HTTP layer without signature, storage or cryptography, so its rate
 * over the same connections is the ceiling ("floor" of cost) any KMS action can reach on this machine and JDK.
 * Reporting actions as a share of it keeps the figures comparable across machines and noisy neighbours.
 */
final class FloorRequest {
    private FloorRequest() {}

    static byte[] bytes(String hostHeader) {
        return ("GET /healthz HTTP/1.1\r\nhost: " + hostHeader + "\r\nuser-agent: " + SignedRequestEncoder.USER_AGENT
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
