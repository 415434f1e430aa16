package org.openkms.bench;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1m30s}, a bare number of seconds, or ISO {@code PT10S}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("pt")) {
            return nonNegative(Duration.parse(s.toUpperCase(Locale.ROOT)), value);
        }
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Duration total = Duration.ZERO;
        int i = 0;
        if (s.isEmpty()) {
            throw bad(value);
        }
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (i == start) {
                throw bad(value);
            }
            double n;
            try {
                n = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw bad(value);
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            long millisPerUnit = switch (s.substring(unitStart, i)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m", "min" -> 60_000;
                case "h" -> 3_600_000;
                default -> throw bad(value);
            };
            total = total.plusMillis(Math.round(n * millisPerUnit));
        }
        return total;
    }

    private static Duration nonNegative(Duration d, String value) {
        if (d.isNegative()) {
            throw bad(value);
        }
        return d;
    }

    private static CommandLine.TypeConversionException bad(String value) {
        return new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration (e.g. 10s, 500ms, 2m, 1m30s)");
    }
}
