package io.hearth.compute.semantics;

/**
 * Point-in-time selection over events sorted by (event_ts, created_ts, ingest order). The sort order carries
 * the tie rules, so the winner at time t is simply the last event with {@code event_ts <= t}.
 */
final class PointInTime {
    private PointInTime() {
    }

    /** Index of the last event with {@code ts[i] <= t} among the first {@code n}, or -1. */
    public static int lastAtOrBefore(long[] ts, int n, long t) {
        int lo = 0;
        int hi = n - 1;
        int ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] <= t) {
                ans = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return ans;
    }

    /**
     * The value of a plain feature at t: the latest event with {@code t - ttl <= event_ts <= t} (ttl 0: no lower
     * bound). {@code olderExist} says whether events older than this run exist (they were not loaded).
     */
    public static FeatureValue plain(long[] ts, int n, Column column, long t, long ttlMillis, boolean olderExist) {
        int i = lastAtOrBefore(ts, n, t);
        if (i < 0) {
            return olderExist ? new FeatureValue(null, Status.OUTSIDE_MAX_AGE, FeatureValue.NO_TIME) : FeatureValue.NOT_FOUND;
        }
        if (ttlMillis > 0 && ts[i] < t - ttlMillis) {
            return new FeatureValue(null, Status.OUTSIDE_MAX_AGE, ts[i]);
        }
        Object v = column.valueAt(i);
        return new FeatureValue(v, v == null ? Status.NULL_VALUE : Status.PRESENT, ts[i]);
    }
}
