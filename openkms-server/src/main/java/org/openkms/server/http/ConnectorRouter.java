package org.openkms.server.http;

import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends requests that arrived on a named connector (a KMS instance gateway's) to that connector's own handler, and
 * the rest to the OpenAPI one: one Jetty server, one thread pool and one connection guard for every front end.
 */
public final class ConnectorRouter extends Handler.Wrapper {
    private final Map<String, Handler> byConnector;

    public ConnectorRouter(Handler main, String connectorName, Handler other) {
        this(main, Map.of(connectorName, other));
    }

    /** @param byConnector the handler of each named connector; requests on any other connector go to {@code main} */
    public ConnectorRouter(Handler main, Map<String, Handler> byConnector) {
        super(main);
        this.byConnector = Map.copyOf(byConnector);
        this.byConnector.values().forEach(this::addBean);
    }

    @Override
    public void setServer(org.eclipse.jetty.server.Server server) {
        super.setServer(server);
        byConnector.values().forEach(h -> h.setServer(server));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String name = request.getConnectionMetaData().getConnector().getName();
        Handler own = name == null ? null : byConnector.get(name); // the OpenAPI connectors have no name
        if (own != null) {
            return own.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }
}
