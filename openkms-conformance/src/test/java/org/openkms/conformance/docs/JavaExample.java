package org.openkms.conformance.docs;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a Java block (a list of statements, optionally preceded by its imports) into the {@code main} of a class
 * of its own with javax.tools against the test class path, and runs it in a new JVM in the workspace, so relative
 * paths such as {@code openkms-data/tls/server.crt} mean what they mean to a reader.
 *
 * <p>The class imports what the block's {@code <!-- example: imports ... -->} marker lists, plus {@code java.nio.file.*}
 * and {@code java.util.*}; {@code id} and {@code secret} hold the administrator AccessKey from
 * {@code openkms-data/root-credentials} (the snippets leave where a reader's AccessKey comes from to the reader).
 */
final class JavaExample {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private JavaExample() {}

    static ExampleProcess.Result run(DocExample example, ExampleWorkspace ws) throws IOException, InterruptedException {
        String className = "Example" + example.line();
        StringBuilder src = new StringBuilder();
        List<String> statements = new ArrayList<>();
        for (String l : ws.rewrite(example.body()).split("\n", -1)) {
            if (l.startsWith("import ")) {
                src.append(l).append('\n');
            } else {
                statements.add(l);
            }
        }
        src.append("import java.nio.file.*;\nimport java.util.*;\n");
        for (String i : example.imports()) {
            src.append("import ").append(i).append(";\n");
        }
        src.append("public class ")
                .append(className)
                .append(" {\n")
                .append("  public static void main(String[] args) throws Exception {\n")
                .append("    Properties rootCredentials = new Properties();\n")
                .append("    try (var r = Files.newBufferedReader(Path.of(\"openkms-data/root-credentials\"))) {\n")
                .append("      rootCredentials.load(r);\n    }\n")
                .append("    String id = rootCredentials.getProperty(\"OPENKMS_ACCESS_KEY_ID\");\n")
                .append("    String secret = rootCredentials.getProperty(\"OPENKMS_ACCESS_KEY_SECRET\");\n");
        statements.forEach(s -> src.append("    ").append(s).append('\n'));
        src.append("  }\n}\n");

        Path dir = ws.dir().resolve("java-" + example.line());
        Files.createDirectories(dir);
        Path source = dir.resolve(className + ".java");
        Files.writeString(source, src, StandardCharsets.UTF_8);
        String classPath = ExampleWorkspace.classPath();
        String errors = compile(source, dir, classPath);
        if (errors != null) {
            return new ExampleProcess.Result(1, "does not compile:\n" + errors + "\n" + src, false);
        }
        List<String> command = new ArrayList<>(List.of(ws.env().get("OPENKMS_EXAMPLES_JAVA")));
        command.addAll(List.of(ws.env().get("OPENKMS_EXAMPLES_JVM_OPTS").split(" ")));
        command.addAll(List.of("-cp", dir + File.pathSeparator + classPath, className));
        return ExampleProcess.run(command, ws.dir(), ws.env(), TIMEOUT);
    }

    /** Null when it compiles, else the compiler's errors. */
    private static String compile(Path source, Path out, String classPath) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files =
                compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            StringWriter output = new StringWriter();
            boolean ok = compiler.getTask(
                            output,
                            files,
                            diagnostics,
                            List.of("-classpath", classPath, "-d", out.toString(), "-proc:none", "-nowarn"),
                            null,
                            files.getJavaFileObjects(source))
                    .call();
            if (ok) {
                return null;
            }
            StringBuilder errors = new StringBuilder(output.toString());
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.append("line ")
                            .append(d.getLineNumber())
                            .append(" of the wrapped source: ")
                            .append(d.getMessage(Locale.ROOT))
                            .append('\n');
                }
            }
            return errors.toString();
        }
    }
}
