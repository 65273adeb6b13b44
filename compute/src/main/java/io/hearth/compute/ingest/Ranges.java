package io.hearth.compute.ingest;

import java.util.Arrays;

/**
 * A set of record indexes as sorted, disjoint, non-adjacent half-open ranges {@code [from, to)}, stored flat as
 * {@code long[]{from0, to0, from1, to1, ...}}. Used for the records of an idempotency key that were already
 * accepted: a file's rows, less the rejected ones, are a few ranges however long the file.
 */
public final class Ranges {
    public static final long[] EMPTY = new long[0];

    private Ranges() {
    }

    /** Whether {@code i} lies in one of the ranges. */
    public static boolean contains(long[] ranges, long i) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (i < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (i >= ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** The union of two range sets, normalized (sorted, merged where they touch or overlap). */
    public static long[] union(long[] a, long[] b) {
        long[] all = new long[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        int n = all.length / 2;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compare(all[2 * x], all[2 * y]));
        long[] out = new long[all.length];
        int m = 0;
        for (int k = 0; k < n; k++) {
            long from = all[2 * order[k]];
            long to = all[2 * order[k] + 1];
            if (from >= to) {
                continue;
            }
            if (m > 0 && from <= out[m - 1]) {
                out[m - 1] = Math.max(out[m - 1], to);
            } else {
                out[m++] = from;
                out[m++] = to;
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** The indexes in both range sets. */
    public static long[] intersection(long[] a, long[] b) {
        long[] out = new long[Math.min(a.length, b.length) * 2 + 2];
        int m = 0;
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            long from = Math.max(a[i], b[j]);
            long to = Math.min(a[i + 1], b[j + 1]);
            if (from < to) {
                if (m + 2 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[m++] = from;
                out[m++] = to;
            }
            if (a[i + 1] < b[j + 1]) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** The indexes of {@code a} that are not in {@code b}. */
    public static long[] minus(long[] a, long[] b) {
        long[] out = new long[a.length + b.length + 2];
        int m = 0;
        int j = 0;
        for (int i = 0; i < a.length; i += 2) {
            long from = a[i];
            long to = a[i + 1];
            while (j < b.length && b[j + 1] <= from) {
                j += 2;
            }
            int k = j;
            while (from < to) {
                if (k >= b.length || b[k] >= to) {
                    out[m++] = from;
                    out[m++] = to;
                    break;
                }
                if (b[k] > from) {
                    out[m++] = from;
                    out[m++] = b[k];
                }
                from = Math.max(from, b[k + 1]);
                k += 2;
            }
            if (m + 4 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** The ranges with every index below {@code floor} taken out. */
    public static long[] atOrAbove(long[] ranges, long floor) {
        int k = 0;
        while (k < ranges.length && ranges[k + 1] <= floor) {
            k += 2;
        }
        if (k == 0 && (ranges.length == 0 || ranges[0] >= floor)) {
            return ranges;
        }
        long[] out = Arrays.copyOfRange(ranges, k, ranges.length);
        if (out.length > 0 && out[0] < floor) {
            out[0] = floor;
        }
        return out;
    }

    /** Collects indexes given in increasing order into ranges. */
    public static final class Builder {
        private long[] r = new long[8];
        private int n;

        public void add(long i) {
            if (n > 0 && r[n - 1] == i) {
                r[n - 1] = i + 1;
                return;
            }
            if (n > 0 && i < r[n - 1]) {
                throw new IllegalArgumentException("indexes must increase: " + i + " after " + (r[n - 1] - 1));
            }
            if (n + 2 > r.length) {
                r = Arrays.copyOf(r, r.length * 2);
            }
            r[n++] = i;
            r[n++] = i + 1;
        }

        public boolean isEmpty() {
            return n == 0;
        }

        public long[] build() {
            return Arrays.copyOf(r, n);
        }
    }
}
