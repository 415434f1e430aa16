package org.openkms.conformance.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.server.config.ConfigLoader;
import org.opentest4j.TestAbortedException;

/**
 * Every example of README.md and docs/*.md, run as a reader would run it (issue 13): each fenced code block is a
 * test named {@code file:line}, and a block that fails fails the build with its file, line and output.
 *
 * <p>How blocks run, by their fence's language:
 * <ul>
 *   <li>{@code bash}/{@code sh}/{@code shell}: one bash script in a scratch directory that stands for the checkout,
 *       against a fresh server ({@code ./openkms server}, started by the test, one per Markdown file: each page is
 *       a copy-paste recipe of its own, e.g. README.md and docs/agent.md both create the secret
 *       {@code db-password}); the blocks of a file run in order and share that server, as the reader's terminal
 *       would. {@code ./openkms} there is a stand-in that runs the same main classes from the test class path
 *       without building, and the documented ports are replaced by free ones: see {@link ExampleWorkspace}.
 *   <li>{@code java}: compiled and run against the same server, see {@link JavaExample}.
 *   <li>{@code yaml} marked {@code <!-- example: server-config -->}: loaded by the server's {@link ConfigLoader};
 *       {@code properties} marked {@code <!-- example: agent-config -->}: read by the agent's configuration
 *       ({@link AgentConfigCheck}).
 *   <li>no language: output or a layout (nothing to run), reported as skipped.
 *   <li>anything else must carry a skip marker, or the test fails: nothing is left out silently.
 * </ul>
 *
 * <p>Markers are HTML comments (invisible on GitHub) on the lines right above a block's opening fence:
 * <ul>
 *   <li>{@code <!-- example: skip REASON -->}: not run; reported as skipped with REASON (say what cannot run and
 *       which test covers it instead);
 *   <li>{@code <!-- example: imports a.b.C a.b.* -->}: imports of a Java block that shows only statements;
 *   <li>{@code <!-- example: server-config -->}, {@code <!-- example: agent-config -->}: see above;
 *   <li>{@code <!-- example: services -->}: the block needs PostgreSQL, MariaDB or Redis on loopback; its whole page
 *       then runs in {@link #examplesNeedingServices}, tagged {@code services};
 *   <li>{@code <!-- example: exit N -->}, {@code <!-- example: output TEXT -->}: the block ends with status N
 *       (e.g. its last command shows an error) and its output contains TEXT;
 *   <li>{@code <!-- example: before COMMAND -->}, {@code <!-- example: after COMMAND -->}: a shell command run before
 *       the block (e.g. to undo a previous run's account in a shared database) or after it, even when it failed.
 * </ul>
 *
 * <p>{@code -Dopenkms.examples.file=docs/cli.md} runs one page's examples only (while editing it).
 *
 * <p>A block that starts {@code ./openkms server} itself runs in a workspace of its own (new directory and ports: a
 * reader's machine without the Quick start's server), so the page's server and its state stay for the next blocks.
 */
class DocumentedExamplesTest {
    @TempDir
    static Path scratch;

    private static String currentFile;
    private static ExampleWorkspace workspace;

    @TestFactory
    Stream<DynamicNode> examples() throws IOException {
        return files(false);
    }

    /** The pages whose examples need PostgreSQL, MariaDB or Redis (a block marked {@code services}). */
    @TestFactory
    @Tag("services")
    Stream<DynamicNode> examplesNeedingServices() throws IOException {
        return files(true);
    }

