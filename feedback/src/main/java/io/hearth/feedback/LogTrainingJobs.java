package io.hearth.feedback;

import io.hearth.catalog.HearthException;
import io.hearth.formats.TrainingFiles;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Jobs that build training sets from logs ({@link LogTrainingSets}) on a background thread, one at a time, each
 * looked up by id while this process runs; a finished job's file is kept for a day.
 */
public final class LogTrainingJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogTrainingJobs.class);
    static final long KEEP_FINISHED_MILLIS = 24 * 3_600_000L;

    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    /** One job; its state, result and file change as it runs. */
    public static final class Job {
        public final String id;
        public final LogTrainingSets.Request request;
        public final TrainingFiles.Format format;
        public final long submittedAt;
        public final AtomicLong logsRead = new AtomicLong();
        private volatile State state = State.QUEUED;
        private volatile long finishedAt;
        private volatile LogTrainingSets.Result result;
        private volatile Path file;
        private volatile String error;

        Job(String id, LogTrainingSets.Request request, TrainingFiles.Format format, long submittedAt) {
            this.id = id;
            this.request = request;
            this.format = format;
            this.submittedAt = submittedAt;
        }

        public State state() {
            return state;
        }

        public long finishedAt() {
            return finishedAt;
        }

        public Optional<LogTrainingSets.Result> result() {
            return Optional.ofNullable(result);
        }

        public Optional<Path> file() {
            return Optional.ofNullable(file);
        }

        /** What went wrong, as a client may read it. */
        public Optional<String> error() {
            return Optional.ofNullable(error);
        }
    }

    private final LogTrainingSets sets;
    private final Clock clock;
    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hearth-log-training");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    public LogTrainingJobs(LogTrainingSets sets, Clock clock) {
        this.sets = sets;
        this.clock = clock;
    }

    /** Checks the request at once (a bad label or service is refused before any work), then queues the job. */
    public Job submit(LogTrainingSets.Request request, TrainingFiles.Format format) {
        sets.check(request);
        long now = clock.millis();
        jobs.values().removeIf(j -> {
            boolean old = j.finishedAt > 0 && now - j.finishedAt > KEEP_FINISHED_MILLIS;
            if (old && j.file != null) {
                j.file.toFile().delete();
            }
            return old;
        });
        Job job = new Job(UUID.randomUUID().toString(), request, format, now);
        jobs.put(job.id, job);
        pool.execute(() -> run(job));
        return job;
    }

    private void run(Job job) {
        job.state = State.RUNNING;
        Path f = null;
        try {
            f = Files.createTempFile("hearth-log-training-", format(job.format));
            Files.delete(f); // the writer creates it
            job.result = sets.write(job.request, job.format, f, job.logsRead);
            f.toFile().deleteOnExit();
            job.file = f;
            job.state = State.SUCCEEDED;
        } catch (Exception e) {
            if (f != null) {
                f.toFile().delete();
            }
            if (e instanceof HearthException) {
                job.error = e.getMessage();
                LOG.warn("Training set from logs {} failed: {}", job.id, e.getMessage());
            } else {
                job.error = "internal error (error id " + job.id + " in the gateway's log)";
                LOG.error("Training set from logs {} failed [error id {}]", job.id, job.id, e);
            }
            job.state = State.FAILED;
        } finally {
            job.finishedAt = clock.millis();
        }
    }

    private static String format(TrainingFiles.Format f) {
        return f == TrainingFiles.Format.CSV ? ".csv" : ".parquet";
    }

    public Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
