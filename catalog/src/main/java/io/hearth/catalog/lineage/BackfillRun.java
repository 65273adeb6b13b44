package io.hearth.catalog.lineage;

import java.util.List;

/**
 * One back-fill of files into a source ({@code hearth ingest}): started by the client that reads the files, ended by
 * it with what the gateway counted. {@code status} is {@link #RUNNING} until it ends {@link #COMPLETE} or
 * {@link #FAIL}; {@code finishedAt} is 0 until then. {@code stored} counts rows new to the source, {@code alreadyStored}
 * rows an earlier run had stored, {@code rejected} rows sent to quarantine. {@code by} is the caller's identity, or
 * {@code anonymous}.
 */
public record BackfillRun(String runId, String source, List<BackfillFile> files, long startedAt, long finishedAt,
                          String status, long stored, long alreadyStored, long rejected, String error, String by) {
    public static final String RUNNING = TrainingRun.RUNNING;
    public static final String COMPLETE = TrainingRun.COMPLETE;
    public static final String FAIL = TrainingRun.FAIL;

    public BackfillRun {
        if (runId == null || source == null || status == null) {
            throw new IllegalArgumentException("a back-fill run needs an id, a source and a status");
        }
        files = files == null ? List.of() : List.copyOf(files);
        by = by == null ? "anonymous" : by;
    }

    public boolean running() {
        return RUNNING.equals(status);
    }

    /** This run ended with {@code status} at {@code at}, with the files as the client finally describes them. */
    public BackfillRun ended(String endStatus, long at, List<BackfillFile> endFiles, long endStored, long endAlready,
                             long endRejected, String endError) {
        return new BackfillRun(runId, source, endFiles == null || endFiles.isEmpty() ? files : endFiles, startedAt, at,
            endStatus, endStored, endAlready, endRejected, endError, by);
    }

    /** One file of a back-fill: its name (no directories), content hash when known, and rows read from it. */
    public record BackfillFile(String name, String hash, long rows) {
        public BackfillFile {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a back-filled file needs a name");
            }
        }
    }
}
