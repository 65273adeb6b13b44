package io.hearth.quality;

import java.util.Arrays;

/**
 * The distance between a window's values and a reference distribution (docs/semantics.md, "Data quality"): the
 * population stability index over the reference's decile bins, and the two-sample Kolmogorov-Smirnov statistic.
 * Nulls are never passed in: callers leave them out.
 */
public final class Drift {
    /** The share an empty bin is taken to have, so that the logarithm stays finite. */
    public static final double EMPTY_SHARE = 0.0001;
    public static final int BINS = 10;

    private Drift() {
    }

    /**
     * The nine inner edges of ten bins holding a tenth of {@code sorted} each: the deciles, by linear interpolation
     * between closest ranks ({@code h = (n - 1) q}, as numpy's default and R's type 7).
     */
    public static double[] decileEdges(double[] sorted) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values to take deciles of");
        }
        double[] edges = new double[BINS - 1];
        for (int i = 1; i < BINS; i++) {
            edges[i - 1] = quantile(sorted, i / (double) BINS);
        }
        return edges;
    }

    /** The {@code q}-quantile of sorted values, by linear interpolation between closest ranks (type 7). */
    public static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * The bin of a value: bin 0 is {@code v < edges[0]}, bin i is {@code edges[i-1] <= v < edges[i]}, the last bin
     * {@code v >= edges[8]} (outer bins open-ended).
     */
    public static int bin(double[] edges, double v) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) { // the number of edges <= v
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Each bin's share of the values (counted into {@code edges}' bins); all zero when there are none. */
    public static double[] shares(double[] edges, double[] values, int n) {
        long[] counts = new long[edges.length + 1];
        for (int i = 0; i < n; i++) {
            counts[bin(edges, values[i])]++;
        }
        return shares(counts);
    }

    public static double[] shares(long[] counts) {
        long total = Arrays.stream(counts).sum();
        double[] s = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            s[i] = total == 0 ? 0 : (double) counts[i] / total;
        }
        return s;
    }

    /** {@code PSI = sum over bins of (cur - ref) * ln(cur / ref)}, an empty bin's share taken as {@link #EMPTY_SHARE}. */
    public static double psi(double[] refShares, double[] curShares) {
        double psi = 0;
        for (int i = 0; i < refShares.length; i++) {
            double r = Math.max(refShares[i], EMPTY_SHARE);
            double c = Math.max(curShares[i], EMPTY_SHARE);
            psi += (c - r) * Math.log(c / r);
        }
        return psi;
    }

    /**
     * The two-sample Kolmogorov-Smirnov statistic: the largest distance between the two empirical distribution
     * functions, {@code sup |F_ref(x) - F_cur(x)|}. Both arrays sorted; only the first {@code nb} of {@code b} count.
     */
    public static double ks(double[] a, double[] b, int nb) {
        int na = a.length;
        if (na == 0 || nb == 0) {
            return Double.NaN;
        }
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < na && j < nb) {
            double x = Math.min(a[i], b[j]);
            while (i < na && a[i] <= x) {
                i++;
            }
            while (j < nb && b[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / na - (double) j / nb));
        }
        return d;
    }
}
