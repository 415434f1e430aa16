package org.openkms.server;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.openkms.core.Account;
import org.openkms.core.Ids;
import org.openkms.core.KmsSettings;
import org.openkms.core.audit.AuditRecord;
import org.openkms.core.audit.AuditSink;
import org.openkms.core.error.StorageException;
import org.openkms.core.iam.Authorizer;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.Decision;
import org.openkms.core.iam.IamService;
import org.openkms.core.iam.PolicyDocuments;
import org.openkms.core.instance.InstanceRecord;
import org.openkms.core.instance.Instances;
import org.openkms.core.secret.RamAccessKeys;
import org.openkms.core.secret.SecretMaintenance;
import org.openkms.core.secret.SecretRotation;
import org.openkms.core.service.Kms;
import org.openkms.core.store.ChangeFeed;
import org.openkms.core.store.Storage;
import org.openkms.crypto.rootkey.RootKeyProvider;
import org.openkms.server.actions.Actions;
import org.openkms.server.actions.InstanceActions;
import org.openkms.server.actions.ram.RamActions;
import org.openkms.server.actions.sts.StsActions;
import org.openkms.server.actions.trail.ActionTrailActions;
import org.openkms.server.audit.AuditLogReader;
import org.openkms.server.audit.JsonLinesAuditLog;
import org.openkms.server.auth.Authenticator;
import org.openkms.server.auth.RootCredentials;
import org.openkms.server.auth.StsTokens;
import org.openkms.server.config.ConfigChecks;
import org.openkms.server.config.ConfigException;
import org.openkms.server.config.ConfigLoader;
import org.openkms.server.config.InstanceListener;
import org.openkms.server.config.ServerConfig;
import org.openkms.server.dev.DevActions;
import org.openkms.server.dev.DevClock;
import org.openkms.server.gateway.ApiProduct;
import org.openkms.server.gateway.Gateway;
import org.openkms.server.http.ConnectorRouter;
import org.openkms.server.http.ConsoleHandler;
import org.openkms.server.http.GatewayHandler;
import org.openkms.server.http.HttpServerFactory;
import org.openkms.server.http.TlsMaterial;
import org.openkms.server.iam.IamContext;
import org.openkms.server.iam.IdentityResources;
import org.openkms.server.iam.KmsResources;
import org.openkms.server.instance.InstanceHandler;
import org.openkms.server.metrics.ServerMetrics;
import org.openkms.server.rotation.Rotators;
import org.openkms.server.throttle.Throttle;
import org.openkms.storage.StorageFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running OpenKMS server: storage, root key, domain core, gateway, Jetty and the maintenance job, wired from
 * a {@link ServerConfig}. Used by {@code openkms server} and, in-process on free ports, by the tests.
 */
