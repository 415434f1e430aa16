package org.openkms.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openkms.wire.RequestSigner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code openkms bench}: a load generator that signs every request as the official SDKs do (ACS3 like the Java V2
 * SDK, or RPC HMAC-SHA1 like the V1 SDK) and sends it over N keep-alive connections, one thread each, for a duration
 * or a number of requests, after a warmup. It prints a live progress line on stderr and, at the end, throughput and
 * latency percentiles of the successful requests. {@code GET /healthz} is measured first over the same connections
 * (the HTTP floor, {@link FloorRequest}), then each action; the closing {@link SummaryTable} gives each as a ratio to
 * the floor, with the server's CPU per request when the server is a local process ({@link ServerCpu}).
 *
 * <p>The generator is built to be cheap (raw sockets, reused buffers, per-connection histograms; see
 * {@link HttpConnection}) because it runs on the same few cores as the server it measures.
 *
 * <p>Exit status: 0 when at least one request succeeded, 1 when every request failed, 2 for usage or setup errors.
 */
@Command(
        name = "openkms bench",
        mixinStandardHelpOptions = true,
        version = "openkms-bench 0.1.0",
        sortOptions = false,
        description = "Load-test an OpenKMS (or any Alibaba Cloud KMS API) endpoint with SDK-signed requests.",
        footer = {
            "",
            "Examples:",
            "  ./openkms bench --duration 10s",
            "  ./openkms bench --action Decrypt -c 32 -n 500000 --signature rpc --json",
            "  ./openkms bench --action Encrypt,Encrypt-AsRamUser   # root, then a RAM user"
        })
