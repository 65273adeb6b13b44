package io.hearth.compute.semantics;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * The exactly rounded sum of doubles: the exact mathematical sum of every value added, rounded once (half to even)
 * to the nearest double. Unlike a left-to-right loop, the result does not depend on the order or grouping of the
 * additions, so a window's sum computed from per-block partial sums equals the same window summed event by event,
 * bit for bit (see docs/decisions/0012-window-summaries.md).
 *
 * <p>Shewchuk's algorithm, as in Python's {@code math.fsum}: the exact running sum is kept as a short list of
 * non-overlapping doubles ("partials") in increasing magnitude, usually one to three. Infinities and NaN are summed
 * apart (any NaN, or +inf with -inf, gives NaN). A running sum that leaves the double range while every input is
 * finite sets {@link #overflowed()}: the partials are then no longer exact, and callers with the raw values at hand
 * use {@link #exact(double[], int)} instead.
 */
public final class ExactSum {
    private double[] p;
    private int n;
    private double special;
    private boolean hasSpecial;
    private boolean overflowed;

    public ExactSum() {
        p = new double[4];
    }

    /** A sum restored from its {@link #partials()}. */
    public static ExactSum of(double[] partials) {
        ExactSum s = new ExactSum();
        for (double x : partials) {
            s.add(x);
        }
        return s;
    }

    public void reset() {
        n = 0;
        special = 0;
        hasSpecial = false;
        overflowed = false;
    }

    public void add(double x) {
        if (!Double.isFinite(x)) {
            special += x;
            hasSpecial = true;
            return;
        }
        double[] ps = p;
        int i = 0;
        for (int j = 0; j < n; j++) {
            double y = ps[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                ps[i++] = lo;
            }
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (!Double.isFinite(x)) {
                overflowed = true;
                n = 0;
                return;
            }
            if (n == ps.length) {
                p = ps = Arrays.copyOf(ps, n * 2);
            }
            ps[n++] = x;
        }
    }

    /** Adds everything {@code other} holds. */
    public void add(ExactSum other) {
        if (other.hasSpecial) {
            special += other.special;
            hasSpecial = true;
        }
        overflowed |= other.overflowed;
        for (int i = 0; i < other.n; i++) {
            add(other.p[i]);
        }
    }

    /** Whether a running sum left the double range; {@link #value()} is then not exact. */
    public boolean overflowed() {
        return overflowed;
    }

    /** The partials whose exact sum is the sum so far (finite values only); for storing a sum. */
    public double[] partials() {
        return Arrays.copyOf(p, n);
    }

    /** Whether an infinity or NaN was added. */
    public boolean hasSpecial() {
        return hasSpecial;
    }

    /** The infinities and NaNs added, summed. */
    public double special() {
        return special;
    }

    /** The exact sum rounded once to the nearest double (ties to even). */
    public double value() {
        if (hasSpecial) {
            return special;
        }
        int k = n;
        double hi = 0.0;
        if (k > 0) {
            double lo = 0.0;
            hi = p[--k];
            while (k > 0) {
                double x = hi;
                double y = p[--k];
                hi = x + y;
                double yr = hi - x;
                lo = y - yr;
                if (lo != 0.0) {
                    break;
                }
            }
            // Half-even rounding across partials: a tie at hi's last bit is broken by the partials below it.
            if (k > 0 && ((lo < 0.0 && p[k - 1] < 0.0) || (lo > 0.0 && p[k - 1] > 0.0))) {
                double y = lo * 2.0;
                double x = hi + y;
                double yr = x - hi;
                if (y == yr) {
                    hi = x;
                }
            }
        }
        return hi;
    }

    /**
     * The same rounded sum computed with BigDecimal, for the rare sums whose partials overflow: values beyond the
     * double range round to an infinity.
     */
    public static double exact(double[] values, int count) {
        double special = 0;
        boolean hasSpecial = false;
        BigDecimal s = BigDecimal.ZERO;
        for (int i = 0; i < count; i++) {
            double x = values[i];
            if (!Double.isFinite(x)) {
                special += x;
                hasSpecial = true;
            } else {
                s = s.add(new BigDecimal(x));
            }
        }
        return hasSpecial ? special : s.doubleValue();
    }
}
