package org.openkms.server.rotation;

import java.net.URI;
import org.openkms.core.secret.rotation.RotationException;

/** {@code scheme://host:port[/database]} from a secret's DBInstanceId/InstanceId. */
record Endpoint(String host, int port, String database) {
    static Endpoint parse(String url, int defaultPort) throws RotationException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new RotationException("the endpoint is not a URL: " + url);
        }
        if (uri.getHost() == null) {
            throw new RotationException("the endpoint has no host: " + url);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new Endpoint(uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort(), path);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