public final class BenchMain implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--endpoint",
            defaultValue = "http://127.0.0.1:8080",
            description = "server URL (default: ${DEFAULT-VALUE})")
    String endpoint;

    @Option(
            names = "--instance-endpoint",
            defaultValue = "https://127.0.0.1:8444",
            description = "the KMS instance gateway, for InstanceEncrypt and InstanceDecrypt; its certificate is"
                    + " checked against the instance CA the server reports (default: ${DEFAULT-VALUE})")
    String instanceEndpoint;

    @Option(
            names = "--agent-endpoint",
            defaultValue = "http://127.0.0.1:2025",
            description = "the local agent, for AgentGetSecretValue (default: ${DEFAULT-VALUE})")
    String agentEndpoint;

    @Option(names = "--agent-token", description = "the agent's token: a value or file://PATH (default: $KMS_TOKEN)")
    String agentToken;

    @Option(
            names = "--access-key-id",
            description = "AccessKey ID (default: $OPENKMS_ACCESS_KEY_ID, else <data-dir>/root-credentials)")
    String accessKeyId;

    @Option(
            names = "--access-key-secret",
            description = "AccessKey secret (default: $OPENKMS_ACCESS_KEY_SECRET, else <data-dir>/root-credentials)")
    String accessKeySecret;

    @Option(
            names = "--data-dir",
            defaultValue = "./openkms-data",
            description = "server data directory holding root-credentials (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(
            names = "--action",
            defaultValue = "Encrypt",
            description = "request(s) to send, comma-separated, each measured in turn: "
                    + "${COMPLETION-CANDIDATES}; an OpenAPI action with -AsRamUser appended (Encrypt-AsRamUser) is"
                    + " signed by a throw-away RAM user allowed that action only, and compared with the same action"
                    + " run before it as root (x root), e.g. Encrypt,Encrypt-AsRamUser (default: ${DEFAULT-VALUE})",
            completionCandidates = ActionNames.class)
    String action;

    @Option(
            names = {"-c", "--connections"},
            defaultValue = "16",
            description = "concurrent keep-alive connections, one thread each (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(
            names = {"-d", "--duration"},
            converter = DurationConverter.class,
            description = "how long to measure, e.g. 10s, 2m (default: 10s)")
    Duration duration;

    @Option(
            names = {"-n", "--requests"},
            description = "measure this many requests instead of a duration")
    Long requests;

    @Option(
            names = "--warmup",
            defaultValue = "auto",
            converter = Warmup.Converter.class,
            description =
                    "unmeasured load before measuring each load: a time (10s; 0 for none) or auto, at least 5 s and"
                            + " then until the server's CPU per request is steady, at most 60 s (default: ${DEFAULT-VALUE})")
    Warmup warmup;

    @Option(
            names = "--key-id",
            description = "key to use (default: create a fresh Aliyun_AES_256 key, scheduled for deletion afterwards)")
    String keyId;

    @Option(names = "--keep-key", description = "do not schedule the deletion of the key the bench created")
    boolean keepKey;

    @Option(
            names = "--plaintext-size",
            defaultValue = "256",
            description = "plaintext bytes for Encrypt/Decrypt (default: ${DEFAULT-VALUE})")
    int plaintextSize;

    @Option(
            names = "--signature",
            defaultValue = "acs3",
            description = "signature scheme: acs3 (Java V2 SDK) or rpc (HMAC-SHA1, V1 SDK) (default: ${DEFAULT-VALUE})")
    SignatureScheme signature;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "connect and read timeout (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--insecure", description = "https: accept any server certificate (the default one is self-signed)")
    boolean insecure;

    @Option(
            names = "--as-ram-user",
            description = "sign the load as a new RAM user whose policy allows only the action on the bench's resource "
                    + "(created with the given root AccessKey through the RAM API, removed afterwards), to measure"
                    + " authorisation cost; one --action only: the same as writing it <Action>-AsRamUser")
    boolean asRamUser;

    @Option(
            names = "--http2",
            description = "send the load over HTTP/2 (h2 through ALPN for https, h2c by prior knowledge for http),"
                    + " one request at a time per connection, floor included; set-up calls stay on HTTP/1.1")
    boolean http2;

    @Option(
            names = "--rounds",
            defaultValue = "1",
            description = "measure the floor and every load this many times, in turn; rounds after the first warm each"
                    + " load for " + ROUND_WARMUP_SECONDS + " s. The summary then gives each load's median over the"
                    + " rounds, its x floor against its own round's floor, and the range: a busy neighbour on a shared"
                    + " machine then weighs on the floor and the loads alike (default: ${DEFAULT-VALUE})")
    int rounds;

    /** Each AsymmetricSign load's rate over the JDK's own signing rate, one per round, by the load's description. */
    private final Map<String, List<Double>> jdkRatios = new java.util.LinkedHashMap<>();

    /** The warm-up of every load after the first round: the JIT has compiled the code already. */
    static final int ROUND_WARMUP_SECONDS = 2;

    @Option(names = "--no-floor", description = "do not measure GET /healthz (the HTTP floor) before the actions")
    boolean noFloor;

    @Option(
            names = "--server-pid",
            description = "server process whose CPU time to read from /proc (default: the process "
                    + "listening on the endpoint's port, when it is on this machine)")
    Long serverPid;

    @Option(
            names = "--json",
            description = "print the result as one JSON line on stdout (the readable report goes to stderr)")
    boolean json;

    @Option(
            names = "--rate",
            description = "open loop: send at this fixed rate (req/s over all connections) and measure latency from"
                    + " the intended send time (no coordinated omission); or P%% to measure each action closed-loop"
                    + " first, then open-loop at P%% of the rate it reached (e.g. 70%%)")
    String rate;

    @Option(names = "--no-progress", description = "no live progress line")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    /** The run's symmetric key ({@code --key-id} or made by the bench), and whether the bench made it. */
    private String benchKey;

    private boolean createdBenchKey;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** For {@code ${COMPLETION-CANDIDATES}}. */
    static final class ActionNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Scenarios.names().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        PrintStream report = json ? System.err : System.out;

        // ---- validate options
        if (connections < 1) {
            throw usage("--connections must be at least 1");
        }
        if (rounds < 1) {
            throw usage("--rounds must be at least 1");
        }
        if (duration != null && requests != null) {
            throw usage("--duration and --requests exclude each other");
        }
        if (requests != null && requests < 1) {
            throw usage("--requests must be at least 1");
        }
        if (duration == null && requests == null) {
            duration = Duration.ofSeconds(10);
        }
        if (duration != null && duration.isZero()) {
            throw usage("--duration must be more than 0");
        }
        if (plaintextSize < 1) {
            throw usage("--plaintext-size must be at least 1");
        }
        Pacing pacing;
        try {
            pacing = Pacing.parse(rate);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        List<Load> loads = new ArrayList<>();
        Endpoint target;
        try {
            for (String a : action.split(",")) {
                if (!a.isBlank()) {
                    loads.add(Load.parse(a.trim()));
                }
            }
            target = Endpoint.parse(endpoint, insecure);
            if (http2) {
                target = target.withHttp2();
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (loads.isEmpty()) {
            throw usage("--action names no action");
        }
        if (asRamUser) { // the single action, as if written <Action>-AsRamUser
            if (loads.size() > 1) {
                throw usage("--as-ram-user takes one --action (or suffix each action: Encrypt,Encrypt"
                        + Load.RAM_USER_SUFFIX + ")");
            }
            loads.set(0, new Load(loads.get(0).scenario(), true));
        }
        for (Load load : loads) {
            if (load.ramUser()
                    && (load.scenario() instanceof InstanceScenario || load.scenario() instanceof AgentScenario)) {
                throw usage(Load.RAM_USER_SUFFIX + " and --as-ram-user apply to the OpenAPI actions only, not "
                        + load.scenario().action());
            }
        }
        List<Scenario> scenarios = loads.stream().map(Load::scenario).toList();
        Credentials credentials;
        try {
            credentials = Credentials.resolve(accessKeyId, accessKeySecret, System.getenv(), dataDir);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage()); // the full usage text would only bury the advice
            return 2;
        }
        ServerCpu server = serverPid != null ? new ServerCpu(serverPid) : ServerCpu.find(target);
        RequestSigner signer = new RequestSigner(credentials.accessKeyId(), credentials.accessKeySecret());
        SignedRequestEncoder encoder = new SignedRequestEncoder(signer, signature, target.hostHeader());

        // ---- setup: connect, key, scenario data, one probe request
        try (ApiClient api = new ApiClient(encoder, new HttpConnection(target, timeoutMillis))) {
            try {
                api.call("DescribeRegions", Map.of()); // cheap reachability + credential check
            } catch (ApiClient.ApiException e) {
                if (!e.body().contains("InvalidAction")) { // a server without DescribeRegions is fine
                    err.println("bench: the server rejected the bench's credentials or request: " + e.getMessage());
                    return 2;
                }
            } catch (IOException e) {
                err.println("bench: cannot reach " + target + ": " + e
                        + (e instanceof javax.net.ssl.SSLException && !insecure
                                ? " (--insecure accepts the server's self-signed certificate)"
                                : ""));
                return 2;
            }
            Endpoint to = target;
            RamUsers ramUsers = new RamUsers(() -> new ApiClient(
                    new SignedRequestEncoder(signer, SignatureScheme.RPC, to.hostHeader()),
                    new HttpConnection(to, timeoutMillis)));
            List<Measured> runs = new ArrayList<>();
            List<String> references = new ArrayList<>();
            // Whatever happens from here (a failed setup step, a failed probe, an exception, an interrupt), the
            // RAM users and the key are removed before the bench returns.
            try {
                int status = setUpAndMeasure(
                        api, ramUsers, loads, encoder, target, server, pacing, timeoutMillis, runs, references);
                if (status != 0) {
                    return status;
                }
            } finally {
                ramUsers.close();
                cleanup(api, scenarios, benchKey, createdBenchKey, err);
            }

            for (Measured m : runs) {
                printReport(report, m.label() + (rounds > 1 ? ", round " + m.round() : ""), m.endpoint(), m.result());
            }
            SummaryTable.print(report, runs, noFloor, server != null);
            if (rounds > 1) {
                SummaryTable.printMedians(report, runs, noFloor, rounds);
            }
            references.forEach(report::println);
            if (json) {
                for (Measured m : runs) {
                    System.out.println(toJson(m, SummaryTable.floorOf(runs, m.round(), noFloor)));
                }
                System.out.flush();
            }
            return runs.stream().anyMatch(m -> m.result().ok() == 0) ? 1 : 0;
        }
    }

    /**
     * Everything between the reachability check and the report: the key, each scenario's data, the RAM users, one
     * probe per load, then the floor and the loads in order. Cleanup is the caller's.
     *
     * @return 0 when {@code runs} holds the measurements, else the exit status of a failed setup
     */
    private int setUpAndMeasure(
            ApiClient api,
            RamUsers ramUsers,
            List<Load> loads,
            SignedRequestEncoder encoder,
            Endpoint target,
            ServerCpu server,
            Pacing pacing,
            int timeoutMillis,
            List<Measured> runs,
            List<String> references)
            throws InterruptedException {
        PrintStream err = System.err;
        benchKey = keyId;
        try {
            boolean needsKey = loads.stream().anyMatch(l -> l.scenario().needsSymmetricKey());
            if (needsKey && benchKey == null) {
                JsonNode created = api.call(
                        "CreateKey",
                        Map.of(
                                "KeySpec",
                                "Aliyun_AES_256",
                                "KeyUsage",
                                "ENCRYPT/DECRYPT",
                                "Description",
                                "openkms bench"));
                benchKey = ApiClient.field(created, "KeyMetadata", "KeyId");
                createdBenchKey = true;
            }
            for (Load load : loads) {
                Scenario scenario = load.scenario();
                String k = scenario.needsSymmetricKey() ? benchKey : null;
                scenario.prepare(new SetupContext(
                        api, k, plaintextSize, instanceEndpoint, agentEndpoint, agentToken, timeoutMillis));
            }
        } catch (IOException e) {
            err.println("bench: setup failed: " + e.getMessage());
            return 2;
        }
        for (Load load : loads) {
            if (!load.ramUser()) {
                load.encoder = encoder;
                continue;
            }
            Scenario scenario = load.scenario();
            try {
                RamUserPrincipal user =
                        ramUsers.create(scenario.ramGrants(scenario.needsSymmetricKey() ? benchKey : null));
                load.encoder = new SignedRequestEncoder(
                        new RequestSigner(user.accessKeyId(), user.accessKeySecret()), signature, target.hostHeader());
                err.println("bench: signing " + scenario.describe() + " as RAM user " + user.userName() + " (AccessKey "
                        + user.accessKeyId() + ")");
            } catch (IOException e) {
                err.println(
                        "bench: cannot set up the RAM user (does the server serve the RAM API?): " + e.getMessage());
                return 2;
            }
        }
        for (Load load : loads) {
            Scenario scenario = load.scenario();
            try {
                probe(scenario, load.encoder, scenario.target(target), timeoutMillis);
            } catch (IOException e) {
                err.println("bench: the first " + load.label() + " request failed, not starting the load: "
                        + e.getMessage());
                return 1;
            }
        }
        err.printf(
                Locale.ROOT,
                "bench: %s -> %s, %d connection%s, %s, %s%s each%s%n",
                (noFloor ? "" : "GET /healthz (floor), ")
                        + String.join(", ", loads.stream().map(Load::label).toList()),
                target,
                connections,
                connections == 1 ? "" : "s",
                signature.label(),
                warmup.none() ? "" : warmup.describe() + " + ",
                duration != null ? DurationText.of(duration) : String.format(Locale.ROOT, "%,d requests", requests),
                benchKey == null ? "" : ", key " + benchKey + (createdBenchKey ? " (new)" : ""));
        err.println(
                server == null
                        ? "bench: server CPU not measured (" + target
                                + " is not a loopback server whose process this user can read; --server-pid names it)"
                        : "bench: server CPU read from /proc/" + server.pid() + "/stat");

        for (int round = 1; round <= rounds; round++) {
            Warmup w = round == 1 || warmup.none() ? warmup : Warmup.fixed(Duration.ofSeconds(ROUND_WARMUP_SECONDS));
            measureRound(round, w, new RoundPlan(loads, target, server, pacing, timeoutMillis), runs, references);
        }
        if (rounds > 1) {
            jdkRatios.forEach((load, ratios) -> references.add(String.format(
                    Locale.ROOT,
                    "%s: median %.2f x the JDK's own signing rate over %d rounds (%.2f-%.2f)",
                    load,
                    SummaryTable.median(
                            ratios.stream().mapToDouble(Double::doubleValue).toArray()),
                    ratios.size(),
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0))));
        }
        return 0;
    }

    /**
     * The floor, then each load, once: appended to {@code runs}, marked with {@code round}.
     *
     * @param references where the AsymmetricSign loads' JDK comparisons go (measured after the load in every round)
     */
    private void measureRound(int round, Warmup w, RoundPlan plan, List<Measured> runs, List<String> references)
            throws InterruptedException {
        PrintStream err = System.err;
        List<Load> loads = plan.loads();
        Endpoint target = plan.target();
        ServerCpu server = plan.server();
        Pacing pacing = plan.pacing();
        int timeoutMillis = plan.timeoutMillis();
        // The floor runs first, over the same connections and concurrency: every action's rate is then also
        // given as a share of what the HTTP stack alone does on this machine at this moment.
        if (!noFloor) {
            byte[] health = FloorRequest.bytes(target.hostHeader());
            LoadRun.RequestWriter writer = (n, out) -> out.reset().bytes(health, 0, health.length);
            double fixed = pacing.fixedRate();
            runs.add(new Measured(
                    "GET /healthz (floor)" + Pacing.label(fixed),
                    "healthz",
                    measure(writer, server, target, timeoutMillis, err, fixed, null, w),
                    fixed,
                    target,
                    false,
                    null,
                    round));
        }
        // A root load measured closed-loop, by description: the reference of a RAM-user load of the same scenario
        // that follows it (x root).
        Map<String, Measured> rootLoads = new java.util.HashMap<>();
        for (Load load : loads) {
            Scenario scenario = load.scenario();
            String act = scenario.action();
            LoadRun.RequestWriter writer = scenario.writer(load.encoder);
            Endpoint to = scenario.target(target);
            // The process whose CPU the request costs: the agent's for the agent load, else the server's.
            ServerCpu cpu = serverPid != null || to == target ? server : ServerCpu.find(to);
            double fixed = pacing.fixedRate();
            BenchResult first = measure(writer, cpu, to, timeoutMillis, err, fixed, scenario.bodyMustContain(), w);
            Measured measured = new Measured(
                    load.label() + Pacing.label(fixed),
                    act,
                    first,
                    fixed,
                    to,
                    load.ramUser(),
                    load.ramUser() && fixed == 0 ? rootLoads.get(scenario.describe()) : null,
                    round);
            runs.add(measured);
            if (!load.ramUser() && fixed == 0) {
                rootLoads.put(scenario.describe(), measured);
            }
            if (scenario instanceof AsymmetricScenarios.Sign sign && sign.jdkComparableSpec() != null) {
                references.add((rounds > 1 ? "round " + round + ": " : "") + jdkReference(sign, first, err));
            }
            double share = pacing.shareOfPeak();
            if (share > 0 && first.throughput() > 0) {
                double r = share * first.throughput();
                runs.add(new Measured(
                        load.label() + Pacing.label(r),
                        act,
                        measure(writer, cpu, to, timeoutMillis, err, r, scenario.bodyMustContain(), w),
                        r,
                        to,
                        load.ramUser(),
                        null,
                        round));
            }
        }
    }

    /** What every round measures: the loads, where, whose CPU, at which pacing, with which timeout. */
    record RoundPlan(List<Load> loads, Endpoint target, ServerCpu server, Pacing pacing, int timeoutMillis) {}

    /**
     * One {@code --action} item: the scenario, and whether a throw-away RAM user signs it ({@code <Action>-AsRamUser},
     * or {@code --as-ram-user}) rather than the bench's AccessKey. The encoder is set during setup.
     */
    static final class Load {
        static final String RAM_USER_SUFFIX = "-AsRamUser";
        private final Scenario scenario;
        private final boolean ramUser;
        SignedRequestEncoder encoder;

        Load(Scenario scenario, boolean ramUser) {
            this.scenario = scenario;
            this.ramUser = ramUser;
        }

        /**
         * {@code Encrypt}, {@code Encrypt-AsRamUser}, {@code AsymmetricSign-EC_P256-AsRamUser}: the suffix (any
         * case) is taken off before the scenario name, whose own {@code -SPEC} suffix is the registry's business.
         *
         * @throws IllegalArgumentException for an unknown action
         */
        static Load parse(String item) {
            String lower = item.toLowerCase(Locale.ROOT);
            boolean ram = lower.endsWith(RAM_USER_SUFFIX.toLowerCase(Locale.ROOT));
            String name = ram ? item.substring(0, item.length() - RAM_USER_SUFFIX.length()) : item;
            return new Load(Scenarios.create(name), ram);
        }

        Scenario scenario() {
            return scenario;
        }

        boolean ramUser() {
            return ramUser;
        }

        /** The scenario's description, plus {@code as RAM user}. */
        String label() {
            return scenario.describe() + (ramUser ? " as RAM user" : "");
        }
    }

    /**
     * AsymmetricSign against what the JDK signs alone: measured right after the load, with as many threads as the
     * load's connections could keep busy (at most the cores), for the load's measuring time.
     */
    private String jdkReference(AsymmetricScenarios.Sign sign, BenchResult load, PrintStream err) {
        String spec = sign.jdkComparableSpec();
        int threads = Math.min(connections, Runtime.getRuntime().availableProcessors());
        // With --requests the load had no fixed time: as long as it took, within 1-5 s.
        Duration time = duration != null
                ? duration
                : Duration.ofMillis(Math.max(1_000, Math.min(5_000, (long) (load.seconds() * 1000))));
        err.printf(Locale.ROOT, "bench: the JDK's own signing rate for %s, %d threads, %s%n", spec, threads, time);
        try {
            double rate = JdkSigningRate.measure(spec, threads, time);
            jdkRatios.computeIfAbsent(sign.describe(), k -> new ArrayList<>()).add(load.throughput() / rate);
            return JdkSigningRate.line(sign.describe(), load.throughput(), spec, threads, rate);
        } catch (java.security.GeneralSecurityException e) {
            return sign.describe() + ": the JDK's signing rate could not be measured: " + e.getMessage();
        }
    }

    /**
     * One measured load: a label for the report, the action name for JSON, the result, the open-loop rate it was
     * sent at (0: closed loop), where it went, whether a RAM user signed it, and for a RAM user's closed-loop load
     * the root's closed-loop load of the same scenario measured before it in the run (else null).
     */
    record Measured(
            String label,
            String action,
            BenchResult result,
            double targetRate,
            Endpoint endpoint,
            boolean ramUser,
            Measured root,
            int round) {

        /** This load's req/s over the root load's, or NaN without one. */
        double xRoot() {
            return root == null || root.result().throughput() <= 0
                    ? Double.NaN
                    : result.throughput() / root.result().throughput();
        }
    }

    private BenchResult measure(
            LoadRun.RequestWriter writer,
            ServerCpu server,
            Endpoint target,
            int timeoutMillis,
            PrintStream err,
            double ratePerSecond,
            String bodyMustContain,
            Warmup w)
            throws InterruptedException {
        LoadRun run = new LoadRun(
                writer,
                server,
                target,
                connections,
                timeoutMillis,
                w,
                duration,
                requests == null ? 0 : requests,
                noProgress ? null : err,
                ratePerSecond,
                bodyMustContain);
        return run.run();
    }

    /** One request as the load sends it, on a connection of its own: a setup mistake stops the bench early. */
    private static void probe(Scenario scenario, SignedRequestEncoder encoder, Endpoint to, int timeoutMillis)
            throws IOException {
        try (BenchConnection c = BenchConnection.open(to, timeoutMillis)) {
            RequestBuffer request = new RequestBuffer();
            scenario.writer(encoder).write(new NonceSource(), request);
            int status = c.exchange(request);
            String expected = scenario.bodyMustContain();
            if (status != 200) {
                throw new IOException("HTTP " + status + ": " + c.bodyString());
            }
            if (expected != null && !c.bodyString().contains(expected)) {
                throw new IOException("a 200 without " + expected + ": " + c.bodyString());
            }
        }
    }

    private void cleanup(ApiClient api, List<Scenario> scenarios, String key, boolean created, PrintStream err) {
        for (Scenario s : scenarios) {
            try {
                s.cleanup(api);
            } catch (IOException | RuntimeException e) {
                err.println("bench: could not clean up after " + s.action() + ": " + e.getMessage());
            }
        }
        if (!created || keepKey) {
            return;
        }
        try {
            api.call("ScheduleKeyDeletion", Map.of("KeyId", key, "PendingWindowInDays", "7"));
        } catch (IOException e) {
            err.println("bench: could not schedule the deletion of key " + key + ": " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    // ---------------------------------------------------------------- output

    /** The instance API scenarios sign with a ClientKey whatever {@code --signature} says. */
    private String signing(String action, boolean forJson) {
        if (action.startsWith("Instance")) {
            return forJson ? "clientkey" : "ClientKey SHA256withRSA";
        }
        if (action.startsWith("Agent")) {
            return forJson ? "agent-token" : "X-KMS-Token";
        }
        return forJson ? signature.cliName() : signature.label();
    }

    void printReport(PrintStream out, String label, Endpoint target, BenchResult r) {
        LatencyStats l = r.latency();
        out.printf(Locale.ROOT, "%s  %s  %d connections  %s%n", label, signing(label, false), connections, target);
        out.printf(
                Locale.ROOT,
                "  requests    %,d  (ok %,d, errors %,d: %,d non-200, %,d transport)%n",
                r.requests(),
                r.ok(),
                r.errors(),
                r.httpErrors(),
                r.transportErrors());
        out.printf(
                Locale.ROOT,
                "  duration    %.2f s%s%n",
                r.seconds(),
                r.warmupNanos() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                " (after %.0f s warmup%s)",
                                r.warmupNanos() / 1e9,
                                warmup.adaptive() ? (r.steady() ? ", steady" : ", not steady") : ""));
        out.printf(Locale.ROOT, "  throughput  %,.0f req/s%n", r.throughput());
        out.printf(
                Locale.ROOT,
                "  latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (mean %.3f)%n",
                l.p50Ms(),
                l.p90Ms(),
                l.p99Ms(),
                l.p999Ms(),
                l.maxMs(),
                l.meanMs());
        if (r.benchCpuCores() >= 0) {
            out.printf(
                    Locale.ROOT,
                    "  bench CPU   %.2f cores, %.1f us/request%n",
                    r.benchCpuCores(),
                    r.benchCpuMicrosPerRequest());
        }
        if (r.serverCpuCores() >= 0) {
            out.printf(
                    Locale.ROOT,
                    "  server CPU  %.2f cores, %.1f us/request%n",
                    r.serverCpuCores(),
                    r.serverCpuMicrosPerRequest());
        }
        if (r.connects() > connections) {
            out.printf(Locale.ROOT, "  reconnects  %,d%n", r.connects() - connections);
        }
        out.printf(
                Locale.ROOT,
                "  client      %s %s (%s), %d cores%n",
                System.getProperty("java.vm.name"),
                Runtime.version(),
                System.getProperty("java.vendor"),
                Runtime.getRuntime().availableProcessors());
        if (r.firstError() != null) {
            out.println("  first error " + r.firstError());
        }
        out.flush();
    }

    String toJson(Measured m, BenchResult floor) throws JsonProcessingException {
        String actionName = m.action();
        Endpoint target = m.endpoint();
        BenchResult r = m.result();
        double targetRate = m.targetRate();
        LatencyStats l = r.latency();
        ObjectNode n = JSON.createObjectNode();
        n.put("action", actionName);
        n.put("mode", targetRate > 0 ? "open-loop" : "closed-loop");
        if (targetRate > 0) {
            n.put("targetRate", round(targetRate, 1));
        }
        n.put("signature", signing(actionName, true));
        n.put("ramUser", m.ramUser());
        n.put("endpoint", target.toString());
        n.put("connections", connections);
        n.put("requests", r.requests());
        n.put("ok", r.ok());
        n.put("errors", r.errors());
        n.put("httpErrors", r.httpErrors());
        n.put("transportErrors", r.transportErrors());
        n.put("durationSeconds", round(r.seconds(), 3));
        n.put("warmupSeconds", round(r.warmupNanos() / 1e9, 3));
        if (warmup.adaptive()) {
            n.put("warmupSteady", r.steady());
        }
        n.put("throughput", round(r.throughput(), 1));
        ObjectNode lat = n.putObject("latencyMs");
        lat.put("p50", l.p50Ms());
        lat.put("p90", l.p90Ms());
        lat.put("p99", l.p99Ms());
        lat.put("p999", l.p999Ms());
        lat.put("max", l.maxMs());
        lat.put("mean", round(l.meanMs(), 3));
        if (r.benchCpuCores() >= 0) {
            n.put("benchCpuCores", round(r.benchCpuCores(), 3));
            n.put("benchCpuMicrosPerRequest", round(r.benchCpuMicrosPerRequest(), 2));
        }
        if (r.serverCpuCores() >= 0) {
            n.put("serverCpuCores", round(r.serverCpuCores(), 3));
            n.put("serverCpuMicrosPerRequest", round(r.serverCpuMicrosPerRequest(), 2));
        }
        n.put("round", m.round());
        if (floor != null && floor.throughput() > 0) {
            n.put("floorRatio", round(r.throughput() / floor.throughput(), 3));
        }
        if (!Double.isNaN(m.xRoot())) {
            n.put("xRoot", round(m.xRoot(), 3));
        }
        n.put("connects", r.connects());
        n.put("jdk", Runtime.version().toString());
        n.put("jvm", System.getProperty("java.vm.name"));
        n.put("cores", Runtime.getRuntime().availableProcessors());
        if (r.firstError() != null) {
            n.put("firstError", r.firstError());
        } else {
            n.putNull("firstError");
        }
        return JSON.writeValueAsString(n);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** {@code 10s}, {@code 1500ms}, {@code 2m}. */
    static final class DurationText {
        private DurationText() {}

        static String of(Duration d) {
            long ms = d.toMillis();
            if (ms % 60_000 == 0 && ms >= 60_000) {
                return ms / 60_000 + "m";
            }
            return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
    }

    private static final class SetupContext implements Scenario.Setup {
        private static final SecureRandom RANDOM = new SecureRandom();
        private final ApiClient api;
        private final String keyId;
        private final int plaintextSize;
        private final String instanceEndpoint;
        private final String agentEndpoint;
        private final String agentToken;
        private final int timeoutMillis;

        SetupContext(
                ApiClient api,
                String keyId,
                int plaintextSize,
                String instanceEndpoint,
                String agentEndpoint,
                String agentToken,
                int timeoutMillis) {
            this.api = api;
            this.keyId = keyId;
            this.plaintextSize = plaintextSize;
            this.instanceEndpoint = instanceEndpoint;
            this.agentEndpoint = agentEndpoint;
            this.agentToken = agentToken;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public String agentEndpoint() {
            return agentEndpoint;
        }

        @Override
        public String agentToken() {
            return agentToken;
        }

        @Override
        public String instanceEndpoint() {
            return instanceEndpoint;
        }

        @Override
        public int timeoutMillis() {
            return timeoutMillis;
        }

        @Override
        public ApiClient api() {
            return api;
        }

        @Override
        public String keyId() {
            return keyId;
        }

        @Override
        public int plaintextSize() {
            return plaintextSize;
        }

        @Override
        public byte[] randomBytes(int n) {
            byte[] b = new byte[n];
            RANDOM.nextBytes(b);
            return b;
        }
    }
}
