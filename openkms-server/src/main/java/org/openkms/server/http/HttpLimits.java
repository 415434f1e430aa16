package org.openkms.server.http;

import java.time.Duration;

/**
 * What one client may cost the HTTP layer before it is authenticated. Defaults fit the documented sizes of the
 * KMS API: the official SDKs put every parameter in the URL, percent-encoded, so a 30,720-byte SecretData of
 * Chinese text (3 bytes a character, each byte then written as {@code %XX}) is a 92 KB request line, and an
 * 8,192-character EncryptionContext up to 72 KB more.
 *
 * @param requestHeaderSize   request line plus headers, in bytes (larger: 414/431 with an Alibaba error body)
 * @param maxBodySize         request body, in bytes (larger: 413)
 * @param maxConnections      open connections over all listeners; beyond it new ones wait in the accept queue
 * @param maxConnectionsPerSource open connections from one IP address; beyond it new ones are closed at once
 * @param headerTimeout       time to send the request line and headers, from their first byte
 * @param requestTimeout      time to send a whole request, headers and body
 * @param minRequestDataRate  bytes per second a request body must keep up on average ({@link GatewayHandler}
 *                            answers 408 below it); 0 turns the check off
 * @param idleTimeout         an idle keep-alive connection is closed after this
 * @param maxThreads          request threads in Jetty's pool; 0 sizes it for the machine ({@link #threadsFor})
 */
public record HttpLimits(
        int requestHeaderSize,
        int maxBodySize,
        int maxConnections,
        int maxConnectionsPerSource,
        Duration headerTimeout,
        Duration requestTimeout,
        long minRequestDataRate,
        Duration idleTimeout,
        int maxThreads) {

    public static HttpLimits defaults() {
        return new HttpLimits(
                256 * 1024,
                1 << 20,
                10_000,
                512,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                1024,
                Duration.ofSeconds(60),
                0);
    }

    public HttpLimits withMaxConnectionsPerSource(int n) {
        return new HttpLimits(
                requestHeaderSize,
                maxBodySize,
                maxConnections,
                n,
                headerTimeout,
                requestTimeout,
                minRequestDataRate,
                idleTimeout,
                maxThreads);
    }

    public HttpLimits withMaxConnections(int n) {
        return new HttpLimits(
                requestHeaderSize,
                maxBodySize,
                n,
                maxConnectionsPerSource,
                headerTimeout,
                requestTimeout,
                minRequestDataRate,
                idleTimeout,
                maxThreads);
    }

    public HttpLimits withTimeouts(Duration header, Duration request) {
        return new HttpLimits(
                requestHeaderSize,
                maxBodySize,
                maxConnections,
                maxConnectionsPerSource,
                header,
                request,
                minRequestDataRate,
                idleTimeout,
                maxThreads);
    }

    public HttpLimits withIdleTimeout(Duration d) {
        return new HttpLimits(
                requestHeaderSize,
                maxBodySize,
                maxConnections,
                maxConnectionsPerSource,
                headerTimeout,
                requestTimeout,
                minRequestDataRate,
                d,
                maxThreads);
    }

    public HttpLimits withMaxThreads(int n) {
        return new HttpLimits(
                requestHeaderSize,
                maxBodySize,
                maxConnections,
                maxConnectionsPerSource,
                headerTimeout,
                requestTimeout,
                minRequestDataRate,
                idleTimeout,
                n);
    }

    /**
     * The pool size to use on a machine with {@code cores} processors. The request path is CPU-bound (HMAC, AES, JSON;
     * bodies are read asynchronously and slow clients are cut off by {@link ConnectionGuard}, so no thread waits on a
     * client), and the blocking it does (storage on a cache miss, the audit file) is short: a few threads per core
     * keep the cores busy. Jetty's default of 200 on 2 cores only added parking and waking (3,826 parks in 12 s
     * under Encrypt load); 8 per core, at least 16, still leaves room for the acceptor and selector threads.
     */
    public int threadsFor(int cores) {
        return maxThreads > 0 ? maxThreads : Math.max(16, 8 * cores);
    }
}
