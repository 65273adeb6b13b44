package io.hearth.feedback;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureLogging;
import io.hearth.catalog.FeatureService;
import io.hearth.node.serving.OnlineLookup;
import io.hearth.node.store.RegistryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feedback loop a process runs beside its lookups, as one bundle with one lifecycle: the {@link FeatureLogger}
 * lookups hand their records to, the {@link FeatureLog} and {@link Outcomes} they land in, the {@link Reproducer},
 * training sets and exports from logs, and the {@link FeedbackFacts} lineage reads. {@link #start()} starts the log
 * writer, merges lineage facts every few seconds and deletes logs past their retention every hour; {@link #close()}
 * writes what is queued and stops.
 */
public final class Feedback implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Feedback.class);
    static final long FACTS_EVERY_MILLIS = 5_000;
    static final long SWEEP_EVERY_MILLIS = 3_600_000;

    private final RegistryStore registry;
    private final Clock clock;
    private final FeatureLogger logger;
    private final FeatureLog log;
    private final FeedbackFacts facts;
    private final Outcomes outcomes;
    private final Reproducer reproducer;
    private final LogTrainingSets trainingSets;
    private final LogTrainingJobs trainingJobs;
    private final LogExport export;
    private ScheduledExecutorService schedule;

    public Feedback(Ignite ignite, RegistryStore registry, OnlineLookup lookup, Clock clock, MeterRegistry meters,
                    FeatureLogger.Settings loggerSettings) {
        this.registry = registry;
        this.clock = clock;
        this.logger = new FeatureLogger(ignite, loggerSettings, meters);
        this.log = new FeatureLog(ignite, registry, logger);
        this.facts = new FeedbackFacts(ignite);
        this.outcomes = new Outcomes(ignite, log, facts, clock, meters);
        this.reproducer = new Reproducer(log, lookup, meters);
        this.trainingSets = new LogTrainingSets(log, outcomes, registry::definitions);
        this.trainingJobs = new LogTrainingJobs(trainingSets, clock);
        this.export = new LogExport(log, registry::definitions);
    }

    public Feedback start() {
        logger.start();
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hearth-feedback");
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(this::flushFacts, FACTS_EVERY_MILLIS, FACTS_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        schedule.scheduleWithFixedDelay(this::sweepNow, SWEEP_EVERY_MILLIS / 60, SWEEP_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * What a lookup that asked for a feature service hands over once it has its values: the model it names is
     * counted for lineage, and the record is queued for the log when the service logs and the request id is sampled.
     * Returns whether it was queued.
     */
    public boolean served(LogRecord record, FeatureService service, Definitions defs) {
        record.model().ifPresent(m -> facts.model(record.service(), m, record.modelVersion().orElse(""),
            record.servedAt()));
        FeatureLogging policy = service.logging();
        if (!policy.isOn() || !Sampling.sampled(record.requestId(), policy.sampleRate())) {
            return false;
        }
        return logger.offer(record, defs, policy.onOverload());
    }

    private void flushFacts() {
        try {
            facts.flush();
        } catch (RuntimeException e) { // an escaping exception would cancel the schedule for good
            LOG.warn("Feedback facts not merged ({}); trying again", e.toString());
        }
    }

    /** Deletes logs past their service's retention and outcomes older than every retention; returns logs deleted. */
    public long sweepNow() {
        try {
            Definitions d = registry.definitions();
            long now = clock.millis();
            long deleted = log.sweep(d, now);
            long longest = FeatureLogging.DEFAULT_RETENTION_MILLIS;
            for (FeatureService s : d.featureServices()) {
                longest = Math.max(longest, s.logging().retentionMillis());
            }
            long outcomesDeleted = outcomes.sweep(now - longest);
            if (deleted + outcomesDeleted > 0) {
                LOG.info("Feedback retention: {} logs and {} outcomes deleted", deleted, outcomesDeleted);
            }
            return deleted;
        } catch (RuntimeException e) {
            LOG.warn("Feedback retention sweep failed ({}); it runs again in an hour", e.toString());
            return 0;
        }
    }

    public FeatureLogger logger() {
        return logger;
    }

    public FeatureLog log() {
        return log;
    }

    public Outcomes outcomes() {
        return outcomes;
    }

    public Reproducer reproducer() {
        return reproducer;
    }

    /** The lineage facts: models named in lookups and outcome labels (the read API for {@code LineageGraph#with}). */
    public FeedbackFacts facts() {
        return facts;
    }

    public LogTrainingSets trainingSets() {
        return trainingSets;
    }

    public LogTrainingJobs trainingJobs() {
        return trainingJobs;
    }

    public LogExport export() {
        return export;
    }

    /** Writes every queued log and merges the lineage facts counted so far (for tests, and before a read that needs them). */
    public void flush() {
        logger.flush();
        facts.flush();
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
        trainingJobs.close();
        logger.close();
        try {
            facts.flush();
        } catch (RuntimeException e) {
            LOG.warn("Feedback facts not merged at close ({})", e.toString());
        }
    }
}
