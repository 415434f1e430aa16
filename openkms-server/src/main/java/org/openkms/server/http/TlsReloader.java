package org.openkms.server.http;

import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart: every {@code interval} it reads the operator's certificate
 * and key files and, when their contents changed and the new pair passes {@link TlsMaterial}'s checks, swaps it
 * into the SSL factory with {@link SslContextFactory#reload} (Jetty builds a new SSLContext; connections already
 * open keep the SSLEngine they have, handshakes from then on get the new certificate; see
 * https://javadoc.jetty.org/jetty-12/org/eclipse/jetty/util/ssl/SslContextFactory.html).
 *
 * <p>Polling the contents, rather than a WatchService or modification times: renewal tools replace files by
 * renaming or by re-pointing symlinks (certbot's live/ links into archive/), which a watch on the directory does
 * not report for the link's target and which can leave the mtime of the path unchanged; reading two small
 * files every few seconds sees every kind of replacement. Jetty's KeyStoreScanner does not fit: it watches one
 * key store file and reloads it from its path, while the material here is two PEM files.
 *
 * <p>A pair that cannot be used (key of another certificate, expired, unreadable) is not installed: the
 * current certificate stays and a warning is logged, once per distinct content. The warning waits until the
 * same bad content has been seen on two polls in a row, so a renewal caught between writing the certificate
 * and writing the key (both files change, not atomically together) is not reported.
 */
final class TlsReloader extends AbstractLifeCycle {
    /** How often the files are read; README.md ("TLS") documents it. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

    private final SslContextFactory.Server ssl;
    private final Duration interval;
    private volatile TlsMaterial current;
    /** Digest of new content found unusable on the last poll, to be reported if the next poll finds it again. */
    private byte[] pending;
    /** Digest of the unusable content last reported, so it is reported once. */
    private byte[] reported;

    private ScheduledExecutorService executor;

    TlsReloader(SslContextFactory.Server ssl, TlsMaterial initial, Duration interval) {
        if (!initial.reloadable()) {
            throw new IllegalArgumentException("only the operator's files are watched");
        }
        this.ssl = ssl;
        this.current = initial;
        this.interval = interval;
    }

    /** The material new handshakes get. */
    TlsMaterial current() {
        return current;
    }

    @Override
    protected void doStart() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void poll() {
        try {
            check(Instant.now());
        } catch (RuntimeException | Error e) {
            // A throwing task would silently end the schedule, and with it every later renewal.
            LOG.warn(
                    "TLS: checking {} and {} for a renewed certificate failed; will check again",
                    current.certificateFile(),
                    current.operatorKeyFile(),
                    e);
        }
    }

    /** One poll: reads both files and installs their pair if it changed and can be used. */
    synchronized void check(Instant now) {
        TlsMaterial serving = current;
        byte[] digest;
        String problem;
        try {
            byte[] certificate = TlsMaterial.read(serving.certificateFile(), TlsMaterial.Source.CERTIFICATE);
            byte[] key = TlsMaterial.read(serving.operatorKeyFile(), TlsMaterial.Source.KEY);
            digest = TlsMaterial.digest(certificate, key);
            if (Arrays.equals(digest, serving.contentDigest())) {
                pending = null; // unchanged, or changed back before the bad content was reported
                reported = null;
                return;
            }
            try {
                // Parsed again on every poll, even content already reported: a certificate that was not yet valid
                // becomes valid.
                problem = install(
                        TlsMaterial.parse(certificate, key, serving.certificateFile(), serving.operatorKeyFile(), now));
                if (problem == null) {
                    pending = null;
                    reported = null;
                    return;
                }
            } catch (TlsMaterial.InvalidMaterialException e) {
                problem = describe(e, serving);
            }
        } catch (TlsMaterial.InvalidMaterialException e) {
            problem = describe(e, serving);
            // A file that cannot be read has no content digest; its reason stands in for it.
            digest = TlsMaterial.digest(problem.getBytes(StandardCharsets.UTF_8), new byte[0]);
        }
        if (Arrays.equals(digest, reported)) {
            return; // said already
        }
        if (!Arrays.equals(digest, pending)) {
            pending = digest; // perhaps caught half-way through a renewal; look again on the next poll
            return;
        }
        reported = digest;
        pending = null;
        LOG.warn(
                "TLS: the changed certificate files cannot be used, still serving {}: {}", serving.describe(), problem);
    }

    /** The problem prefixed with the option(s) whose file it is in, as the start-up error would name them. */
    private static String describe(TlsMaterial.InvalidMaterialException e, TlsMaterial serving) {
        String option = switch (e.source()) {
            case CERTIFICATE -> "--tls-cert " + serving.certificateFile();
            case KEY -> "--tls-key " + serving.operatorKeyFile();
            case PAIR -> "--tls-cert " + serving.certificateFile() + " --tls-key " + serving.operatorKeyFile();
        };
        return option + ": " + e.getMessage();
    }

    /** Swaps {@code candidate} in; null if done, else why not (the factory then still serves the current pair). */
    private String install(TlsMaterial candidate) {
        TlsMaterial previous = current;
        try {
            ssl.reload(f -> f.setKeyStore(candidate.keyStore()));
        } catch (Exception e) {
            // reload() unloads before it loads: put the previous key store back so that handshakes keep working.
            KeyStore old = previous.keyStore();
            try {
                ssl.reload(f -> f.setKeyStore(old));
            } catch (Exception again) {
                e.addSuppressed(again);
                LOG.error(
                        "TLS: restoring the previous certificate failed too; new HTTPS connections fail until the files are fixed",
                        again);
            }
            return "the SSL context could not be built from them (" + e + ")";
        }
        current = candidate;
        LOG.info(
                "TLS: reloaded {} and {}: now serving {}",
                candidate.certificateFile(),
                candidate.operatorKeyFile(),
                candidate.describe());
        return null;
    }
}
