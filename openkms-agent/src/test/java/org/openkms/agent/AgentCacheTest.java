package org.openkms.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.agent.AgentTestSupport.agent;
import static org.openkms.agent.AgentTestSupport.createSecret;
import static org.openkms.agent.AgentTestSupport.env;
import static org.openkms.agent.AgentTestSupport.options;
import static org.openkms.agent.AgentTestSupport.putValue;
import static org.openkms.agent.AgentTestSupport.secret;

import com.aliyun.kms20160120.Client;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.OpenKmsServer;

/** Cache rules against a real server: TTL, refreshNow, DescribeSecret renewal, bound, stale-on-error, https + CA. */
class AgentCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static OpenKmsServer server;
    private static Client kms;

    @BeforeAll
    static void start() throws Exception {
        server = AgentTestSupport.startServer(dataDir.resolve("server"));
        kms = AgentTestSupport.kms(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String data(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("SecretData").asText();
    }

    private static String source(HttpResponse<String> r) {
        return r.headers().firstValue("X-OpenKMS-Cache").orElse("");
    }

    @Test
    void valueIsCachedForTheTtlThenRefreshedAndRefreshNowBypasses() throws Exception {
        Map<String, String> o = options(server);
        o.put("ttl_seconds", "2");
        String name = createSecret(kms, "one");
        try (AgentServer a = agent(o, env())) {
            HttpResponse<String> first = secret(a, "/v1/" + name);
            assertThat(data(first)).isEqualTo("one");
            assertThat(source(first)).isEqualTo("miss");
            putValue(kms, name, "v2", "two");
            HttpResponse<String> cached = secret(a, "/v1/" + name);
            assertThat(data(cached)).isEqualTo("one");
            assertThat(source(cached)).isEqualTo("hit");
            Thread.sleep(2_200);
            HttpResponse<String> refreshed = secret(a, "/v1/" + name);
            assertThat(data(refreshed)).isEqualTo("two");
            assertThat(source(refreshed)).isEqualTo("refreshed");
            putValue(kms, name, "v3", "three");
            assertThat(data(secret(a, "/v1/" + name))).isEqualTo("two");
            HttpResponse<String> now = secret(a, "/secretsmanager/get?secretId=" + name + "&refreshNow=true");
            assertThat(data(now)).isEqualTo("three");
            assertThat(source(now)).isEqualTo("bypass");
            // refreshNow also updated the cache.
            assertThat(data(secret(a, "/v1/" + name))).isEqualTo("three");
        }
    }

    @Test
    void unchangedSecretIsRenewedWithDescribeSecretOnly() throws Exception {
        Map<String, String> o = options(server);
        o.put("ttl_seconds", "1");
        String name = createSecret(kms, "steady");
        // UpdateTime has one-second resolution: the first fetch must come more than two seconds after the last change
        // for the agent to trust an unchanged UpdateTime (SecretCache#unchangedSince).
        Thread.sleep(3_100);
        try (AgentServer a = agent(o, env())) {
            assertThat(data(secret(a, "/v1/" + name))).isEqualTo("steady");
            assertThat(a.cache().getCalls.get()).isEqualTo(1);
            Thread.sleep(1_200);
            HttpResponse<String> renewed = secret(a, "/v1/" + name);
            assertThat(data(renewed)).isEqualTo("steady");
            assertThat(source(renewed)).isEqualTo("renewed");
            assertThat(a.cache().getCalls.get()).isEqualTo(1);
            assertThat(a.cache().describeCalls.get()).isEqualTo(2);
            // A new version changes UpdateTime: the next check fetches it.
            putValue(kms, name, "v2", "moved");
            Thread.sleep(1_200);
            HttpResponse<String> refreshed = secret(a, "/v1/" + name);
            assertThat(data(refreshed)).isEqualTo("moved");
            assertThat(source(refreshed)).isEqualTo("refreshed");
            assertThat(a.cache().getCalls.get()).isEqualTo(2);
        }
    }

    @Test
    void cacheIsBoundedAndTtlZeroDisablesIt() throws Exception {
        Map<String, String> o = options(server);
        o.put("cache_size", "2");
        String s1 = createSecret(kms, "a");
        String s2 = createSecret(kms, "b");
        String s3 = createSecret(kms, "c");
        try (AgentServer a = agent(o, env())) {
            for (String s : new String[] {s1, s2, s3}) {
                secret(a, "/v1/" + s);
            }
            assertThat(a.cache().size()).isEqualTo(2);
            assertThat(a.cache().contains(s1)).isFalse(); // the least recently updated went
            assertThat(a.cache().contains(s3)).isTrue();
        }
        o.put("ttl_seconds", "0");
        try (AgentServer a = agent(o, env())) {
            assertThat(source(secret(a, "/v1/" + s1))).isEqualTo("bypass");
            assertThat(source(secret(a, "/v1/" + s1))).isEqualTo("bypass");
            assertThat(a.cache().getCalls.get()).isEqualTo(2);
            assertThat(a.cache().size()).isZero();
        }
    }

    @Test
    void httpsEndpointWithCaFile() throws Exception {
        Map<String, String> o = options(server);
        o.put("endpoint", "https://127.0.0.1:" + server.httpsPort());
        o.put("ca_file", server.tlsCertificate().toString());
        String name = createSecret(kms, "over-tls");
        try (AgentServer a = agent(o, env())) {
            assertThat(data(secret(a, "/v1/" + name))).isEqualTo("over-tls");
        }
    }

    @Test
    void staleValueIsServedWhenTheUpstreamStopsUnlessConfiguredOtherwise(@TempDir Path dir) throws Exception {
        OpenKmsServer upstream = AgentTestSupport.startServer(dir.resolve("upstream"));
        try {
            Client c = AgentTestSupport.kms(upstream);
            String name = createSecret(c, "last-known");
            Map<String, String> o = options(upstream);
            o.put("ttl_seconds", "3");
            try (AgentServer tolerant = agent(o, env())) {
                o.put("ignore_transient_errors", "false");
                try (AgentServer strict = agent(o, env())) {
                    assertThat(data(secret(tolerant, "/v1/" + name))).isEqualTo("last-known");
                    assertThat(data(secret(strict, "/v1/" + name))).isEqualTo("last-known");
                    upstream.close();
                    // Within the TTL nothing needs the upstream.
                    assertThat(source(secret(strict, "/v1/" + name))).isEqualTo("hit");
                    Thread.sleep(3_200);

                    HttpResponse<String> stale = secret(tolerant, "/v1/" + name);
                    assertThat(data(stale)).isEqualTo("last-known");
                    assertThat(source(stale)).isEqualTo("stale");

                    HttpResponse<String> failed = secret(strict, "/v1/" + name);
                    assertThat(failed.statusCode()).isEqualTo(502);
                    assertThat(JSON.readTree(failed.body()).get("Code").asText())
                            .isEqualTo("ConnectionError");
                    assertThat(failed.body()).doesNotContain("last-known");

                    // refreshNow asks for the upstream's answer: no stale value then.
                    assertThat(secret(tolerant, "/v1/" + name + "?refreshNow=true")
                                    .statusCode())
                            .isEqualTo(502);
                    // A secret never fetched has nothing to fall back on.
                    assertThat(secret(tolerant, "/v1/other").statusCode()).isEqualTo(502);
                }
            }
        } finally {
            upstream.close();
        }
    }
}
