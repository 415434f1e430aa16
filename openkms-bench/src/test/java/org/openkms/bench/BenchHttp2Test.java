package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;
import org.openkms.server.config.ServerConfig;

/**
 * {@code --http2} against a real server: the floor and a signed Encrypt load over h2c (prior knowledge) and over h2
 * (TLS, ALPN), every answer checked, on HTTP/2 connections the server counted.
 */
class BenchHttp2Test {
    private static final String ID = "LTAIbenchH2000000000000";
    private static final String SECRET = "benchHttp2Secret0000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger h2Connections = new AtomicInteger();

    @TempDir
    static Path dir;

    static OpenKmsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OpenKmsServer.start(ServerConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withListen("127.0.0.1:0")
                .withHttpsListen("127.0.0.1:0")
                .withRootAccessKey(ID, SECRET));
        for (Connector c : server.jetty().getConnectors()) {
            c.addEventListener(new Connection.Listener() {
                @Override
                public void onOpened(Connection connection) {
                    if (connection instanceof HTTP2Connection) {
                        h2Connections.incrementAndGet();
                    }
                }
            });
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void h2cLoadSucceeds() throws Exception {
        assertLoad("http://127.0.0.1:" + server.httpPort());
    }

    @Test
    void h2LoadOverTlsSucceeds() throws Exception {
        assertLoad("https://127.0.0.1:" + server.httpsPort());
    }

    private static void assertLoad(String endpoint) throws Exception {
        int before = h2Connections.get();
        BenchRun run = BenchRun.of(
                "--endpoint",
                endpoint,
                "--insecure",
                "--http2",
                "--access-key-id",
                ID,
                "--access-key-secret",
                SECRET,
                "--action",
                "Encrypt",
                "-c",
                "4",
                "-n",
                "400",
                "--warmup",
                "0",
                "--no-progress",
                "--json");
        assertThat(run.status()).as(run.err()).isZero();
        List<JsonNode> lines = run.out()
                .lines()
                .filter(l -> l.startsWith("{")) // the JSON lines; log lines (Jetty's TLS warning) go there too
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (Exception e) {
                        throw new IllegalStateException(l, e);
                    }
                })
                .toList();
        assertThat(lines).extracting(n -> n.get("action").asText()).containsExactly("healthz", "Encrypt");
        for (JsonNode n : lines) {
            assertThat(n.get("ok").asLong()).as(n.toString()).isEqualTo(400);
            assertThat(n.get("errors").asLong()).as(n.toString()).isZero();
        }
        // The probe's, then 4 for the floor and 4 for Encrypt, each opened once and kept.
        assertThat(h2Connections.get() - before).isEqualTo(9);
    }
}
