package io.hearth.ingest;

import io.hearth.catalog.Source;
import io.hearth.compute.ingest.BreakerState;
import io.hearth.compute.ingest.RejectWindow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers of sources (DESIGN.md section 5, "Bad input"). The state lives in the cluster
 * ({@link BreakerStore}), so every gateway halts a source together and one reset resumes it everywhere; the
 * reject rate is counted by each gateway over the records it ingested (a window of about {@link Settings#window}
 * records, judged once it holds {@link Settings#minRecords}). A reset or a passed probe starts a new generation,
 * and each gateway forgets what it counted before it.
 */
public final class Breakers {
    private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);
    /** The reason a breaker carries after an operator's reset; consumers let their held backlog through on it. */
    public static final String RESET_REASON = "reset by operator";
    /** How stale a breaker state read on the HTTP path may be. */
    private static final long CACHE_MILLIS = 250;
    /**
     * Marks a state never read. Compared for itself: {@code now - Long.MIN_VALUE} overflows to a negative number,
     * which would make a state never read look fresh.
     */
    private static final long NEVER = Long.MIN_VALUE;

    /**
     * @param window records the reject rate is computed over
     * @param minRecords fewest records a rate is judged on
     * @param probeAfter time an open breaker waits before a half-open probe
     */
    public record Settings(long window, long minRecords, Duration probeAfter) {
        public Settings {
            if (window < 1 || minRecords < 1 || minRecords > window) {
                throw new IllegalArgumentException("breaker: need 1 <= min-records <= window, got " + minRecords + " and "
                    + window);
            }
            if (probeAfter.isNegative() || probeAfter.isZero()) {
                throw new IllegalArgumentException("breaker: the probe interval must be positive, got " + probeAfter);
            }
        }

        public static Settings defaults() {
            return new Settings(1000, 100, Duration.ofSeconds(60));
        }
    }

    private final BreakerStore store;
    private final Settings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Local> local = new ConcurrentHashMap<>();

    public Breakers(BreakerStore store, Settings settings, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    public Settings settings() {
        return settings;
    }

    /** The time breakers are judged by. */
    public long now() {
        return clock.millis();
    }

    /** What this gateway counted for one source, and the last state it read. */
    private final class Local {
        final RejectWindow window = new RejectWindow(settings.window(), settings.minRecords());
        final Counter trips;
        long generation = -1;
        volatile BreakerState cached = BreakerState.initial();
        /** When {@link #cached} was read; {@link #NEVER} until the first read. */
        volatile long cachedAt = NEVER;
        /** States taken in so far; guarded by this object. */
        long syncs;

        Local(String source) {
            trips = Counter.builder("hearth.breaker.trips").description("Times this gateway opened a source's breaker")
                .tag("source", source).register(meters);
            Gauge.builder("hearth.breaker.open", this, l -> l.cached.isOpen() ? 1 : 0)
                .description("1 while the source's circuit breaker is open (as last read by this gateway)")
                .tag("source", source).register(meters);
        }

        /** Forgets counts from an older generation. Call holding the lock of this object. */
        void sync(BreakerState st) {
            if (st.generation() != generation) {
                window.clear();
                generation = st.generation();
            }
            cached = st;
            cachedAt = clock.millis();
            syncs++;
        }
    }

    private Local local(String source) {
        return local.computeIfAbsent(source, Local::new);
    }

    /** The state as stored, read now (or a newer one this gateway took in while the read was under way). */
    public BreakerState current(String source) {
        Local l = local(source);
        long before;
        synchronized (l) {
            before = l.syncs;
        }
        BreakerState st = store.breaker(source);
        synchronized (l) {
            if (l.syncs != before && st.generation() < l.generation) {
                // A change (a trip here, another thread's read) was taken in while this read was under way: the
                // read is older, and caching it would undo the change, e.g. admit requests into an open breaker.
                return l.cached;
            }
            l.sync(st);
        }
        return st;
    }

    /** The state, possibly a fraction of a second old: for the request path. */
    public BreakerState cached(String source) {
        Local l = local(source);
        long at = l.cachedAt;
        if (at == NEVER || clock.millis() - at > CACHE_MILLIS) {
            return current(source);
        }
        return l.cached;
    }

    /**
     * Before a request's records are read (HTTP): refuses while the breaker is open, unless the half-open probe is
     * due. Returns whether this request is the probe (its records are then judged alone, see {@link #probe}).
     */
    public boolean admitRequest(String source) {
        BreakerState b = cached(source);
        boolean probe = b.probeDue(now());
        if (b.isOpen() && !probe) {
            throw new BreakerOpenException(source, b, now());
        }
        return probe;
    }

    /**
     * Before a batch is applied (Kafka): whether it may be. False when it would take the reject rate over the
     * source's threshold: the breaker is then open and the batch must not be applied.
     */
    public boolean admit(Source source, long total, long rejected) {
        Local l = local(source.name());
        synchronized (l) {
            if (l.window.wouldExceed(source.quarantineThreshold(), total, rejected)) {
                long[] judged = l.window.judged(total, rejected);
                trip(source, l, rate(judged[1], judged[0]), judged[0]);
                return false;
            }
            l.window.add(total, rejected);
            return true;
        }
    }

    /** After a batch was applied (HTTP): counts it, and opens the breaker if the rate is now over the threshold. */
    public void record(Source source, long total, long rejected) {
        admit(source, total, rejected);
    }

    /**
     * A half-open probe: the batch is judged on its own. Within the threshold, the breaker closes (true: apply the
     * batch); otherwise it stays open for another interval (false: do not apply it).
     */
    public boolean probe(Source source, long total, long rejected) {
        Local l = local(source.name());
        double rate = rate(rejected, total);
        boolean pass = total > 0 && rate <= source.quarantineThreshold();
        BreakerState st = store.updateBreaker(source.name(), cur -> !cur.isOpen() ? cur : pass
            ? cur.close(clock.millis(), String.format(Locale.ROOT, "probe passed: %d of %d records rejected", rejected, total))
            : cur.probeFailed(clock.millis(), settings.probeAfter().toMillis(), rate));
        synchronized (l) {
            l.sync(st);
            if (pass) {
                l.window.add(total, rejected);
            }
        }
        LOG.info("Breaker of source '{}': probe {} ({} of {} rejected)", source.name(), pass ? "passed, closed" : "failed",
            rejected, total);
        return pass;
    }

    /** An operator's reset: closes the breaker (if open) and starts a new generation everywhere. */
    public BreakerState reset(String source) {
        BreakerState st = store.updateBreaker(source, cur -> cur.close(clock.millis(), RESET_REASON));
        Local l = local(source);
        synchronized (l) {
            l.sync(st);
        }
        LOG.info("Breaker of source '{}' reset by operator", source);
        return st;
    }

    /**
     * Opens the breaker because a window failed a {@code block} expectation: {@code why} names it ({@link
     * io.hearth.quality.Quality#reason}); the reject rate is recorded as it stands in this gateway's window.
     */
    public void tripOnExpectation(Source source, String why) {
        Local l = local(source.name());
        synchronized (l) {
            long[] judged = l.window.judged(0, 0);
            double rate = rate(judged[1], judged[0]);
            BreakerState st = store.updateBreaker(source.name(), cur -> cur.isOpen() ? cur
                : cur.open(clock.millis(), settings.probeAfter().toMillis(), rate, source.quarantineThreshold(), why));
            l.sync(st);
            l.trips.increment();
        }
        LOG.warn("Breaker of source '{}' opened: {}", source.name(), why);
    }

    /** The refusal of a request into a source whose breaker is open (as this gateway last read or changed it). */
    public BreakerOpenException refusal(String source) {
        BreakerState b = cached(source);
        return new BreakerOpenException(source, b, now());
    }

    /** Opens the breaker; {@code rate} and {@code records} are what the refused batch was judged on. */
    private void trip(Source source, Local l, double rate, long records) {
        String why = String.format(Locale.ROOT, "reject rate %.4f over the last %d records is over the threshold %s",
            rate, records, source.quarantineThreshold());
        BreakerState st = store.updateBreaker(source.name(), cur -> cur.isOpen() ? cur
            : cur.open(clock.millis(), settings.probeAfter().toMillis(), rate, source.quarantineThreshold(), why));
        l.sync(st);
        l.trips.increment();
        LOG.warn("Breaker of source '{}' opened: {}", source.name(), why);
    }

    private static double rate(long rejected, long total) {
        return total == 0 ? 0 : (double) rejected / total;
    }
}
