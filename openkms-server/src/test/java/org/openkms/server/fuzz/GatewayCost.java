package org.openkms.server.fuzz;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.openkms.server.api.ApiResponse;
import org.openkms.server.http.GatewayHandler;
import org.openkms.wire.RequestSigner;
import org.openkms.wire.SignedAcs3Request;

/**
 * What the gateway itself costs per request, without HTTP, the kernel or a second process on the cores: requests
 * signed beforehand as the bench signs them (ACS3, a fresh nonce each) go through {@link GatewayHandler#answer} (query
 * decoding, signature check, replay cache, authorisation, the action, JSON, the audit record) on one thread of
 * {@link FuzzServer}, whose audit sink only counts. The figures are that thread's CPU time and allocation per request
 * ({@code ThreadMXBean}), the median of 20 batches after 5 unmeasured ones: steadier than a load test on a shared
 * machine, and the part of {@code ./openkms bench}'s server CPU per request that is OpenKMS's own code.
 *
 * <p>Run by {@code scripts/gateway-cost.sh}; {@code GatewayCostTest} runs it small.
 */
public final class GatewayCost {
    /** One action's cost: CPU ns per request (median and least batch) and bytes allocated per request (median). */
    record Cost(String action, long medianNanos, long minNanos, long bytes) {
        String line() {
            return String.format(
                    Locale.ROOT,
                    "%-16s gateway CPU %6.1f us/request (least batch %.1f), %,d bytes allocated/request",
                    action,
                    medianNanos / 1000.0,
                    minNanos / 1000.0,
                    bytes);
        }
    }

    private GatewayCost() {}

    public static void main(String[] args) {
        List<String> actions = args.length > 0 ? List.of(args) : List.of("Encrypt", "GetSecretValue");
        try (FuzzServer server = FuzzServer.start()) {
            for (String action : actions) {
                System.out.println(measure(server, action, 20_000, 5, 20).line());
            }
        }
    }

    static Cost measure(FuzzServer server, String action, int batch, int unmeasured, int measured) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RequestSigner signer = new RequestSigner(FuzzServer.ROOT_ID, FuzzServer.ROOT_SECRET);
        Map<String, String> params = params(server, action);
        long thread = Thread.currentThread().getId();
        List<Long> cpu = new ArrayList<>();
        List<Long> allocated = new ArrayList<>();
        for (int round = 0; round < unmeasured + measured; round++) {
            String[] queries = new String[batch];
            List<Map<String, String>> headers = new ArrayList<>(batch);
            long now = System.currentTimeMillis();
            for (int i = 0; i < batch; i++) {
                SignedAcs3Request r = signer.signAcs3(
                        "POST",
                        "kms.cn-hangzhou.aliyuncs.com",
                        action,
                        params,
                        now,
                        UUID.randomUUID().toString(),
                        null,
                        null);
                queries[i] = r.queryString();
                Map<String, String> h = new HashMap<>();
                r.headers().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
                h.put("user-agent", "openkms-bench/0.1");
                h.put("content-length", "0");
                headers.add(h);
            }
            long cpu0 = mx.getCurrentThreadCpuTime();
            long bytes0 = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < batch; i++) {
                // The HTTP adapter copies Jetty's headers into a fresh map per request: so does this.
                Map<String, String> h = new HashMap<>(32);
                h.putAll(headers.get(i));
                ApiResponse out = GatewayHandler.answer(
                        server.gateway(), "POST", "/", queries[i], h, new byte[0], FuzzServer.SOURCE_IP, false);
                if (out.status() != 200) {
                    throw new IllegalStateException(action + " answered " + out.status());
                }
            }
            if (round >= unmeasured) {
                cpu.add((mx.getCurrentThreadCpuTime() - cpu0) / batch);
                allocated.add((mx.getThreadAllocatedBytes(thread) - bytes0) / batch);
            }
        }
        Collections.sort(cpu);
        Collections.sort(allocated);
        return new Cost(action, cpu.get(cpu.size() / 2), cpu.get(0), allocated.get(allocated.size() / 2));
    }

    /** The bench's Encrypt (a 256-byte plaintext); GetSecretValue of the fuzz server's secret (ACSCurrent). */
    private static Map<String, String> params(FuzzServer server, String action) {
        switch (action) {
            case "Encrypt" -> {
                byte[] plaintext = new byte[256];
                new Random(1).nextBytes(plaintext);
                return Map.of(
                        "KeyId", server.placeholders.get("KEY"),
                        "Plaintext", Base64.getEncoder().encodeToString(plaintext));
            }
            case "GetSecretValue" -> {
                return Map.of("SecretName", server.placeholders.get("SECRET"));
            }
            default ->
                throw new IllegalArgumentException("GatewayCost measures Encrypt and GetSecretValue, not " + action);
        }
    }
}
