package org.openkms.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code openkms kms|encrypt|decrypt|secret|key|generate-completion}. Exit status: 0 on success, 1 when the server
 * answered an error (its Code and Message on stderr), 2 for a usage or configuration error (one line).
 */
@Command(
        name = "openkms",
        mixinStandardHelpOptions = true,
        versionProvider = CliMain.Version.class,
        description = "OpenKMS client: every KMS API action (aliyun kms syntax) and shortcuts for daily work.")
public final class CliMain {
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, System.out, System.err));
    }

    /** Runs one command line; what {@link #main} does, without exiting (for tests). */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        Shortcuts.Io io = new Shortcuts.Io(env, in, out);
        CommandLine cli = commandLine(io, out);
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof ApiError api) {
                err.println(api.describe());
                return 1;
            }
            if (e instanceof CliException c) {
                err.println("openkms: " + c.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    static CommandLine commandLine(Shortcuts.Io io, PrintStream out) {
        CommandLine cli = new CommandLine(new CliMain(), new Factory(io, out));
        cli.addSubcommand(new CommandLine(new KmsCommand(io.env(), out)).setUnmatchedOptionsArePositionalParams(true));
        cli.addSubcommand(new Shortcuts.Encrypt(io));
        cli.addSubcommand(new Shortcuts.Decrypt(io));
        CommandLine secret = new CommandLine(new Shortcuts.Secret(), new Factory(io, out));
        cli.addSubcommand(secret);
        CommandLine key = new CommandLine(new Shortcuts.Key(), new Factory(io, out));
        cli.addSubcommand(key);
        cli.addSubcommand(new CommandLine(new DevCommand(), new Factory(io, out)));
        cli.addSubcommand(new AutoComplete.GenerateCompletion());
        return cli;
    }

    /** Gives the nested commands their streams and environment. */
    private record Factory(Shortcuts.Io io, PrintStream out) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == Shortcuts.SecretGet.class) {
                return cls.cast(new Shortcuts.SecretGet(io));
            }
            if (cls == DevCommand.Clock.class) {
                return cls.cast(new DevCommand.Clock(io));
            }
            if (cls == Shortcuts.KeyList.class) {
                return cls.cast(new Shortcuts.KeyList(io));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CliMain.class.getPackage().getImplementationVersion();
            return new String[] {"openkms " + (v == null ? "(development build)" : v)};
        }
    }
}
