package org.openkms.bench;

import java.util.Locale;

/**
 * {@code --rate}: closed loop (absent), a fixed open-loop rate ({@code 5000}), or a share of each action's
 * closed-loop peak ({@code 70%}: measured closed-loop first, then open-loop at 70 % of what it reached).
 */
record Pacing(double fixedRate, double shareOfPeak) {
    static Pacing parse(String text) {
        if (text == null || text.isBlank()) {
            return new Pacing(0, 0);
        }
        String t = text.trim();
        try {
            if (t.endsWith("%")) {
                double pct = Double.parseDouble(t.substring(0, t.length() - 1));
                if (!(pct > 0 && pct <= 100)) {
                    throw new IllegalArgumentException("--rate " + text + ": a share must be in (0%, 100%]");
                }
                return new Pacing(0, pct / 100);
            }
            double r = Double.parseDouble(t);
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException(
                        "--rate " + text + ": give requests per second (> 0) or a share like 70%");
            }
            return new Pacing(r, 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--rate " + text + ": give requests per second (e.g. 5000) or a share like 70%");
        }
    }

    /** The report label's suffix for a run at {@code rate} (0: closed loop, no suffix). */
    static String label(double rate) {
        return rate > 0 ? String.format(Locale.ROOT, ", open loop @ %,.0f/s", rate) : "";
    }
}
