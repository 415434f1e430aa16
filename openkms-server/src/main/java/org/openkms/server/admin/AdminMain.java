package org.openkms.server.admin;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openkms.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code openkms admin ...}: the offline administration commands, run against a data dir or a database directly
 * (not through the API): backup, restore, export-root-key, create-access-key. See docs/backup.md.
 */
@Command(
        name = "admin",
        mixinStandardHelpOptions = true,
        description = "OpenKMS administration: backup and restore, root key export, AccessKeys (docs/backup.md).",
        subcommands = {
            BackupCommand.class,
            RestoreCommand.class,
            ExportRootKeyCommand.class,
            CreateAccessKeyCommand.class,
            RotateRootKeyCommand.class
        })
public final class AdminMain implements Callable<Integer> {
    /** Exit status of a refusal (as the server's configuration errors). */
    static final int REFUSED = 2;

    final Map<String, String> env;

    @Spec
    CommandSpec spec;

    AdminMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        // The storage's start-up lines (migrations) are noise around a command's own one-line result.
        if (org.slf4j.LoggerFactory.getLogger("org.openkms.storage") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command with its error handling: refusals are one line on stderr, exit status 2. */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cmd = new CommandLine(new AdminMain(env));
        cmd.setExecutionExceptionHandler((e, command, parsed) -> {
            PrintWriter err = command.getErr();
            if (e instanceof AdminException) {
                err.println("openkms admin: " + e.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " "));
            } else if (e instanceof ConfigException c) {
                err.println(c.line());
            } else {
                throw e;
            }
            err.flush();
            return REFUSED;
        });
        cmd.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine()
                    .getErr()
                    .println("openkms admin: " + e.getMessage() + " (openkms admin "
                            + (e.getCommandLine() == cmd
                                    ? ""
                                    : e.getCommandLine().getCommandName() + " ")
                            + "--help lists the options)");
            e.getCommandLine().getErr().flush();
            return REFUSED;
        });
        return cmd;
    }

    /** {@code openkms admin} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return REFUSED;
    }
}
