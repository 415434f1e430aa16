package org.openkms.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP side: Jetty on 127.0.0.1 only, plain HTTP/1.1, bounded threads and connections. Requests are checked
 * in the order of AWS's agent (https://github.com/aws/aws-secretsmanager-agent, "Harden the agent"): connection limit
 * (429), {@code X-Forwarded-For} (400, a proxied request is what SSRF looks like), token (403), method (405), path
 * (404). {@code GET /ping} needs no token: it reveals nothing and health checks have no secret to present.
 */
public final class AgentServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);
    private static final Set<String> QUERY_PARAMS = Set.of("secretId", "versionId", "versionStage", "refreshNow");
    private static final ByteBuffer HEALTHY = ByteBuffer.wrap("healthy".getBytes(StandardCharsets.US_ASCII));

    private final AgentConfig config;
    private final SsrfToken token;
    private final SecretCache cache;
    private final Server jetty;
    private final ServerConnector connector;
    private final AtomicInteger openConnections = new AtomicInteger();

    private AgentServer(AgentConfig config, SsrfToken token, SecretCache cache) {
        this.config = config;
        this.token = token;
        this.cache = cache;
        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()));
        threads.setName("openkms-agent");
        this.jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        this.connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        // Loopback only: the agent hands out secrets to whoever can reach it, so nothing off this host may.
        connector.setHost("127.0.0.1");
        connector.setPort(config.httpPort());
        connector.setIdleTimeout(61_000);
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                openConnections.incrementAndGet();
            }

            @Override
            public void onClosed(Connection connection) {
                openConnections.decrementAndGet();
            }
        });
        jetty.addConnector(connector);
        // max_conn is answered with 429 by the handler; past a margin above it Jetty stops accepting altogether, so
        // a flood costs a bounded number of sockets.
        jetty.addBean(new NetworkConnectionLimit(config.maxConn() + 64, jetty));
        jetty.setHandler(new AgentHandler());
    }

    /** Resolves the token, credentials and endpoint, then binds and starts; config errors are AgentConfigException. */
    public static AgentServer start(AgentConfig config, Map<String, String> env) throws Exception {
        SsrfToken token = SsrfToken.resolve(config, env);
        if (config.caFile() != null) {
            TlsTrust.trustForDefaultHttps(config.caFile());
        }
        SecretsUpstream upstream = config.credentialsType().equals("client_key")
                ? new InstanceSecretsUpstream(config, env)
                : new OpenApiSecretsUpstream(config, AgentCredentials.resolve(config, env));
        AgentServer s = new AgentServer(config, token, new SecretCache(upstream, config));
        try {
            s.jetty.start();
        } catch (java.io.IOException e) {
            s.jetty.stop();
            throw new AgentConfigException(
                    "http_port " + config.httpPort() + " cannot be bound on 127.0.0.1: " + e.getMessage());
        }
        LOG.info(
                "openkms agent listening on http://127.0.0.1:{} for {} (token: {})",
                s.port(),
                config.endpoint(),
                token.origin());
        return s;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String tokenOrigin() {
        return token.origin();
    }

    int openConnections() {
        return openConnections.get();
    }

    SecretCache cache() {
        return cache;
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("agent shutdown: {}", e.toString());
        }
    }

    private final class AgentHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            // Only error bodies carry a fresh id; a cached answer is served without generating one (UUID draws from
            // SecureRandom, which would be the most expensive step of a cache hit).
            String requestId = "";
            // getLength() is -1 for a request that declares no length: a GET without a body, the usual case, must
            // keep its connection (closing it made every cached read pay a new connection, 5x its cost).
            if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
                // Only GET is served and its answers never read a body: a request that sends one is answered and
                // its connection closed, saying so, rather than left for the client to reuse while Jetty closes it
                // over the unread content (the client then fails its next request on that connection).
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            if (openConnections.get() > config.maxConn()) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                return error(
                        response, callback, 429, "ConnectionLimitExceeded", "Connection limit exceeded", requestId);
            }
            if (request.getHeaders().get("X-Forwarded-For") != null) {
                return error(response, callback, 400, "Forwarded", "Forwarded requests are not accepted", requestId);
            }
            String path = request.getHttpURI().getDecodedPath();
            if ("/ping".equals(path) && HttpMethod.GET.is(request.getMethod())) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.write(true, HEALTHY.slice(), callback);
                return true;
            }
            if (!tokenPresent(request)) {
                return error(response, callback, 403, "BadToken", "Bad Token", requestId);
            }
            if (!HttpMethod.GET.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET");
                return error(response, callback, 405, "MethodNotAllowed", "Only GET is supported", requestId);
            }
            Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            String secretId;
            if ("/secretsmanager/get".equals(path)) {
                secretId = query.getValue("secretId");
            } else if (path != null
                    && path.startsWith(config.pathPrefix())
                    && path.length() > config.pathPrefix().length()) {
                if (query.get("secretId") != null) {
                    return error(response, callback, 400, "InvalidParameter", "secretId is in the path", requestId);
                }
                secretId = path.substring(config.pathPrefix().length());
            } else {
                return error(response, callback, 404, "NotFound", "Unknown path", requestId);
            }
            for (String name : query.getNames()) {
                if (!QUERY_PARAMS.contains(name) || query.getValues(name).size() > 1) {
                    return error(response, callback, 400, "InvalidParameter", "Bad parameter " + name, requestId);
                }
            }
            if (secretId == null || secretId.isEmpty()) {
                return error(response, callback, 400, "MissingParameter", "secretId is required", requestId);
            }
            Boolean refreshNow = flag(query.getValue("refreshNow"));
            if (refreshNow == null) {
                return error(
                        response, callback, 400, "InvalidParameter", "refreshNow must be true or false", requestId);
            }
            try {
                SecretCache.Answer a = cache.get(
                        secretId,
                        empty(query.getValue("versionId")),
                        empty(query.getValue("versionStage")),
                        refreshNow);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                response.getHeaders().put("X-OpenKMS-Cache", a.source().name().toLowerCase(java.util.Locale.ROOT));
                response.write(true, ByteBuffer.wrap(a.body()), callback);
                return true;
            } catch (UpstreamException e) {
                LOG.info("{} {}: {} {}", secretId, e.status(), e.code(), e.getMessage());
                return error(response, callback, e.status(), e.code(), e.getMessage(), requestId);
            }
        }

        private boolean tokenPresent(Request request) {
            for (String header : config.ssrfHeaders()) {
                if (token.matches(request.getHeaders().get(header))) {
                    return true;
                }
            }
            return false;
        }

        private boolean error(
                Response response, Callback callback, int status, String code, String message, String requestId) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(
                    true, ByteBuffer.wrap(config.responseType().error(status, code, message, requestId)), callback);
            return true;
        }
    }

    private static Boolean flag(String v) {
        if (v == null || v.equals("false") || v.equals("0")) {
            return Boolean.FALSE;
        }
        if (v.equals("true") || v.equals("1")) {
            return Boolean.TRUE;
        }
        return null;
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
