package org.openkms.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.openkms.core.Account;
import org.openkms.core.auth.Authorizer;
import org.openkms.core.audit.AuditRecord;
import org.openkms.core.service.Ids;
import org.openkms.core.service.Kms;
import org.openkms.core.service.SecretMaintenance;
import org.openkms.core.service.SecretRotation;
import org.openkms.server.rotation.Rotators;
import org.openkms.core.service.KmsSettings;
import org.openkms.core.store.Storage;
import org.openkms.crypto.rootkey.FileRootKeyProvider;
import org.openkms.crypto.rootkey.RootKeyProvider;
import org.openkms.server.actions.Actions;
import org.openkms.server.audit.JsonLinesAuditLog;
import org.openkms.server.auth.Authenticator;
import org.openkms.server.auth.CredentialStore;
import org.openkms.server.auth.RootCredentials;
import org.openkms.server.config.ServerConfig;
import org.openkms.server.gateway.ApiProduct;
import org.openkms.server.gateway.Gateway;
import org.openkms.server.actions.ram.RamActions;
import org.openkms.server.actions.sts.StsActions;
import org.openkms.server.auth.StsTokens;
import org.openkms.server.iam.IamContext;
import org.openkms.server.iam.IdentityResources;
import org.openkms.server.iam.KmsResources;
import org.openkms.server.iam.PolicyDocuments;
import org.openkms.core.iam.IamService;
import java.util.List;
import org.openkms.server.http.GatewayHandler;
import org.openkms.server.http.HttpServerFactory;
import org.openkms.server.http.TlsMaterial;
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
    private final JsonLinesAuditLog audit;
    private final Server jetty;
    private final ScheduledExecutorService scheduler;
    private final Kms kms;
    private final TlsMaterial tls;
    private final String[] generatedRootKey;

    private OpenKmsServer(Storage storage, JsonLinesAuditLog audit, Server jetty, ScheduledExecutorService scheduler,
                          Kms kms, TlsMaterial tls, String[] generatedRootKey) {
        this.storage = storage;
        this.audit = audit;
        this.jetty = jetty;
        this.scheduler = scheduler;
        this.kms = kms;
        this.tls = tls;
        this.generatedRootKey = generatedRootKey;
    }

    public static OpenKmsServer start(ServerConfig config) throws Exception {
        Path dataDir = config.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        Clock clock = Clock.systemUTC();
        RootKeyProvider rootKey = FileRootKeyProvider.openOrCreate(dataDir.resolve("root.key"));
        Storage storage = config.storageUrl() == null
                ? StorageFactory.openSqlite(dataDir.resolve("openkms.db"))
                : StorageFactory.open(config.storageUrl());
        JsonLinesAuditLog audit = null;
        try {
            CredentialStore credentials = new CredentialStore(storage.accessKeys(), rootKey, clock);
            String[] generated = RootCredentials.bootstrap(credentials, dataDir, config.rootAccessKeyId(), config.rootAccessKeySecret());
            KmsSettings settings = KmsSettings.defaults()
                    .withMinKeyVersionInterval(config.minKeyVersionInterval())
                    .withMinRotationInterval(config.minRotationInterval());
            Kms kms = new Kms(new Account(config.accountId(), config.region()), storage, rootKey, settings, clock);
            Rotators.registerAll(kms.secrets().rotation());
            audit = new JsonLinesAuditLog(dataDir.resolve("audit").resolve("audit.log"), config.audit());
            IamService iam = new IamService(kms.account(), storage.iam(), new PolicyDocuments(), clock);
            StsTokens tokens = new StsTokens(rootKey);
            String uid = kms.account().uid();
            List<ApiProduct> products = List.of(
                    new ApiProduct(Gateway.API_VERSION, "Kms", "kms", Actions.all(), new KmsResources(kms), "Forbidden.NoPermission"),
                    new ApiProduct(RamActions.VERSION, "Ram", "ram", RamActions.registry(), new IdentityResources("ram", uid), "NoPermission"),
                    new ApiProduct(StsActions.VERSION, "Sts", "sts", StsActions.registry(), new IdentityResources("sts", uid), "NoPermission"));
            Authorizer authorizer = iam::decide;
            org.openkms.server.aap.AccessPoints accessPoints = new org.openkms.server.aap.AccessPoints(kms.account(), storage.accessPoints(), clock);
            Gateway gateway = new Gateway(products, new Authenticator(credentials, tokens, clock), authorizer, kms,
                    new IamContext(iam, credentials, tokens, accessPoints, clock), audit);
            CacheCoherence coherence = new CacheCoherence(storage,
                    List.of(kms::invalidateCaches, credentials::invalidateAll, iam::reload, accessPoints::reload));
            TlsMaterial tls = config.tlsCertificate() != null
                    ? TlsMaterial.load(config.tlsCertificate(), config.tlsKey())
                    : TlsMaterial.selfSigned(dataDir.resolve("tls"));
            Server jetty = HttpServerFactory.create(config.listen(), config.httpsListen(), tls);
            jetty.setHandler(new GatewayHandler(gateway));
            jetty.setStopTimeout(10_000);
            jetty.start();
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "key-maintenance");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, config.maintenanceInterval().toMillis());
            scheduler.scheduleWithFixedDelay(kms.maintenance(), period, period, TimeUnit.MILLISECONDS);
            long sync = config.effectiveCacheSyncInterval().toMillis();
            if (sync > 0) {
                scheduler.scheduleWithFixedDelay(coherence, sync, sync, TimeUnit.MILLISECONDS);
            }
            JsonLinesAuditLog auditLog = audit;
            scheduler.scheduleWithFixedDelay(new SecretMaintenance(kms.secrets(), outcome -> auditRotation(auditLog, kms, outcome)),
                    period, period, TimeUnit.MILLISECONDS);
            OpenKmsServer server = new OpenKmsServer(storage, audit, jetty, scheduler, kms, tls, generated);
            LOG.info("OpenKMS listening: http={} https={} data-dir={} region={}", server.httpPort(), server.httpsPort(), dataDir, config.region());
            return server;
        } catch (Exception | Error e) {
            if (audit != null) {
                audit.close();
            }
            storage.close();
            throw e;
        }
    }

    /** Scheduled rotations have no API call to audit them, so the job writes their record itself. */
    private static void auditRotation(JsonLinesAuditLog audit, Kms kms, SecretRotation.Outcome o) {
        audit.record(new AuditRecord(System.currentTimeMillis(), Ids.newRequestId(), "", "system:secret-rotation",
                "RotateSecret", kms.account().secretArn(o.secretName()), "", o.failure() == null ? 200 : 409,
                o.failure() == null ? "OK" : "Rejected.RotationFailed", 0,
                o.failure() == null ? "scheduled rotation to version " + o.versionId() : o.failure()));
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
            if (c instanceof ServerConnector sc && (sc.getDefaultProtocol().startsWith("SSL") == secure)) {
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
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly", e);
        }
        audit.close();
        storage.close();
    }
}
