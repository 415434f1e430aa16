package org.openkms.server.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends requests that arrived on one named connector (the KMS instance gateway's) to their own handler, and the
 * rest to the OpenAPI one: one Jetty server, one thread pool and one connection guard for both front ends.
 */
public final class ConnectorRouter extends Handler.Wrapper {
    private final String connectorName;
    private final Handler other;

    public ConnectorRouter(Handler main, String connectorName, Handler other) {
        super(main);
        this.connectorName = connectorName;
        this.other = other;
        addBean(other);
    }

    @Override
    public void setServer(org.eclipse.jetty.server.Server server) {
        super.setServer(server);
        other.setServer(server);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (connectorName.equals(request.getConnectionMetaData().getConnector().getName())) {
            return other.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }
}
