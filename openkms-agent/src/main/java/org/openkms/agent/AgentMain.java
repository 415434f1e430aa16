package org.openkms.agent;

import ch.qos.logback.classic.Level;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code ./openkms agent [--config agent.properties] [--port 2025] [--endpoint URL] [--ca ca.pem] [--region ID] ...}.
 * A configuration mistake ends the process with one line naming the option and exit status 2.
 */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: openkms agent [--config FILE] [--port 2025] [--endpoint URL] [--ca PEM]"
                    + " [--region ID] [--<option> VALUE]...  (options: docs/agent.md)");
            return;
        }
        Map<String, String> env = System.getenv();
        AgentServer server;
        try {
            AgentConfig config = AgentConfig.fromArgs(args, env);
            setLogLevel(config.logLevel());
            server = AgentServer.start(config, env);
        } catch (AgentConfigException e) {
            System.err.println("openkms agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "openkms-agent-shutdown"));
        server.join();
    }

    private static void setLogLevel(String level) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(Level.toLevel(level, Level.INFO));
        }
    }
}
