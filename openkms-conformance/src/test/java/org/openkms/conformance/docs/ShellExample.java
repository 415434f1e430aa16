package org.openkms.conformance.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs a shell block as one bash script in the workspace, as if a reader pasted it: every command must succeed
 * ({@code set -e -o pipefail}), commands are traced with the Markdown line they come from, and background jobs the
 * block started ({@code ./openkms agent &}) are ended when it finishes.
 */
final class ShellExample {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String HEADER_LINES = """
            set -eo pipefail
            trap 'set +x; kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true' EXIT
            PS4='+ %s:$((LINENO + %d)): '
            set -x
            """;

    private ShellExample() {}

    static ExampleProcess.Result run(DocExample example, ExampleWorkspace ws) throws IOException, InterruptedException {
        int headerLines = (int) HEADER_LINES.lines().count();
        String script =
                HEADER_LINES.formatted(example.file(), example.line() - headerLines - 1) + ws.rewrite(example.body());
        Path file = ws.dir().resolve("example-" + example.line() + ".sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        return ExampleProcess.run(
                List.of("bash", "--noprofile", "--norc", file.toString()), ws.dir(), ws.env(), TIMEOUT);
    }

    /** Runs a marker's command ({@code before}/{@code after}) in the workspace, outside the traced block. */
    static ExampleProcess.Result command(String command, ExampleWorkspace ws) throws IOException, InterruptedException {
        return ExampleProcess.run(List.of("bash", "--noprofile", "--norc", "-c", command), ws.dir(), ws.env(), TIMEOUT);
    }

    /** Whether the block starts its own server (then the test must not have one running on its ports). */
    static boolean startsServer(DocExample example) {
        return example.body().lines().anyMatch(l -> l.strip().startsWith("./openkms server"));
    }
}