    private static Stream<DynamicNode> files(boolean services) throws IOException {
        // The pom's PostgreSQL execution excludes this class, but -Dtest overrides excludes: a reader's server is the
        // SQLite one, so the examples run once.
        assumeFalse("postgresql".equals(System.getProperty("openkms.conformance.backend")), "examples run on SQLite");
        Path root = repositoryRoot();
        List<String> files = new ArrayList<>(List.of("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.map(p -> "docs/" + p.getFileName())
                    .filter(n -> n.endsWith(".md"))
                    .sorted()
                    .forEach(files::add);
        }
        String only = System.getProperty("openkms.examples.file");
        List<DynamicNode> nodes = new ArrayList<>();
        for (String file : files) {
            if (only != null && !only.equals(file)) {
                continue;
            }
            List<DocExample> examples = MarkdownExamples.read(root, file);
            boolean needsServices = examples.stream().anyMatch(e -> e.has("services"));
            if (examples.isEmpty() || needsServices != services) {
                continue;
            }
            List<DynamicTest> tests = examples.stream()
                    .map(e -> DynamicTest.dynamicTest(e.name(), () -> run(e)))
                    .toList();
            nodes.add(DynamicContainer.dynamicContainer(file, tests));
        }
        return nodes.stream();
    }

    @AfterAll
    static void stopServer() {
        if (workspace != null) {
            workspace.close();
        }
    }

    private static void run(DocExample example) throws Exception {
        if (example.skipReason().isPresent()) {
            throw new TestAbortedException(
                    "skipped by its marker: " + example.skipReason().get());
        }
        switch (example.language()) {
            case "" -> throw new TestAbortedException("no language: output or a layout, nothing to run");
            case "bash", "sh", "shell" -> runShell(example);
            case "java" -> expectSuccess(example, JavaExample.run(example, workspaceFor(example)));
            case "yaml" -> serverConfig(example);
            case "properties" -> agentConfig(example);
            default ->
                throw new AssertionError(example.name() + ": no runner for '" + example.language()
                        + "' blocks; mark it <!-- example: skip REASON --> (see DocumentedExamplesTest)");
        }
    }

    private static void runShell(DocExample example) throws Exception {
        if (!ShellExample.startsServer(example)) {
            runShell(example, workspaceFor(example));
            return;
        }
        // It starts a server on the documented ports, as a reader does on a machine with none running: it gets a
        // workspace (directory, ports) of its own, and the page's server keeps its state for the next blocks.
        try (ExampleWorkspace own = new ExampleWorkspace(
                Files.createDirectory(scratch.resolve(example.file().replace('/', '_') + "-" + example.line())))) {
            runShell(example, own);
        }
    }

    private static void runShell(DocExample example, ExampleWorkspace ws) throws Exception {
        if (example.command("before").isPresent()) {
            expectSuccess(
                    example, ShellExample.command(example.command("before").get(), ws));
        }
        try {
            ExampleProcess.Result result = ShellExample.run(example, ws);
            int expected = example.command("exit").map(Integer::parseInt).orElse(0);
            String message =
                    "%s %s:%n%s".formatted(example.name(), result.timedOut() ? "timed out" : "failed", result.output());
            assertThat(result.exitStatus()).as(message).isEqualTo(expected);
            example.command("output")
                    .ifPresent(text -> assertThat(result.output()).as(message).contains(text));
        } finally {
            if (example.command("after").isPresent()) {
                expectSuccess(
                        example, ShellExample.command(example.command("after").get(), ws));
            }
        }
    }

    private static void expectSuccess(DocExample example, ExampleProcess.Result result) {
        assertThat(result.exitStatus())
                .as("%s %s:\n%s", example.name(), result.timedOut() ? "timed out" : "failed", result.output())
                .isZero();
    }

    private static void serverConfig(DocExample example) throws IOException {
        requireMarker(example, "server-config");
        Path yaml = scratch.resolve("example-" + example.line() + ".yaml");
        Files.writeString(yaml, example.body(), StandardCharsets.UTF_8);
        assertThat(ConfigLoader.load(yaml, Map.of())).as(example.name()).isNotNull();
    }

    private static void agentConfig(DocExample example) throws Exception {
        requireMarker(example, "agent-config");
        // In the page's workspace with its server started once, so that paths such as openkms-data/tls/server.crt
        // name what they name for a reader.
        ExampleWorkspace ws = workspaceFor(example);
        Path file = ws.dir().resolve("example-" + example.line() + ".properties");
        Files.writeString(file, ws.rewrite(example.body()), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(ws.env().get("OPENKMS_EXAMPLES_JAVA")));
        command.addAll(List.of(ws.env().get("OPENKMS_EXAMPLES_JVM_OPTS").split(" ")));
        command.addAll(List.of(
                "-cp", ExampleWorkspace.classPath(), AgentConfigCheck.class.getName(), "--config", file.toString()));
        expectSuccess(example, ExampleProcess.run(command, ws.dir(), ws.env(), java.time.Duration.ofMinutes(1)));
    }

    private static void requireMarker(DocExample example, String marker) {
        if (!example.has(marker)) {
            throw new AssertionError(
                    example.name() + ": a '" + example.language() + "' block runs only as <!-- example: " + marker
                            + " -->; otherwise mark it <!-- example: skip REASON -->");
        }
    }

    /** The workspace of the example's file (the previous file's server stopped), with its server running. */
    private static ExampleWorkspace workspaceFor(DocExample example) throws IOException, InterruptedException {
        if (!example.file().equals(currentFile)) {
            if (workspace != null) {
                workspace.close();
            }
            workspace = new ExampleWorkspace(
                    Files.createDirectory(scratch.resolve(example.file().replace('/', '_'))));
            currentFile = example.file();
        }
        if (!workspace.healthy()) {
            workspace.startServer();
        }
        return workspace;
    }

    /** The checkout's root: the first directory above the working directory holding README.md and docs/. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no README.md and docs/ above " + Path.of("").toAbsolutePath());
    }
}
