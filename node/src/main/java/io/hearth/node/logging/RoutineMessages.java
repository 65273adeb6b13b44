package io.hearth.node.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Keeps routine Ignite messages that Ignite logs at WARN out of an operator's log: they describe a normal start
 * or stop of Hearth's setup, not something to act on. Each entry is a logger prefix and the start of a message;
 * everything else passes. Set the logger to DEBUG to see them again.
 */
public final class RoutineMessages extends TurboFilter {
    private record Routine(String logger, String message) {
    }

    private static final List<Routine> ROUTINE = List.of(
        // Ignite's own note about its logger bridge, printed once per component at start.
        new Routine("org.apache.ignite", "Logging at INFO level without checking if INFO level is enabled"),
        // Every topology change schedules the baseline change Hearth configures on purpose (--baseline-auto-adjust).
        new Routine("org.apache.ignite.internal.processors.cluster.baseline", "Baseline auto-adjust will be executed"),
        // Training tables are written once, by design without overwrite.
        new Routine("org.apache.ignite.internal.processors.datastreamer", "The Data Streamer loads data with 'allowOverwrite' set to false"),
        // A gateway joins as a thick client: it has no persistent identity or storage, by design.
        new Routine("org.apache.ignite", "Consistent ID is not set, it is recommended"),
        new Routine("org.apache.ignite.internal.processors.cache.GridCacheProcessor",
            "Persistent Store is not supported on client nodes"),
        // A gateway or CLI client that stopped closes its connections.
        new Routine("org.apache.ignite.spi.communication", "Client disconnected abruptly"));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || level == null || level.isGreaterOrEqual(Level.ERROR) || logger.isDebugEnabled()) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        for (Routine r : ROUTINE) {
            if (name.startsWith(r.logger()) && format.startsWith(r.message())) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
