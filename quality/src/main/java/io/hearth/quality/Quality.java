package io.hearth.quality;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
import io.hearth.catalog.SourceExpectations;
import io.hearth.compute.ingest.RowValidator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quality in one process (a gateway): a {@link WindowMonitor} per source with expectations, kept in step with the
 * definitions; judged windows stored ({@link QualityStore}), published as Prometheus gauges, and a {@code block}
 * failure handed to the breaker; a ticker that closes windows of time nobody wrote after, flushes this process's record
 * counts to the cluster and judges {@code row_count} periods once they are over.
 */
public final class Quality implements QualityGate, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Quality.class);
    /** How long after a period ends every gateway has flushed its counts of it (they flush every second). */
    static final long COUNT_GRACE_MILLIS = 3_000;
    /** How long a reference read from the cluster is used before it is read again (a new one is seen this fast). */
    static final long REFERENCE_MILLIS = 2_000;

    private final QualityStore store;
    private final Supplier<Definitions> definitions;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String origin;
    private final Map<String, WindowMonitor> monitors = new ConcurrentHashMap<>();
    private final Map<String, Profiles> profiles = new ConcurrentHashMap<>();
    /** Profiles replaced by a definition change, flushed once more before they are let go. */
    private final List<Profiles> retired = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How often profiles are written to the cluster. */
    static final long PROFILE_FLUSH_MILLIS = 5_000;
    /** How long profile parts, judged windows and period counts are kept. */
    public static final long RETENTION_MILLIS = 7 * 86_400_000L;
    private long lastProfileFlush;
    private long lastProfileSweep;
    private final Map<String, Object[]> references = new ConcurrentHashMap<>();
    private final Map<String, Map<Long, Long>> counts = new HashMap<>();
    private final Map<String, Long> judgedPeriods = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<double[]>> gauges = new ConcurrentHashMap<>();
    private final long started;
    private volatile BiConsumer<Source, QualityResult> breaker = (s, r) -> { };
    private ScheduledExecutorService ticker;

    public Quality(QualityStore store, Supplier<Definitions> definitions, Clock clock, MeterRegistry meters, String origin) {
        this.store = store;
        this.definitions = definitions;
        this.clock = clock;
        this.meters = meters;
        this.origin = origin;
        this.started = clock.millis();
    }

    public QualityStore store() {
        return store;
    }

    /** What opens a source's breaker on a {@code block} failure (the ingest side's breakers). */
    public void onBlock(BiConsumer<Source, QualityResult> breaker) {
        this.breaker = breaker;
    }

    /** Starts the ticker (once a second). */
    public Quality start() {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hearth-quality-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(() -> {
            try {
                tick(clock.millis());
            } catch (RuntimeException e) {
                LOG.warn("Quality ticker: {}", e.toString());
            }
        }, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    @Override
    public WindowMonitor monitor(Source source, Entity entity) {
        if (source.expectations().columns().isEmpty()) {
            monitors.remove(source.name());
            return null;
        }
        return monitors.compute(source.name(), (k, m) -> m != null && m.source().equals(source) ? m
            : new WindowMonitor(source, RowValidator.storedColumns(source, entity), entity.joinKeys(), this::reference,
                origin));
    }

    @Override
    public Profiles profiles(Source source, Entity entity) {
        return profiles.compute(source.name(), (k, p) -> {
            if (p != null && p.source().equals(source)) {
                return p;
            }
            if (p != null) {
                retired.add(p);
            }
            return new Profiles(source, RowValidator.storedColumns(source, entity), entity.joinKeys());
        });
    }

    /** Writes every profile touched since the last flush to the cluster (and drops parts past retention, hourly). */
    public void flushProfiles(long now) {
        List<Profiles> all = new ArrayList<>(retired);
        retired.clear();
        all.addAll(profiles.values());
        for (Profiles p : all) {
            Map<Long, Map<String, ColumnProfile.Part>> parts = p.drain();
            if (!parts.isEmpty()) {
                store.putProfiles(p.source().name(), origin + "@" + started, parts);
            }
        }
        lastProfileFlush = now;
        if (now - lastProfileSweep > Profiles.HOUR) {
            lastProfileSweep = now;
            store.dropBefore(now - RETENTION_MILLIS);
        }
    }

    /** A reference by name, read from the cluster at most every {@link #REFERENCE_MILLIS}; null when none is stored. */
    public Reference reference(String name) {
        long now = clock.millis();
        Object[] cached = references.get(name);
        if (cached != null && now - (Long) cached[0] < REFERENCE_MILLIS) {
            return (Reference) cached[1];
        }
        Reference r = store.reference(name);
        references.put(name, new Object[] {now, r});
        return r;
    }

    /** Forgets a cached reference (it was just stored anew). */
    public void referenceChanged(String name) {
        references.remove(name);
    }

    @Override
    public void judged(Source source, List<QualityResult> results) {
        if (results.isEmpty()) {
            return;
        }
        store.record(results);
        QualityResult blocking = null;
        for (QualityResult r : results) {
            publish(r);
            if (!r.success()) {
                logFailure(r);
            }
            if (r.blocks() && blocking == null) {
                blocking = r;
            }
        }
        if (blocking != null) {
            breaker.accept(source, blocking);
            WindowMonitor m = monitors.get(source.name());
            if (m != null) {
                m.restart();
            }
        }
    }

    /** How often one expectation's failures are logged (each is in the results and the failure counter anyway). */
    static final long LOG_EVERY_MILLIS = 10_000;
    /** Per source, subject and expectation: when its last failure was logged, and how many failed since. */
    private final Map<String, long[]> logged = new ConcurrentHashMap<>();

    /** Logs a failure, at most one line per expectation every {@link #LOG_EVERY_MILLIS} (a block failure always). */
    private void logFailure(QualityResult r) {
        long now = clock.millis();
        long[] last = logged.computeIfAbsent(r.source() + "|" + r.subject() + "|" + r.expect(), k -> new long[] {
            Long.MIN_VALUE, 0});
        long skipped;
        synchronized (last) {
            if (!r.blocks() && last[0] != Long.MIN_VALUE && now - last[0] < LOG_EVERY_MILLIS) {
                last[1]++;
                return;
            }
            skipped = last[1];
            last[0] = now;
            last[1] = 0;
        }
        LOG.warn("Quality of source '{}': {} {} failed ({}): {}{}", r.source(), r.subject(), r.expect(),
            r.severity().spelling(), r.detail(), skipped == 0 ? "" : " (and " + skipped + " failed windows not logged)");
    }

    /** The reason a breaker opened by a failed expectation carries. */
    public static String reason(QualityResult r) {
        return String.format(Locale.ROOT, "expectation %s on %s failed (severity block) over the window %s..%s: %s",
            r.expect(), r.subject(), io.hearth.compute.time.Timestamps.format(r.windowStart()),
            io.hearth.compute.time.Timestamps.format(r.windowEnd()), r.detail());
    }

    private void publish(QualityResult r) {
        String subject = r.column() != null ? r.column() : r.feature() != null ? r.feature() : "";
        String key = r.source() + "|" + subject + "|" + r.expect();
        AtomicReference<double[]> g = gauges.computeIfAbsent(key, k -> {
            AtomicReference<double[]> ref = new AtomicReference<>(new double[] {Double.NaN, 1});
            Gauge.builder("hearth.quality.observed", ref, x -> x.get()[0]).description("What the last judged window of "
                + "an expectation observed (share passing, mean, PSI, lag in seconds, ...)").tag("source", r.source())
                .tag("column", subject).tag("expect", r.expect()).register(meters);
            Gauge.builder("hearth.quality.success", ref, x -> x.get()[1]).description("1 when the last judged window of "
                + "an expectation passed, else 0").tag("source", r.source()).tag("column", subject).tag("expect", r.expect())
                .register(meters);
            return ref;
        });
        g.set(new double[] {r.observed(), r.success() ? 1 : 0});
        if (!r.success()) {
            Counter.builder("hearth.quality.failures").description("Judged windows that failed, by severity")
                .tag("source", r.source()).tag("column", subject).tag("expect", r.expect())
                .tag("severity", r.severity().spelling()).register(meters).increment();
        }
    }

    @Override
    public void accepted(Source source, long records) {
        SourceExpectations.RowCount rc = source.expectations().rowCount(); // the batch's definition: no registry read
        if (rc == null || records == 0) {
            return;
        }
        long period = Math.floorDiv(clock.millis(), rc.perMillis()) * rc.perMillis();
        synchronized (counts) {
            counts.computeIfAbsent(source.name(), k -> new HashMap<>()).merge(period, records, Long::sum);
        }
    }

    /** One turn of the ticker: time windows, counts, periods. */
    void tick(long now) {
        Definitions d = definitions.get();
        if (now - lastProfileFlush >= PROFILE_FLUSH_MILLIS) {
            flushProfiles(now);
        }
        for (WindowMonitor m : monitors.values()) {
            List<QualityResult> r = m.tick(now);
            if (r != null) {
                judged(m.source(), r);
            }
        }
        Map<String, Map<Long, Long>> flush;
        synchronized (counts) {
            flush = new HashMap<>(counts);
            counts.clear();
        }
        store.addCounts(flush);
        for (Source s : d.sources()) {
            SourceExpectations.RowCount rc = s.expectations().rowCount();
            if (rc == null) {
                continue;
            }
            long per = rc.perMillis();
            long lastOver = Math.floorDiv(now - COUNT_GRACE_MILLIS, per) * per - per; // the newest period over by grace
            Long judged = judgedPeriods.get(s.name());
            long firstWhole = Math.floorDiv(started, per) * per + per; // periods before this one began before we did
            long next = judged == null ? firstWhole : judged + per;
            List<QualityResult> out = new ArrayList<>();
            for (long p = Math.max(next, lastOver - 10 * per); p <= lastOver; p += per) {
                long c = store.count(s.name(), p);
                boolean ok = (rc.min() == null || c >= rc.min()) && (rc.max() == null || c <= rc.max());
                out.add(new QualityResult(s.name(), null, null, "row_count", p, p + per, c, ok ? 0 : 1, c, ok,
                    rc.severity(), String.format(Locale.ROOT, "%d records accepted in %s, expected %s", c,
                        io.hearth.catalog.Durations.format(per), rc.min() != null && rc.max() != null
                            ? "between " + rc.min() + " and " + rc.max() : rc.min() != null ? "at least " + rc.min()
                            : "at most " + rc.max()), "cluster"));
                judgedPeriods.put(s.name(), p);
            }
            judged(s, out);
        }
    }
}
