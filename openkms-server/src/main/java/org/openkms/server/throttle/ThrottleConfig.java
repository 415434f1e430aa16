package org.openkms.server.throttle;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Request rate limits (off by default): token buckets per credential (AccessKey ID, STS AccessKey ID or ClientKey
 * ID) and per instance (every call this server answers), each set per {@link OperationClass}.
 *
 * <p>Written as {@code class=RATE[:BURST],...}, e.g. {@code crypto=100:200,secretRead=50,management=10}: RATE calls
 * per second (fractions allowed), BURST how many may come at once after a quiet spell (default: RATE, at least 1).
 * A class left out is not limited.
 *
 * @param perCredential limits for each credential's own buckets
 * @param perInstance   limits for the buckets all calls share
 * @param maxBuckets    at most this many per-credential buckets per class are kept; full ones are forgotten first,
 *                      and a credential that finds no room shares one overflow bucket of its class
 */
public record ThrottleConfig(
        Map<OperationClass, Limit> perCredential, Map<OperationClass, Limit> perInstance, int maxBuckets) {

    public static final int DEFAULT_MAX_BUCKETS = 100_000;

    /** A rate (per second) and a burst. */
    public record Limit(double rate, long burst) {
        public Limit {
            if (!(rate > 0) || Double.isInfinite(rate) || rate > 1e9) {
                throw new IllegalArgumentException("a rate must be above 0 and at most 1e9 per second");
            }
            if (burst < 1) {
                throw new IllegalArgumentException("a burst must be at least 1");
            }
        }

        @Override
        public String toString() {
            String r = rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
            return r + ":" + burst;
        }
    }

    public ThrottleConfig {
        perCredential = Collections.unmodifiableMap(new EnumMap<>(copy(perCredential)));
        perInstance = Collections.unmodifiableMap(new EnumMap<>(copy(perInstance)));
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be at least 1");
        }
    }

    private static Map<OperationClass, Limit> copy(Map<OperationClass, Limit> m) {
        EnumMap<OperationClass, Limit> out = new EnumMap<>(OperationClass.class);
        if (m != null) {
            out.putAll(m);
        }
        return out;
    }

    public static ThrottleConfig off() {
        return new ThrottleConfig(Map.of(), Map.of(), DEFAULT_MAX_BUCKETS);
    }

    public boolean enabled() {
        return !perCredential.isEmpty() || !perInstance.isEmpty();
    }

    public ThrottleConfig withPerCredential(Map<OperationClass, Limit> v) {
        return new ThrottleConfig(v, perInstance, maxBuckets);
    }

    public ThrottleConfig withPerInstance(Map<OperationClass, Limit> v) {
        return new ThrottleConfig(perCredential, v, maxBuckets);
    }

    public ThrottleConfig withMaxBuckets(int v) {
        return new ThrottleConfig(perCredential, perInstance, v);
    }

    /**
     * Parses {@code crypto=100:200,secretRead=50}; empty or {@code off} means no limit. Errors name what to write.
     */
    public static Map<OperationClass, Limit> parse(String spec) {
        Map<OperationClass, Limit> out = new EnumMap<>(OperationClass.class);
        String s = spec == null ? "" : spec.trim();
        if (s.isEmpty() || s.toLowerCase(Locale.ROOT).equals("off")) {
            return out;
        }
        for (String part : s.split(",", -1)) {
            String p = part.trim();
            int eq = p.indexOf('=');
            OperationClass c = eq < 0 ? null : OperationClass.byLabel(p.substring(0, eq));
            if (c == null) {
                throw new IllegalArgumentException("'" + p + "' is not CLASS=RATE[:BURST] with CLASS one of crypto,"
                        + " secretRead, management (e.g. crypto=100:200,secretRead=50)");
            }
            if (out.containsKey(c)) {
                throw new IllegalArgumentException("class " + c.label() + " is given twice");
            }
            String value = p.substring(eq + 1).trim();
            int colon = value.indexOf(':');
            try {
                double rate = Double.parseDouble(colon < 0 ? value : value.substring(0, colon));
                long burst = colon < 0
                        ? Math.max(1, (long) Math.ceil(rate))
                        : Long.parseLong(value.substring(colon + 1).trim());
                out.put(c, new Limit(rate, burst));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "': RATE is calls per second (e.g. 100 or 0.5) and BURST"
                        + " a whole number (e.g. crypto=100:200)");
            }
        }
        return out;
    }

    /** The inverse of {@link #parse}. */
    public static String format(Map<OperationClass, Limit> limits) {
        if (limits.isEmpty()) {
            return "off";
        }
        StringJoiner j = new StringJoiner(",");
        limits.forEach((c, l) -> j.add(c.label() + "=" + l));
        return j.toString();
    }
}
