package io.hearth.gateway.training;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.lineage.TrainingRun;
import io.hearth.compute.training.Spine;
import io.hearth.gateway.lineage.RunLineage;
import io.hearth.node.training.TrainingSets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training-set jobs started through this gateway: each runs on a background thread and is looked up by id. The
 * job list lives in this gateway's memory (the tables themselves live in the grid); two at a time run, the rest
 * queue. Every job is a run for lineage ({@link RunLineage}): started when submitted, recorded in the cluster when it
 * finishes or fails; its run id is the job's id.
 */
public final class TrainingJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingJobs.class);

    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    /** One job; fields change as it runs. */
    public static final class Job {
        public final String id;
        public final String name;
        public final long rows;
        public final long submittedAt;
        public final AtomicLong rowsDone = new AtomicLong();
        volatile State state = State.QUEUED;
        volatile long finishedAt;
        volatile TrainingSets.Outcome outcome;
        volatile Throwable error;
        volatile String errorText;
        /** For file-only jobs: the file and its format, written when the job finished. */
        volatile java.nio.file.Path file;
        volatile TrainingExport.Format fileFormat;
        /** For table jobs from an uploaded spine: the upload, so that a CSV download passes its cells through. */
        volatile java.nio.file.Path spineFile;
        /** With validation: the features' expectations judged over the set (null: not asked for). */
        volatile java.util.List<io.hearth.quality.QualityResult> quality;

        Job(String id, String name, long rows, long submittedAt) {
            this.id = id;
            this.name = name;
            this.rows = rows;
            this.submittedAt = submittedAt;
        }

        public State state() {
            return state;
        }

        public TrainingSets.Outcome outcome() {
            return outcome;
        }

        public Throwable error() {
            return error;
        }

        /** What went wrong, as a client may read it: Hearth's own message, or an internal error's id in the log. */
        public String errorText() {
            return errorText;
        }

        public long finishedAt() {
            return finishedAt;
        }

        public java.nio.file.Path file() {
            return file;
        }

        public TrainingExport.Format fileFormat() {
            return fileFormat;
        }

        public java.nio.file.Path spineFile() {
            return spineFile;
        }

        /** The features' expectations judged over the set, or null when validation was not asked for. */
        public java.util.List<io.hearth.quality.QualityResult> quality() {
            return quality;
        }

        private void deleteFiles() {
            for (java.nio.file.Path p : new java.nio.file.Path[] {file, spineFile}) {
                if (p != null) {
                    p.toFile().delete();
                }
            }
        }
    }

    /** What a job's run says beside the set: the feature service asked for (or null), the spine, who asked. */
    public record RunInfo(String service, String spine, String by) {
    }

    /**
     * Whether to judge the features' expectations over the produced set ({@code validate}), and whether a failed
     * {@code block} expectation fails the job ({@code strict}, which implies validate).
     */
    public record Validation(boolean validate, boolean strict) {
        public static final Validation NONE = new Validation(false, false);

        public boolean any() {
            return validate || strict;
        }
    }

    private final TrainingSets sets;
    private final Clock clock;
    private final RunLineage runs;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "hearth-training");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final io.hearth.quality.Quality quality;

    public TrainingJobs(TrainingSets sets, Clock clock, RunLineage runs, io.hearth.quality.Quality quality) {
        this.quality = quality;
        this.sets = sets;
        this.clock = clock;
        this.runs = runs;
    }

    public TrainingSets sets() {
        return sets;
    }

    /** Finished jobs are forgotten after this long (their tables stay). */
    static final long KEEP_FINISHED_MILLIS = 24 * 3_600_000L;

    /**
     * Starts a job; with a {@code fileFormat} it computes the set for a file only (no SQL table, which is much
     * cheaper) and writes the file when done. {@code spineCsv} (may be null) is the spine as uploaded: a table
     * job keeps it for CSV downloads. Refuses (409) while another job of the same name runs here.
     */
    public synchronized Job submit(TrainingSets.Checked checked, Spine spine, boolean replace,
                                   TrainingExport.Format fileFormat, byte[] spineCsv, RunInfo info)
        throws java.io.IOException {
        return submit(checked, spine, replace, fileFormat, spineCsv, info, Validation.NONE);
    }

    /** {@link #submit(TrainingSets.Checked, Spine, boolean, TrainingExport.Format, byte[], RunInfo)}, validated. */
    public synchronized Job submit(TrainingSets.Checked checked, Spine spine, boolean replace,
                                   TrainingExport.Format fileFormat, byte[] spineCsv, RunInfo info, Validation validation)
        throws java.io.IOException {
        long now = clock.millis();
        jobs.values().removeIf(j -> {
            boolean old = j.finishedAt > 0 && now - j.finishedAt > KEEP_FINISHED_MILLIS;
            if (old) {
                j.deleteFiles();
            }
            return old;
        });
        for (Job j : jobs.values()) {
            if (j.name.equalsIgnoreCase(checked.name()) && (j.state == State.QUEUED || j.state == State.RUNNING)) {
                throw new io.hearth.gateway.http.ApiException(io.hearth.catalog.ErrorCode.CONFLICT, "name",
                    "name.running", "training set '" + j.name + "' is being built by job " + j.id + "; wait for it");
            }
        }
        Job job = new Job(UUID.randomUUID().toString(), checked.name(), spine.size(), now);
        if (fileFormat == null && spineCsv != null) {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("hearth-spine-" + checked.name(), ".csv");
            java.nio.file.Files.write(f, spineCsv);
            f.toFile().deleteOnExit();
            job.spineFile = f;
        }
        jobs.put(job.id, job);
        TrainingRun running = new TrainingRun(job.id, checked.name(), info.service(), checked.features().stream()
            .map(f -> f.ref().qualified()).toList(), info.spine(), spine.size(), now, 0, TrainingRun.RUNNING, null, null,
            info.by());
        runs.trainingStarted(running, checked.definitions());
        pool.execute(() -> {
            job.state = State.RUNNING;
            State end = State.FAILED;
            try {
                io.hearth.compute.training.ValueColumn[] featureValues = null;
                if (fileFormat == null) {
                    job.outcome = sets.buildTable(checked, spine, replace, job.rowsDone);
                    if (validation.any()) {
                        featureValues = featureColumns(job.outcome, checked);
                    }
                } else {
                    TrainingSets.Values c = sets.buildValues(checked, spine, job.rowsDone);
                    featureValues = c.featureValues();
                    java.nio.file.Path f = java.nio.file.Files.createTempFile("hearth-" + checked.name(),
                        fileFormat == TrainingExport.Format.CSV ? ".csv" : ".parquet");
                    java.nio.file.Files.delete(f); // writers create the file themselves
                    TrainingExport.write(spine, c, checked.name(), fileFormat, f);
                    f.toFile().deleteOnExit();
                    job.file = f;
                    job.fileFormat = fileFormat;
                    job.outcome = new TrainingSets.Outcome(checked.name(), null, spine.size(), c.millis(), c.columns(),
                        c.types(), c.features());
                }
                if (validation.any()) {
                    validate(job, checked, featureValues, validation.strict());
                }
                end = State.SUCCEEDED;
            } catch (RuntimeException | java.io.IOException e) {
                job.error = e;
                if (e instanceof io.hearth.catalog.HearthException) {
                    job.errorText = e.getMessage();
                    LOG.warn("Training job {} ({}) failed: {}", job.id, job.name, e.getMessage());
                } else {
                    job.errorText = "internal error (error id " + job.id + " in the gateway's log)";
                    LOG.error("Training job {} ({}) failed [error id {}]", job.id, job.name, job.id, e);
                }
            } finally {
                job.finishedAt = clock.millis();
                boolean ok = end == State.SUCCEEDED;
                String output = !ok ? null : job.outcome != null && job.outcome.table() != null ? "table "
                    + job.outcome.table() : fileFormat != null ? "file " + fileFormat.name().toLowerCase(java.util.Locale.ROOT)
                    : null;
                try {
                    runs.trainingEnded(running.ended(ok ? TrainingRun.COMPLETE : TrainingRun.FAIL, job.finishedAt,
                        ok ? null : job.errorText, output), checked.definitions());
                } finally {
                    // published last: a client that sees the job ended finds its run in lineage (a failed job used to
                    // stay RUNNING, and hearth extract waited for FAILED)
                    job.state = end;
                }
            }
        });
        return job;
    }

    /** A table job's feature columns read back from its table, in spine order. */
    private io.hearth.compute.training.ValueColumn[] featureColumns(TrainingSets.Outcome out, TrainingSets.Checked checked) {
        int features = checked.features().size();
        int first = out.columns().size() - features;
        io.hearth.compute.training.ValueColumn[] cols = new io.hearth.compute.training.ValueColumn[features];
        for (int f = 0; f < features; f++) {
            cols[f] = new io.hearth.compute.training.ValueColumn(out.types().get(first + f), Math.toIntExact(out.rows()));
        }
        int r = 0;
        for (Object[] row : sets.tableRows(out)) {
            for (int f = 0; f < features; f++) {
                cols[f].set(r, row[first + f]);
            }
            r++;
        }
        return cols;
    }

    /** Judges the features' expectations over the set, stores the results; strict: a block failure fails the job. */
    private void validate(Job job, TrainingSets.Checked checked, io.hearth.compute.training.ValueColumn[] values,
                          boolean strict) {
        java.util.List<io.hearth.quality.QualityResult> rs = io.hearth.quality.TrainingSetJudge.judge(checked.name(),
            checked.features(), values, quality::reference, clock.millis());
        quality.store().record(rs);
        job.quality = rs;
        java.util.List<io.hearth.quality.QualityResult> blocking = rs.stream().filter(io.hearth.quality.QualityResult::blocks)
            .toList();
        if (strict && !blocking.isEmpty()) {
            io.hearth.quality.QualityResult b = blocking.get(0);
            throw new io.hearth.catalog.HearthException(io.hearth.catalog.ErrorCode.TRAINING, b.feature(),
                "quality." + b.expect(), "validation failed (strict): " + blocking.size() + " block expectation(s) failed, "
                + "first " + b.expect() + " on feature " + b.feature() + ": " + b.detail(), false, null);
        }
    }

    /** Every job this gateway keeps, newest first. */
    public java.util.List<Job> list() {
        return jobs.values().stream().sorted(java.util.Comparator.comparingLong((Job j) -> j.submittedAt).reversed()
            .thenComparing(j -> j.id)).toList();
    }

    public Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
