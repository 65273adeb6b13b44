package io.hearth.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as definitions write them: {@code 250ms}, {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}. */
public final class Durations {
    private static final Pattern P = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    /** Milliseconds of a duration, or -1 when the text is not a duration. Zero is not a duration. */
    public static long parseMillis(String text) {
        if (text == null) {
            return -1;
        }
        Matcher m = P.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        if (n == 0 || n > Long.MAX_VALUE / unit) {
            return -1;
        }
        return n * unit;
    }

    /** The shortest exact spelling of a duration in milliseconds. */
    public static String format(long millis) {
        if (millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1_000L == 0) {
            return millis / 1_000L + "s";
        }
        return millis + "ms";
    }
}
