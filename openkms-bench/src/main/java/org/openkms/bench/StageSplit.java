package org.openkms.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a server's request threads spend their Java time, by stage, from a JFR recording of the server under load
 * ({@code jdk.ExecutionSample} events with full stacks): each sample of an {@code openkms-http} thread counts for the
 * first stage, in the order of {@link #STAGES}, that has a method on its stack. Time in the kernel (socket reads and
 * writes) is not in these samples; the server's user/system split comes from {@code /proc} (scripts/profile.sh).
 *
 * <p>Usage: {@code java -cp <bench jar and lib> org.openkms.bench.StageSplit recording.jfr}
 */
public final class StageSplit {
    /** A stage and the class-and-method prefixes that mark it (as {@code Class.method}, simple class name). */
    record Stage(String name, List<String> marks) {}

    /** In order: a sample counts for the first stage that matches, so inner stages come before outer ones. */
    static final List<Stage> STAGES = List.of(
            new Stage("nonce cache (replay check)", List.of("NonceCache.")),
            new Stage("signature verification", List.of("Authenticator.authenticate", "ClientKeyAuthenticator.")),
            new Stage(
                    "request decoding (query, form, parameters)",
                    List.of("GatewayHandler.toApiRequest", "PercentEncoding.decodeForm", "Call.get", "Params.")),
            new Stage("authorisation", List.of("Gateway.authorize", "Authorizer.", "PolicyEngine.")),
            new Stage(
                    "cryptography (key lookup, AES-GCM, IV, signing)",
                    List.of(
                            "CryptoService.",
                            "CryptoActions.",
                            "SymmetricKey.",
                            "AsymmetricService.",
                            "SignatureAlgorithm.")),
            new Stage("secret read", List.of("SecretService.")),
            new Stage("response encoding (JSON)", List.of("ResponseEncoder.")),
            new Stage(
                    "audit record and metrics",
                    List.of("AuditRecord.", "MetricsAuditSink.", "JsonLinesAuditLog.record", "RequestMetrics.")),
            new Stage(
                    "response write (Jetty)",
                    List.of("ChannelResponse.write", "HttpStreamOverHTTP1.send", "SocketChannelEndPoint.flush")),
            new Stage("HTTP parsing (Jetty)", List.of("HttpParser.")),
            new Stage(
                    "rest of the gateway (headers, parameters, resources, call)",
                    List.of("Gateway.", "GatewayHandler.")));

    private static final String OTHER = "Jetty I/O, selector and thread hand-off (the rest)";

    private StageSplit() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: StageSplit recording.jfr");
            System.exit(2);
        }
        print(split(Path.of(args[0])), System.out);
    }

    /** Samples of the request threads by stage, in {@link #STAGES} order then the rest. */
    static Map<String, Long> split(Path jfr) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Stage s : STAGES) {
            counts.put(s.name(), 0L);
        }
        counts.put(OTHER, 0L);
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                var thread = e.getThread("sampledThread");
                String name = thread == null ? null : thread.getJavaName();
                if (name == null || !name.startsWith("openkms-http")) {
                    continue;
                }
                counts.merge(stageOf(e.getStackTrace()), 1L, Long::sum);
            }
        }
        return counts;
    }

    static String stageOf(RecordedStackTrace stack) {
        if (stack == null) {
            return OTHER;
        }
        List<RecordedFrame> frames = stack.getFrames();
        for (Stage s : STAGES) {
            for (RecordedFrame fr : frames) {
                String type = fr.getMethod().getType().getName();
                String method = type.substring(type.lastIndexOf('.') + 1).replace('$', '.') + "."
                        + fr.getMethod().getName();
                for (String mark : s.marks()) {
                    if (method.startsWith(mark)) {
                        return s.name();
                    }
                }
            }
        }
        return OTHER;
    }

    static void print(Map<String, Long> counts, PrintStream out) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "request threads' Java samples: %,d%n", total);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            out.printf(Locale.ROOT, "  %5.1f %%  %s%n", total == 0 ? 0 : 100.0 * e.getValue() / total, e.getKey());
        }
    }
}
