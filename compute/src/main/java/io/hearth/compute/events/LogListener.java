package io.hearth.compute.events;

/**
 * Told by {@link LogReceiver}, on the partition's primary, of every delta it published: the node's log maintenance
 * ({@code io.hearth.node.fold.LogFolder}) registers itself in the node-local map under {@link #KEY}. It may block
 * the caller while the partition's backlog is over its limit: that is how writers slow down before readers would
 * have to merge an unbounded log.
 */
public interface LogListener {
    String KEY = "hearth.log.listener";

    /**
     * @param logCache the source's log cache
     * @param anchor the partition's anchor ({@link LogPartitions#anchor})
     * @param freshDeltas fresh deltas in the partition's head after the publish
     */
    void published(String logCache, int anchor, int freshDeltas);
}
