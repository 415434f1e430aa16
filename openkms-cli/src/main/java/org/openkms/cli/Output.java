package org.openkms.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an answer is printed: indented JSON by default, or the aliyun CLI's table,
 * {@code --output cols=KeyId,KeyArn rows=Keys.Key[]} (https://www.alibabacloud.com/help/en/cli/use-the-output-parameter):
 * {@code rows} is a path into the answer whose {@code []} steps expand lists, {@code cols} the fields of each row.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> cols;
    private final String rows;

    private Output(List<String> cols, String rows) {
        this.cols = cols;
        this.rows = rows;
    }

    static Output json() {
        return new Output(List.of(), null);
    }

    /** Parses the words after {@code --output}: {@code cols=a,b} and optionally {@code rows=path}. */
    static Output parse(List<String> words) {
        List<String> cols = List.of();
        String rows = null;
        for (String w : words) {
            if (w.startsWith("cols=")) {
                cols = List.of(w.substring(5).split(","));
            } else if (w.startsWith("rows=")) {
                rows = w.substring(5);
            } else {
                throw new CliException("--output " + w + ": expected cols=<field,...> [rows=<path>]");
            }
        }
        if (cols.isEmpty() || cols.stream().anyMatch(String::isBlank)) {
            throw new CliException("--output needs cols=<field,...>, e.g. --output cols=KeyId,KeyArn rows=Keys.Key[]");
        }
        return new Output(cols, rows);
    }

    String render(Map<String, Object> body) {
        if (cols.isEmpty()) {
            try {
                return JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        List<Object> items = rows == null ? List.of(body) : select(body, rows);
        List<List<String>> table = new ArrayList<>();
        table.add(cols);
        for (Object item : items) {
            List<String> row = new ArrayList<>();
            for (String c : cols) {
                List<Object> v = select(item, c);
                row.add(v.isEmpty() || v.get(0) == null ? "" : String.valueOf(v.get(0)));
            }
            table.add(row);
        }
        return table(table);
    }

    /** The values at {@code path} (dot-separated; a step ending in {@code []} expands a list). */
    static List<Object> select(Object root, String path) {
        List<Object> current = List.of(root);
        for (String step : path.split("\\.")) {
            boolean expand = step.endsWith("[]");
            String name = expand ? step.substring(0, step.length() - 2) : step;
            List<Object> next = new ArrayList<>();
            for (Object o : current) {
                Object v = name.isEmpty() ? o : o instanceof Map<?, ?> m ? m.get(name) : null;
                if (v == null) {
                    continue;
                }
                if (expand && v instanceof List<?> list) {
                    next.addAll(list);
                } else {
                    next.add(v);
                }
            }
            current = next;
        }
        return current;
    }

    private static String table(List<List<String>> rows) {
        int[] width = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            line(b, rows.get(n), width);
            if (n == 0) {
                List<String> dashes = new ArrayList<>();
                for (int w : width) {
                    dashes.add("-".repeat(w));
                }
                line(b, dashes, width);
            }
        }
        return b.toString().stripTrailing();
    }

    private static void line(StringBuilder b, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                l.append(" | ");
            }
            l.append(cells.get(i)).append(" ".repeat(width[i] - cells.get(i).length()));
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }
}
