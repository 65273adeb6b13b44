package io.hearth.feedback;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureLogging;
import io.hearth.node.CacheLayout;
import io.hearth.node.serving.OnlineLookup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteDataStreamer;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.lang.IgniteFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes logged lookups to the grid off the request path. A lookup hands its record to a bounded queue
 * ({@link #offer}, a few hundred nanoseconds); one writer thread drains it in batches, encodes the records
 * ({@link LogCodec}) and adds them to an {@link IgniteDataStreamer}, which sends them to their primary nodes in
 * buffers (flushed at least every {@link Settings#flushMillis}). When the queue is more than half full, the log is
 * behind: the writer then rests after each batch as long as the batch took, so that logging never takes more than
 * about half of what it could from lookups. With the queue full a record is dropped, or the lookup waits for room, as
 * its service's {@code on_overload} says; every dropped record is counted in
 * {@code hearth_feature_log_dropped_total} (by service and reason: {@code overload}, {@code error} when the grid
 * refused a batch, {@code interrupted}).
 *
 * <p>The streamer does not overwrite: the first log of a request id stays, and a replayed request id is logged once.
 * Until the grid has acknowledged a record, this gateway answers for it from memory ({@link #pending}), so that a
 * log read, or an outcome matched, right after its lookup finds it.
 */
public final class FeatureLogger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureLogger.class);

    /**
     * @param queueCapacity records waiting to be written, at most
     * @param batchSize records the writer takes from the queue at once, at most
     * @param flushMillis how long a record waits in the streamer's buffer, at most
     */
    public record Settings(int queueCapacity, int batchSize, long flushMillis) {
        public Settings {
            if (queueCapacity < 1 || batchSize < 1 || flushMillis < 1) {
                throw new IllegalArgumentException("queue capacity, batch size and flush interval must be positive");
            }
        }

        public static Settings defaults() {
            return new Settings(65_536, 512, 200);
        }
    }

    /** A record waiting to be written, with the definitions that served it (they give its features' types). */
    private record Pending(LogRecord record, Definitions defs) {
    }

    private final Ignite ignite;
    private final Settings settings;
    private final MeterRegistry meters;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private final Map<String, Counter> written = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    /** Records queued or in the streamer, by request id, until the grid acknowledged (or refused) them. */
    private final Map<String, LogRecord> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private final Object progress = new Object();
    /** Output types per (service, registry version): the same for every record of one. */
    private final Map<String, ColumnType[]> types = new HashMap<>();
    private volatile boolean running = true;
    private IgniteDataStreamer<String, BinaryObject> streamer;
    private long lastErrorLogged;

    public FeatureLogger(Ignite ignite, Settings settings, MeterRegistry meters) {
        this.ignite = ignite;
        this.settings = settings;
        this.meters = meters;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        Gauge.builder("hearth.feature.log.queue", queue, BlockingQueue::size)
            .description("Logged lookups waiting to be written to the grid").register(meters);
        this.writer = new Thread(this::run, "hearth-feature-log");
        writer.setDaemon(true);
    }

    public FeatureLogger start() {
        writer.start();
        return this;
    }

    /**
     * Queues a lookup's record. With the queue full, {@link FeatureLogging.Overload#DROP} drops it (counted) and
     * {@link FeatureLogging.Overload#BLOCK} waits for room. Returns whether it was queued.
     */
    public boolean offer(LogRecord record, Definitions served, FeatureLogging.Overload onOverload) {
        Pending p = new Pending(record, served);
        if (!running) {
            drop(record.service(), "closed", 1);
            return false;
        }
        if (queue.offer(p)) {
            offered.incrementAndGet();
            inFlight.putIfAbsent(record.requestId(), record);
            return true;
        }
        if (onOverload == FeatureLogging.Overload.DROP) {
            drop(record.service(), "overload", 1);
            return false;
        }
        try {
            queue.put(p);
            offered.incrementAndGet();
            inFlight.putIfAbsent(record.requestId(), record);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the lookup's thread is being stopped: it answers, unlogged
            drop(record.service(), "interrupted", 1);
            return false;
        }
    }

    /** A record of this gateway not yet acknowledged by the grid. */
    public Optional<LogRecord> pending(String requestId) {
        return Optional.ofNullable(inFlight.get(requestId));
    }

    /** Records dropped so far, for every service and reason. */
    public long droppedTotal() {
        return (long) dropped.values().stream().mapToDouble(Counter::count).sum();
    }

    /** Records written so far (acknowledged by the grid). */
    public long writtenTotal() {
        return (long) written.values().stream().mapToDouble(Counter::count).sum();
    }

    /** Waits until every record queued before this call has been handed to the grid and written. */
    public void flush() {
        long target = offered.get();
        synchronized (progress) {
            while (taken.get() < target && writer.isAlive()) {
                try {
                    progress.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while flushing the feature log", e);
                }
            }
        }
        IgniteDataStreamer<String, BinaryObject> s;
        synchronized (this) {
            s = streamer;
        }
        if (s != null) {
            s.flush();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(settings.batchSize());
        boolean stopping = false; // close() interrupted a wait: write what is queued, without resting, and end
        while (running || !queue.isEmpty()) {
            try {
                Pending first = stopping ? queue.poll() : queue.poll(settings.flushMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        break;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.batchSize() - 1);
                stopping |= !write(batch, !stopping);
            } catch (InterruptedException e) {
                stopping = true;
            } finally {
                taken.addAndGet(batch.size());
                batch.clear();
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        }
        if (stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes a batch; false when the writer was interrupted while it rested. */
    private boolean write(List<Pending> batch, boolean mayRest) {
        if (batch.isEmpty()) {
            return true;
        }
        long t0 = System.nanoTime();
        boolean behind = mayRest && queue.size() > settings.queueCapacity() / 2;
        boolean rested = true;
        List<Pending> handed = List.copyOf(batch); // the caller reuses its list
        Map<String, BinaryObject> entries = new HashMap<>(batch.size() * 2);
        Map<String, long[]> perService = new HashMap<>();
        try {
            for (Pending p : batch) {
                LogRecord r = p.record();
                if (!entries.containsKey(r.requestId())) { // a replay within the batch: the first stays
                    entries.put(r.requestId(), LogCodec.encode(ignite.binary(), r, types(p)));
                }
                perService.computeIfAbsent(r.service(), k -> new long[1])[0]++;
            }
            IgniteFuture<?> f = streamer().addData(entries);
            if (behind) {
                // The log cannot keep up: lookups come first. Wait for this batch to be written, then rest as long as it
                // took, so that writing takes at most about half of what it could and lookups keep the rest; what does
                // not fit in the queue meanwhile is dropped and counted (on_overload: drop), or waits (block).
                streamer().flush();
                long took = System.nanoTime() - t0;
                java.util.concurrent.locks.LockSupport.parkNanos(took);
                rested = !Thread.interrupted();
            }
            f.listen(done -> {
                try {
                    done.get();
                    perService.forEach((s, n) -> counter(written, "hearth.feature.log.records", "Lookups logged to the grid",
                        s, null).increment(n[0]));
                } catch (RuntimeException e) {
                    failed(perService, e);
                } finally {
                    settled(handed);
                }
            });
        } catch (RuntimeException e) {
            if (perService.isEmpty()) {
                batch.forEach(p -> perService.computeIfAbsent(p.record().service(), k -> new long[1])[0]++);
            }
            failed(perService, e);
            settled(handed);
            resetStreamer();
        }
        return rested;
    }

    /** The grid acknowledged or refused these: from now on the grid answers for them. */
    private void settled(List<Pending> batch) {
        for (Pending p : batch) {
            inFlight.remove(p.record().requestId(), p.record());
        }
    }

    private void failed(Map<String, long[]> perService, RuntimeException e) {
        perService.forEach((s, n) -> drop(s, "error", n[0]));
        long now = System.nanoTime();
        if (now - lastErrorLogged > 60_000_000_000L || lastErrorLogged == 0) {
            lastErrorLogged = now;
            LOG.warn("Feature log: the grid refused a batch of {} records ({}); they are dropped and counted in "
                + "hearth_feature_log_dropped_total{{reason=\"error\"}}", perService.values().stream()
                .mapToLong(n -> n[0]).sum(), e.toString());
        }
    }

    private ColumnType[] types(Pending p) {
        LogRecord r = p.record();
        return types.computeIfAbsent(r.service() + '\u0000' + r.registryVersion(), k -> {
            ColumnType[] t = new ColumnType[r.features().size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = OnlineLookup.outputType(p.defs(), r.features().get(i));
            }
            return t;
        });
    }

    private synchronized IgniteDataStreamer<String, BinaryObject> streamer() {
        if (streamer == null) {
            streamer = ignite.dataStreamer(CacheLayout.FEATURE_LOG);
            streamer.keepBinary(true);
            streamer.allowOverwrite(false);
            streamer.perNodeBufferSize(256);
            streamer.autoFlushFrequency(settings.flushMillis());
        }
        return streamer;
    }

    private synchronized void resetStreamer() {
        if (streamer != null) {
            try {
                streamer.close(true);
            } catch (RuntimeException e) {
                LOG.debug("Feature log streamer did not close cleanly: {}", e.toString());
            }
            streamer = null;
        }
    }

    private void drop(String service, String reason, long n) {
        counter(dropped, "hearth.feature.log.dropped", "Logged lookups dropped (reason: overload, error, interrupted, "
            + "closed)", service, reason).increment(n);
    }

    private Counter counter(Map<String, Counter> m, String name, String description, String service, String reason) {
        return m.computeIfAbsent(reason == null ? service : service + '\u0000' + reason, k -> {
            Counter.Builder b = Counter.builder(name).description(description).tag("service", service);
            if (reason != null) {
                b.tag("reason", reason);
            }
            return b.register(meters);
        });
    }

    /** Stops taking records, writes what was queued, and closes the streamer. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
        synchronized (this) {
            if (streamer != null) {
                try {
                    streamer.close(false);
                } catch (RuntimeException e) {
                    LOG.warn("Feature log: the last records could not be written ({})", e.toString());
                }
                streamer = null;
            }
        }
    }
}
