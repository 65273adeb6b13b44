package io.hearth.compute.ingest;

import java.util.ArrayDeque;

/**
 * A source's recent ingest outcomes, for its circuit breaker: the accepted and rejected counts of the last
 * batches, holding about {@code capacity} records (whole batches are dropped from the old end once the rest still
 * hold {@code capacity}). The reject rate is judged only over at least {@code minRecords} records, so that two
 * bad records out of three do not trip a breaker. Not thread-safe: one per consumer or guarded by its owner.
 */
public final class RejectWindow {
    private final long capacity;
    private final long minRecords;
    private final ArrayDeque<long[]> batches = new ArrayDeque<>(); // {total, rejected}
    private long total;
    private long rejected;

    public RejectWindow(long capacity, long minRecords) {
        if (capacity < 1 || minRecords < 1 || minRecords > capacity) {
            throw new IllegalArgumentException("need 1 <= minRecords <= capacity, got minRecords=" + minRecords
                + ", capacity=" + capacity);
        }
        this.capacity = capacity;
        this.minRecords = minRecords;
    }

    /**
     * Whether the window with a batch of {@code batchTotal} records ({@code batchRejected} of them rejected) added
     * would have a reject rate over {@code threshold}: the test a breaker makes before it lets a batch through.
     * Rates are compared strictly: a threshold of 0 trips on the first reject, 1 never trips.
     */
    public boolean wouldExceed(double threshold, long batchTotal, long batchRejected) {
        long[] t = trimmed(total + batchTotal, rejected + batchRejected);
        return t[0] >= minRecords && (double) t[1] / t[0] > threshold;
    }

    /** The {records, rejected} a batch would be judged on: the window with the batch, trimmed as the judgment trims it. */
    public long[] judged(long batchTotal, long batchRejected) {
        return trimmed(total + batchTotal, rejected + batchRejected);
    }

    /** Adds a batch's outcome. */
    public void add(long batchTotal, long batchRejected) {
        if (batchTotal < 0 || batchRejected < 0 || batchRejected > batchTotal) {
            throw new IllegalArgumentException("bad batch counts: total=" + batchTotal + ", rejected=" + batchRejected);
        }
        if (batchTotal == 0) {
            return;
        }
        batches.addLast(new long[] {batchTotal, batchRejected});
        total += batchTotal;
        rejected += batchRejected;
        while (batches.size() > 1 && total - batches.peekFirst()[0] >= capacity) {
            long[] old = batches.removeFirst();
            total -= old[0];
            rejected -= old[1];
        }
    }

    /** Counts after dropping old batches the way {@link #add} would, without changing the window. */
    private long[] trimmed(long t, long r) {
        for (long[] b : batches) {
            if (t - b[0] < capacity) {
                break;
            }
            t -= b[0];
            r -= b[1];
        }
        return new long[] {t, r};
    }

    /** Reject rate over the window, or 0 when it holds fewer than {@code minRecords} records. */
    public double rate() {
        return total < minRecords ? 0 : (double) rejected / total;
    }

    public long total() {
        return total;
    }

    public long rejected() {
        return rejected;
    }

    public void clear() {
        batches.clear();
        total = 0;
        rejected = 0;
    }
}
