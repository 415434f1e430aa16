package org.openkms.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code openkms server --no-console} is parsed (what it does is ConsoleHttpTest's). */
class ConsoleFlagTest {
    @Test
    void noConsoleIsAFlag() {
        Main on = new Main();
        new CommandLine(on).parseArgs();
        assertThat(on.noConsole).isFalse();
        Main off = new Main();
        new CommandLine(off).parseArgs("--no-console");
        assertThat(off.noConsole).isTrue();
        assertThat(Main.commandLine().getUsageMessage()).contains("--no-console");
    }
}
