package org.openkms.server;

import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.openkms.server.config.ConfigException;
import org.openkms.server.config.InstanceListener;
import org.openkms.server.config.ServerConfig;

/**
 * Binds Jetty's listening sockets ahead of {@code Server.start()} ({@link ServerConnector#open()}: a connector
 * "may be opened and not started (to reserve a port)", Jetty's NetworkConnector javadoc), so that a port in use
 * stops the start before it has written a data dir, a root key or an administrator AccessKey.
 */
final class Listeners {
    private Listeners() {}

    /** Opens every connector, or closes those already opened and throws a ConfigException naming the flag. */
    static void open(Server jetty, ServerConfig config) {
        for (Connector c : jetty.getConnectors()) {
            if (!(c instanceof ServerConnector sc)) {
                continue;
            }
            String option = optionOf(sc, config);
            try {
                sc.open();
            } catch (Exception e) {
                close(jetty);
                throw new ConfigException(option, describe(e));
            }
        }
    }

    /** The option that configured a connector, as the operator wrote it. */
    private static String optionOf(ServerConnector sc, ServerConfig config) {
        String name = sc.getName();
        if (org.openkms.server.http.HttpServerFactory.INSTANCE_CONNECTOR.equals(name)) {
            return "--instance-listen " + config.instanceListen();
        }
        for (InstanceListener i : config.instances()) {
            if (org.openkms.server.http.HttpServerFactory.instanceConnector(i.name())
                    .equals(name)) {
                return i.option();
            }
        }
        return isHttps(sc) ? "--https-listen " + config.httpsListen() : "--listen " + config.listen();
    }

    /** Closes the listening sockets of a server that was not started (stop() does it for a started one). */
    static void close(Server jetty) {
        for (Connector c : jetty.getConnectors()) {
            if (c instanceof ServerConnector sc) {
                sc.close();
            }
        }
    }

    static boolean isHttps(ServerConnector sc) {
        return sc.getDefaultProtocol().startsWith("SSL");
    }

    /** The OS's reason in words an operator acts on; Jetty wraps it as "Failed to bind to ...". */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                String m = String.valueOf(b.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("in use")) {
                    return "address already in use (choose another port or stop the other process)";
                }
                if (m.contains("assign") || m.contains("not available")) {
                    return "not an address of this machine (use one of its own addresses, 127.0.0.1 or 0.0.0.0)";
                }
                if (m.contains("permission") || m.contains("denied")) {
                    return "permission denied (ports below 1024 need extra privileges; choose a port above 1023)";
                }
                return b.getMessage();
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host (use an IP address or a name this machine resolves)";
            }
        }
        return String.valueOf(e.getMessage());
    }
}
