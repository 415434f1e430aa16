package org.openkms.wire;

/**
 * The OpenAPI timestamp format of {@code Timestamp} (RPC) and {@code x-acs-date} (ACS3/ACS4): UTC
 * {@code yyyy-MM-dd'T'HH:mm:ss'Z'}, second precision, e.g. {@code 2026-11-22T23:45:21Z}.
 *
 * <p>Hand-written instead of java.time formatters because it runs on every request; the calendar arithmetic is the
 * standard proleptic-Gregorian days-from-civil conversion.
 */
public final class Timestamps {

    private static final int LENGTH = 20;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private Timestamps() {}

    /** Formats at second precision (milliseconds are truncated toward the past). Years 0000-9999 only. */
    public static String format(long epochMillis) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int secondOfDay = (int) (Math.floorMod(epochMillis, MILLIS_PER_DAY) / 1000);
        // civil_from_days (H. Hinnant)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year out of range: " + year);
        }
        char[] c = new char[LENGTH];
        put4(c, 0, (int) year);
        c[4] = '-';
        put2(c, 5, month);
        c[7] = '-';
        put2(c, 8, day);
        c[10] = 'T';
        put2(c, 11, secondOfDay / 3600);
        c[13] = ':';
        put2(c, 14, secondOfDay / 60 % 60);
        c[16] = ':';
        put2(c, 17, secondOfDay % 60);
        c[19] = 'Z';
        return new String(c);
    }

    /**
     * Parses exactly {@code yyyy-MM-dd'T'HH:mm:ss'Z'} (no fraction, no offset other than 'Z', no leap second).
     *
     * @return epoch milliseconds
     * @throws IllegalArgumentException if {@code s} is not such a timestamp or names an impossible date
     */
    public static long parse(String s) {
        if (s == null
                || s.length() != LENGTH
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(19) != 'Z') {
            throw new IllegalArgumentException("not a yyyy-MM-ddTHH:mm:ssZ timestamp: " + s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (month < 1
                || month > 12
                || day < 1
                || day > daysInMonth(year, month)
                || hour > 23
                || minute > 59
                || second > 59) {
            throw new IllegalArgumentException("invalid date or time: " + s);
        }
        return (daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second) * 1000L;
    }

    private static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a yyyy-MM-ddTHH:mm:ssZ timestamp: " + s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void put2(char[] c, int at, int v) {
        c[at] = (char) ('0' + v / 10);
        c[at + 1] = (char) ('0' + v % 10);
    }

    private static void put4(char[] c, int at, int v) {
        put2(c, at, v / 100);
        put2(c, at + 2, v % 100);
    }
}
