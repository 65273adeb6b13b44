package io.hearth.gateway.serving;

/**
 * The text of a double as the lookup answer's JSON writer gives it (Jackson's fast writer: the shortest decimal that
 * reads back as the double, plain notation between 10^-3 and 10^7), found without the general shortest-digits search
 * for the values features mostly hold: those a few decimal places say exactly (amounts in cents, counts, rates).
 *
 * <p>Why it is exact: for {@code a} in [10^-3, 10^7) and {@code k} at most 8, {@code m = round(a * 10^k)} is below
 * 2^53 and {@code m / 10^k} is the double nearest the decimal {@code m * 10^-k} (one correctly rounded division of
 * two exact doubles), so the test {@code m / 10^k == a} says that decimal reads back as {@code a}. The smallest such
 * {@code k} gives the shortest decimal: a shorter one would have fewer places and, being in the double's rounding
 * interval, the nearest decimal with that many places would be too. Within one {@code k} there is no choice to make:
 * below 10^7 a double's rounding interval (at most 2^-29 wide) is narrower than 10^-8. Every other value (more than
 * 8 places, outside the plain range, NaN, infinities) is left to Jackson. {@code DecimalTextTest} compares the two
 * byte for byte on random values of every kind.
 */
final class DecimalText {
    private static final double[] TENS = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

    /** Characters {@link #format} may write. */
    static final int MAX_CHARS = 26;

    private DecimalText() {
    }

    /**
     * Writes the text of {@code v} into {@code out} from index 0 and returns its length, or -1 when {@code v} is not
     * one of the values this class formats (the caller then asks Jackson).
     */
    static int format(double v, char[] out) {
        double a = Math.abs(v);
        if (a == 0) {
            return copy(Double.doubleToRawLongBits(v) < 0 ? "-0.0" : "0.0", out);
        }
        if (!(a >= 1e-3 && a < 1e7)) {
            return -1;
        }
        for (int k = 0; k < TENS.length; k++) {
            long m = Math.round(a * TENS[k]);
            if (m / TENS[k] == a) {
                return write(v < 0, m, k, out);
            }
        }
        return -1;
    }

    /** {@code [-]m * 10^-k} in plain notation with at least one fractional digit, written from its last character. */
    private static int write(boolean negative, long m, int k, char[] out) {
        int digits = 1;
        for (long x = m / 10; x != 0; x /= 10) {
            digits++;
        }
        int length = (negative ? 1 : 0) + Math.max(digits - k, 1) + 1 + Math.max(k, 1);
        int p = length - 1;
        if (k == 0) {
            out[p--] = '0';
        }
        for (int i = 0; i < k; i++) {
            out[p--] = (char) ('0' + m % 10);
            m /= 10;
        }
        out[p--] = '.';
        do {
            out[p--] = (char) ('0' + m % 10);
            m /= 10;
        } while (m != 0);
        if (negative) {
            out[p] = '-';
        }
        return length;
    }

    private static int copy(String s, char[] out) {
        s.getChars(0, s.length(), out, 0);
        return s.length();
    }
}
