package io.hearth.catalog.lineage;

import java.util.List;

/**
 * One recorded run of a training-set job, finished or failed: the set's {@code name}, what it was built from (a
 * feature {@code service}, null when features were named, and the {@code features} as {@code view:feature}), a
 * description of the {@code spine}, the rows asked for, when it started and ended (epoch milliseconds; 0 while it runs),
 * its {@code status} ({@link #RUNNING}, then {@link #COMPLETE} or {@link #FAIL}: OpenLineage's words; only ended runs
 * are recorded), the error when it failed, where the output
 * went ({@code output}: a SQL table or a file format) and who ran it ({@code by}: the caller's identity, or
 * {@code anonymous}).
 */
public record TrainingRun(String runId, String name, String service, List<String> features, String spine, long rows,
                          long startedAt, long finishedAt, String status, String error, String output, String by) {
    public static final String RUNNING = "RUNNING";
    public static final String COMPLETE = "COMPLETE";
    public static final String FAIL = "FAIL";

    public TrainingRun {
        if (runId == null || name == null || status == null) {
            throw new IllegalArgumentException("a training run needs an id, a name and a status");
        }
        features = features == null ? List.of() : List.copyOf(features);
        by = by == null ? "anonymous" : by;
    }

    public boolean complete() {
        return COMPLETE.equals(status);
    }

    /** This run ended with {@code endStatus} at {@code at} ({@code endError} when it failed). */
    public TrainingRun ended(String endStatus, long at, String endError, String endOutput) {
        return new TrainingRun(runId, name, service, features, spine, rows, startedAt, at, endStatus, endError, endOutput,
            by);
    }
}
