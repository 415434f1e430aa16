package org.openkms.conformance.docs;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One fenced code block of a Markdown file, with the {@code <!-- example: ... -->} markers written just above it.
 *
 * @param file the file's path relative to the repository root, e.g. {@code docs/cli.md}
 * @param line the 1-based line of the block's first content line (the line after the opening fence)
 * @param language the fence's info string ({@code bash}, {@code java}, ...), empty when it has none
 * @param body the block's lines, without the fences and without the fence's indentation
 * @param markers the text after {@code example:} of each marker comment above the block, nearest last
 */
record DocExample(String file, int line, String language, String body, List<String> markers) {

    /** The test's name: where a reader finds the block. */
    String name() {
        return file + ":" + line + (language.isEmpty() ? "" : " [" + language + "]");
    }

    /** The reason given by {@code <!-- example: skip REASON -->}, if the block carries one. */
    Optional<String> skipReason() {
        return argumentOf("skip").map(String::strip);
    }

    /** Whether a bare marker {@code <!-- example: WORD -->} is present. */
    boolean has(String word) {
        return markers.stream().anyMatch(m -> m.strip().equals(word));
    }

    /** The shell command of {@code <!-- example: WORD COMMAND -->} ({@code before}, {@code after}), if any. */
    Optional<String> command(String word) {
        return argumentOf(word).map(String::strip).filter(c -> !c.isEmpty());
    }

    /** The names listed by {@code <!-- example: imports a.b.C a.b.* -->}, for Java blocks. */
    List<String> imports() {
        return argumentOf("imports")
                .map(s -> Arrays.stream(s.strip().split("[\\s,]+"))
                        .filter(x -> !x.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    private Optional<String> argumentOf(String word) {
        return markers.stream()
                .map(String::strip)
                .filter(m -> m.startsWith(word + " ") || m.equals(word))
                .map(m -> m.substring(word.length()))
                .findFirst();
    }
}
