package org.openkms.core.key;

import java.time.Duration;
import org.openkms.core.error.Errors;

/** RotationInterval values: {@code <int>[d|h|m|s]} on input (e.g. 30d, 604800s), always seconds + "s" on output. */
public final class RotationIntervals {
    private RotationIntervals() {}

    public static long parseSeconds(String value) {
        if (value == null || value.length() < 2) {
            throw Errors.invalidParameter("RotationInterval", "Expected <number>[d|h|m|s], e.g. 30d.");
        }
        char unit = value.charAt(value.length() - 1);
        long multiplier = switch (unit) {
            case 'd' -> 86_400L;
            case 'h' -> 3_600L;
            case 'm' -> 60L;
            case 's' -> 1L;
            default -> throw Errors.invalidParameter("RotationInterval", "Expected <number>[d|h|m|s], e.g. 30d.");
        };
        String digits = value.substring(0, value.length() - 1);
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
            throw Errors.invalidParameter("RotationInterval", "Expected <number>[d|h|m|s], e.g. 30d.");
        }
        return Long.parseLong(digits) * multiplier;
    }

    public static void checkRange(long seconds, Duration min, Duration max) {
        if (seconds < min.getSeconds() || seconds > max.getSeconds()) {
            throw Errors.invalidParameter(
                    "RotationInterval",
                    "The rotation interval must be between " + min.getSeconds() + "s and " + max.getSeconds() + "s.");
        }
    }

    public static String format(long seconds) {
        return seconds + "s";
    }
}
