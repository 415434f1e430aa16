package org.openkms.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a command's input: a file, or standard input for {@code -}. */
final class Input {
    private Input() {}

    static byte[] read(String option, String path, InputStream stdin) {
        try {
            return "-".equals(path) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new CliException(option + " " + path + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
