package org.openkms.conformance.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the fenced code blocks (CommonMark backtick fences, possibly indented inside a list item) of a Markdown
 * file, with the marker comments just above each one.
 */
final class MarkdownExamples {
    private static final Pattern OPEN = Pattern.compile("^( *)(`{3,})\\s*([^`\\s]*).*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*example:(.*?)-->\\s*$");

    private MarkdownExamples() {}

    /** The blocks of {@code root.resolve(relative)}, in file order. */
    static List<DocExample> read(Path root, String relative) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve(relative), StandardCharsets.UTF_8);
        List<DocExample> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = OPEN.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int indent = open.group(1).length();
            String fence = open.group(2);
            List<String> body = new ArrayList<>();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).strip().startsWith(fence)) {
                String l = lines.get(j);
                int cut = Math.min(indent, l.length() - l.stripLeading().length());
                body.add(l.substring(cut));
                j++;
            }
            if (j == lines.size()) {
                throw new IllegalStateException(relative + ":" + (i + 1) + ": code block never closed");
            }
            examples.add(new DocExample(
                    relative, i + 2, open.group(3), String.join("\n", body) + "\n", markersAbove(lines, i)));
            i = j;
        }
        return examples;
    }

    /** The marker comments on the lines right above line {@code fence} (blank lines between them allowed). */
    private static List<String> markersAbove(List<String> lines, int fence) {
        List<String> markers = new ArrayList<>();
        for (int k = fence - 1; k >= 0; k--) {
            String l = lines.get(k);
            if (l.isBlank()) {
                continue;
            }
            Matcher m = MARKER.matcher(l);
            if (!m.matches()) {
                break;
            }
            markers.add(0, m.group(1));
        }
        return markers;
    }
}
