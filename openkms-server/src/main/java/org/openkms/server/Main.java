package org.openkms.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openkms.server.config.ConfigException;
import org.openkms.server.config.ConfigLoader;
import org.openkms.server.config.ServerConfig;
import org.openkms.server.throttle.ThrottleConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code openkms server}: starts the server and runs until SIGTERM/SIGINT, then stops gracefully. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the OpenKMS server.")
public final class Main implements Callable<Integer> {
    @Option(names = "--config", description = "YAML configuration file")
    Path configFile;

    @Option(names = "--listen", description = "HTTP listen address (default 127.0.0.1:8080; empty disables)")
    String listen;

    @Option(names = "--https-listen", description = "HTTPS listen address (default 127.0.0.1:8443; empty disables)")
    String httpsListen;

    @Option(
            names = "--instance-listen",
            description = "KMS instance gateway (TLS) listen address (default 127.0.0.1:8444; empty disables)")
    String instanceListen;

    @Option(names = "--data-dir", description = "data directory (default ./openkms-data)")
    Path dataDir;

    @Option(names = "--region", description = "region this server claims to be (default cn-hangzhou)")
    String region;

    @Option(
            names = "--tls-cert",
            description = "PEM certificate (chain) for HTTPS; default: self-signed in the data dir")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key for --tls-cert")
    Path tlsKey;

    @Option(names = "--storage-url", description = "JDBC URL (default: SQLite in the data dir)")
    String storageUrl;

    @Option(
            names = "--throttle-per-credential",
            description = "rate limits of each AccessKey/ClientKey, e.g. crypto=100:200,secretRead=50,management=10"
                    + " (calls per second[:burst]; default off)")
    String throttlePerCredential;

    @Option(
            names = "--throttle-per-instance",
            description = "rate limits of all calls together, e.g. crypto=1000:2000 (default off)")
    String throttlePerInstance;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command with its error handling: every start-up refusal is a {@link ConfigException}, printed here and
     * only here as one line on stderr ("openkms: --listen 127.0.0.1:8080: address already in use (...)"), exit
     * status 2; command-line syntax errors get one line too. Anything else is a bug and keeps its stack trace.
     */
    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof ConfigException c) {
                command.getErr().println(c.line());
                command.getErr().flush();
                return CONFIG_ERROR;
            }
            throw e;
        });
        cmd.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine()
                    .getErr()
                    .println("openkms: " + e.getMessage() + " (openkms server --help lists the options)");
            e.getCommandLine().getErr().flush();
            return CONFIG_ERROR;
        });
        return cmd;
    }

    /** The exit status of a refused start: picocli's for usage errors. */
    static final int CONFIG_ERROR = 2;

    @Override
    public Integer call() throws Exception {
        ServerConfig c = ConfigLoader.load(configFile, System.getenv());
        if (listen != null) {
            c = c.withListen(listen);
        }
        if (httpsListen != null) {
            c = c.withHttpsListen(httpsListen);
        }
        if (instanceListen != null) {
            c = c.withInstanceListen(instanceListen);
        }
        if (dataDir != null) {
            c = c.withDataDir(dataDir);
        }
        if (region != null) {
            c = c.withRegion(region);
        }
        if (tlsCert != null || tlsKey != null) {
            if (tlsCert == null || tlsKey == null) {
                throw new ConfigException(
                        tlsCert == null ? "--tls-key " + tlsKey : "--tls-cert " + tlsCert,
                        "--tls-cert and --tls-key go together (give both, or neither for a self-signed certificate)");
            }
            c = c.withTls(tlsCert, tlsKey);
        }
        if (storageUrl != null) {
            c = c.withStorageUrl(storageUrl);
        }
        if (throttlePerCredential != null) {
            c = c.withThrottle(
                    c.throttle().withPerCredential(throttleFlag("--throttle-per-credential", throttlePerCredential)));
        }
        if (throttlePerInstance != null) {
            c = c.withThrottle(
                    c.throttle().withPerInstance(throttleFlag("--throttle-per-instance", throttlePerInstance)));
        }
        OpenKmsServer server = OpenKmsServer.start(c);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        server.join();
        return 0;
    }

    private static java.util.Map<org.openkms.server.throttle.OperationClass, ThrottleConfig.Limit> throttleFlag(
            String flag, String value) {
        try {
            return ThrottleConfig.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(flag + " " + value, e.getMessage());
        }
    }
}
