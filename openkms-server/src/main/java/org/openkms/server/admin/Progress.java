package org.openkms.server.admin;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr ("rows done / total"), redrawn at most ten times a second. Off with --quiet and
 * when stderr is not a terminal (System.console() is null when stdin or stdout is not a terminal either, which
 * errs on the side of no bar in pipes and logs).
 */
final class Progress {
    private static final int WIDTH = 30;
    private final String label;
    private final PrintStream err;
    private final boolean enabled;
    private long total;
    private long done;
    private long lastDraw;

    private Progress(String label, PrintStream err, boolean enabled) {
        this.label = label;
        this.err = err;
        this.enabled = enabled;
    }

    static Progress onStderr(String label, boolean quiet) {
        return new Progress(label, System.err, !quiet && System.console() != null);
    }

    static Progress none() {
        return new Progress("", System.err, false);
    }

    void start(long totalRows) {
        this.total = totalRows;
        this.done = 0;
        draw(true);
    }

    void advance(long rows) {
        done += rows;
        draw(false);
    }

    void finish() {
        if (enabled) {
            draw(true);
            err.println();
            err.flush();
        }
    }

    private void draw(boolean force) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total
                + " rows");
        err.flush();
    }
}