public final class OpenKmsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenKmsServer.class);
    private final Storage storage;
    /** Other nodes' writes, pushed (PostgreSQL); null on SQLite or with storage.cacheListen off. */
    private final ChangeFeed feed;

    private final JsonLinesAuditLog audit;
    /** Null when metrics are off. */
    private final ServerMetrics metrics;

    private final Server jetty;
    private final ScheduledExecutorService scheduler;
    private final Kms kms;
    private final TlsMaterial tls;
    private final String[] generatedRootKey;
    /** The data dir lock (and an outside SQLite file's), held until {@link #close}. */
    private final List<AutoCloseable> locks;
    /** The default KMS instance (created on first start). */
    private final InstanceRecord instance;
    /** The configured further instances by label (each created the first time its label is seen). */
    private final java.util.Map<String, InstanceRecord> labelled;
    /** Request rate limits (no limits unless configured). */
    private final Throttle throttle;

    private OpenKmsServer(
            Storage storage,
            ChangeFeed feed,
            JsonLinesAuditLog audit,
            ServerMetrics metrics,
            Server jetty,
            ScheduledExecutorService scheduler,
            Kms kms,
            TlsMaterial tls,
            String[] generatedRootKey,
            List<AutoCloseable> locks,
            InstanceRecord instance,
            java.util.Map<String, InstanceRecord> labelled,
            Throttle throttle) {
        this.instance = instance;
        this.labelled = labelled;
        this.throttle = throttle;
        this.locks = locks;
        this.metrics = metrics;
        this.storage = storage;
        this.feed = feed;
        this.audit = audit;
        this.jetty = jetty;
        this.scheduler = scheduler;
        this.kms = kms;
        this.tls = tls;
        this.generatedRootKey = generatedRootKey;
    }

    /**
     * Starts a server, or fails with a {@link ConfigException} the operator can act on. The order matters: the
     * configuration is checked and the listening sockets are bound before anything is written, so a bad option
     * or a port in use leaves no data dir, root key or administrator AccessKey behind; the root key is opened
     * against the database (RootKeyGuard) before anything is sealed with it.
     */
    public static OpenKmsServer start(ServerConfig config) throws Exception {
        return start(config, null);
    }

    /**
     * A server whose keys and secrets live by {@code devClock} (dev mode, {@code openkms server --dev}): its time can
     * be moved forward by the administrator through the {@link DevActions} product, which only such a server has.
     * Signatures, tokens and the audit log keep the real time.
     */
    public static OpenKmsServer start(ServerConfig config, DevClock devClock) throws Exception {
        Path dataDir = config.dataDir().toAbsolutePath();
        ConfigChecks.validate(config);
        TlsMaterial tls = tlsMaterial(config, dataDir);
        Server jetty = HttpServerFactory.create(
                config.listen(), config.httpsListen(), tls, config.http(), config.http2Enabled());
        // The instance gateways' listeners, by label (null: the default instance's, --instance-listen).
        java.util.Map<String, org.eclipse.jetty.util.ssl.SslContextFactory.Server> instanceTls =
                new java.util.LinkedHashMap<>();
        if (config.instanceListen() != null && !config.instanceListen().isEmpty()) {
            instanceTls.put(
                    null, HttpServerFactory.addInstanceConnector(jetty, config.instanceListen(), config.http()));
        }
        for (InstanceListener i : config.instances()) {
            instanceTls.put(
                    i.name(),
                    HttpServerFactory.addInstanceConnector(
                            jetty, i.listen(), config.http(), HttpServerFactory.instanceConnector(i.name())));
        }
        Listeners.open(jetty, config);
        Clock clock = Clock.systemUTC();
        List<AutoCloseable> locks = new ArrayList<>();
        Storage storage = null;
        ChangeFeed feed = null;
        JsonLinesAuditLog audit = null;
        ServerMetrics metrics = null;
        try {
            if (config.metricsEnabled()) {
                metrics = new ServerMetrics(); // before the storage, whose connection pool reports to it
            }
            com.zaxxer.hikari.metrics.MetricsTrackerFactory poolMetrics =
                    metrics == null ? null : metrics.poolMetrics();
            Path sqliteFile = config.storageUrl() == null
                    ? dataDir.resolve("openkms.db")
                    : StorageFactory.sqliteFile(config.storageUrl());
            String storageOption = config.storageUrl() == null
                    ? "--data-dir " + dataDir
                    : "--storage-url " + StorageFactory.redact(config.storageUrl());
            if (sqliteFile == null) {
                storage = openStorage(
                        config.storageUrl(),
                        storageOption,
                        poolMetrics); // a database server: reached before the data dir is made
            }
            locks.add(DataDirLock.createAndLock(dataDir));
            if (sqliteFile != null) {
                Path db = sqliteFile.toAbsolutePath().normalize();
                // The database's own lock, whatever data dir names it: a second server pointed at this file with
                // --storage-url from another data dir must be refused too.
                locks.add(DataDirLock.lock(
                        db.resolveSibling(db.getFileName() + ".openkms-lock"),
                        "SQLite database " + db,
                        "give this server its own --storage-url"));
                storage = openStorage("jdbc:sqlite:" + db, storageOption, null);
            }
            if (metrics != null) {
                // Before anything uses storage, so that every storage call is timed (openkms_storage_operation).
                storage = metrics.timeStorage(storage);
            }
            RootKeyProvider rootKey = RootKeyGuard.open(dataDir.resolve("root.key"), storage, clock);
            try {
                tls.save();
            } catch (IOException e) {
                throw new ConfigException(
                        "--data-dir " + dataDir,
                        "cannot write the self-signed certificate (" + DataDirLock.reason(e) + ")");
            }
            CredentialStore credentials = new CredentialStore(storage.accessKeys(), rootKey, clock);
            String[] generated = RootCredentials.bootstrap(
                    credentials, dataDir, config.rootAccessKeyId(), config.rootAccessKeySecret());
            KmsSettings settings = KmsSettings.defaults()
                    .withMinKeyVersionInterval(config.minKeyVersionInterval())
                    .withMinRotationInterval(config.minRotationInterval());
            Kms kms = new Kms(
                    new Account(config.accountId(), config.region()),
                    storage,
                    rootKey,
                    settings,
                    devClock == null ? clock : devClock);
            Rotators.registerAll(kms.secrets().rotation());
            Path auditFile = dataDir.resolve("audit").resolve("audit.log");
            audit = new JsonLinesAuditLog(auditFile, config.audit());
            IamService iam = new IamService(kms.account(), storage.iam(), new PolicyDocuments(), clock);
            kms.secrets().rotation().registerAccessKeys(new RamAccessKeys(iam, credentials), config.ramSecretOverlap());
            StsTokens tokens = new StsTokens(rootKey);
            String uid = kms.account().uid();
            org.openkms.core.accesspoint.AccessPoints accessPoints =
                    new org.openkms.core.accesspoint.AccessPoints(kms.account(), storage.accessPoints(), clock);
            IamContext context = new IamContext(
                    iam,
                    credentials,
                    tokens,
                    accessPoints,
                    new org.openkms.core.iam.OidcProviders(kms.account(), storage.iam(), clock),
                    clock);
            List<ApiProduct> products = new ArrayList<>(List.of(
                    new ApiProduct(
                            Gateway.API_VERSION,
                            "Kms",
                            "kms",
                            Actions.all(context),
                            new KmsResources(kms),
                            "Forbidden.NoPermission"),
                    new ApiProduct(
                            RamActions.VERSION,
                            "Ram",
                            "ram",
                            RamActions.registry(context),
                            new IdentityResources("ram", uid),
                            "NoPermission"),
                    new ApiProduct(
                            StsActions.VERSION,
                            "Sts",
                            "sts",
                            StsActions.registry(context),
                            new IdentityResources("sts", uid),
                            "NoPermission")));
            AuditSink[] dueSink = new AuditSink[1];
            SecretMaintenance secretJobs =
                    new SecretMaintenance(kms.secrets(), outcome -> auditRotation(dueSink[0], kms, outcome));
            if (devClock != null) {
                products.add(DevActions.product(devClock, ConfigLoader::duration, () -> {
                    kms.maintenance().runOnce();
                    secretJobs.run();
                }));
            }
            // ActionTrail's LookupEvents over this server's audit log (the console's audit viewer reads it).
            Map<String, String> services = new HashMap<>();
            for (ApiProduct p : products) {
                p.actions().all().keySet().forEach(a -> services.putIfAbsent(a, p.product()));
            }
            services.put("LookupEvents", "Actiontrail");
            products.add(ActionTrailActions.product(
                    new AuditLogReader(auditFile, ActionTrailActions.MAX_SCAN_BYTES),
                    services::get,
                    kms.account(),
                    clock));
            Instances instances = kms.instances();
            java.util.Map<String, InstanceRecord> labelled = new java.util.LinkedHashMap<>();
            InstanceRecord instance = bootstrapInstances(storage, instances, config, labelled);
            instances.configured(labelled.values().stream()
                    .map(InstanceRecord::instanceId)
                    .collect(java.util.stream.Collectors.toSet()));
            // Client keys are authorised by their application access point's policies, everyone else by RAM. On the
            // shared gateway (and the default instance's) a policy must be scoped to the default instance; on a
            // configured instance's gateway to that instance.
            java.util.function.Function<String, Authorizer> authorizerFor =
                    instanceId -> (principal, request) -> principal.clientKey()
                            ? accessPoints.allows(
                                            principal.accessKeyId(),
                                            request.sourceIp(),
                                            request.action()
                                                    .substring(request.action().indexOf(':') + 1),
                                            request.resource(),
                                            request.alias(),
                                            instanceId)
                                    ? Decision.ALLOW
                                    : Decision.IMPLICIT_DENY
                            : iam.decide(principal, request);
            Authorizer authorizer = authorizerFor.apply(instance.instanceId());
            // Request metrics are counted from the audit records (one per call), by a decorator of the sink.
            AuditSink sink = audit;
            dueSink[0] = audit;
            if (metrics != null) {
                sink = metrics.instrument(
                        audit,
                        products.stream()
                                .flatMap(p -> p.actions().all().keySet().stream())
                                .toList());
                metrics.bindAuditLog(audit);
                metrics.bindKeyCache(kms.keyCache());
                metrics.bindStorage(storage);
                metrics.bindJetty(jetty);
            }
            Throttle throttle = new Throttle(config.throttle(), System::nanoTime);
            if (metrics != null) {
                metrics.bindThrottle(throttle);
            }
            // ClientKeys sign on this gateway too (the Secrets Manager client's client_key credentials).
            Gateway gateway = new Gateway(
                    products,
                    new Authenticator(credentials, tokens, accessPoints, clock),
                    authorizer,
                    kms,
                    sink,
                    throttle);
            CacheCoherence coherence = new CacheCoherence(
                    storage,
                    List.of(kms::invalidateCaches, credentials::invalidateAll, iam::reload, accessPoints::reload));
            ServerMetrics scraped = metrics;
            // The web console's files are served on the OpenAPI listeners only (not the instance gateways').
            Handler openApi = new ConsoleHandler(
                    config.consoleEnabled(),
                    scraped == null
                            ? new GatewayHandler(gateway, config.http())
                            : new GatewayHandler(gateway, config.http(), scraped::scrape, ServerMetrics.CONTENT_TYPE));
            if (!instanceTls.isEmpty()) {
                // The same pipeline; its calls are counted as gateway="instance" (the audit log is the same one).
                AuditSink instanceSink = metrics == null
                        ? sink
                        : metrics.instrument(
                                audit,
                                java.util.stream.Stream.concat(
                                                InstanceActions.registry().all().keySet().stream(),
                                                products.stream().flatMap(p -> p.actions().all().keySet().stream()))
                                        .distinct()
                                        .toList(),
                                org.openkms.server.metrics.RequestMetrics.INSTANCE);
                java.util.Map<String, org.eclipse.jetty.server.Handler> byConnector = new java.util.HashMap<>();
                for (var served : instanceTls.entrySet()) {
                    String label = served.getKey();
                    InstanceRecord r = label == null ? instance : labelled.get(label);
                    List<String> names = label == null
                            ? config.instanceNames()
                            : config.instances().stream()
                                    .filter(i -> i.name().equals(label))
                                    .findFirst()
                                    .orElseThrow()
                                    .names();
                    // Each listener presents its own instance's certificate, signed by that instance's CA.
                    served.getValue().setKeyStore(instanceKeyStore(instances.tls(r.instanceId(), names)));
                    Gateway instanceGateway = gateway.with(authorizerFor.apply(r.instanceId()), instanceSink);
                    byConnector.put(
                            HttpServerFactory.instanceConnector(label),
                            new InstanceHandler(
                                    instanceGateway,
                                    accessPoints,
                                    clock,
                                    config.http(),
                                    // The KMS API with RAM signatures, limited to what an instance endpoint serves.
                                    new GatewayHandler(
                                            instanceGateway,
                                            config.http(),
                                            null,
                                            null,
                                            InstanceHandler.OPENAPI_ACTIONS,
                                            InstanceHandler::notServedHere),
                                    r.instanceId()));
                }
                jetty.setHandler(new ConnectorRouter(openApi, byConnector));
            } else {
                jetty.setHandler(openApi);
            }
            jetty.setStopTimeout(10_000);
            jetty.start();
            dueSink[0] = sink;
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "key-maintenance");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, config.maintenanceInterval().toMillis());
            // Several nodes may share the database: each run of a job takes the job's lock in the database, and a
            // node that finds it taken skips that run (Storage#runExclusive), so no key or secret is processed
            // twice at once. The jobs only ever act on what is due, so the next run on any node picks up the rest.
            scheduler.scheduleWithFixedDelay(
                    exclusive(storage, "key-maintenance", kms.maintenance()), period, period, TimeUnit.MILLISECONDS);
            long sync = config.effectiveCacheSyncInterval().toMillis();
            if (sync > 0) {
                scheduler.scheduleWithFixedDelay(coherence, sync, sync, TimeUnit.MILLISECONDS);
            }
            // Push in addition to the poll (see CacheCoherence); null on SQLite, which has no other nodes.
            feed = config.cacheListen() ? storage.changeFeed(coherence) : null;
            scheduler.scheduleWithFixedDelay(
                    exclusive(storage, "secret-maintenance", secretJobs), period, period, TimeUnit.MILLISECONDS);
            OpenKmsServer server = new OpenKmsServer(
                    storage, feed, audit, metrics, jetty, scheduler, kms, tls, generated, locks, instance, labelled,
                    throttle);
            LOG.info(
                    "OpenKMS listening: http={} https={} data-dir={} region={}",
                    server.httpPort(),
                    server.httpsPort(),
                    dataDir,
                    config.region());
            return server;
        } catch (Exception | Error e) {
            if (audit != null) {
                audit.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            try {
                jetty.stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            Listeners.close(jetty);
            if (feed != null) {
                feed.close();
            }
            if (storage != null) {
                storage.close();
            }
            closeAll(locks);
            throw e;
        }
    }

    /**
     * The operator's certificate, or the data dir's self-signed one (made in memory if new; written later). A
     * problem with the operator's files names the option whose file it is in (both, for a key that does not
     * belong to the certificate).
     */
    private static TlsMaterial tlsMaterial(ServerConfig config, Path dataDir) {
        if (config.tlsCertificate() != null) {
            String cert = "--tls-cert " + config.tlsCertificate();
            String key = "--tls-key " + config.tlsKey();
            try {
                return TlsMaterial.load(config.tlsCertificate(), config.tlsKey());
            } catch (TlsMaterial.InvalidMaterialException e) {
                String option = switch (e.source()) {
                    case CERTIFICATE -> cert;
                    case KEY -> key;
                    case PAIR -> cert + " " + key;
                };
                throw new ConfigException(option, e.getMessage());
            } catch (RuntimeException e) {
                throw new ConfigException(cert + " " + key, "cannot use them (" + e + ")");
            }
        }
        Path tlsDir = dataDir.resolve("tls");
        try {
            return TlsMaterial.prepareSelfSigned(tlsDir);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigException(
                    "--data-dir " + dataDir,
                    "the self-signed certificate in " + tlsDir + " cannot be read (" + e.getMessage()
                            + "); delete server.crt and server.key there to make a new one");
        }
    }

    /** Opens storage; a URL that leads nowhere is the operator's to fix, so it is a ConfigException. */
    private static Storage openStorage(
            String url, String option, com.zaxxer.hikari.metrics.MetricsTrackerFactory poolMetrics) {
        try {
            return StorageFactory.open(url, poolMetrics);
        } catch (StorageException | IllegalArgumentException e) {
            // The driver's own words ("Connection to host:5432 refused", "database x does not exist") say the most;
            // the wrappers around them repeat the URL the option already shows.
            Throwable root = e;
            Throwable sql = null;
            for (Throwable t = e; t != null; t = t.getCause()) {
                root = t;
                if (sql == null && t instanceof java.sql.SQLException) {
                    sql = t;
                }
            }
            String why = sql != null
                    ? sql.getMessage()
                    : root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
            String what = url.startsWith("jdbc:sqlite:")
                    ? "cannot open SQLite database " + url.substring("jdbc:sqlite:".length()) + ": "
                    : "";
            throw new ConfigException(option, what + StorageFactory.redact(why)); // driver messages may quote the URL
        }
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // releasing a lock: nothing else to do
            }
        }
    }

    /** Scheduled rotations have no API call to audit them, so the job writes their record itself. */
    private static void auditRotation(AuditSink audit, Kms kms, SecretRotation.Outcome o) {
        audit.record(new AuditRecord(
                System.currentTimeMillis(),
                Ids.newRequestId(),
                "",
                "system:secret-rotation",
                "RotateSecret",
                kms.account().secretArn(o.secretName()),
                "",
                o.failure() == null ? 200 : 409,
                o.failure() == null ? "OK" : "Rejected.RotationFailed",
                0,
                o.failure() == null ? "scheduled rotation to version " + o.versionId() : o.failure()));
    }

    /**
     * The default instance, created on first start, and each configured instance (into {@code labelled}), created
     * the first time its label is seen. Nodes starting together on one new PostgreSQL database take turns
     * (Storage#runExclusive), so that they create one instance per label, not one each.
     */
    private static InstanceRecord bootstrapInstances(
            Storage storage, Instances instances, ServerConfig config, java.util.Map<String, InstanceRecord> labelled)
            throws InterruptedException {
        InstanceRecord[] found = new InstanceRecord[1];
        for (int attempt = 0; found[0] == null; attempt++) {
            if (!storage.runExclusive("kms-instance-bootstrap", () -> {
                InstanceRecord d = instances.ensureDefault(config.instanceNames());
                for (InstanceListener i : config.instances()) {
                    labelled.put(i.name(), instances.ensureLabelled(i.name(), i.names()));
                }
                found[0] = d;
            })) {
                if (attempt > 600) {
                    throw new IllegalStateException("another node holds the instance bootstrap lock for a minute");
                }
                Thread.sleep(100);
            }
        }
        return found[0];
    }

    /** The instance gateway's TLS identity as Jetty takes it: one key entry, empty password, leaf then CA. */
    private static java.security.KeyStore instanceKeyStore(Instances.Tls t)
            throws GeneralSecurityException, IOException {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("instance", t.key(), new char[0], t.chain().toArray(new java.security.cert.X509Certificate[0]));
        return ks;
    }

    /** The bound KMS instance gateway port, or -1. */
    public int instancePort() {
        return connectorPort(HttpServerFactory.INSTANCE_CONNECTOR);
    }

    /** The bound port of the configured instance {@code label}'s gateway, or -1. */
    public int instancePort(String label) {
        return connectorPort(HttpServerFactory.instanceConnector(label));
    }

    private int connectorPort(String name) {
        for (var c : jetty.getConnectors()) {
            if (c instanceof ServerConnector sc && name.equals(sc.getName())) {
                return sc.getLocalPort();
            }
        }
        return -1;
    }

    /** The request rate limiter: its configuration and how many calls it refused. */
    public Throttle throttle() {
        return throttle;
    }

    /** The KMS instance this server is. */
    public String instanceId() {
        return instance.instanceId();
    }

    /** The id of the configured instance {@code label} (IllegalArgumentException when it is not configured). */
    public String instanceId(String label) {
        return labelledInstance(label).instanceId();
    }

    /** PEM of the CA of the configured instance {@code label}. */
    public String instanceCaPem(String label) {
        return labelledInstance(label).caCertificatePem();
    }

    private InstanceRecord labelledInstance(String label) {
        InstanceRecord r = labelled.get(label);
        if (r == null) {
            throw new IllegalArgumentException("no configured instance " + label);
        }
        return r;
    }

    /** PEM of the instance CA, which clients of the instance gateway trust (GetKmsInstance CaCertificateChainPem). */
    public String instanceCaPem() {
        return instance.caCertificatePem();
    }

    /** The Jetty server behind the listeners (tests watch its connections, e.g. which protocol they speak). */
    public Server jetty() {
        return jetty;
    }

    /** The bound plain-HTTP port, or -1. */
    public int httpPort() {
        return port(false);
    }

    /** The bound HTTPS port, or -1. */
    public int httpsPort() {
        return port(true);
    }

    private int port(boolean secure) {
        for (var c : jetty.getConnectors()) {
            if (c instanceof ServerConnector sc
                    && !HttpServerFactory.isInstanceConnector(sc.getName())
                    && (sc.getDefaultProtocol().startsWith("SSL") == secure)) {
                return sc.getLocalPort();
            }
        }
        return -1;
    }

    /** The certificate clients should trust for the HTTPS listener. */
    public Path tlsCertificate() {
        return tls.certificateFile();
    }

    /** The administrator AccessKey {id, secret} if this start generated it, else null. */
    public String[] generatedRootAccessKey() {
        return generatedRootKey;
    }

    public Kms kms() {
        return kms;
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Graceful stop: stop accepting, let in-flight requests finish, flush the audit log, close storage. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        if (feed != null) {
            feed.close(); // before storage closes, so that no cache reload runs against a closing pool
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly", e);
        }
        audit.close();
        if (metrics != null) {
            metrics.close();
        }
        storage.close();
        closeAll(locks);
    }

    /** Whether this node is receiving other nodes' writes as they commit (false: it relies on the poll). */
    public boolean listeningForChanges() {
        return feed != null && feed.listening();
    }

    /**
     * A scheduled job that runs only while no other node runs it. Never throws: an exception out of a task
     * scheduled with fixed delay would cancel all its later runs.
     */
    private static Runnable exclusive(Storage storage, String job, Runnable work) {
        return () -> {
            try {
                if (!storage.runExclusive(job, work)) {
                    LOG.debug("{} skipped: another node is running it", job);
                }
            } catch (RuntimeException e) {
                LOG.error("{} failed; will retry on the next run", job, e);
            }
        };
    }
}
