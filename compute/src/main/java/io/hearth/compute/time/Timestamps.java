package io.hearth.compute.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times are UTC instants with millisecond precision, from {@link #MIN} (1970-01-01T00:00:00.000Z) to {@link #MAX}
 * (9999-12-31T23:59:59.999Z). Inputs are ISO-8601 (offsets allowed; a time without offset is read as UTC; a space
 * may stand for the 'T') or epoch milliseconds; anything outside that range is refused, so that every time Hearth
 * accepts has one four-digit ISO form and no arithmetic on it (ttl, windows) overflows.
 */
public final class Timestamps {
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    /** The earliest time Hearth accepts: 1970-01-01T00:00:00.000Z. */
    public static final long MIN = 0L;
    /** The latest time Hearth accepts: 9999-12-31T23:59:59.999Z. */
    public static final long MAX = 253_402_300_799_999L;
    /** The rule a time outside {@link #MIN}..{@link #MAX} breaks, for error answers. */
    public static final String RANGE_TEXT = "from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z";

    private Timestamps() {
    }

    /**
     * Epoch milliseconds of a text timestamp; throws {@link IllegalArgumentException} naming the text when it is
     * not a timestamp or lies outside {@link #MIN}..{@link #MAX}.
     */
    public static long parse(String text) {
        String s = text.trim();
        if (!s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' && s.length() > 1)
            && s.chars().skip(1).allMatch(Character::isDigit)) {
            long v;
            try {
                v = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw outOfRange(text);
            }
            return checkRange(v, text);
        }
        String t = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        try {
            try {
                return checkRange(OffsetDateTime.parse(t).toInstant().toEpochMilli(), text);
            } catch (DateTimeParseException e) {
                // fall through to the forms without offset
            }
            try {
                return checkRange(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli(), text);
            } catch (DateTimeParseException e) {
                // fall through
            }
            try {
                return checkRange(LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli(), text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + shorten(text) + "' is not an ISO-8601 timestamp or epoch milliseconds");
            }
        } catch (ArithmeticException | java.time.DateTimeException e) { // a year far past what an instant holds
            throw outOfRange(text);
        }
    }

    /** Whether epoch milliseconds lie in the range Hearth accepts. */
    public static boolean inRange(long epochMillis) {
        return epochMillis >= MIN && epochMillis <= MAX;
    }

    /**
     * Checks epoch milliseconds given as a number; throws {@link IllegalArgumentException} naming the value when it
     * lies outside {@link #MIN}..{@link #MAX}.
     */
    public static long checkRange(long epochMillis, Object given) {
        if (!inRange(epochMillis)) {
            throw outOfRange(given);
        }
        return epochMillis;
    }

    private static IllegalArgumentException outOfRange(Object given) {
        return new IllegalArgumentException("'" + shorten(String.valueOf(given)) + "' is outside the times Hearth accepts ("
            + RANGE_TEXT + ")");
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** 0000-01-01 and 9999-12-31 as epoch millis: the range the fast path writes with four-digit years. */
    private static final long FAST_FROM = -62_167_219_200_000L;
    private static final long FAST_TO = 253_402_300_799_999L;

    /**
     * ISO-8601 in UTC with milliseconds, e.g. {@code 2026-01-31T12:00:00.000Z}. Lookups write one per value, so
     * years 0 to 9999 are written by arithmetic (civil date from the day number) instead of a
     * {@link DateTimeFormatter}, which cost more than the rest of a lookup; other years go to the formatter.
     */
    public static String format(long epochMillis) {
        if (epochMillis < FAST_FROM || epochMillis > FAST_TO) {
            return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
        }
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int ms = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // Days to civil date (proleptic Gregorian), after H. Hinnant's days_from_civil inverse.
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        int y = (int) (yoe + era * 400 + (m <= 2 ? 1 : 0));
        char[] c = new char[24];
        digits(c, 0, y, 4);
        c[4] = '-';
        digits(c, 5, m, 2);
        c[7] = '-';
        digits(c, 8, d, 2);
        c[10] = 'T';
        digits(c, 11, ms / 3_600_000, 2);
        c[13] = ':';
        digits(c, 14, ms / 60_000 % 60, 2);
        c[16] = ':';
        digits(c, 17, ms / 1000 % 60, 2);
        c[19] = '.';
        digits(c, 20, ms % 1000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }
}
