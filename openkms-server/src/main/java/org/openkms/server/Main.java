package org.openkms.server;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.openkms.server.config.ConfigException;
import org.openkms.server.config.ConfigLoader;
import org.openkms.server.config.ServerConfig;
import org.openkms.server.dev.DevActions;
import org.openkms.server.dev.DevClock;
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

    @Option(
            names = "--instance-names",
            description = "further DNS names / IP addresses of the instance gateway's certificate, comma-separated")
    String instanceNames;

    @Option(
            names = "--instance",
            paramLabel = "NAME=HOST:PORT",
            description = "a further KMS instance and its gateway's listen address, e.g. team-a=127.0.0.1:8445;"
                    + " repeatable; replaces OPENKMS_INSTANCES and YAML instances")
    List<String> instances;

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
            names = "--dev",
            description = "development server: temporary data dir (deleted on exit), fixed printed administrator"
                    + " AccessKey, HTTP only, no minimum intervals, and a clock moved by `openkms dev clock +7d`")
    boolean dev;

    @Option(
            names = "--throttle-per-credential",
            description = "rate limits of each AccessKey/ClientKey, e.g. crypto=100:200,secretRead=50,management=10"
                    + " (calls per second[:burst]; default off)")
    String throttlePerCredential;

    @Option(
            names = "--throttle-per-instance",
            description = "rate limits of all calls together, e.g. crypto=1000:2000 (default off)")
    String throttlePerInstance;

    @Option(names = "--no-console", description = "do not serve the web console at /console (it answers 404 there)")
    boolean noConsole;

    @Option(
            names = "--http2",
            negatable = true,
            description = "HTTP/2 on the HTTP (h2c) and HTTPS (h2 through ALPN) listeners beside HTTP/1.1"
                    + " (default on; --no-http2 serves HTTP/1.1 only)")
    Boolean http2;

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
        if (instanceNames != null) {
            c = c.withInstanceNames(ConfigLoader.instanceNames("--instance-names", List.of(instanceNames.split(","))));
        }
        if (instances != null) {
            List<org.openkms.server.config.InstanceListener> configured = new java.util.ArrayList<>();
            for (String spec : instances) {
                try {
                    configured.add(ConfigLoader.instance(spec.trim()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--instance " + spec, e.getMessage());
                }
            }
            c = c.withInstances(configured);
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
        if (http2 != null) {
            c = c.withHttp2Enabled(http2);
        }
        if (throttlePerCredential != null) {
            c = c.withThrottle(
                    c.throttle().withPerCredential(throttleFlag("--throttle-per-credential", throttlePerCredential)));
        }
        if (throttlePerInstance != null) {
            c = c.withThrottle(
                    c.throttle().withPerInstance(throttleFlag("--throttle-per-instance", throttlePerInstance)));
        }
        if (noConsole) {
            c = c.withConsoleEnabled(false);
        }
        if (dev) {
            return runDev(c);
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

    /**
     * {@code --dev}: everything a throw-away server for trying things needs, nothing kept. Refused with a data dir or
     * a storage URL, which would keep data a dev server is meant to lose.
     */
    private int runDev(ServerConfig c) throws Exception {
        if (dataDir != null || !c.dataDir().equals(ServerConfig.defaults().dataDir())) {
            throw new ConfigException(
                    "--dev --data-dir " + c.dataDir(),
                    "a dev server keeps its data in a temporary directory deleted on exit (drop the data dir"
                            + " setting, or drop --dev)");
        }
        if (c.storageUrl() != null) {
            throw new ConfigException(
                    "--dev --storage-url " + org.openkms.storage.StorageFactory.redact(c.storageUrl()),
                    "a dev server uses SQLite in its temporary directory (drop the storage URL, e.g. PostgreSQL,"
                            + " or drop --dev)");
        }
        Path tmp = java.nio.file.Files.createTempDirectory(
                "openkms-dev-",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        c = c.withDataDir(tmp)
                .withHttpsListen(httpsListen != null ? httpsListen : "")
                .withInstanceListen(instanceListen != null ? instanceListen : "")
                .withRootAccessKey(DevActions.DEV_ACCESS_KEY_ID, DevActions.DEV_ACCESS_KEY_SECRET)
                .withMinKeyVersionInterval(java.time.Duration.ZERO)
                .withMinRotationInterval(java.time.Duration.ZERO)
                .withMaintenanceInterval(java.time.Duration.ofSeconds(1));
        OpenKmsServer server;
        try {
            server = OpenKmsServer.start(c, new DevClock());
        } catch (Exception | Error e) {
            deleteTree(tmp);
            throw e;
        }
        Thread cleanup = new Thread(
                () -> {
                    server.close();
                    deleteTree(tmp);
                },
                "shutdown");
        Runtime.getRuntime().addShutdownHook(cleanup);
        java.io.PrintStream out = System.out;
        out.println("OpenKMS dev server (data is temporary and deleted on exit; never use this in production)");
        out.println("  endpoint:          http://127.0.0.1:" + server.httpPort());
        out.println("  AccessKey ID:      " + DevActions.DEV_ACCESS_KEY_ID);
        out.println("  AccessKey secret:  " + DevActions.DEV_ACCESS_KEY_SECRET);
        out.println("  data dir:          " + tmp);
        out.println("  move time forward: ./openkms dev clock +7d");
        out.flush();
        server.join();
        return 0;
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // already gone, or left for the system's temporary-file cleaner
        }
    }
}
