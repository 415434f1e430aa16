package org.openkms.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A renewed certificate is served without a restart: new handshakes get it within a poll, connections opened
 * before keep working, on the certificate they were opened with. Renewal with a new key, with the same key,
 * and by re-pointing symlinks (certbot's live/ → archive/) are all picked up; a pair that cannot be used
 * (a certificate without its key, an expired certificate) is not installed and is reported once.
 */
class TlsReloadTest {
    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    Path dir;

    TestPki pki;
    SSLContext client;
    ListAppender<ILoggingEvent> log;
    Logger logger;

    @BeforeEach
    void setUp() throws Exception {
        pki = TestPki.create();
        client = pki.clientContext();
        logger = (Logger) LoggerFactory.getLogger(TlsReloader.class);
        log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(log);
    }

    private List<String> warnings() {
        synchronized (log) { // AppenderBase.doAppend appends under the appender's lock
            List<String> w = new ArrayList<>();
            for (ILoggingEvent e : log.list) {
                if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                    w.add(e.getFormattedMessage());
                }
            }
            return w;
        }
    }

    private static BigInteger serial(TestPki.Leaf leaf) {
        return leaf.certificate().getSerialNumber();
    }

    /** Points {@code link} at {@code target} atomically (a new link renamed over the old), as certbot does. */
    private static void repoint(Path link, Path target) throws Exception {
        Path tmp = link.resolveSibling(link.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, target);
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void renewedFilesAreServedWithoutARestartAndBadOnesAreNot() throws Exception {
        // certbot's layout: live/ holds symlinks into archive/, where each renewal adds numbered files.
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Path live = Files.createDirectories(dir.resolve("live"));
        TestPki.Leaf a = pki.leaf("P-256");
        TestPki.write(archive.resolve("cert1.pem"), pki.chainPem(a));
        TestPki.write(archive.resolve("privkey1.pem"), TestPki.traditional(a.keyPair()));
        Path cert = live.resolve("fullchain.pem");
        Path key = live.resolve("privkey.pem");
        repoint(cert, archive.resolve("cert1.pem"));
        repoint(key, archive.resolve("privkey1.pem"));

        Server server = TlsTestServers.start(TlsMaterial.load(cert, key), POLL);
        try {
            int port = TlsTestServers.port(server);
            assertThat(TlsTestServers.servedSerial(port, client)).isEqualTo(serial(a));
            SSLSocket opened = TlsTestServers.connect(port, client, null, null);
            assertThat(TlsTestServers.get(opened)).isEqualTo(200);

            // Renewal with a new key (RSA this time), by re-pointing the symlinks.
            TestPki.Leaf b = pki.leaf("RSA-2048");
            TestPki.write(archive.resolve("cert2.pem"), pki.chainPem(b));
            TestPki.write(archive.resolve("privkey2.pem"), TestPki.pkcs8(b.key()));
            repoint(cert, archive.resolve("cert2.pem"));
            repoint(key, archive.resolve("privkey2.pem"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> TlsTestServers.servedSerial(port, client).equals(serial(b)));
            // The connection opened before still works, on the certificate it was opened with.
            assertThat(TlsTestServers.get(opened)).isEqualTo(200);
            assertThat(((X509Certificate) opened.getSession().getPeerCertificates()[0]).getSerialNumber())
                    .isEqualTo(serial(a));
            opened.close();

            // Renewal with the same key (certbot --reuse-key), the certificate file rewritten in place.
            TestPki.Leaf c = pki.leaf(
                    b.keyPair(),
                    Instant.now().minus(Duration.ofHours(1)),
                    Instant.now().plus(Duration.ofDays(60)));
            Files.writeString(archive.resolve("cert2.pem"), pki.chainPem(c));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> TlsTestServers.servedSerial(port, client).equals(serial(c)));
            assertThat(warnings()).isEmpty();

            // A certificate whose key is not in the key file: not installed, one warning, still serving C.
            TestPki.Leaf d = pki.leaf("P-384");
            Files.writeString(archive.resolve("cert2.pem"), pki.chainPem(d));
            await().atMost(Duration.ofSeconds(10)).until(() -> !warnings().isEmpty());
            assertThat(warnings())
                    .singleElement()
                    .asString()
                    .contains("still serving CN=localhost (serial " + serial(c).toString(16))
                    .contains("--tls-cert " + cert + " --tls-key " + key
                            + ": the private key does not belong to the certificate CN=localhost (serial "
                            + serial(d).toString(16) + ")");
            assertThat(TlsTestServers.servedSerial(port, client)).isEqualTo(serial(c));
            Thread.sleep(POLL.toMillis() * 5);
            assertThat(warnings()).hasSize(1); // reported once, not on every poll

            // An expired certificate with the right key: not installed either.
            TestPki.Leaf expired = pki.leaf(
                    b.keyPair(),
                    Instant.now().minus(Duration.ofDays(60)),
                    Instant.now().minus(Duration.ofDays(1)));
            Files.writeString(archive.resolve("cert2.pem"), pki.chainPem(expired));
            await().atMost(Duration.ofSeconds(10)).until(() -> warnings().size() == 2);
            assertThat(warnings().get(1))
                    .contains("--tls-cert " + cert + ": the server certificate CN=localhost expired on");
            assertThat(TlsTestServers.servedSerial(port, client)).isEqualTo(serial(c));

            // Fixed files are picked up again.
            TestPki.Leaf e = pki.leaf(
                    b.keyPair(),
                    Instant.now().minus(Duration.ofHours(1)),
                    Instant.now().plus(Duration.ofDays(90)));
            Files.writeString(archive.resolve("cert2.pem"), pki.chainPem(e));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> TlsTestServers.servedSerial(port, client).equals(serial(e)));
        } finally {
            server.stop();
        }
    }

    @Test
    void aBadPairIsReportedOnlyWhenItOutlastsAPollAndOnlyOnce() throws Exception {
        TestPki.Leaf a = pki.leaf("P-256");
        Path cert = TestPki.write(dir.resolve("server.crt"), pki.chainPem(a));
        Path key = TestPki.write(dir.resolve("server.key"), TestPki.pkcs8(a.key()));
        TlsMaterial initial = TlsMaterial.load(cert, key);
        SslContextFactory.Server ssl = TlsPolicy.sslContextFactory(initial.keyStore());
        ssl.start();
        try {
            TlsReloader reloader = new TlsReloader(ssl, initial, Duration.ofDays(1)); // not started: polled by hand
            Instant now = Instant.now();
            reloader.check(now);
            assertThat(reloader.current()).isSameAs(initial);

            // A renewal tool has written the new certificate but not yet the new key.
            TestPki.Leaf b = pki.leaf("P-256");
            TestPki.write(cert, pki.chainPem(b));
            reloader.check(now);
            assertThat(warnings()).isEmpty();
            assertThat(reloader.current()).isSameAs(initial);
            TestPki.write(key, TestPki.pkcs8(b.key()));
            reloader.check(now);
            assertThat(warnings()).isEmpty();
            assertThat(reloader.current().certificate()).isEqualTo(b.certificate());

            // The key file gone (moved away and not back): reported on the second poll, once.
            Files.move(key, dir.resolve("elsewhere.key"));
            reloader.check(now);
            assertThat(warnings()).isEmpty();
            reloader.check(now);
            assertThat(warnings()).singleElement().asString().contains("--tls-key " + key + ": no such file");
            reloader.check(now);
            reloader.check(now);
            assertThat(warnings()).hasSize(1);
            assertThat(reloader.current().certificate()).isEqualTo(b.certificate());

            // Restored: nothing to install (same content), nothing more to report.
            Files.move(dir.resolve("elsewhere.key"), key);
            reloader.check(now);
            assertThat(warnings()).hasSize(1);
            assertThat(reloader.current().certificate()).isEqualTo(b.certificate());
        } finally {
            ssl.stop();
        }
    }
}
